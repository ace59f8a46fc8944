"""Anchor each note to its words in the article: found exactly (typography aside) or refused.

Matching ignores curly vs straight quotes, dash kinds and runs of white space, nothing else, and
a quote starts at the beginning of a word or at a punctuation mark, or at any character of a script
written without spaces between words (Chinese, Japanese: textnorm.CJK), or after the one-letter words
Hebrew and Arabic join to the next (and, the, in). Every quote is looked up in
one index of the text's word starts, so anchoring costs the same per note at any size.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reader.errors import BuildError, Problem, listed
from reader.markup import TextBlock, span_problem
from reader.notes import Anchor, Annotation
from reader.textnorm import CJK

KEY_LENGTH = 8  # characters of a quote looked up in the index of word starts
SHOWN_PLACES = 5  # occurrences named in a message before "and N more"
NEAREST_FOR = 10  # missing quotes for which the nearest passages are suggested (a slow search)


@dataclass(frozen=True)
class AnchoredNote:
    """A note fixed to its place: its number, its block and character offsets (None = the whole block)."""

    note: Annotation
    number: int
    block: TextBlock
    start: int | None
    end: int | None


class AnchorProblem(Exception):
    """Why a note cannot be placed, and what to do."""


# Typography that editors cannot be expected to type: one plain form for matching.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_SPACE_RUN = re.compile(r"\s+")
_RUN = re.compile(r"\s+|\S+")
# Letters Hebrew and Arabic write joined to the next word (and, the, in, to, as...): a quote may start
# after one or two of them, as an editor quotes a word without the conjunction before it.
_CLITICS = "[\u05d5\u05d4\u05d1\u05db\u05dc\u05de\u05e9\u0648\u0641\u0628\u0643\u0644]"
# A word's first char, a punctuation mark, any CJK char and any char after one (no space marks where
# the words of those scripts begin), a word's char after its clitics.
_KEY_START = re.compile(
    rf"(?<![^\W_])[^\W_]|[^\w\s\0]|_|{CJK.pattern}|(?<={CJK.pattern})[^\W_]"
    rf"|(?<=(?<!\w){_CLITICS})\w|(?<=(?<!\w){_CLITICS}{_CLITICS})\w"
)


def plain(text: str) -> str:
    """Text with typography made plain and white space runs made one space."""
    return _SPACE_RUN.sub(" ", text.translate(_PLAIN)).strip()


def match_form(text: str) -> tuple[str, list[int]]:
    """Return plain(text) without trimming, plus each kept character's offset in text."""
    chars: list[str] = []
    origin: list[int] = []
    for match in _RUN.finditer(text.translate(_PLAIN)):
        if match.group()[0].isspace():
            chars.append(" ")
            origin.append(match.start())
        else:
            chars.extend(match.group())
            origin.extend(range(match.start(), match.end()))
    return "".join(chars), origin


class MatchText:
    """The article's blocks in match form, with an index of word starts to find quotes by."""

    def __init__(self, blocks: Sequence[TextBlock]):
        self.blocks = blocks
        self.forms = [match_form(block.text) for block in blocks]
        self.joined = "\0".join(form for form, _ in self.forms)  # no quote holds \0: matches stay in one block
        self.starts = list(itertools.accumulate((len(form) + 1 for form, _ in self.forms[:-1]), initial=0))
        self._index: dict[int, dict[str, list[int]]] = {}
        self._hits: dict[str, list[tuple[int, int]]] = {}
        self._fitting: dict[tuple[str, str | None, str | None], list[tuple[int, int]]] = {}

    def _keys(self, length: int) -> dict[str, list[int]]:
        """Positions of word starts and punctuation by the `length` characters there (built once per length)."""
        if length not in self._index:
            keys: dict[str, list[int]] = {}
            joined = self.joined
            for match in _KEY_START.finditer(joined):
                at = match.start()
                keys.setdefault(joined[at : at + length], []).append(at)
            self._index[length] = keys
        return self._index[length]

    def hits(self, quote: str) -> list[tuple[int, int]]:
        """Every (block position, offset in its match form) where quote starts."""
        if quote not in self._hits:
            length = min(KEY_LENGTH, len(quote))
            found = [at for at in self._keys(length).get(quote[:length], ()) if self.joined.startswith(quote, at)]
            places = []
            for at in found:
                block = bisect.bisect_right(self.starts, at) - 1
                places.append((block, at - self.starts[block]))
            self._hits[quote] = places
        return self._hits[quote]

    def fitting(self, quote: str, prefix: str | None, suffix: str | None) -> list[tuple[int, int]]:
        """The hits of quote with that prefix and suffix beside them (worked out once per quote and context)."""
        # Once, not per note: a quote met 1,000 times and picked by occurrence: N would
        # otherwise be checked 1,000 times for each of its 1,000 notes.
        key = (quote, prefix, suffix)
        if key not in self._fitting:
            self._fitting[key] = [
                (b, i) for b, i in self.hits(quote) if _context_fits(self.forms[b][0], i, len(quote), prefix, suffix)
            ]
        return self._fitting[key]


def anchor_notes(blocks: Sequence[TextBlock], notes: Sequence[Annotation]) -> list[AnchoredNote]:
    """Find each note's place in the text; raise BuildError for missing, ambiguous or overlapping quotes."""
    anchored, problems = place_notes(blocks, notes)
    if problems:
        raise BuildError(problems)
    return anchored


def place_notes(
    blocks: Sequence[TextBlock], notes: Sequence[Annotation], loose: Sequence[Anchor] = ()
) -> tuple[list[AnchoredNote], list[Problem]]:
    """Find each note's place in the text, numbered in reading order, and every missing, ambiguous or
    overlapping quote, named by each note's own file and line. Loose anchors (of notes wrong
    elsewhere) are placed only to report on them."""
    text = MatchText(blocks)
    by_paragraph = {block.ref: block for block in blocks if block.ref.startswith("p-")}
    placed: list[tuple[Anchor, TextBlock, int | None, int | None]] = []
    problems: list[Problem] = []
    for anchor in [note.anchor for note in notes] + list(loose):
        try:
            placed.append((anchor, *place(anchor, text, by_paragraph, suggest=len(problems) < NEAREST_FOR)))
        except AnchorProblem as problem:
            problems.append(Problem(anchor.path, anchor.line, f"{anchor.who}: {problem}"))
    problems += overlaps(placed)
    if problems:
        return [], problems
    in_order = sorted(zip(notes, placed[: len(notes)], strict=True), key=lambda pair: _reading_order(pair[1]))
    anchored = []
    for number, (note, (_, block, start, end)) in enumerate(in_order, 1):
        anchored.append(AnchoredNote(note, number, block, start, end))
    return anchored, []


def _reading_order(placed: tuple[Anchor, TextBlock, int | None, int | None]) -> tuple[int, int]:
    """Sort key: the block, then the quote's start (a note on the whole block comes after its quotes)."""
    _, block, start, _ = placed
    return block.index, start if start is not None else len(block.text)


def place(
    anchor: Anchor, text: MatchText, by_paragraph: dict[str, TextBlock], suggest: bool
) -> tuple[TextBlock, int | None, int | None]:
    """Return (block, start, end) for an anchor, or raise AnchorProblem."""
    if anchor.paragraph is not None:
        block = by_paragraph.get(f"p-{anchor.paragraph}")
        if block is None:
            count = f"{len(by_paragraph)} paragraph" + ("" if len(by_paragraph) == 1 else "s")
            raise AnchorProblem(f"paragraph {anchor.paragraph} does not exist; the article has {count}")
        return block, None, None
    quote = plain(anchor.quote or "")
    hits = text.hits(quote) if quote else []
    if not hits:
        hint = nearest(quote, text) if suggest else ""
        raise AnchorProblem(
            f"quote \u201c{anchor.quote}\u201d is not in the article; {hint}copy the words exactly from the article"
        )
    chosen = text.fitting(quote, anchor.prefix, anchor.suffix)
    if not chosen:
        raise AnchorProblem(
            f"no occurrence of \u201c{anchor.quote}\u201d has that prefix/suffix; "
            "copy the words just before/after it from the article"
        )
    if anchor.occurrence is not None:
        if anchor.occurrence > len(chosen):
            times = "once" if len(chosen) == 1 else f"{len(chosen)} times"
            raise AnchorProblem(
                f"occurrence {anchor.occurrence} asked for, but \u201c{anchor.quote}\u201d occurs {times}; "
                "use a smaller number"
            )
        chosen = [chosen[anchor.occurrence - 1]]
    if len(chosen) > 1:
        raise AnchorProblem(
            f"quote \u201c{anchor.quote}\u201d occurs {len(chosen)} times ({places(text, chosen)}); "
            "add prefix, suffix or occurrence: N to pick one"
        )
    position, i = chosen[0]
    block, origin = text.blocks[position], text.forms[position][1]
    start, end = origin[i], origin[i + len(quote) - 1] + 1
    problem = span_problem(block.pieces, start, end)
    if problem:
        raise AnchorProblem(f"quote \u201c{anchor.quote}\u201d {problem}")
    return block, start, end


def places(text: MatchText, chosen: list[tuple[int, int]]) -> str:
    """Name where a quote occurs: the first few blocks, then how many more."""
    return listed((text.blocks[b].label for b, _ in chosen), SHOWN_PLACES)


def _context_fits(form: str, i: int, length: int, prefix: str | None, suffix: str | None) -> bool:
    """Whether the words just before and after form[i : i + length] are prefix and suffix."""
    # A match form's white space is single spaces: at most one stands between quote and context.
    end, start = i - (form[i - 1 : i] == " "), i + length + (form[i + length : i + length + 1] == " ")
    return (prefix is None or form.endswith(plain(prefix), 0, end)) and (
        suffix is None or form.startswith(plain(suffix), start)
    )


def nearest(quote: str, text: MatchText) -> str:
    """Describe the passages most like a quote that was not found ('' when nothing is close)."""
    import difflib  # only when reporting a missing quote

    best_per_block = []
    for position, (form, _) in enumerate(text.forms):
        scored = [(0.0, -position, "")]
        for candidate in _passages(form, quote):
            matcher = difflib.SequenceMatcher(None, quote, candidate, autojunk=False)
            if matcher.real_quick_ratio() > 0.6 and matcher.quick_ratio() > 0.6:
                scored.append((matcher.ratio(), -position, candidate))
        best_per_block.append(max(scored))
    best = [b for b in sorted(best_per_block, reverse=True)[:2] if b[0] >= 0.6]
    if not best:
        return ""
    named = [f"{text.blocks[-p].label} \u201c{_unpunctuated(found)}\u201d" for _, p, found in best]
    return "nearest: " + ", ".join(named) + "; "


def _passages(form: str, quote: str) -> list[str]:
    """The passages of a block as long as a quote: as many words, or as many characters for a quote in a
    script written without spaces."""
    if CJK.search(quote):
        return [form[k : k + len(quote)] for k in range(max(len(form) - len(quote) + 1, 1))]
    width, words = len(quote.split()), form.split(" ")
    return [" ".join(words[k : k + width]) for k in range(max(len(words) - width + 1, 1))]


def sample_quote(blocks: Sequence[TextBlock], most: int = 4) -> str | None:
    """The first few words of the first paragraph, within its first sentence, for hints that show a
    quote (None: the article has no paragraph)."""
    first = next((block for block in blocks if block.ref.startswith("p-")), None)
    if first is None:
        return None
    words: list[str] = []
    for word in first.text.split()[:most]:
        words.append(word)
        if word.rstrip("\"'\u201d\u2019)").endswith((".", "!", "?", ";", ":")):
            break
    return _unpunctuated(" ".join(words))


def _unpunctuated(passage: str) -> str:
    """A passage without the punctuation at its ends ("the hills of Yunnan," -> "the hills of Yunnan")."""
    start, end = 0, len(passage)
    while start < end and unicodedata.category(passage[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(passage[end - 1]).startswith("P"):
        end -= 1
    return passage[start:end] or passage


def overlaps(placed) -> list[Problem]:
    """Report every note whose quote shares characters with an earlier one in the text."""
    problems = []
    spans = sorted((p for p in placed if p[2] is not None), key=lambda p: (p[1].index, p[2]))
    reach = None  # the span reaching furthest so far in the current block
    for anchor, block, start, end in spans:
        if reach and reach[1] is block and start < reach[3]:
            other = reach[0]
            where = f"line {other.line}" if other.path == anchor.path else f"{other.path}:{other.line}"
            problems.append(
                Problem(
                    anchor.path,
                    anchor.line,
                    f"{anchor.who}: quote overlaps {other.who} "
                    f"({where}) in {block.label}; shorten one so they share no words",
                )
            )
        if not reach or reach[1] is not block or end > reach[3]:
            reach = (anchor, block, start, end)
    return problems
