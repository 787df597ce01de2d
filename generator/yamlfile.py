"""Read one YAML file into plain data plus the line of every field.

ruamel.yaml rejects duplicate keys (plain ``yaml.safe_load`` silently keeps the
last one) and gives the line of each node. Only the standard YAML tags are
allowed: any other tag (``!!python/object``, ``!custom``) is an error, never
constructed.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

Path = tuple[str | int, ...]


class YamlSyntaxError(Exception):
    """The text is not acceptable YAML; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


@dataclass
class YamlDoc:
    """Plain data of one file and the 1-based line of each field path."""

    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int:
        """Line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def _walk(node: Node, path: Path, lines: dict[Path, int]) -> None:
    tag = getattr(node.tag, "value", node.tag)
    if tag not in SAFE_TAGS:
        raise YamlSyntaxError(node.start_mark.line + 1, f"tag {tag} is not allowed")
    lines[path] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlSyntaxError(key_node.start_mark.line + 1, "keys must be plain scalars")
            child = (*path, str(key_node.value))
            _walk(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


def _plain(value: Any) -> Any:
    """ruamel's round-trip containers to plain dicts, lists and scalars."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return str(value)
    return value


def parse_yaml(text: str) -> YamlDoc:
    """Parse YAML text; raise :class:`YamlSyntaxError` with a line on any problem."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        node = yaml.compose(io.StringIO(text))
        lines: dict[Path, int] = {}
        if node is not None:
            _walk(node, (), lines)
        data = yaml.load(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0]
        raise YamlSyntaxError(line, problem) from None
    except YAMLError as exc:
        raise YamlSyntaxError(1, str(exc).splitlines()[0]) from None
    return YamlDoc(_plain(data), lines)
