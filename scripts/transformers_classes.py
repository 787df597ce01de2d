"""Write (or, with --check, compare) generator/catalog/transformers_models.txt: the model classes
the installed transformers exports.

The catalogue accepts as ``source.architecture`` of a transformers or sentence-transformers entry
only a class named there (an unknown name is an error at its line, never a silent AutoModel). The
list is read from transformers' lazy module table (``transformers._class_to_module``), which names
every class ``from transformers import X`` can give without importing torch; a model class is a
name ending in ``Model`` or holding ``For`` (``CLIPModel``, ``BlipForImageTextRetrieval``,
``AutoModel``). ``tests/test_architectures.py`` fails when the committed list and the installed
transformers disagree: after upgrading transformers, run ``python scripts/transformers_classes.py``.

Usage: python scripts/transformers_classes.py [--check]
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

LIST = Path(__file__).resolve().parents[1] / "generator" / "catalog" / "transformers_models.txt"
MODEL_CLASS = re.compile(r"[A-Z][A-Za-z0-9_]*(Model|For[A-Z][A-Za-z0-9_]*)")


def listed_text() -> str:
    """The text of the list for the installed transformers."""
    transformers = importlib.import_module("transformers")  # the lazy module: no torch import
    names = sorted(n for n in getattr(transformers, "_class_to_module") if MODEL_CLASS.fullmatch(n))
    header = (
        f"# Model classes exported by transformers {transformers.__version__} "
        "(written by scripts/transformers_classes.py; do not edit)\n"
    )
    return header + "".join(f"{name}\n" for name in names)


def main(argv: list[str]) -> int:
    text = listed_text()
    if "--check" in argv:
        if not LIST.exists() or LIST.read_text(encoding="utf-8") != text:
            print(f"{LIST}: out of date: run python scripts/transformers_classes.py", file=sys.stderr)
            return 1
        return 0
    LIST.write_text(text, encoding="utf-8")
    print(f"wrote {LIST}: {text.count(chr(10)) - 1} classes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
