"""Write YAML the way the catalogue wants it: edits in place, Chinese lines never folded.

A YAML emitter folds long plain scalars at spaces, and a folded line reads
back with a space where the break was. Chinese has no spaces, so a fold
between two Chinese characters or after full-width punctuation comes back as
a stray space ("训练， 使"). Everything the project writes into the catalogue
goes through here: :func:`dump_yaml` never folds a string that holds Chinese,
and :func:`replace_scalars` rewrites chosen values of an existing file in
place (one line each), leaving every other byte, comment and layout as it was.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.catalog.schema import HAN

Path = tuple[str | int, ...]


class _NoFoldEmitter(yaml.emitter.Emitter):
    """An emitter that never splits a scalar holding Chinese over lines."""

    def write_plain(self, text: str, split: bool = True) -> None:
        super().write_plain(text, split and not HAN.search(text))

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        super().write_double_quoted(text, split and not HAN.search(text))

    def write_single_quoted(self, text: str, split: bool = True) -> None:
        super().write_single_quoted(text, split and not HAN.search(text))


class NoFoldDumper(
    _NoFoldEmitter,
    yaml.serializer.Serializer,
    yaml.representer.SafeRepresenter,
    yaml.resolver.Resolver,
):
    """``yaml.SafeDumper`` with :class:`_NoFoldEmitter`."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        _NoFoldEmitter.__init__(
            self,
            stream,
            canonical=kwargs.get("canonical"),
            indent=kwargs.get("indent"),
            width=kwargs.get("width"),
            allow_unicode=kwargs.get("allow_unicode"),
            line_break=kwargs.get("line_break"),
        )
        yaml.serializer.Serializer.__init__(
            self,
            encoding=kwargs.get("encoding"),
            explicit_start=kwargs.get("explicit_start"),
            explicit_end=kwargs.get("explicit_end"),
            version=kwargs.get("version"),
            tags=kwargs.get("tags"),
        )
        yaml.representer.SafeRepresenter.__init__(
            self, default_style=kwargs.get("default_style"), sort_keys=kwargs.get("sort_keys", False)
        )
        yaml.resolver.Resolver.__init__(self)


def dump_yaml(data: Any, width: int = 100) -> str:
    """YAML text of ``data`` in the catalogue's style; strings with Chinese stay on one line."""
    return yaml.dump(
        data, Dumper=NoFoldDumper, allow_unicode=True, sort_keys=False, width=width, default_flow_style=False
    )


def scalar_text(value: Any, flow: bool = False) -> str:
    """``value`` as one YAML scalar on one line (double-quoted inside flow collections)."""
    if flow and isinstance(value, str):
        text = yaml.dump(value, Dumper=NoFoldDumper, allow_unicode=True, width=sys.maxsize, default_style='"')
        return text.rstrip("\n").removesuffix("\n...").rstrip("\n")
    text = yaml.dump({"k": value}, Dumper=NoFoldDumper, allow_unicode=True, width=sys.maxsize)
    return text.removeprefix("k: ").rstrip("\n")


def _find(node: Node, path: Path, flow: bool = False) -> tuple[ScalarNode, bool]:
    if not path:
        if not isinstance(node, ScalarNode):
            raise KeyError("not a scalar")
        return node, flow
    head, rest = path[0], path[1:]
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == head:
                return _find(value, rest, flow or bool(node.flow_style))
    elif isinstance(node, SequenceNode) and isinstance(head, int) and head < len(node.value):
        return _find(node.value[head], rest, flow or bool(node.flow_style))
    raise KeyError(head)


def replace_scalars(text: str, edits: dict[Path, Any]) -> str:
    """``text`` with the scalar at each path replaced by its new value, written on one line.

    Only the replaced values change; comments, key order and the layout of
    the rest of the file stay byte for byte.

    Raises:
        KeyError: a path does not lead to a scalar of the document.
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        raise KeyError("empty document")
    spans = []
    for path, value in edits.items():
        node, flow = _find(root, path)
        start, end = node.start_mark.index, node.end_mark.index
        old = text[start:end]
        # A block scalar's span ends with its line breaks: keep them.
        spans.append((start, end, scalar_text(value, flow) + "\n" * (len(old) - len(old.rstrip("\n")))))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text
