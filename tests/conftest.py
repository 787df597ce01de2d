"""Shared fixtures: the real catalogue, a scratch copy of the project, the CLI as a process.

The expensive ones are made once per test run (:func:`made_once`: shared by pytest-xdist's
workers) and only read by the tests that share them: the site built from the catalogue
(:func:`built_project`; copy it with :func:`built_copy` to change it) and the config tier over
the whole catalogue (:func:`config_tier`).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import io
import os
import pickle
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import pytest

from generator.catalog.load import load_catalog
from generator.catalog.validated import Catalog
from generator.cli import main
from generator.locks.files import Locks, load_locks
from generator.testing.hubserver import FakeHub
from generator.testing.synthetic import make_catalog
from generator.verify import CheckOutcome, Options, verify

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "catalog"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
T = TypeVar("T")


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """``make(folder)`` once per test run, its value shared by all of pytest-xdist's workers.

    The suite runs on one worker per core (``-n logical`` in pyproject.toml), and a session
    fixture is per process: this makes the expensive ones once. The first worker to ask
    makes it into ``folder`` (under the run's common temporary folder) while holding a lock;
    the others wait for it and read the pickled value. Without xdist it is just ``make``.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(factory.mktemp(name))
    folder = factory.getbasetemp().parent / name
    value_file = folder.with_name(f"{name}.pickle")
    with open(folder.with_name(f"{name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if value_file.exists():
            value: T = pickle.loads(value_file.read_bytes())
            return value
        shutil.rmtree(folder, ignore_errors=True)  # a worker that failed to make it
        folder.mkdir()
        value = make(folder)
        value_file.write_bytes(pickle.dumps(value))
        return value


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


def _site_inputs(root: Path) -> Path:
    """Copy the project's hand-written pages and mkdocs.yml into ``root``; return ``root``."""
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def copy_project(root: Path) -> Path:
    """Copy the project's inputs (catalogue, docs, mkdocs.yml) into ``root``; return ``root``."""
    shutil.copytree(CATALOG, root / "catalog")
    return _site_inputs(root)


def small_project(root: Path) -> Path:
    """A project of three synthetic models (``bench/model-0000``...) with the real docs and mkdocs.yml.

    For tests of how the site is built, where the size of the catalogue is not what is tested: its
    build takes a fraction of the real catalogue's (which :func:`built_project` builds).
    """
    make_catalog(root, 3, CATALOG)
    return _site_inputs(root)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the project (catalogue, docs, mkdocs.yml) to break freely."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the project after ``mmcat build`` (``site/``, ``build/``), built once.

    Shared by every test that asks for it: read it, never change it (see :func:`built_copy`).
    """

    def make(root: Path) -> Path:
        copy_project(root)
        result = run_mmcat("build", cwd=root)
        assert result.code == 0, result.out + result.err
        return root

    return made_once(tmp_path_factory, "built", make)


@pytest.fixture(scope="session")
def site(built_project: Path) -> Path:
    """The site ``mmcat build --strict`` made of the real catalogue (read only)."""
    return built_project / "site"


@pytest.fixture(scope="session")
def served_site(site: Path) -> Iterator[str]:
    """The shared site over HTTP on a free local port: its base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright, launched once (each test opens its own page or context)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def built_copy(built_project: Path, tmp_path: Path) -> Path:
    """A scratch copy of :func:`built_project`, its site included, to break freely."""
    return Path(shutil.copytree(built_project, tmp_path / "built", symlinks=True))


@pytest.fixture(scope="session")
def config_tier(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CheckOutcome]:
    """One config-tier run over the whole catalogue, in a scratch copy (the repo's lock is untouched).

    Outcomes by model id; shared, so read them and never change them.
    """

    def make(root: Path) -> dict[str, CheckOutcome]:
        shutil.copytree(CATALOG, root / "catalog")
        catalog = load_catalog(root / "catalog")
        outcomes = verify(
            catalog, load_locks(root / "catalog"), [], Options(tier="config", workers=2, timeout=600)
        )
        return {o.model_id: o for o in outcomes}

    return made_once(tmp_path_factory, "verify", make)


@pytest.fixture
def fake_hub() -> Iterator[FakeHub]:
    """A started, empty local Hub (add repos with ``fake_hub.add``); stopped after the test."""
    hub = FakeHub()
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()
