"""A small JSON Schema validator: the keywords our schemas use, every error kept, as structured data.

Each error names the keyword that failed, where (a path of keys and indexes) and its parameters;
`describe` turns one into `what is wrong; what to do` from that data and the schema's own words
(descriptions, enums, examples, patternErrorMessage), never by reading a message back.

Why not the `jsonschema` package: importing it costs more than our whole build (it pulls in
referencing, rpds and attrs). The tests check this validator against `jsonschema` on the same
documents: the same (path, keyword) pairs fail.
"""

from __future__ import annotations

import calendar
import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reader.errors import listed

SUPPORTED = {
    "$schema",
    "$id",
    "title",
    "description",
    "$comment",
    "patternErrorMessage",
    "examples",
    "type",
    "enum",
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "minItems",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "oneOf",
    "anyOf",
    "not",
}
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
_VALUE_WORDS = {
    dict: "a mapping",
    list: "a list",
    str: "text",
    bool: "true/false",
    int: "a whole number",
    float: "a number",
    type(None): "empty",
}
_TYPE_WORDS = {
    "object": "a mapping of keys",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


@dataclass(frozen=True)
class SchemaError:
    """One violation: the keyword that failed, where, with what, and the subschema it belongs to."""

    path: tuple[Any, ...]
    keyword: str
    value: Any
    params: dict[str, Any] = field(default_factory=dict)
    schema: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def unsupported_keywords(schema: Any) -> set[str]:
    """Return keywords in the schema this validator does not implement (should be empty)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        found |= {k for k in schema if k not in SUPPORTED}
        for key, value in schema.items():
            if key == "properties":
                for sub in value.values():
                    found |= unsupported_keywords(sub)
            elif key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
                found |= unsupported_keywords(value)
            elif key in ("oneOf", "anyOf"):
                for sub in value:
                    found |= unsupported_keywords(sub)
    return found


def validate(schema: dict, value: Any, path: tuple[Any, ...] = ()) -> list[SchemaError]:
    """Return every way value breaks schema (empty when it conforms)."""

    def error(keyword: str, **params: Any) -> SchemaError:
        return SchemaError(path, keyword, value, params, schema)

    errors: list[SchemaError] = []
    if "type" in schema and not _has_type(value, schema["type"]):
        errors.append(error("type", expected=schema["type"]))
    if "enum" in schema and value not in schema["enum"]:
        errors.append(error("enum", allowed=tuple(schema["enum"])))
    if isinstance(value, str):
        errors += _string_errors(schema, value, error)
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and "minimum" in schema
        and value < schema["minimum"]
    ):
        errors.append(error("minimum", limit=schema["minimum"]))
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(error("minItems", limit=schema["minItems"]))
        for index, item in enumerate(value):
            errors += validate(schema.get("items", {}), item, path + (index,))
    if isinstance(value, dict):
        errors += _object_errors(schema, value, path, error)
    return errors + _combinator_errors(schema, value, path, error)


def _has_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name]) and not (name != "boolean" and isinstance(value, bool))


def _string_errors(schema: dict, value: str, error) -> list[SchemaError]:
    errors = []
    if "minLength" in schema and len(value) < schema["minLength"]:
        errors.append(error("minLength", limit=schema["minLength"]))
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        errors.append(error("maxLength", limit=schema["maxLength"], length=len(value)))
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(error("pattern", pattern=schema["pattern"]))
    if schema.get("format") in DATE_SHAPES:
        problem = date_problem(value, schema["format"])
        if problem:
            errors.append(error("format", format=schema["format"], reason=problem[0], todo=problem[1]))
    return errors


# The date formats: JSON Schema's own (a day, RFC 3339) and ours (a year, a month or a day).
DATE_SHAPES = {
    "date": ("YYYY-MM-DD", re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")),
    "partial-date": ("YYYY, YYYY-MM or YYYY-MM-DD", re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")),
}


def date_problem(text: str, form: str) -> tuple[str, str] | None:
    """Why text is not a real date in that format, and what to do (None when it is one)."""
    written, shape = DATE_SHAPES[form]
    if not shape.fullmatch(text):
        return f"it must be written {written}", "write it like 2026-12-01"
    year, month, day = ([int(part) for part in text.split("-")] + [1, 1])[:3]
    if year == 0:
        return "there is no year 0", "correct the year"
    if not 1 <= month <= 12:
        return f"there is no month {month}", "correct the month"
    if day == 0:
        return "there is no day 0", "correct the day"
    last = calendar.monthrange(year, month)[1]
    if day > last:
        return (
            f"{calendar.month_name[month]} {year} has {last} days",
            f"correct the day (the last is {year:04}-{month:02}-{last})",
        )
    return None


def _object_errors(schema: dict, value: dict, path: tuple, error) -> list[SchemaError]:
    properties = schema.get("properties", {})
    errors = [error("required", key=key) for key in schema.get("required", []) if key not in value]
    if schema.get("additionalProperties") is False:
        errors += [
            SchemaError(
                path + (key,), "additionalProperties", key, {"key": key, "allowed": tuple(sorted(properties))}, schema
            )
            for key in value
            if key not in properties
        ]
    for key, sub in properties.items():
        if key in value:
            errors += validate(sub, value[key], path + (key,))
    return errors


def _combinator_errors(schema: dict, value: Any, path: tuple, error) -> list[SchemaError]:
    errors = []
    if "oneOf" in schema and sum(not validate(sub, value, path) for sub in schema["oneOf"]) != 1:
        errors.append(error("oneOf", choices=tuple(sub.get("description", "one form") for sub in schema["oneOf"])))
    if "anyOf" in schema and all(validate(sub, value, path) for sub in schema["anyOf"]):
        errors.append(error("anyOf", choices=tuple(sub.get("description", "one form") for sub in schema["anyOf"])))
    if "not" in schema and not validate(schema["not"], value, path):
        errors.append(error("not", description=schema["not"].get("description")))
    return errors


Examples = Callable[[tuple[Any, ...]], Any]
"""Given the place of a value in the document, an example of it from the input at hand, or None."""


def field_key(path: tuple[Any, ...]) -> tuple[str, ...]:
    """A place in the document, every list position written []: (3, "sources", 0) -> ("[]", "sources", "[]")."""
    return tuple("[]" if isinstance(key, int) else str(key) for key in path)


def describe(error: SchemaError, example: Examples | None = None) -> tuple[str, str]:
    """Return (what is wrong, what to do) for an error, from its keyword, parameters and schema; the
    values to copy come from `example` where it has one (the input at hand), else from the schema."""
    p, schema, value = error.params, error.schema, error.value
    if error.keyword == "type":
        got = _VALUE_WORDS.get(type(value), type(value).__name__)
        todo = (
            "put it in quotes"
            if p["expected"] == "string" and isinstance(value, (int, float, bool))
            else "fix the value"
        )
        return f"must be {_TYPE_WORDS[p['expected']]}, not {got}", todo
    if error.keyword == "enum":
        return f"'{value}' is not one of {listed(p['allowed'])}", "pick one of them"
    if error.keyword == "pattern":
        what, _, todo = schema.get("patternErrorMessage", f"does not match {p['pattern']}; fix the value").partition(
            "; "
        )
        better = example(error.path) if example else None
        return what, (todo or "fix the value") + (f", e.g. {_yaml_flow(better)}" if better is not None else "")
    if error.keyword == "format":
        return f"{value} is not a date ({p['reason']})", p["todo"]
    if error.keyword == "minLength":
        if not value.strip():
            return "must not be empty", "write a value or remove the key"
        return f"is too short (at least {p['limit']} characters)", "make it longer"
    if error.keyword == "maxLength":
        return f"is too long ({p['length']} characters, at most {p['limit']})", "shorten it"
    if error.keyword == "minimum":
        return f"must be at least {p['limit']}", f"count from {p['limit']} ({p['limit']} = the first)"
    if error.keyword == "minItems":
        item = _example(schema.get("items", {}), error.path + (0,), example)
        return (
            f"needs at least {p['limit']} item{'s' if p['limit'] != 1 else ''}",
            f"add one: {item}" if item else "add one",
        )
    if error.keyword == "required":
        return (
            f"missing required key '{p['key']}'",
            f"add {p['key']}: {_example(schema['properties'][p['key']], error.path + (p['key'],), example) or '…'}",
        )
    if error.keyword == "additionalProperties":
        close = difflib.get_close_matches(str(p["key"]), p["allowed"], n=1)
        return (
            f"unknown key '{p['key']}'",
            f"did you mean '{close[0]}'?" if close else f"use one of {listed(p['allowed'])}",
        )
    if error.keyword in ("oneOf", "anyOf"):
        return (
            f"give {'either ' if error.keyword == 'oneOf' else ''}{' or '.join(p['choices'])}",
            "keep exactly one of them",
        )
    return p.get("description") or "has a combination of keys that is not allowed", "see the schema"


def _example(schema: dict, path: tuple[Any, ...], example: Examples | None) -> str:
    """A value to copy for the place at path, written as YAML would take it: from the input at hand
    when it has one, else from the schema's examples or enum."""
    value = example(path) if example else None
    if value is None and schema.get("examples"):
        value = schema["examples"][0]
    if value is not None:
        return _yaml_flow(value)
    if schema.get("enum"):
        return "one of " + listed(schema["enum"])
    return ""


def _yaml_flow(value: Any) -> str:
    """A value in YAML's one-line form: {title: "...", url: "..."}, [..], "text", 3."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_yaml_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_flow(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


TEXT_CHECKS = ("minLength", "maxLength", "pattern", "format")


def main_errors(errors: list[SchemaError]) -> list[SchemaError]:
    """The errors worth showing: where a value has the wrong type, only that (the rest follow
    from it); where text fails several checks, only the first."""
    wrong = {e.path for e in errors if e.keyword == "type"}
    shown, texts = [], set()
    for e in errors:
        if e.keyword != "type" and any(e.path[: len(p)] == p for p in wrong):
            continue
        if e.keyword in TEXT_CHECKS:
            if e.path in texts:
                continue
            texts.add(e.path)
        shown.append(e)
    return shown
