"""The shelf: which articles `content/` holds, under which addresses, and in which order.

Every `*.md` file under the content folder is an article; its address is its file name without
`.md` (`content/federalist-10.md` and `content/federalist-10/federalist-10.md` both make
`federalist-10/`). One article makes today's one-article site; several make a shelf, ordered by
`content/shelf.yaml` when there is one (a list, or sections; reading paths besides), else by date
and then address.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from reader.errors import Problem, listed
from reader.schema import describe, main_errors, validate
from reader.yamlines import LocatedYaml, describe_yaml_error, load_located_yaml

SHELF_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "shelf.schema.json"
SHELF_FILE = "shelf.yaml"
NOTES_SUFFIX = ".notes.yaml"
ADDRESS = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Names the site's own pages and folders use at its root: no article may take them.
RESERVED = frozenset({"assets", "notes", "index", "feed", "sitemap", "robots", "404", "annotations", "cite"})


@dataclass(frozen=True)
class ArticleFile:
    """An article's Markdown file, as found: where it is, how to name it in messages, its address."""

    path: Path
    shown: str
    address: str

    @property
    def notes_path(self) -> Path:
        """Its own notes file, beside it: <address>.notes.yaml (optional)."""
        return self.path.with_name(self.address + NOTES_SUFFIX)


@dataclass(frozen=True)
class Section:
    """A part of the shelf (or, untitled, the whole of it), with its articles' addresses in order."""

    title: str | None
    description: str | None
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class ShelfConfig:
    """What shelf.yaml says (all optional), with the line of each article it names."""

    title: str | None
    description: str | None
    order: tuple[str, ...] | None
    sections: tuple[Section, ...] | None
    paths: tuple[Section, ...]
    named: tuple[tuple[str, int], ...]  # every address named, with its line, for checking


NO_CONFIG = ShelfConfig(None, None, None, None, (), ())


def find_article_files(content: Path, shown: str) -> tuple[list[ArticleFile], list[Problem]]:
    """Every article under the content folder (or the one file given), sorted by path; and the
    problems: none at all, two with one address, an address that is no slug or is taken by the site."""
    if not content.exists():
        return [], [Problem(shown, None, "missing; this is the article (a .md file), or the folder of the articles")]
    found = [content] if content.is_file() else sorted(
        p for p in content.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(content).parts)
    )
    problems = [Problem(_shown(p, content, shown), None, "is a folder; expected an article (a Markdown file)")
                for p in found if p.is_dir()]
    found = [p for p in found if not p.is_dir()]
    if not found:
        return [], problems or [Problem(shown, None, "no article found; add a Markdown file such as content/<name>.md")]
    files: list[ArticleFile] = []
    first: dict[str, str] = {}
    for path in found:
        file = ArticleFile(path, _shown(path, content, shown), path.stem)
        problem = address_problem(file.address)
        if problem:
            problems.append(Problem(file.shown, None, problem))
        elif file.address in first:
            problems.append(Problem(file.shown, None, f"address '{file.address}' is taken by {first[file.address]}; "
                                                      "rename one of the two files"))
        else:
            first[file.address] = file.shown
            files.append(file)
    return files, problems


def address_problem(address: str) -> str | None:
    """Why a file name cannot be an article's address (None when it can)."""
    if not ADDRESS.fullmatch(address):
        slug = "-".join(re.findall(r"[a-z0-9]+", address.lower())) or "article"
        return f"'{address}' cannot be an address (lower-case letters, digits and single hyphens); rename it {slug}.md"
    if address in RESERVED:
        return f"'{address}' is a name the site uses for its own pages; rename the file, e.g. {address}-1.md"
    return None


def _shown(path: Path, content: Path, shown: str) -> str:
    """A found file's path as messages show it: under the content folder as the user named it."""
    return shown if path == content else str(Path(shown) / path.relative_to(content))


@lru_cache(maxsize=1)
def load_shelf_schema(path: Path = SHELF_SCHEMA_PATH) -> dict:
    """The JSON Schema of shelf.yaml."""
    return json.loads(path.read_text(encoding="utf-8"))


def check_shelf_config(path: str, text: str | None, schema: dict) -> tuple[ShelfConfig, list[Problem]]:
    """Read shelf.yaml (None: there is none); every problem with it, by line."""
    if text is None:
        return NO_CONFIG, []
    try:
        located = load_located_yaml(text)
    except yaml.YAMLError as err:
        line, reason, hint = describe_yaml_error(err, text)
        return NO_CONFIG, [Problem(path, line, f"not valid YAML ({reason}); {hint}")]
    data = {} if located.data is None else located.data
    problems = [Problem(path, line, f"'{key[-1]}' is given twice; keep one") for key, line in located.duplicate_keys]
    problems += [_schema_problem(path, located, error) for error in main_errors(validate(schema, data))]
    if problems or not isinstance(data, dict):
        return NO_CONFIG, problems
    return _config(data, located), []


def _schema_problem(path: str, located: LocatedYaml, error) -> Problem:
    what, todo = describe(error)
    where = ".".join(str(key + 1) if isinstance(key, int) else key for key in error.path)
    return Problem(path, located.line_of(error.path), f"{where + ' ' if where else ''}{what}; {todo}")


def _config(data: dict, located: LocatedYaml) -> ShelfConfig:
    """The checked shelf.yaml as a ShelfConfig."""
    def sections(key: str) -> tuple[Section, ...]:
        return tuple(Section(s["title"].strip(), s.get("description"), tuple(s["articles"])) for s in data.get(key, ()))

    named = [(a, located.line_of(("order", i))) for i, a in enumerate(data.get("order", ()))]
    for key in ("sections", "paths"):
        for s, section in enumerate(data.get(key, ())):
            named += [(a, located.line_of((key, s, "articles", i))) for i, a in enumerate(section["articles"])]
    return ShelfConfig(
        data.get("title"), data.get("description"), tuple(data["order"]) if "order" in data else None,
        sections("sections") if "sections" in data else None, sections("paths"), tuple(named),
    )


@dataclass(frozen=True)
class Dated:
    """What ordering needs of an article: its address and its date (YYYY, YYYY-MM, YYYY-MM-DD or None)."""

    address: str
    published: str | None


def shelf_sections(config: ShelfConfig, articles: Sequence[Dated]) -> tuple[Section, ...]:
    """The shelf's parts in reading order: shelf.yaml's order or sections, then the articles it does not
    name (by date, then address) in an untitled last part (the page calls it "More articles")."""
    by_date = [a.address for a in sorted(articles, key=lambda a: (a.published is None, a.published or "", a.address))]
    if config.sections is not None:
        named = {a for s in config.sections for a in s.addresses}
        rest = tuple(a for a in by_date if a not in named)
        return config.sections + ((Section(None, None, rest),) if rest else ())
    if config.order is not None:
        return (Section(None, None, config.order + tuple(a for a in by_date if a not in config.order)),)
    return (Section(None, None, tuple(by_date)),)


def config_problems(path: str, config: ShelfConfig, addresses: Sequence[str]) -> list[Problem]:
    """Addresses shelf.yaml names that no article has, and articles named twice in its order or sections."""
    known, problems, seen = set(addresses), [], dict[str, int]()
    primary = {a for a in (config.order or ())} | {a for s in config.sections or () for a in s.addresses}
    for address, line in config.named:
        if address not in known:
            problems.append(Problem(path, line, f"no article '{address}' in the content folder; "
                                                f"name one of {listed(sorted(known))}, or add content/{address}.md"))
    for address, line in config.named[: _primary_count(config)]:
        if address in seen and address in primary:
            problems.append(Problem(path, line, f"'{address}' is already placed at line {seen[address]}; "
                                                "name each article once in order or sections (paths may repeat)"))
        seen.setdefault(address, line)
    return problems


def _primary_count(config: ShelfConfig) -> int:
    """How many of config.named come from order or sections (they come first, before the paths)."""
    return len(config.order or ()) + sum(len(s.addresses) for s in config.sections or ())
