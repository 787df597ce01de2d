"""Shared fixtures: the real catalogue, a scratch copy of the project, the CLI as a process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.catalog.load import load_catalog
from generator.catalog.validated import Catalog
from generator.cli import main
from generator.locks.files import Locks, load_locks
from generator.testing.hubserver import FakeHub

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "catalog"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The real catalogue, loaded once."""
    return load_catalog(CATALOG)


@pytest.fixture(scope="session")
def locks() -> Locks:
    return load_locks(CATALOG)


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_mmcat(*args: str, cwd: Path) -> Run:
    """Run the command line in this process (as the console script would), in ``cwd``.

    In-process saves a Python start-up and the imports per call; what a fresh process
    would add (the console script itself) is covered by :func:`run_mmcat_process`.
    """
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: --help, usage errors
                code = exc.code if isinstance(exc.code, int) else 0
    finally:
        os.chdir(here)
    return Run(code, out.getvalue(), err.getvalue())


def run_mmcat_process(*args: str, cwd: Path) -> Run:
    """Run the real console entry point in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the project (catalogue, docs, mkdocs.yml) to break freely."""
    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@pytest.fixture
def fake_hub() -> Iterator[FakeHub]:
    """A started, empty local Hub (add repos with ``fake_hub.add``); stopped after the test."""
    hub = FakeHub()
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()
