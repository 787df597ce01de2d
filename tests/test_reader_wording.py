"""What the site says is written for its readers: no notes about how the catalogue was made."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CATALOG, REPO

# Words that only meant something to the people who wrote the catalogue: the documents it was
# started from ("the seed"), the sessions and machines the facts were gathered in.
INTERNAL = re.compile(
    r"\bseed(?:'s| documents?| paper list)?\b|\bthis session\b|\bthis environment\b|could not be read here"
    r"|种子|本次会话|本环境|本次无法|这里无法读取|此处无法读取",
    re.IGNORECASE,
)
SHOWN = [
    *sorted(p for p in CATALOG.rglob("*.yaml") if "lock" not in p.relative_to(CATALOG).parts),
    REPO / "generator" / "site" / "ui.yaml",
    *sorted((REPO / "generator" / "site" / "pages" / "templates").glob("*.j2")),
    *sorted((REPO / "docs").rglob("*.md")),
]


@pytest.mark.parametrize("path", SHOWN, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_internal_wording(path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if path.suffix == ".yaml" and line.lstrip().startswith("#"):  # a YAML comment is not shown
            continue
        found = INTERNAL.search(line)
        assert found is None, f"{path.relative_to(REPO)}:{number}: {found.group(0)!r}: {line.strip()[:120]}"
