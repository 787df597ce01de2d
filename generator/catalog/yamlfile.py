"""Read one YAML file into plain data plus the line of every field.

One parse with libyaml (PyYAML's C loader) gives the node tree; the walk over
it records the line of every field, rejects duplicate keys (a plain
``yaml.safe_load`` silently keeps the last one) and rejects every tag but the
standard ones (``!!python/object``, ``!custom``): nothing is constructed
before the walk has passed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

FieldPath = tuple[str | int, ...]

# Deeper nesting than any catalogue file needs; checked on the event stream before the
# (recursive) composer and walk run, so a pathological file is an error, not a crash.
MAX_DEPTH = 32

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# YAML 1.1 reads 6:24 as 384 (base 60), 017 as 15 (octal), 0x1f, 0b11 and 1_000 as numbers:
# an untagged number must be written the way anyone reads it.
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(
    r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
# What YAML 1.1 reads as a number at all (anything else under !!int / !!float fails to construct).
_YAML_INT = re.compile(r"[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])*)")
_YAML_FLOAT = re.compile(
    r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*"
)
_KIND = {
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "timestamp": "a date",
    "null": "null",
}


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
    lines: dict[FieldPath, int]

    def line_of(self, path: FieldPath) -> int:
        """Line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def _walk(
    node: Node, path: FieldPath, lines: dict[FieldPath, int], seen_nodes: set[int] | None = None
) -> None:
    seen_nodes = set() if seen_nodes is None else seen_nodes
    if id(node) in seen_nodes:
        raise YamlSyntaxError(node.start_mark.line + 1, "anchors and aliases are not allowed")
    seen_nodes.add(id(node))
    tag = node.tag
    if tag not in SAFE_TAGS:
        raise YamlSyntaxError(node.start_mark.line + 1, f"tag {tag} is not allowed")
    lines[path] = node.start_mark.line + 1
    if isinstance(node, ScalarNode):
        _check_number(node)
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlSyntaxError(key_node.start_mark.line + 1, "keys must be plain scalars")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlSyntaxError(key_node.start_mark.line + 1, "merge keys (<<) are not allowed")
            if key_node.value in seen:
                raise YamlSyntaxError(key_node.start_mark.line + 1, f'found duplicate key "{key_node.value}"')
            seen.add(key_node.value)
            child = (*path, str(key_node.value))
            if id(value_node) in seen_nodes:
                raise YamlSyntaxError(key_node.start_mark.line + 1, "anchors and aliases are not allowed")
            _walk(value_node, child, lines, seen_nodes)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, seen_nodes)


def _check_number(node: ScalarNode) -> None:
    """Refuse a number YAML 1.1 reads in a surprising way (base 60, octal, hex, with ``_``)."""
    if node.style not in (None, ""):  # quoted or block: a string
        return
    if node.tag == _INT and _YAML_INT.fullmatch(node.value) and not _PLAIN_INT.fullmatch(node.value):
        what = (
            "is read as a base-60 number (6:24 is 384)"
            if ":" in node.value
            else "is not a plain decimal integer (YAML reads 017 as 15, 0x1f as 31)"
        )
        raise YamlSyntaxError(
            node.start_mark.line + 1,
            f"{node.value!r} {what}; write it in decimal digits, or quote it for text",
        )
    if node.tag == _FLOAT and _YAML_FLOAT.fullmatch(node.value) and not _PLAIN_FLOAT.fullmatch(node.value):
        raise YamlSyntaxError(
            node.start_mark.line + 1,
            f"{node.value!r} is not a plain decimal number; write it in digits or quote it",
        )


def _construct_scalars(loader: Any, node: Node) -> None:
    """Construct each scalar on its own, so that one that does not construct (an impossible
    date such as 2023-02-30, ``!!int abc``, ``!!bool maybe``) is an error on its line."""
    if isinstance(node, ScalarNode):
        try:
            loader.construct_object(node)
        except Exception:
            kind = _KIND.get(node.tag.rpartition(":")[2], node.tag)
            raise YamlSyntaxError(node.start_mark.line + 1, f"{node.value!r} is not {kind}") from None
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            _construct_scalars(loader, key)
            _construct_scalars(loader, value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _construct_scalars(loader, item)


def _plain(value: Any) -> Any:
    """Timestamps to dates; everything else is already plain."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _check_depth(text: str) -> None:
    """Raise at the first collection nested deeper than :data:`MAX_DEPTH`."""
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark is not None else 1
                raise YamlSyntaxError(line, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def parse_yaml(text: str) -> YamlDoc:
    """Parse YAML text; raise :class:`YamlSyntaxError` with a line on any problem."""
    loader = Loader(text)
    try:
        _check_depth(text)
        node = loader.get_single_node()
        lines: dict[FieldPath, int] = {}
        data = None
        if node is not None:
            _walk(node, (), lines)
            _construct_scalars(loader, node)
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(line, exc.problem or exc.context or "invalid YAML") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as NUL
        line = text.count("\n", 0, exc.position) + 1
        raise YamlSyntaxError(
            line, f"character {exc.character!r} at column {_column(text, exc.position)}: {exc.reason}"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, str(exc).splitlines()[0]) from None
    finally:
        loader.dispose()
    return YamlDoc(_plain(data), lines)


def _column(text: str, position: int) -> int:
    return position - (text.rfind("\n", 0, position) + 1) + 1
