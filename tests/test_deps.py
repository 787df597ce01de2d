"""The committed dependency locks: what is installed is what is pinned, and the locks agree."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from scripts.deps import CUDA_ONLY, Change, canonical, diff_pins, find_culprits, read_pins
from tests.conftest import REPO

LOCKS = REPO / "requirements"
DATA = Path(__file__).parent / "data" / "deps"


def pins(name: str) -> dict[str, str]:
    return read_pins((LOCKS / name).read_text(encoding="utf-8"))


def test_the_environment_is_exactly_the_installed_lock() -> None:
    """Every distribution of this environment is pinned, at its version, by the lock it was made from."""
    stamp = Path(sys.prefix) / "mmcat-deps"
    assert stamp.is_file(), f"{sys.prefix} was not made by scripts/install-deps (no {stamp.name})"
    lock = stamp.read_text(encoding="utf-8").split()[0]
    pinned = pins(Path(lock).name)
    installed = {
        canonical(dist.metadata["Name"]): dist.version
        for dist in importlib.metadata.distributions()
        if canonical(dist.metadata["Name"]) != "mmcat"
    }
    unpinned = {name: version for name, version in installed.items() if pinned.get(name) != version}
    assert not unpinned, f"installed but not pinned at this version by {lock}: {unpinned}"
    missing = sorted(set(pinned) - set(installed))
    assert not missing, f"pinned by {lock} but not installed: {missing}"


def test_every_pin_is_hash_checked() -> None:
    for lock in ("site.txt", "test-cpu.txt", "test-cuda.txt"):
        blocks = (LOCKS / lock).read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(blocks):
            if "==" in line and not line.startswith((" ", "#")):
                assert blocks[i + 1].strip().startswith("--hash=sha256:"), f"{lock}: {line} has no hash"


def test_the_site_lock_is_the_test_set_without_torch() -> None:
    site, test = pins("site.txt"), pins("test-cpu.txt")
    assert "torch" not in site and "transformers" not in site
    assert {name: test.get(name) for name in site} == site


def test_the_cuda_lock_differs_from_the_cpu_lock_only_in_torch() -> None:
    cpu, cuda = pins("test-cpu.txt"), pins("test-cuda.txt")
    assert cpu["torch"].endswith("+cpu") and cuda["torch"] == cpu["torch"].removesuffix("+cpu")
    cuda_libraries = {name for name in cuda if CUDA_ONLY.match(name)}
    assert cuda_libraries, "PyPI's torch pulls in its CUDA libraries"
    assert {n: v for n, v in cuda.items() if n not in cuda_libraries | {"torch"}} == {
        n: v for n, v in cpu.items() if n != "torch"
    }


def _declared() -> dict[str, list[Requirement]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    tools = [
        Requirement(line)
        for line in (LOCKS / "tools.in").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    every_extra = [Requirement(r) for extra in project["optional-dependencies"].values() for r in extra]
    base = [Requirement(r) for r in project["dependencies"]] + tools
    return {"site.txt": base, "test-cpu.txt": base + every_extra, "test-cuda.txt": base + every_extra}


@pytest.mark.parametrize("lock", ["site.txt", "test-cpu.txt", "test-cuda.txt"])
def test_the_lock_satisfies_pyproject(lock: str) -> None:
    """A range changed in pyproject.toml without re-locking fails here (python scripts/deps.py lock)."""
    pinned = pins(lock)
    for requirement in _declared()[lock]:
        name = canonical(requirement.name)
        assert name in pinned, f"{lock} does not pin {requirement}"
        version = pinned[name]
        assert requirement.specifier.contains(version, prereleases=True), f"{lock}: {name}=={version}"


def test_the_diff_of_two_locks_on_a_fixture() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/deps.py", "diff", str(DATA / "old.txt"), str(DATA / "new.txt")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == (DATA / "diff.golden").read_text(encoding="utf-8")


def test_an_unchanged_lock_says_so() -> None:
    old = read_pins((DATA / "old.txt").read_text())
    assert diff_pins(old, old) == []


def test_the_culprit_is_the_package_whose_upgrade_alone_fails() -> None:
    changes = diff_pins(read_pins((DATA / "old.txt").read_text()), read_pins((DATA / "new.txt").read_text()))
    tried: list[str] = []

    def fails_with(change: Change) -> bool:
        tried.append(change.name)
        return change.name == "markupsafe"

    culprits = find_culprits(changes, fails_with)
    assert [str(c) for c in culprits] == ["~ markupsafe 2.1.5 -> 3.0.2"]
    assert "six" not in tried  # a removed package cannot be applied alone
