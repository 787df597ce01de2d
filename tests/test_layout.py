"""The package shows its pipeline: each stage imports only the stages before it, the parts of the
site stage import one way only, and no two modules of ``generator/`` import each other, however
far round. Imports are read from the source with :mod:`ast` (those inside functions and under
``TYPE_CHECKING`` too), so adding a back-import makes these tests fail."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

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

# The parts of the site stage, each with the parts below it, which it may import: "shared" is the
# modules that stand in generator/site/ itself (interface strings, markup, facts, the equivalent
# note), each other part one of its sub-packages. pages and export stand side by side.
SITE_PARTS = {
    "shared": set(),
    "views": {"shared"},
    "pages": {"shared", "views"},
    "export": {"shared", "views"},
    "engine": {"shared", "views", "pages", "export"},
}


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the package at ``root`` that it imports (by dotted name).

    ``from a.b import c`` imports the module ``a.b.c`` where there is one, else ``a.b``; a relative
    import is resolved against the importing module's package.
    """
    paths = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in paths else base)
        graph[name] = {target for target in found if target in paths and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of two modules or more that reach each other by imports (strongly connected)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def site_part(module: str) -> str | None:
    """The part of the site stage that holds ``module`` (None: outside the site, or its ``__init__``)."""
    parts = module.split(".")
    if parts[:2] != ["generator", "site"] or len(parts) < 3:
        return None
    return "shared" if len(parts) == 3 and parts[2] not in SITE_PARTS else parts[2]


def back_imports(graph: dict[str, set[str]]) -> list[str]:
    """``importer -> imported`` for each import of one site part by another that SITE_PARTS does not allow."""
    wrong = []
    for module, targets in sorted(graph.items()):
        part = site_part(module)
        for target in sorted(targets):
            other = site_part(target)
            if part is not None and other is not None and other != part and other not in SITE_PARTS[part]:
                wrong.append(f"{module} ({part}) -> {target} ({other})")
    return wrong


@functools.cache
def _graph() -> dict[str, set[str]]:
    return module_graph(PACKAGE)


def _imports(stage: str) -> set[str]:
    graph = _graph()
    prefix = f"generator.{stage}"
    found = {
        target.split(".")[1]
        for module, targets in graph.items()
        if module == prefix or module.startswith(prefix + ".")
        for target in targets
        if target.count(".") >= 1
    }
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


def test_the_site_parts_are_its_folders() -> None:
    site = PACKAGE / "site"
    folders = {p.name for p in site.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(SITE_PARTS) - {"shared"}
    assert all((site / folder / "__init__.py").is_file() for folder in folders)
    shared = {p.stem for p in site.glob("*.py")} - {"__init__"}
    assert shared and not shared & set(SITE_PARTS)


def test_the_site_parts_import_one_way() -> None:
    wrong = back_imports(_graph())
    assert not wrong, "imports against SITE_PARTS:\n" + "\n".join(wrong)


def test_no_two_modules_of_the_package_import_each_other() -> None:
    found = cycles(_graph())
    assert not found, "modules that import each other:\n" + "\n".join(", ".join(group) for group in found)


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "generator"


def test_the_checks_see_a_back_import_and_a_circle(tmp_path: Path) -> None:
    """The checks fail on what they are there to catch: a view importing the engine (here inside a
    function), and two modules importing each other (one of them relatively)."""
    root = _write(
        tmp_path,
        {
            "generator/__init__.py": "",
            "generator/site/__init__.py": "",
            "generator/site/markup.py": "from generator.site.views import lists\n",
            "generator/site/views/__init__.py": "",
            "generator/site/views/lists.py": "def f():\n    from generator.site.engine.build import x\n",
            "generator/site/engine/__init__.py": "",
            "generator/site/engine/build.py": "from ..views.lists import f\nfrom . import hooks\n",
            "generator/site/engine/hooks.py": "from generator.site.engine import build\n",
        },
    )
    graph = module_graph(root)
    assert graph["generator.site.engine.build"] == {
        "generator.site.views.lists",
        "generator.site.engine.hooks",
    }
    assert back_imports(graph) == [
        "generator.site.markup (shared) -> generator.site.views.lists (views)",
        "generator.site.views.lists (views) -> generator.site.engine.build (engine)",
    ]
    assert cycles(graph) == [
        ["generator.site.engine.build", "generator.site.engine.hooks", "generator.site.views.lists"]
    ]


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
