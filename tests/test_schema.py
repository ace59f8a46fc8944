"""annotations.schema.json: the build's validator agrees with a full JSON Schema validator."""

import json

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
])
def test_agrees_with_jsonschema_on_examples(change):
    note = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    assert failures(validate(SCHEMA, [note])) == their_failures([note])


def failures(errors) -> set:
    """Each (place, keyword) that failed; an unknown key counts at the object holding it, as jsonschema reports it."""
    return {(tuple(e.path[:-1] if e.keyword == "additionalProperties" else e.path), e.keyword) for e in errors}


def their_failures(document) -> set:
    return {(tuple(e.absolute_path), e.validator) for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(document)}


values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", " ", "a", "a-b", "term", "https://x.org", "2026-01-02"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "quote", "kind", "title", "body", "sources", "url", "paragraph", "extra"]), children, max_size=5),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(values)
def test_agrees_with_jsonschema_on_random_documents(document):
    assert failures(validate(SCHEMA, document)) == their_failures(document)
