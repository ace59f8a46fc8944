"""YAML that remembers where each value came from, so errors can name the line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML, but dates stay strings: the schema and the page want them as written."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


class UnreadableValue(yaml.constructor.ConstructorError):
    """A scalar its tag says is a number, date or the like, but which cannot be read as one."""

    def __init__(self, value: str, kind: str, mark) -> None:
        super().__init__(None, None, f"'{value[:40]}' cannot be read as {kind}", mark)


class AliasProblem(yaml.constructor.ConstructorError):
    """An alias (*name) that holds itself or expands to too many values."""


def _checked(construct):
    """Wrap a scalar constructor so a value it cannot read is a YAMLError at its line, not a crash."""

    def checked(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, KeyError, IndexError, TypeError):
            raise UnreadableValue(node.value, _KINDS.get(node.tag, node.tag), node.start_mark) from None

    return checked


_KINDS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:binary": "base64 data",
}
for _name in _KINDS:
    _Loader.add_constructor(_name, _checked(yaml.SafeLoader.yaml_constructors[_name]))

Path = tuple[Any, ...]


@dataclass(frozen=True)
class LocatedYaml:
    """Parsed data, the 1-based line of every value (by path) and keys given twice."""

    data: Any
    lines: dict[Path, int]
    duplicate_keys: tuple[tuple[Path, int], ...]

    def line_of(self, path: Path) -> int:
        """Return the line of the value at path, or of its nearest parent that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def load_located_yaml(text: str) -> LocatedYaml:
    """Parse one YAML document; raises yaml.YAMLError (with a mark) when it is not YAML."""
    loader = _Loader(text)
    node = None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except (ValueError, KeyError, IndexError, TypeError, RecursionError) as err:  # a constructor we did not wrap
        mark = node.start_mark if node is not None else None
        what = (
            "lists or mappings nest too deeply"
            if isinstance(err, RecursionError)
            else f"a value cannot be read ({err})"
        )
        raise (
            AliasProblem(None, None, what, mark)
            if isinstance(err, RecursionError)
            else yaml.constructor.ConstructorError(None, None, what, mark)
        ) from None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    duplicates: list[tuple[Path, int]] = []
    if node is not None:
        _record_lines(node, lines, duplicates)
    return LocatedYaml(data, lines, tuple(duplicates))


_OPENERS = {
    '"': ("the quoted text", "end it with the same quote mark it starts with"),
    "'": ("the quoted text", "end it with the same quote mark it starts with"),
    "[": ("the [ list", "close it with ], or put the value in quotes"),
    "{": ("the { mapping", "close it with }, or put the value in quotes"),
}


def describe_yaml_error(err: yaml.YAMLError, text: str) -> tuple[int, str, str]:
    """Return (1-based line, what is wrong, what to do) for text that is not YAML.

    What to do is judged from the error's kind and the text at its marks, never from its wording.
    """
    if isinstance(err, yaml.reader.ReaderError) and isinstance(err.character, int):
        at = text.find(chr(err.character))
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        return (
            line,
            f"character U+{err.character:04X} is not allowed in YAML",
            "delete the invisible character on this line",
        )
    mark, context = getattr(err, "problem_mark", None), getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    opener = _char_at(text, context)
    if (
        context is not None
        and opener in _OPENERS
        and isinstance(err, (yaml.scanner.ScannerError, yaml.parser.ParserError))
    ):
        what, todo = _OPENERS[opener]
        return context.line + 1, f"{what} that starts on this line is never closed", todo
    line = mark.line + 1 if mark else 1
    lines = text.splitlines()
    near = lines[line - 1] if 0 < line <= len(lines) else ""
    return line, problem, _hint(err, text, mark, near)


def _char_at(text: str, mark) -> str:
    return text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""


def _hint(err: yaml.YAMLError, text: str, mark, near: str) -> str:
    """What to do about a YAML error, from its kind and the text it points at."""
    here = _char_at(text, mark)
    if "\t" in near:
        return "indent with spaces, not tabs"
    if isinstance(err, UnreadableValue):
        return "put the value in quotes to keep it as text, or remove its !tag"
    if isinstance(err, AliasProblem):
        return "write the value out in full instead of using *alias"
    if here in "*&" and here:
        return "put text that starts with * or & in quotes"
    if isinstance(err, yaml.constructor.ConstructorError) and here == "!":
        return "put the value in quotes to keep it as text, or remove its !tag"
    if text.startswith(("---", "..."), mark.index if mark else 0) and isinstance(err, yaml.composer.ComposerError):
        return "remove the '---' line; the file holds one list"
    if mark is not None and text[max(0, mark.index - 1) : mark.index + 1].startswith("\\"):
        return "write \\\\ for a backslash inside double quotes, or use single quotes"
    return "check the indentation and quoting near this line"


MAX_ALIAS_COPIES = 10_000  # values reached again through *aliases; more is an alias bomb


def _record_lines(root: yaml.Node, lines: dict, duplicates: list) -> None:
    """Note the line of every value by path; refuse aliases that hold themselves or explode."""
    stack: list[tuple[yaml.Node, Path, tuple[int, ...]]] = [(root, (), ())]
    seen: set[int] = set()
    copies = 0
    while stack:
        node, path, enclosing = stack.pop()
        if id(node) in enclosing:
            raise _alias_error("an alias (*name) refers to a list or mapping that contains it", node)
        if id(node) in seen:
            copies += 1
            if copies > MAX_ALIAS_COPIES:
                raise _alias_error("aliases (*name) expand to too many values", node)
        seen.add(id(node))
        lines.setdefault(path, node.start_mark.line + 1)
        inside = enclosing + (id(node),)
        if isinstance(node, yaml.MappingNode):
            keys: set = set()
            for key_node, value_node in node.value:
                key = _key(key_node)
                if key in keys:
                    duplicates.append((path + (key,), key_node.start_mark.line + 1))
                keys.add(key)
                lines[path + (key,)] = key_node.start_mark.line + 1
                stack.append((value_node, path + (key,), inside))
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, path + (index,), inside) for index, item in enumerate(node.value)]


def _key(node: yaml.Node) -> Any:
    """A mapping key as the parsed data holds it (1 is a number, '1' is text)."""
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:str":
        try:
            return _Loader("").construct_object(node)
        except (yaml.YAMLError, TypeError, ValueError):
            return node.value
    return node.value if isinstance(node, yaml.ScalarNode) else id(node)


def _alias_error(problem: str, node: yaml.Node) -> yaml.YAMLError:
    return AliasProblem(None, None, problem, node.start_mark)
