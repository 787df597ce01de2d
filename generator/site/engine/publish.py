"""Publish a built site in one atomic step.

``site/`` is a symbolic link to ``site.builds/<stamp>/``. A build writes into a temporary
folder in ``site.builds/``, renames it to its stamp, then renames a new link over ``site``
(:func:`os.replace`, atomic): a reader sees either the old site or the new one, never none.
The previous build is kept (a reader may still be in it); older ones are removed by the
next build once the previous swap is ``GRACE`` seconds old (a reader that followed the link
before it may still be opening a file there), and the temporary folders of an interrupted
build are removed by the next build. Builds of one project take
a lock, so that two at once run one after the other. Published files are readable by a web
server (folders 0755, files 0644).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from generator.outputs import MARKER, check_dir, mark

LOCK = ".lock"
# Seconds after a swap during which the builds it retired are kept for readers already inside.
GRACE = 10.0


def builds_dir(site: Path) -> Path:
    """The folder holding the site's builds, next to it."""
    return site.with_name(f"{site.name}.builds")


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder/.lock`` (another build of the project waits)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(site: Path, root: Path, legacy: bool) -> Path:
    """Check that ``site`` and its builds folder are the tool's, remove what an interrupted
    build left, and return a new temporary folder to build into (call under :func:`build_lock`)."""
    check_dir(site, root, legacy=legacy)
    builds = builds_dir(site)
    check_dir(builds, root)
    mark(builds)
    current = _current(site)
    for entry in builds.iterdir():
        if entry.name in (MARKER, LOCK) or entry == current:
            continue
        if entry.name.startswith("."):  # a temporary folder or link of an interrupted build
            _remove(entry)
    for leftover in site.parent.glob(f".{site.name}.new-*"):  # the scheme before this one
        _remove(leftover)
    _remove(site.with_name(f"{site.name}.old"))
    return Path(tempfile.mkdtemp(prefix=".new-", dir=builds))


def publish(tmp: Path, site: Path) -> Path:
    """Make the finished build ``tmp`` the site in one rename; return the build's folder."""
    builds = builds_dir(site)
    _readable(tmp)
    mark(tmp)
    final = builds / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{tmp.name[-6:]}"
    os.replace(tmp, final)
    previous = _current(site)
    # when the last swap happened: the builds older than ``previous`` were retired then
    last_swap = site.lstat().st_mtime if site.is_symlink() else 0.0
    if site.exists() and not site.is_symlink():  # a real folder from an earlier scheme
        keep = builds / f"legacy-{final.name}"
        os.replace(site, keep)
        previous = keep
    link = builds / f".link-{final.name}"
    os.symlink(os.path.relpath(final, site.parent), link, target_is_directory=True)
    os.replace(link, site)
    settled = time.time() - last_swap > GRACE
    for entry in builds.iterdir():
        if entry.name in (MARKER, LOCK) or entry in (final, previous):
            continue
        if settled or entry.name.startswith("."):
            _remove(entry)
    return final


def _current(site: Path) -> Path | None:
    """The build ``site`` links to, if it is a link into its builds folder."""
    if not site.is_symlink():
        return None
    target = site.resolve()
    return target if target.parent == builds_dir(site).resolve() else None


def _readable(folder: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(folder):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
