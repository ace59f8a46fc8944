"""A small JSON Schema validator: the keywords annotations.schema.json uses, every error collected.

Why not the `jsonschema` package: importing it costs more than our whole build (it pulls in
referencing, rpds and attrs), and it reports paths, not the friendly sentences we print. The
test suite checks this validator against `jsonschema` on the same documents, so they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SUPPORTED = {
    "$schema", "$id", "title", "description", "$comment", "patternErrorMessage",
    "type", "enum", "pattern", "minLength", "maxLength", "minimum", "minItems",
    "items", "properties", "required", "additionalProperties", "oneOf", "anyOf", "not",
}
_TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
}
_TYPE_WORDS = {dict: "a mapping", list: "a list", str: "text", bool: "true/false",
               int: "a whole number", float: "a number", type(None): "empty"}


@dataclass(frozen=True)
class SchemaError:
    """One violation: where (a path of keys and indexes) and what, in words."""

    path: tuple[Any, ...]
    message: str
    allowed: tuple[str, ...] = ()  # for an unknown key: the keys that are allowed there


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
    if "type" in schema and not _has_type(value, schema["type"]):
        return [SchemaError(path, f"must be {_type_word(schema['type'])}, not {_TYPE_WORDS.get(type(value), type(value).__name__)}")]
    errors: list[SchemaError] = []
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(str(v) for v in schema["enum"])
        errors.append(SchemaError(path, f"'{value}' is not one of {choices}; pick one of them"))
    if isinstance(value, str):
        errors += _string_errors(schema, value, path)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "minimum" in schema and value < schema["minimum"]:
        errors.append(SchemaError(path, f"must be at least {schema['minimum']}"))
    if isinstance(value, list):
        errors += _array_errors(schema, value, path)
    if isinstance(value, dict):
        errors += _object_errors(schema, value, path)
    errors += _combinator_errors(schema, value, path)
    return errors


def _has_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name]) and not (name != "boolean" and isinstance(value, bool))


def _type_word(name: str) -> str:
    return {"object": "a mapping of keys", "array": "a list", "string": "text", "integer": "a whole number",
            "number": "a number", "boolean": "true or false", "null": "empty"}[name]


def _string_errors(schema: dict, value: str, path: tuple) -> list[SchemaError]:
    if "minLength" in schema and len(value) < schema["minLength"]:
        what = "must not be empty" if not value.strip() else f"is too short (at least {schema['minLength']} characters)"
        return [SchemaError(path, what)]
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return [SchemaError(path, f"is too long ({len(value)} characters, at most {schema['maxLength']})")]
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return [SchemaError(path, schema.get("patternErrorMessage", f"'{value}' does not match {schema['pattern']}"))]
    return []


def _array_errors(schema: dict, value: list, path: tuple) -> list[SchemaError]:
    errors = []
    if "minItems" in schema and len(value) < schema["minItems"]:
        errors.append(SchemaError(path, f"needs at least {schema['minItems']} item(s)"))
    if "items" in schema:
        for index, item in enumerate(value):
            errors += validate(schema["items"], item, path + (index,))
    return errors


def _object_errors(schema: dict, value: dict, path: tuple) -> list[SchemaError]:
    properties = schema.get("properties", {})
    errors = [SchemaError(path + (key,), f"unknown key '{key}'", tuple(sorted(properties)))
              for key in value if schema.get("additionalProperties") is False and key not in properties]
    errors += [SchemaError(path, f"missing required key '{key}'") for key in schema.get("required", []) if key not in value]
    for key, sub in properties.items():
        if key in value:
            errors += validate(sub, value[key], path + (key,))
    return errors


def _combinator_errors(schema: dict, value: Any, path: tuple) -> list[SchemaError]:
    errors = []
    if "oneOf" in schema:
        passing = [sub for sub in schema["oneOf"] if not validate(sub, value, path)]
        if len(passing) != 1:
            choices = " or ".join(sub.get("description", "one form") for sub in schema["oneOf"])
            errors.append(SchemaError(path, f"give either {choices}"))
    if "anyOf" in schema and all(validate(sub, value, path) for sub in schema["anyOf"]):
        choices = " or ".join(sub.get("description", "one form") for sub in schema["anyOf"])
        errors.append(SchemaError(path, f"give {choices}"))
    if "not" in schema and not validate(schema["not"], value, path):
        errors.append(SchemaError(path, schema["not"].get("description", "has a combination of keys that is not allowed")))
    return errors
