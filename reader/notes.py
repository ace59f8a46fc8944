"""Load the editor's notes from annotations.yaml and check them against annotations.schema.json."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from reader.errors import BuildError, Problem
from reader.markup import Prose, parse_prose
from reader.schema import Examples, SchemaError, describe, field_key, main_errors, validate
from reader.yamlines import LocatedYaml, describe_yaml_error, load_located_yaml

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "annotations.schema.json"
ANCHOR_KEYS = ("quote", "prefix", "suffix", "occurrence", "paragraph")  # what places a note


@dataclass(frozen=True)
class Source:
    """Where a note's facts come from, with an archived copy and when it was read, if known."""

    title: str
    url: str
    archived: str | None = None
    accessed: str | None = None


@dataclass(frozen=True)
class Event:
    """A dated development a note reports, for the timeline."""

    date: str
    event: str


@dataclass(frozen=True)
class Anchor:
    """Where a note belongs: its quote (with what picks one occurrence), or a whole paragraph."""

    quote: str | None
    prefix: str | None
    suffix: str | None
    occurrence: int | None
    paragraph: int | None
    line: int
    who: str  # how messages name the note: note 'id', or note N when it has no id
    path: str = "annotations.yaml"  # the notes file it is written in
    article: str | None = None  # on a shelf, in the shared notes file: the address of its article


@dataclass(frozen=True)
class Annotation:
    """One editor's note as written, with its body parsed and the line it came from."""

    id: str
    kind: str
    title: str
    body: Prose
    sources: tuple[Source, ...]
    anchor: Anchor
    updated: str | None
    editor: str | None
    timeline: tuple[Event, ...]
    line: int
    mentions: tuple[str, ...] = ()  # a shared note's phrases: it has no quote and no paragraph

    @property
    def shared(self) -> bool:
        """Whether this is a shared note, placed at the first mention in every article that has one."""
        return bool(self.mentions)

    @property
    def body_text(self) -> str:
        """The body as a reader sees it (what search indexes)."""
        return self.body.text


@lru_cache(maxsize=1)
def load_schema(path: Path = SCHEMA_PATH) -> dict:
    """Return the JSON Schema that both editors' tools and the build check notes against."""
    return json.loads(path.read_text(encoding="utf-8"))


def kinds(schema: dict) -> tuple[str, ...]:
    """The kinds of note, in the schema's order (the schema is the one place they are listed)."""
    return tuple(schema["items"]["properties"]["kind"]["enum"])


@dataclass(frozen=True)
class CheckedNotes:
    """The notes file as checked: its well-formed notes, every problem found, and the anchors of the
    notes that are wrong only elsewhere (placed all the same, so that their quotes are checked too)."""

    notes: list[Annotation]
    loose_anchors: list[Anchor]
    problems: list[Problem]


def load_annotations(path: str, raw: bytes, md: MarkdownIt, schema: dict) -> list[Annotation]:
    """Parse and check annotations.yaml; raise BuildError listing every problem."""
    checked = check_annotations(path, raw, md, schema)
    if checked.problems:
        raise BuildError(checked.problems)
    return checked.notes


def check_annotations(
    path: str, raw: bytes, md: MarkdownIt, schema: dict, quote_example: str | None = None
) -> CheckedNotes:
    """Parse and check annotations.yaml: every problem of every note, by line, and the notes fit to use.

    quote_example: words of the article to show in hints (else the schema's placeholder)."""
    try:
        located = _parse_yaml(path, raw)
    except BuildError as err:
        return CheckedNotes([], [], err.problems)
    data = located.data
    if data is None:
        empty = "the file holds no notes; write a list of notes (see annotations.schema.json), or [] for none"
        return CheckedNotes([], [], [Problem(path, 1, empty)])
    errors = main_errors(validate(schema, data))
    problems = [
        Problem(path, line, f"{_who(data, key[0])}: '{key[-1]}' is given twice; keep one")
        for key, line in located.duplicate_keys
        if len(key) >= 2
    ]
    example = note_examples(data, quote_example)
    problems += [_schema_problem(path, data, located, error, example) for error in errors]
    if not isinstance(data, list):
        return CheckedNotes([], [], problems)
    faulty = _faulty_keys(errors, located.duplicate_keys)
    problems += _duplicate_ids(path, data, located)
    notes, loose = [], []
    for index, item in enumerate(data):
        keys = faulty.get(index, set())
        body, body_problems = _body(path, md, data, index, located) if "body" not in keys else (None, [])
        problems += body_problems
        if body is not None and not keys and not body_problems:
            notes.append(_annotation(path, data, index, body, located))
        elif isinstance(item, dict) and not keys & {"", *ANCHOR_KEYS} and "mentions" not in item:
            loose.append(_anchor(path, data, index, located))
    return CheckedNotes(notes, loose, sorted(problems, key=lambda p: p.line or 0))


def _faulty_keys(errors: list[SchemaError], duplicate_keys: tuple) -> dict[int, set[str]]:
    """For each note with a schema problem or a key given twice, the keys at fault ('' = the note as a whole)."""
    faulty: dict[int, set[str]] = {}
    for error in errors:
        if len(error.path) == 1:
            faulty.setdefault(error.path[0], set()).add(error.params["key"] if error.keyword == "required" else "")
        elif error.path:
            faulty.setdefault(error.path[0], set()).add(error.path[1])
    for key, _ in duplicate_keys:
        if len(key) >= 2:
            faulty.setdefault(key[0], set()).add(key[1])
    return faulty


def _body(
    path: str, md: MarkdownIt, data: list, index: int, located: LocatedYaml
) -> tuple[Prose | None, list[Problem]]:
    """A note's body parsed, and what is wrong with its Markdown (None when the note has no body text)."""
    item = data[index]
    if not isinstance(item, dict) or not isinstance(item.get("body"), str):
        return None, []
    body, messages = parse_prose(md, item["body"])
    who = _who(data, index)
    return body, [Problem(path, located.line_of((index, "body")), f"{who}: body: {msg}") for msg in messages]


def _parse_yaml(path: str, raw: bytes) -> LocatedYaml:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise BuildError(
            [Problem(path, line, f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8")]
        ) from None
    if not any(ln.strip() and not ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise BuildError(
            [Problem(path, 1, "the file is empty; write a list of notes (see annotations.schema.json), or [] for none")]
        )
    try:
        return load_located_yaml(text)
    except yaml.YAMLError as err:
        line, reason, hint = describe_yaml_error(err, text)
        raise BuildError([Problem(path, line, f"not valid YAML ({reason}); {hint}")]) from None


def note_examples(data: Any, quote: str | None) -> Examples:
    """Values for the hints from the notes at hand and the article's words: a title and a source that
    exist, an id made of the note's own words, a quote from the first paragraph (None: the schema's)."""
    notes = [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
    title = next((note["title"].strip() for note in notes if _filled(note.get("title"))), None)
    sources = [_source_example(source) for note in notes for source in _items(note.get("sources"))]
    source = next((s for s in sources if s), None)
    known = {
        ("[]", "title"): title,
        ("[]", "quote"): quote,
        ("[]", "sources"): [source] if source else None,
        ("[]", "sources", "[]"): source,
        ("[]", "sources", "[]", "title"): source["title"] if source else None,
    }

    def example(path: tuple[Any, ...]) -> Any:
        if field_key(path) == ("[]", "id"):
            return _slug_for(data[path[0]])
        return known.get(field_key(path))

    return example


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _items(value: Any) -> list:
    return value if isinstance(value, list) else []


def _source_example(source: Any) -> dict[str, str] | None:
    """A source's title and address, when it has both and the address is a web address."""
    if not isinstance(source, dict) or not _filled(source.get("title")) or not isinstance(source.get("url"), str):
        return None
    if not source["url"].startswith(("https://", "http://")):
        return None
    return {"title": source["title"].strip(), "url": source["url"]}


def _slug_for(item: Any) -> str | None:
    """An id for a note from its own words: its id, title or quote made a slug (Shinzo Abe -> shinzo-abe)."""
    texts = [item.get(key) for key in ("id", "title", "quote")] if isinstance(item, dict) else []
    for text in texts:
        if isinstance(text, str):
            plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
            slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-")
            if slug:
                return slug
    return None


def _schema_problem(path: str, data: Any, located: LocatedYaml, error: SchemaError, example: Examples) -> Problem:
    """`note 'id': where what; what to do`, built from the error's keyword, path and parameters."""
    line = located.line_of(error.path)
    what, todo = describe(error, example)
    if not error.path:
        return Problem(
            path, line, "the file must be a list of notes; start each note with '- id:' (see annotations.schema.json)"
        )
    who = _who(data, error.path[0])
    inner = error.path[1:-1] if error.keyword == "additionalProperties" else error.path[1:]
    if not inner and error.keyword == "type":
        return Problem(path, line, f"{who}: {what}; start each note with '- id:' and give its keys")
    item = data[error.path[0]]
    if error.keyword == "oneOf" and not inner and isinstance(item, dict) and not {"quote", "paragraph"} & item.keys():
        quote = example(error.path + ("quote",)) or error.schema["properties"]["quote"]["examples"][0]
        todo = f"add quote: {json.dumps(quote, ensure_ascii=False)} (words of the article) or paragraph: 1"
    where = _field(item, inner)
    return Problem(path, line, f"{who}: {where + ' ' if where else ''}{what}; {todo}")


def _who(data: Any, index: Any) -> str:
    """Name a note for a message: by id when it has one, else by position."""
    item = data[index] if isinstance(data, list) and isinstance(index, int) and index < len(data) else None
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"note '{item['id']}'"
    return f"note {index + 1}" if isinstance(index, int) else "the file"


def _field(value: Any, path: tuple) -> str:
    """Name a place inside a note, e.g. sources[2].url (list positions count from 1)."""
    parts = []
    for key in path:
        if isinstance(key, int) and isinstance(value, list):
            parts.append(f"[{key + 1}]")
            value = value[key] if key < len(value) else None
        else:
            parts.append(f".{key}")
            value = value.get(key) if isinstance(value, dict) else None
    return "".join(parts).lstrip(".")


def _duplicate_ids(path: str, data: list, located: LocatedYaml) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        line = located.line_of((index, "id"))
        if item["id"] in first:
            problems.append(
                Problem(
                    path,
                    line,
                    f"note '{item['id']}': id already used by the note at line {first[item['id']]}; "
                    "give each note its own id",
                )
            )
        first.setdefault(item["id"], line)
    return problems


def _anchor(path: str, data: list, index: int, located: LocatedYaml) -> Anchor:
    """Where a note asks to be placed, with the file and line to report on."""
    item = data[index]
    return Anchor(
        item.get("quote"),
        item.get("prefix"),
        item.get("suffix"),
        item.get("occurrence"),
        item.get("paragraph"),
        located.line_of((index, next((k for k in ("paragraph", "quote", "mentions") if k in item), "quote"))),
        _who(data, index),
        path,
        item.get("article"),
    )


def _annotation(path: str, data: list, index: int, body: Prose, located: LocatedYaml) -> Annotation:
    item = data[index]
    return Annotation(
        id=item["id"],
        kind=item["kind"],
        title=item["title"].strip(),
        body=body,
        sources=tuple(
            Source(s["title"].strip(), s["url"], s.get("archived"), s.get("accessed")) for s in item["sources"]
        ),
        anchor=_anchor(path, data, index, located),
        updated=item.get("updated"),
        editor=item.get("editor"),
        timeline=tuple(Event(e["date"], e["event"].strip()) for e in item.get("timeline", ())),
        line=located.line_of((index,)),
        mentions=tuple(phrase.strip() for phrase in item.get("mentions", ())),
    )
