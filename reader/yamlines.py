"""YAML that remembers where each value came from, so errors can name the line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML, but dates stay strings: the schema and the page want them as written."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)

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
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    duplicates: list[tuple[Path, int]] = []
    if node is not None:
        _record_lines(node, (), lines, duplicates)
    return LocatedYaml(data, lines, tuple(duplicates))


def _record_lines(node: yaml.Node, path: Path, lines: dict, duplicates: list) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                duplicates.append((path + (key,), key_node.start_mark.line + 1))
            seen.add(key)
            _record_lines(value_node, path + (key,), lines, duplicates)
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines, duplicates)
