"""Load the editor's notes from annotations.yaml, check them, and anchor each to the text."""

from __future__ import annotations

import bisect
import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml
from markdown_it import MarkdownIt

from reader.article import Paragraph
from reader.errors import BuildError, Problem
from reader.markup import Prose, parse_prose, span_problem
from reader.schema import SchemaError, validate
from reader.yamlines import LocatedYaml, describe_yaml_error, load_located_yaml

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "annotations.schema.json"
KIND_LABELS = {"person": "Person", "organization": "Organization", "event": "Event",
               "term": "Term", "figure": "Figure", "update": "Update"}


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
class Annotation:
    """One editor's note as written, with its body rendered and the lines it came from."""

    id: str
    kind: str
    title: str
    body: Prose
    sources: tuple[Source, ...]
    quote: str | None
    prefix: str | None
    suffix: str | None
    occurrence: int | None
    paragraph: int | None
    updated: str | None
    editor: str | None
    timeline: tuple[Event, ...]
    line: int
    anchor_line: int

    @property
    def body_text(self) -> str:
        """The body as a reader sees it (what search indexes)."""
        return self.body.text

    @property
    def kind_label(self) -> str:
        """The label readers see for this note's kind."""
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class AnchoredNote:
    """A note fixed to its place: paragraph number and character offsets (None = whole paragraph)."""

    note: Annotation
    number: int
    paragraph: int
    start: int | None
    end: int | None


@lru_cache(maxsize=1)
def load_schema(path: Path = SCHEMA_PATH) -> dict:
    """Return the JSON Schema that both editors' tools and the build check notes against."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_annotations(path: str, raw: bytes, md: MarkdownIt, schema: dict) -> list[Annotation]:
    """Parse and check annotations.yaml; raise BuildError listing every problem."""
    located = _parse_yaml(path, raw)
    data = located.data
    if data is None:
        raise BuildError([Problem(path, 1, "the file holds no notes; write a list of notes (see annotations.schema.json), or [] for none")])
    problems = [Problem(path, line, f"{_who(data, key[0])}: '{key[-1]}' is given twice; keep one")
                for key, line in located.duplicate_keys if len(key) >= 2]
    for error in validate(schema, data):
        problems.append(Problem(path, located.line_of(error.path), _describe(data, error)))
    problems.sort(key=lambda p: p.line or 0)
    if problems:
        raise BuildError(problems)
    problems += _duplicate_ids(path, data, located)
    notes = []
    for index, item in enumerate(data):
        note, body_problems = _make_annotation(md, item, index, located)
        problems += [Problem(path, located.line_of((index, "body")), f"note '{item['id']}': body: {msg}") for msg in body_problems]
        notes.append(note)
    if problems:
        raise BuildError(problems)
    return notes


def anchor_notes(path: str, paragraphs: Sequence[Paragraph], notes: Sequence[Annotation]) -> list[AnchoredNote]:
    """Find each note's place in the text; raise BuildError for missing, ambiguous or overlapping quotes."""
    forms = [_match_form(p.text) for p in paragraphs]
    hits_of = _quote_finder([form for form, _ in forms])
    placed: list[tuple[Annotation, int, int | None, int | None]] = []
    problems: list[Problem] = []
    for note in notes:
        result = _anchor_one(note, paragraphs, forms, hits_of)
        if isinstance(result, str):
            problems.append(Problem(path, note.anchor_line, f"note '{note.id}': {result}"))
        else:
            placed.append((note, *result))
    problems += _overlaps(path, placed, paragraphs)
    if problems:
        raise BuildError(problems)
    order = sorted(placed, key=lambda p: (p[1], p[2] if p[2] is not None else len(paragraphs[p[1] - 1].text)))
    return [AnchoredNote(note, number, para, start, end) for number, (note, para, start, end) in enumerate(order, 1)]


def _parse_yaml(path: str, raw: bytes) -> LocatedYaml:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise BuildError([Problem(path, line, f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8")]) from None
    if not text.strip() or not any(ln.strip() and not ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise BuildError([Problem(path, 1, "the file is empty; write a list of notes (see annotations.schema.json), or [] for none")])
    try:
        return load_located_yaml(text)
    except yaml.YAMLError as err:
        line, reason, hint = describe_yaml_error(err, text)
        raise BuildError([Problem(path, line, f"not valid YAML ({reason}); {hint}")]) from None


def _who(data: Any, index: Any) -> str:
    """Name a note for a message: by id when it has one, else by position."""
    item = data[index] if isinstance(data, list) and isinstance(index, int) and index < len(data) else None
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"note '{item['id']}'"
    return f"note {index + 1}" if isinstance(index, int) else "the file"


_HINTS = {
    "missing required key 'id'": "add id: a-short-slug",
    "missing required key 'kind'": "add kind: person, organization, event, term, figure or update",
    "missing required key 'title'": "add title: a short heading",
    "missing required key 'body'": "add body: the note's text",
    "missing required key 'sources'": "add sources: a list of {title, url}",
}

_SOURCE_HINTS = {
    "missing required key 'title'": "add title: the source's name",
    "missing required key 'url'": "add url: the source's https:// address",
}


def _describe(data: Any, error: SchemaError) -> str:
    """Turn a schema error into `note 'id': where what; what to do`."""
    path, message = error.path, error.message
    if not path:
        return "the file must be a list of notes; start each note with '- id:'" if "must be a list" in message else message
    who = _who(data, path[0])
    field = _field(data[path[0]] if _is_index(data, path[0]) else None, path[1:])
    if message.startswith("unknown key"):
        known = error.allowed
        import difflib  # only when reporting a mistake: keeps every good build's start-up lean
        close = difflib.get_close_matches(str(path[-1]), known, n=1)
        advice = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(known)}"
        where = _field(data[path[0]] if _is_index(data, path[0]) else None, path[1:-1])
        return f"{who}: {where + ' ' if where else ''}{message}; {advice}"
    if message.startswith("missing required key") and field:
        return f"{who}: {field} {message}; {_SOURCE_HINTS.get(message, 'add it (see annotations.schema.json)')}"
    if message.startswith("missing required key"):
        return f"{who}: {message}; {_HINTS.get(message, 'add it (see annotations.schema.json)')}"
    if message.startswith("give either"):
        return f"{who}: {message}; keep exactly one of them"
    if len(path) == 1 and message.startswith("must be a mapping"):
        return f"{who}: {message}; start each note with '- id:' and give its keys"
    if field.startswith("sources") and message.startswith("needs at least"):
        return f"{who}: sources {message}; every note cites at least one {{title, url}}"
    prefix = f"{who}: {field} " if field else f"{who}: "
    if message.startswith("must be") and "not" in message and field:
        return f"{prefix}{message}; fix the value"
    return prefix + message + ("" if "; " in message else _advice(message, path))


def _advice(message: str, path: tuple) -> str:
    """The `; what to do` for a schema message that does not say it already."""
    if message.startswith("must not be empty"):
        return "; write a value or remove the key"
    if message.startswith("is too short") and path[-1] == "quote":
        return "; quote at least a few words"
    if message.startswith("is too short"):
        return "; make it longer"
    if message.startswith("is too long"):
        return "; shorten it"
    if message.startswith("must be at least"):
        return "; count from 1 (1 = the first)"
    if message.startswith("must be a slug"):
        return "; rename the id"
    if message.startswith("must be a date"):
        return "; e.g. 2026-11-27"
    if path[-1] == "url":
        return ""  # the schema's own sentence ends with an example to copy
    return "; see annotations.schema.json"


def _is_index(data: Any, index: Any) -> bool:
    return isinstance(data, list) and isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(data)


def _field(value: Any, path: tuple) -> str:
    """Name a place inside a note, e.g. sources[2].url (list positions count from 1)."""
    parts = []
    for key in path:
        if _is_index(value, key):
            parts.append(f"[{key + 1}]")
            value = value[key]
        else:
            parts.append(f".{key}")
            value = value.get(key) if isinstance(value, dict) else None
    return "".join(parts).lstrip(".")


def _duplicate_ids(path: str, data: list, located: LocatedYaml) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, item in enumerate(data):
        line = located.line_of((index, "id"))
        if item["id"] in first:
            problems.append(Problem(path, line, f"note '{item['id']}': id already used by the note at line {first[item['id']]}; give each note its own id"))
        first.setdefault(item["id"], line)
    return problems


def _make_annotation(md: MarkdownIt, item: dict, index: int, located: LocatedYaml) -> tuple[Annotation, list[str]]:
    body, problems = parse_prose(md, item["body"])
    anchor_key = "paragraph" if "paragraph" in item else "quote"
    note = Annotation(
        id=item["id"], kind=item["kind"], title=item["title"].strip(), body=body,
        sources=tuple(Source(s["title"].strip(), s["url"], s.get("archived"), s.get("accessed")) for s in item["sources"]),
        timeline=tuple(Event(e["date"], e["event"].strip()) for e in item.get("timeline", ())),
        quote=item.get("quote"), prefix=item.get("prefix"), suffix=item.get("suffix"),
        occurrence=item.get("occurrence"), paragraph=item.get("paragraph"),
        updated=item.get("updated"), editor=item.get("editor"),
        line=located.line_of((index,)), anchor_line=located.line_of((index, anchor_key)),
    )
    return note, problems


# Typography that editors cannot be expected to type: one plain form for matching.
_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
_SPACE_RUN = re.compile(r"\s+")


def _match_form(text: str) -> tuple[str, list[int]]:
    """Return text with typography made plain and white space runs made one space, plus an
    index from each kept character back to its offset in the original."""
    plain = text.translate(_PLAIN)
    chars: list[str] = []
    origin: list[int] = []
    for match in re.finditer(r"\s+|\S+", plain):
        if match.group()[0].isspace():
            chars.append(" ")
            origin.append(match.start())
        else:
            chars.extend(match.group())
            origin.extend(range(match.start(), match.end()))
    return "".join(chars), origin


def _plain(text: str) -> str:
    return _SPACE_RUN.sub(" ", text.translate(_PLAIN)).strip()


def _quote_finder(texts: list[str]):
    """Return hits(quote) -> [(paragraph number, offset in its match form)], searching all paragraphs
    as one string (one C-speed scan per quote, not one Python call per paragraph) and caching by quote."""
    joined = "\0".join(texts)  # a separator no quote contains: matches never span paragraphs
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))

    @lru_cache(maxsize=None)
    def hits(quote: str) -> tuple[tuple[int, int], ...]:
        found = []
        for at in _find_all(joined, quote):
            number = bisect.bisect_right(starts, at)
            found.append((number, at - starts[number - 1]))
        return tuple(found)
    return hits


def _anchor_one(note: Annotation, paragraphs: Sequence[Paragraph], forms, hits_of) -> tuple[int, int | None, int | None] | str:
    """Return (paragraph, start, end) for a note, or a message saying what is wrong and what to do."""
    if note.paragraph is not None:
        if note.paragraph > len(paragraphs):
            count = f"{len(paragraphs)} paragraph" + ("" if len(paragraphs) == 1 else "s")
            return f"paragraph {note.paragraph} does not exist; the article has {count}"
        return note.paragraph, None, None
    quote = _plain(note.quote or "")
    hits = hits_of(quote) if quote and "\0" not in quote else ()
    if not hits:
        return f"quote \u201c{note.quote}\u201d is not in the article; {_nearest(quote, forms)}copy the words exactly from the article"
    chosen = [(n, i) for n, i in hits if _context_fits(forms[n - 1][0], i, len(quote), note.prefix, note.suffix)]
    if not chosen:
        return f"no occurrence of \u201c{note.quote}\u201d has that prefix/suffix; copy the words just before/after it from the article"
    if note.occurrence is not None:
        if note.occurrence > len(chosen):
            return f"occurrence {note.occurrence} asked for, but \u201c{note.quote}\u201d occurs {len(chosen)} time(s); use a smaller number"
        chosen = [chosen[note.occurrence - 1]]
    if len(chosen) > 1:
        where = ", ".join(f"\u00b6{n}" for n, _ in chosen)
        return f"quote \u201c{note.quote}\u201d occurs {len(chosen)} times ({where}); add prefix, suffix or occurrence: N to pick one"
    number, i = chosen[0]
    origin = forms[number - 1][1]
    start, end = origin[i], origin[i + len(quote) - 1] + 1
    problem = span_problem(paragraphs[number - 1].pieces, start, end)
    if problem:
        return f"quote \u201c{note.quote}\u201d {problem}"
    return number, start, end


def _find_all(form: str, quote: str) -> list[int]:
    found, i = [], form.find(quote)
    while i != -1 and quote:
        found.append(i)
        i = form.find(quote, i + 1)
    return found


def _context_fits(form: str, i: int, length: int, prefix: str | None, suffix: str | None) -> bool:
    before, after = form[:i].rstrip(), form[i + length :].lstrip()
    return (prefix is None or before.endswith(_plain(prefix))) and (suffix is None or after.startswith(_plain(suffix)))


def _nearest(quote: str, forms) -> str:
    """Describe the passages most like a quote that was not found ('' when nothing is close)."""
    import difflib  # only when reporting a missing quote
    width = len(quote.split())
    best_per_paragraph = []
    for number, (form, _) in enumerate(forms, 1):
        words = form.split(" ")
        scored = [(0.0, -number, "")]
        for k in range(max(len(words) - width + 1, 1)):
            candidate = " ".join(words[k : k + width])
            matcher = difflib.SequenceMatcher(None, quote, candidate, autojunk=False)
            if matcher.real_quick_ratio() > 0.6 and matcher.quick_ratio() > 0.6:
                scored.append((matcher.ratio(), -number, candidate))
        best_per_paragraph.append(max(scored))
    best = [b for b in sorted(best_per_paragraph, reverse=True)[:2] if b[0] >= 0.6]
    if not best:
        return ""
    return "nearest: " + ", ".join(f"\u00b6{-n} \u201c{text}\u201d" for _, n, text in best) + "; "


def _overlaps(path: str, placed, paragraphs) -> list[Problem]:
    """Report every note whose quote shares characters with an earlier one in the text."""
    problems = []
    spans = sorted((p for p in placed if p[2] is not None), key=lambda p: (p[1], p[2]))
    reach = None  # the span reaching furthest so far in the current paragraph
    for note, para, start, end in spans:
        if reach and reach[1] == para and start < reach[3]:
            other = reach[0]
            problems.append(Problem(path, note.anchor_line, f"note '{note.id}': quote overlaps note '{other.id}' (line {other.anchor_line}) in \u00b6{para}; shorten one so they share no words"))
        if not reach or reach[1] != para or end > reach[3]:
            reach = (note, para, start, end)
    return problems
