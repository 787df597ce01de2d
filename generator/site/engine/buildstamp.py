"""Skip a build whose inputs have not changed since the site was last built.

A successful build records, in ``build/site-stamp.json``, a digest of everything the site is
made from (the catalogue with its locks, the hand-written docs, ``mkdocs.yml``, the
generator's own code, templates and interface strings, the versions of Python and of the
site-building packages) and a fingerprint of the site it wrote (each file's path, size and
modification time). ``mmcat build`` leaves ``site/`` as it is when both still match.

This module imports nothing heavy, so that the check costs little more than reading the inputs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

from generator.atomic import write_text_atomic

GENERATOR = Path(__file__).resolve().parents[1]
# Packages whose version changes what the site looks like.
SITE_PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-static-i18n",
    "jieba",
    "markdown",
    "pymdown-extensions",
    "pygments",
    "jinja2",
    "pydantic",
    "pyyaml",
)
STAMP = "site-stamp.json"


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.relative_to(folder).parts
    )


def input_digest(catalog: Path, docs: Path, config: Path) -> str:
    """SHA-256 over every input of the site build, by relative path and content."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    for name, folder in (("catalog", catalog), ("docs", docs), ("generator", GENERATOR)):
        for path in _files(folder):
            add(f"{name}/{path.relative_to(folder).as_posix()}", path.read_bytes())
    add("mkdocs.yml", config.read_bytes() if config.is_file() else b"")
    add("python", sys.version.encode())
    for package in SITE_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "-"
        add(f"package/{package}", version.encode())
    return digest.hexdigest()


def site_fingerprint(site: Path) -> str:
    """SHA-256 over each site file's relative path, size and modification time."""
    digest = hashlib.sha256()
    for path in _files(site):
        stat = path.stat()
        digest.update(f"{path.relative_to(site).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _stamp_path(build: Path) -> Path:
    return build / STAMP


def is_current(build: Path, site: Path, inputs: str) -> bool:
    """True when ``site`` was built by this generator from inputs with this digest, untouched since."""
    try:
        stamp = json.loads(_stamp_path(build).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(stamp, dict)
        and stamp.get("site") == str(site)
        and stamp.get("inputs") == inputs
        and site.is_dir()
        and stamp.get("output") == site_fingerprint(site)
    )


def built_here(build: Path, site: Path) -> bool:
    """True when the stamp says the last build wrote ``site`` (a site from before markers)."""
    try:
        stamp = json.loads(_stamp_path(build).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stamp, dict) and stamp.get("site") in (str(site), str(site.resolve()))


def record(build: Path, site: Path, inputs: str) -> None:
    """Remember that ``site`` was just built from inputs with digest ``inputs``."""
    stamp = {"site": str(site), "inputs": inputs, "output": site_fingerprint(site)}
    write_text_atomic(_stamp_path(build), json.dumps(stamp, indent=2) + "\n")


def forget(build: Path) -> None:
    """Drop the stamp (before a build replaces the site)."""
    _stamp_path(build).unlink(missing_ok=True)
