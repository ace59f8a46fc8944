"""Problems found in the input, reported as `file:line: what is wrong; what to do`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SHOWN_ITEMS = 10  # items a message lists before "and N more"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, at one line when the line is known."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return one_line(f"{where}: {self.message}")


def one_line(text: str) -> str:
    """Show line breaks, control and invisible characters (quoted from the input) as escapes."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


class BuildError(Exception):
    """The build cannot go on; carries every problem found, in the order found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def by_file_and_line(problems: list[Problem]) -> list[Problem]:
    """Problems grouped by file (in the order the files first appear), each file's by line; stable."""
    rank: dict[str, int] = {}
    for problem in problems:
        rank.setdefault(problem.path, len(rank))
    return sorted(problems, key=lambda p: (rank[p.path], p.line or 0))


def fail(path: str, line: int | None, message: str) -> BuildError:
    """Return a BuildError holding a single problem (to `raise fail(...)`)."""
    return BuildError([Problem(path, line, message)])


def plural(count: int, word: str) -> str:
    """'1 note', '2 notes': English, for the build's own messages."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def first_few(items: Iterable[object], shown: int = SHOWN_ITEMS) -> tuple[list[str], int]:
    """The first few items as text, and how many more there are."""
    texts = [str(item) for item in items]
    return texts[:shown], max(len(texts) - shown, 0)


def listed(items: Iterable[object], shown: int = SHOWN_ITEMS) -> str:
    """The first few items for a message, then how many more: 'a, b, c and 997 more'."""
    few, more = first_few(items, shown)
    return ", ".join(few) + (f" and {more} more" if more else "")
