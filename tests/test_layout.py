"""The package shows its pipeline: each stage imports only the stages before it."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import REPO

SHARED = {"errors", "atomic", "outputs", "table"}
# What each stage (a folder of generator/) may import besides itself and the shared modules.
ALLOWED = {
    "catalog": set(),
    "locks": {"catalog"},
    "hub": {"catalog", "locks"},
    "verify": {"catalog", "locks"},
    "site": {"catalog", "locks"},
    "ci": {"catalog", "locks", "hub", "verify"},
    "testing": set(),
}
PACKAGE = REPO / "generator"


def _imports(stage: str) -> set[str]:
    found = set()
    for path in (PACKAGE / stage).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator."):
                found.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("generator.")}
    return found - {stage} - SHARED


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_a_stage_imports_only_earlier_stages(stage: str) -> None:
    assert (PACKAGE / stage / "__init__.py").is_file()
    assert _imports(stage) <= ALLOWED[stage]


def test_every_module_belongs_to_a_stage_or_is_shared() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert top <= SHARED | {"cli", "scaffold", "schema_files"}, top
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert folders == set(ALLOWED)


def test_torch_is_imported_only_in_the_verification_workers() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {
            n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
        }
        if "torch" in names or "transformers" in names:
            allowed = {"worker", "extractors", "configaudit", "media"}
            assert path.parent.name == "verify" and path.stem in allowed, path
