"""What the site says is written for its readers: no notes about how the catalogue was made."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CATALOG, REPO

# Words that only meant something to the people who wrote the catalogue: the documents it was
# started from ("the seed"), the sessions and machines the facts were gathered in.
PHRASES = [
    r"\bseed(?:'s| documents?| paper list)?\b",
    r"\bthis session\b",
    r"\bthis environment\b",
    "could not be read here",
    "could be read here",
    "was not read here",
    "weights read here",
    *("种子", "本次会话", "本环境", "本次无法", "这里无法读取", "此处无法读取"),
    *("这里未读到", "这里读到", "读不到"),
]
# A phrase may be folded over two lines of a YAML block scalar: its spaces match any white space.
INTERNAL = re.compile("|".join(p.replace(" ", r"\s+") for p in PHRASES), re.IGNORECASE)
SHOWN = [
    *sorted(p for p in CATALOG.rglob("*.yaml") if "lock" not in p.relative_to(CATALOG).parts),
    REPO / "generator" / "site" / "ui.yaml",
    *sorted((REPO / "generator" / "site" / "pages" / "templates").glob("*.j2")),
    *sorted((REPO / "docs").rglob("*.md")),
]


@pytest.mark.parametrize("path", SHOWN, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_internal_wording(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".yaml":  # a YAML comment is not shown
        lines = ["" if line.lstrip().startswith("#") else line for line in lines]
    text = "\n".join(lines)
    found = INTERNAL.search(text)
    if found is not None:
        number = text.count("\n", 0, found.start()) + 1
        where = f"{path.relative_to(REPO)}:{number}"
        raise AssertionError(f"{where}: {found.group(0)!r}: {lines[number - 1].strip()[:120]}")
