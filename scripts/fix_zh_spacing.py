"""Migration: remove stray ASCII spaces from Chinese texts of the catalogue, in place.

A space between two Chinese characters or next to full-width punctuation is
almost always a folded YAML line read back with a space. This rewrites each
such value on one line (:func:`generator.yamledit.replace_scalars`), leaving
the rest of each file untouched, and prints what it changed.

Usage: python scripts/fix_zh_spacing.py [--catalog catalog]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.catalog.schema import ZH_SPACING
from generator.catalog.yamledit import replace_scalars
from generator.catalog.yamlfile import parse_yaml


def fix_spacing(value: str) -> str:
    """``value`` with every space matched by the zh spacing rule removed."""
    while (found := ZH_SPACING.search(value)) is not None:
        match = found.group()
        value = value[: found.start()] + match.replace(" ", "") + value[found.end() :]
    return value


def zh_texts(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, text) of every ``zh`` string in ``data``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "zh" and isinstance(value, str):
                yield (*path, key), value
            else:
                yield from zh_texts(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from zh_texts(value, (*path, index))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("catalog"))
    args = parser.parse_args()
    fixed = 0
    for file in sorted(args.catalog.rglob("*.yaml")):
        text = file.read_text(encoding="utf-8")
        edits = {}
        for path, value in zh_texts(parse_yaml(text).data):
            new = fix_spacing(value)
            if new != value:
                edits[path] = new
                print(f"{file}: {'.'.join(map(str, path))}")
        if edits:
            file.write_text(replace_scalars(text, edits), encoding="utf-8")
            fixed += len(edits)
    print(f"fixed {fixed} Chinese texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
