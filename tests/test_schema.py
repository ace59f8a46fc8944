"""annotations.schema.json: the build's validator agrees with a full JSON Schema validator."""

import json
import re
from datetime import datetime

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.notes import SCHEMA_PATH, load_schema
from reader.schema import unsupported_keywords, validate
from tests.conftest import ROOT

SCHEMA = load_schema()
GOOD = {"id": "a-b", "quote": "words", "kind": "term", "title": "T", "body": "B",
        "sources": [{"title": "S", "url": "https://example.org/"}], "updated": "2026-11-27", "editor": "E"}


def test_the_build_uses_the_shipped_schema_file():
    assert SCHEMA_PATH == ROOT / "annotations.schema.json"
    assert SCHEMA == json.loads((ROOT / "annotations.schema.json").read_text(encoding="utf-8"))


def test_schema_is_valid_and_uses_only_keywords_we_implement():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert unsupported_keywords(SCHEMA) == set()


@pytest.mark.parametrize("change", [
    {}, {"id": "Bad Id"}, {"kind": "persn"}, {"title": ""}, {"body": "   "}, {"sources": []},
    {"sources": [{"title": "S", "url": "ftp://x"}]}, {"sources": [{"title": "S"}]}, {"qoute": "x"},
    {"occurrence": 0}, {"occurrence": "2"}, {"paragraph": 2}, {"updated": "2026-13-01"}, {"quote": None},
    {"title": True}, {"sources": "https://example.org"},
    {"updated": "2026-02-29"}, {"updated": "2024-02-29"}, {"updated": "2026-04-31"},
    {"sources": [{"title": "S", "url": "https://example.org/", "accessed": "2023-02-29"}]},
    {"timeline": [{"date": "2023-02-29", "event": "E"}, {"date": "0000", "event": "E"}, {"date": "2024-02", "event": "E"}]},
])
def test_agrees_with_jsonschema_on_examples(change):
    note = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    assert failures(validate(SCHEMA, [note])) == their_failures([note])


def failures(errors) -> set:
    """Each (place, keyword) that failed; an unknown key counts at the object holding it, as jsonschema reports it."""
    return {(tuple(e.path[:-1] if e.keyword == "additionalProperties" else e.path), e.keyword) for e in errors}


# jsonschema checks the standard "date" format itself; our "partial-date" (a year, a month or a day)
# is checked here another way than reader/schema.py does: by asking datetime to read it.
DATES = jsonschema.FormatChecker()


@DATES.checks("partial-date", raises=ValueError)
def _partial_date(text) -> bool:
    if not isinstance(text, str):
        return True
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", text):
        return False
    return bool(datetime.strptime(text, ("%Y", "%Y-%m", "%Y-%m-%d")[text.count("-")]))


def their_failures(document) -> set:
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=DATES)
    return {(tuple(e.absolute_path), e.validator) for e in validator.iter_errors(document)}


values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", " ", "a", "a-b", "term", "https://x.org", "2026-01-02"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "quote", "kind", "title", "body", "sources", "url", "paragraph", "extra"]), children, max_size=5),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(values)
def test_agrees_with_jsonschema_on_random_documents(document):
    assert failures(validate(SCHEMA, document)) == their_failures(document)
