"""Any input either builds or is refused with `file:line: what; what to do`, never a crash.

Hypothesis writes annotations.yaml documents (plausible notes with wrong types, missing keys and
quotes taken partly from the article, YAML-looking fragments, raw text and bytes) and article
files (random front matter and Markdown bodies), and runs them through the same functions the
build uses, in process.
"""

from __future__ import annotations

import json
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.anchoring import anchor_notes
from reader.article import load_content_schema, parse_article
from reader.errors import BuildError
from reader.markup import make_markdown
from reader.notes import load_annotations, load_schema
from tests.conftest import TINY_FRONT_MATTER

MD = make_markdown()
SCHEMA = load_schema()
NOTES_PATH = "annotations.yaml"
FRONT_MATTER_FIELDS = list(load_content_schema()["properties"])
ARTICLE_PATH = "content/x.md"
FRONT = TINY_FRONT_MATTER
BODY = """
Abe met Trump. “That’s not seven items,” Jimbo says — twice. Abe met Trump again.

The U.S.-Japan alliance is *really one-sided* today, see [the treaty](https://example.org/t).

A third paragraph about the alliance.
"""
ARTICLE = parse_article(MD, ARTICLE_PATH, FRONT + BODY)
WORDS = ARTICLE.blocks[0].text.split() + ARTICLE.blocks[1].text.split() + ARTICLE.blocks[2].text.split()

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def says_what_to_do(message: str) -> bool:
    """A message names the fix after '; '."""
    return re.search(r"; \S", message) is not None


def assert_clean_refusal(err: BuildError, path: str, text_lines: int) -> None:
    """Every problem names the file, a plausible line, what is wrong and what to do."""
    assert err.problems
    for problem in err.problems:
        assert problem.path == path, problem
        assert problem.line is None or 1 <= problem.line <= text_lines + 1, (problem, text_lines)
        assert says_what_to_do(problem.message), str(problem)
        assert len(f"error: {problem}".splitlines()) == 1, str(problem)


def check_notes(raw: bytes) -> None:
    """Load and anchor raw annotations.yaml bytes: a result or a clean BuildError, nothing else."""
    lines = len(raw.decode("utf-8", "replace").splitlines()) + 1
    try:
        notes = load_annotations(NOTES_PATH, raw, MD, SCHEMA)
        anchored = anchor_notes(ARTICLE.blocks, notes)
    except BuildError as err:
        assert_clean_refusal(err, NOTES_PATH, lines)
        return
    assert len(anchored) == len(notes)
    assert [a.number for a in anchored] == list(range(1, len(notes) + 1))


# ---- annotations.yaml ----

slugs = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
article_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
quotes = st.one_of(
    article_words,
    st.sampled_from(ARTICLE.blocks).flatmap(
        lambda p: st.tuples(st.integers(0, len(p.text)), st.integers(0, 40)).map(lambda t: p.text[t[0]:t[0] + t[1]])),
    st.text(max_size=20),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=True), st.text(max_size=12),
                    st.sampled_from(["", " ", "2026-11-27", "2026-13-40", "https://example.org/x", "javascript:alert(1)",
                                     "[x](javascript:alert(1))", "<script>alert(1)</script>", "*a*", "- item", "> q"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=6)
sources = st.one_of(
    st.lists(st.fixed_dictionaries({"title": st.text(max_size=10), "url": st.sampled_from(
        ["https://example.org/s", "http://x.y", "ftp://x.y", "javascript:alert(1)", "", "https://"])},
        optional={"extra": values}), max_size=2),
    values,
)
FIELDS = {
    "id": st.one_of(slugs, values), "quote": st.one_of(quotes, values), "prefix": st.one_of(article_words, values),
    "suffix": st.one_of(article_words, values), "occurrence": st.one_of(st.integers(-1, 4), values),
    "paragraph": st.one_of(st.integers(-1, 5), values),
    "kind": st.one_of(st.sampled_from(["person", "organization", "event", "term", "figure", "update", "persn"]), values),
    "title": st.one_of(st.text(max_size=90), values), "body": st.one_of(st.text(max_size=40), scalars),
    "sources": sources, "updated": st.one_of(st.sampled_from(["2026-11-27", "2026-02-30", "yesterday"]), values),
    "editor": st.one_of(st.text(max_size=8), values), "qoute": quotes, "x": values,
}


@st.composite
def plausible_note(draw) -> dict:
    """A note with a random subset of the keys, each mostly the right type."""
    keys = draw(st.lists(st.sampled_from(sorted(FIELDS)), unique=True, max_size=len(FIELDS)))
    required = ["id", "kind", "title", "body", "sources"]
    if draw(st.booleans()):
        keys = list(dict.fromkeys(required + [draw(st.sampled_from(["quote", "paragraph"]))] + keys))
    return {key: draw(FIELDS[key]) for key in keys}


def dump(data) -> str:
    """YAML for data, in one of the styles editors write."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


@SETTINGS
@given(st.lists(plausible_note(), max_size=4))
def test_plausible_notes_load_or_are_refused_cleanly(notes):
    check_notes(dump(notes).encode("utf-8"))


@SETTINGS
@given(st.lists(plausible_note(), min_size=1, max_size=3), st.data())
def test_plausible_notes_with_a_twist_load_or_are_refused_cleanly(notes, data):
    text = dump(notes)
    lines = text.splitlines(keepends=True)
    at = data.draw(st.integers(0, len(lines)))
    twist = data.draw(st.sampled_from([
        "\t", "  ", "- ", ": ", "'", '"', "#", "&a ", "*a", "[", "{", "!!binary ", "<<: *a\n", "? ", "---\n",
        "  title: again\n", "- id: n1\n", "\ufeff", "\r\n", "\x00", "\x85", "  quote: Abe met Trump\n",
    ]))
    check_notes(("".join(lines[:at]) + twist + "".join(lines[at:])).encode("utf-8"))


@st.composite
def valid_note(draw, index: int = 0) -> dict:
    """A note that passes the schema, anchored by a random quote (with context) or paragraph."""
    note = {"id": f"n{index}", "kind": "term", "title": "T", "body": draw(st.sampled_from(["B.", "*B* [x](https://e.org)"])),
            "sources": [{"title": "S", "url": "https://example.org/s"}]}
    if draw(st.booleans()):
        note["paragraph"] = draw(st.integers(1, 5))
        return note
    note["quote"] = draw(quotes.filter(lambda q: len(q) >= 3 and q.strip()))
    for key, strategy in (("prefix", article_words), ("suffix", article_words), ("occurrence", st.integers(1, 3))):
        if draw(st.integers(0, 3)) == 0:
            note[key] = draw(strategy)
    return note


@SETTINGS
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(*[valid_note(i) for i in range(n)])))
def test_valid_notes_anchor_or_are_refused_cleanly(notes):
    check_notes(dump(list(notes)).encode("utf-8"))


YAMLISH = st.lists(st.sampled_from([
    "- ", "  ", "\t", "\n", "id", "quote", "kind", "sources", "title", "url", ":", ": ", "-", "[", "]", "{", "}", ",",
    "'", '"', "#", "&a", "*a", "&b", "*b", "!!str", "!!int", "!!binary", "!!set", "!!omap", "!foo", "<<", "---", "...",
    "? ", "|", ">-", "~", "null", "1", "0x1F", "1e9", ".nan", "true", "2026-11-27", "person", "Abe met Trump",
    "https://e.org", "\\", "%YAML 1.1\n", "\ufeff", "é", "\u2028", "\x85", "@", "`",
]), max_size=40).map("".join)


@SETTINGS
@given(YAMLISH)
def test_yaml_fragments_load_or_are_refused_cleanly(text):
    check_notes(text.encode("utf-8"))


@SETTINGS
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_raw_text_and_bytes_load_or_are_refused_cleanly(raw):
    check_notes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))


def test_aliases_that_contain_themselves_or_explode_are_refused():
    check_notes(b"- &a [*a]\n")
    check_notes(b"- &a {id: *a}\n")
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    check_notes(("- " + "\n  ".join(bomb) + "\n").encode())


# ---- the article ----

front_values = st.one_of(st.text(max_size=30), scalars, st.lists(st.text(max_size=5), max_size=2),
                         st.sampled_from(["2018-09", "2018-13", "https://example.org/a", "ftp://x", "[x](javascript:y)"]))
MARKDOWNISH = st.lists(st.sampled_from([
    "\n", "\n\n", "Abe met Trump.", " words ", "- ", "* ", "1. ", "> ", "# ", "## ", "```", "~~~", "    ", "\t", "---",
    "***", "___", "===", "|a|b|\n|-|-|", "<div>", "<script>alert(1)</script>", "[x](javascript:alert(1))",
    "[x](https://e.org)", "[x]", "[x]: https://e.org", "![i](https://e.org/i.png)", "*", "_", "`", "\\", "&amp;",
    "<https://e.org>", "<javascript:x>", "[a](#p-1)", "[a](//evil)", "\u2028", "\x00", "\r",
]), max_size=30).map("".join)


@st.composite
def article_source(draw) -> str:
    """A content file: maybe front matter (fields right, wrong, missing or extra), then a body."""
    keys = draw(st.lists(st.sampled_from([*FRONT_MATTER_FIELDS, "colum"]), unique=True))
    if draw(st.booleans()):
        keys = list(dict.fromkeys([*FRONT_MATTER_FIELDS, *keys]))
    fields = {k: (draw(front_values) if draw(st.booleans()) else "ok text") for k in keys}
    front = draw(st.sampled_from(["yaml", "json", "broken", "none"]))
    if front == "yaml":
        head = "---\n" + (dump(fields) if fields else "") + "---\n"
    elif front == "json":
        head = "---\n" + json.dumps(fields) + "\n---\n"
    elif front == "broken":
        head = "---\n" + draw(YAMLISH) + "\n---\n"
    else:
        head = ""
    return head + draw(st.one_of(MARKDOWNISH, st.text(max_size=80), st.just(BODY)))


def check_article(source: str) -> None:
    """Parse a content file: an Article or a clean BuildError, nothing else."""
    try:
        article = parse_article(MD, ARTICLE_PATH, source)
    except BuildError as err:
        assert_clean_refusal(err, ARTICLE_PATH, len(source.splitlines()))
        return
    assert article.blocks and all(b.text.strip() or b.pieces for b in article.blocks)


@SETTINGS
@given(article_source())
def test_article_files_parse_or_are_refused_cleanly(source):
    check_article(source)


@SETTINGS
@given(st.text(max_size=300))
def test_raw_text_as_an_article_parses_or_is_refused_cleanly(source):
    check_article(source)
