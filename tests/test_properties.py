"""Property-based tests of hostile input (issue 18, item 5), with Hypothesis.

A small project is cut from the real one: the real ``facebook/dinov2-small`` entry with its
series (family defaults included), papers, categories and topics, and its real Hub and check
records. Hypothesis mutates the entry's YAML text and the locks' JSON, runs the real command
line, and asserts our contract: exit 0, or exit 1 with every message at ``file:line`` (or
``path``) — never a traceback or an internal error — and no file touched outside what the
command owns (``check`` owns nothing; ``build`` owns ``build/`` and its site folder).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.locks.files import lock_text
from tests.conftest import CATALOG, REPO, run_mmcat

MODEL = "facebook/dinov2-small"
ENTRY = Path("catalog/models") / f"{MODEL}.yaml"
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# YAML values that parse but do not construct, or construct to the wrong kind of thing.
ODD_VALUES = [
    "!!int abc",
    "!!bool maybe",
    "!!float x",
    "2023-02-30",
    "0000-01-01",
    "6:24",
    "true",
    "null",
    "~",
    "[]",
    "{}",
    "-1",
    ".nan",
    "-.inf",
    "1e400",
    "*nowhere",
    "&a [*a]",
    "!!python/object:os.system ls",
    "'\u202eevil'",
    '"\\x00"',
    '"\\u0007bell"',
    "'" + "x" * 5000 + "'",
    "|\n  a\n  b",
    "{a: 1, a: 2}",
    "[1, [2, [3, [4]]]]",
    "'../../../etc/passwd'",
    "\t",
    "'<script>alert(1)</script>'",
]

# JSON values for a lock field that a lock must not hold (or must hold in another type).
ODD_JSON = ["many", -1, -0.5, 1e308, 10**40, None, True, [], {}, [1, 2], {"a": {"b": {}}}, "", "\u202e"]

MESSAGE = re.compile(r"^[^\s:][^:]*(:\d+)?: ")  # file:line: ..., or path: ...
SUMMARY = re.compile(r"^\d+ errors?: nothing was written\.$")


def _papers(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = set(data.get("papers") or [])
    found |= set((data.get("defaults") or {}).get("papers") or [])
    return found


def _mini_project(root: Path) -> Path:
    """The real entry, its family and papers, and its real lock records, in ``root``."""
    catalog = root / "catalog"
    for name in ("categories.yaml", "topics.yaml"):
        (catalog / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CATALOG / name, catalog / name)
    entry = CATALOG / "models" / f"{MODEL}.yaml"
    series = CATALOG / "series" / "dinov2.yaml"
    for source in (entry, series):
        target = catalog / source.relative_to(CATALOG)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    (catalog / "papers").mkdir()
    for paper in _papers(entry) | _papers(series):
        shutil.copy(CATALOG / "papers" / f"{paper}.yaml", catalog / "papers" / f"{paper}.yaml")
    shutil.copytree(CATALOG / "schema", catalog / "schema")
    (catalog / "lock").mkdir()
    for name in ("hub.json", "checks.json"):
        data = json.loads((CATALOG / "lock" / name).read_text(encoding="utf-8"))
        data.pop("about", None)
        data["models"] = {k: v for k, v in data["models"].items() if k == MODEL}
        path = catalog / "lock" / name
        path.write_text(lock_text(path, data), encoding="utf-8")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _mini_project(tmp_path_factory.mktemp("mini"))
    result = run_mmcat("check", cwd=root)
    assert result.code == 0, result.err  # the unmutated project is valid: the mutations are what fail
    return root


@pytest.fixture
def fresh(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A function that gives a new copy of the mini project per Hypothesis example."""
    copies: list[Path] = []

    def make() -> Path:
        root = tmp_path_factory.mktemp("example")
        shutil.rmtree(root)
        shutil.copytree(pristine, root, symlinks=True)
        copies.append(root)
        return root

    yield make  # type: ignore[misc]
    for root in copies:
        shutil.rmtree(root, ignore_errors=True)


def _tree(root: Path, owned: tuple[str, ...] = ()) -> dict[str, str]:
    """Hash of every file under ``root`` outside the ``owned`` top-level paths."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in owned:
            continue
        if path.is_symlink():
            out[rel] = "link:" + str(path.readlink())
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def _assert_clean(code: int | None, err: str) -> None:
    assert code in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 1:
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines, "exit 1 without a message"
        for line in lines:
            assert MESSAGE.match(line) or SUMMARY.match(line), line


@st.composite
def entry_edits(draw: st.DrawFn) -> str:
    """The real entry's text with one to three hostile edits."""
    lines = (CATALOG / "models" / f"{MODEL}.yaml").read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["value", "delete", "duplicate", "control", "truncate", "indent"]))
        if op == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(ODD_VALUES))}"
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "control":
            char = draw(st.sampled_from(["\x00", "\x07", "\x1b", "\u202e", "\u2066", "\ufeff", "\x85"]))
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + char + lines[i][at:]
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
            del lines[i + 1 :]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
        if not lines:
            lines = [""]
    return "\n".join(lines)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


@st.composite
def lock_edits(draw: st.DrawFn) -> tuple[str, str]:
    """One lock file's name and its text with a field set to a value of the wrong kind."""
    name = draw(st.sampled_from(["hub.json", "checks.json"]))
    data = json.loads((CATALOG / "lock" / name).read_text(encoding="utf-8"))
    data = {"models": {MODEL: data["models"][MODEL]}}
    paths = [p for p in _paths(data["models"][MODEL], ("models", MODEL)) if len(p) > 2]
    path = draw(st.sampled_from(paths))
    holder: Any = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = draw(st.sampled_from(ODD_JSON))
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    how = draw(st.sampled_from(["as-is", "nan", "duplicate-key", "truncate"]))
    if how == "nan":
        text = text.replace("-1,", "NaN,", 1).replace("-1\n", "Infinity\n", 1)
    elif how == "duplicate-key":
        text = text.replace('"models": {', '"models": {"x": 1, "x": 2, ', 1)
    elif how == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    return name, text


@SETTINGS
@given(text=entry_edits())
def test_a_mutated_entry_is_checked_cleanly_and_nothing_is_written(fresh: Any, text: str) -> None:
    root = fresh()
    (root / ENTRY).write_text(text, encoding="utf-8", errors="surrogatepass")
    before = _tree(root)
    result = run_mmcat("check", cwd=root)
    _assert_clean(result.code, result.err)
    assert _tree(root) == before


@SETTINGS
@given(edit=lock_edits())
def test_a_mutated_lock_is_checked_cleanly_and_nothing_is_written(fresh: Any, edit: tuple[str, str]) -> None:
    name, text = edit
    root = fresh()
    (root / "catalog" / "lock" / name).write_text(text, encoding="utf-8")
    before = _tree(root)
    result = run_mmcat("check", cwd=root)
    _assert_clean(result.code, result.err)
    assert _tree(root) == before


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=entry_edits())
def test_a_build_of_a_mutated_entry_touches_only_its_outputs(fresh: Any, text: str) -> None:
    root = fresh()
    (root / ENTRY).write_text(text, encoding="utf-8", errors="surrogatepass")
    site = root / "out"
    site.mkdir()
    (site / ".mmcat-output").write_text("marked by the test as the tool's", encoding="utf-8")
    owned = ("build", "out", "out.builds")
    before = _tree(root, owned)
    result = run_mmcat("build", "--site-dir", "out", cwd=root)
    _assert_clean(result.code, result.err)
    assert _tree(root, owned) == before
    if result.code == 1:  # a failed build leaves the (empty) marked folder as it was
        assert sorted(p.name for p in site.iterdir()) == [".mmcat-output"]
