"""Output ownership: which folders and files a command may create, replace or delete.

Every command that takes an output path (``mmcat build --site-dir``, ``mmcat export --out``,
``mmcat verify --out``, ``mmcat ci --report``, ``mmcat new``) asks this module first. A folder
is the command's to write when it does not exist yet, or it is empty, or it carries the marker
file :data:`MARKER` that the tool writes into each folder it creates (or it lies in one). It is
refused, before anything is touched, when it is the project, an ancestor of the project, a
folder of project data (``catalog/``, ``docs/``, ``generator/``, ``.git`` ...), an existing
file, or a non-empty folder the tool did not create. Refusals are :class:`CatalogInvalid`
errors: ``path:1: (output): why``, exit 1.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import CatalogError, CatalogInvalid, display_path

MARKER = ".mmcat-output"
MARKER_TEXT = "This folder was created by mmcat; mmcat may replace or delete what it holds.\n"
# Top-level entries of the project that hold hand-written or committed data.
PROJECT_DATA = (
    ".git",
    ".github",
    "catalog",
    "docs",
    "generator",
    "tests",
    "scripts",
    "requirements",
    ".venv",
    "pyproject.toml",
    "mkdocs.yml",
    "README.md",
    "README.zh.md",
)
# Signs that a folder holds a project (this one or another): never an output folder.
PROJECT_SIGNS = (".git", "catalog", "docs", "generator", "pyproject.toml", "mkdocs.yml")


class OutputRefused(CatalogInvalid):
    """An output path that the command does not own."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__([CatalogError(display_path(path), 1, "(output)", f"{why}; nothing was touched")])


def absolute(path: Path) -> Path:
    """``path`` made absolute with its parent's links resolved, the last part kept as it is
    (a link named by the user is judged as a link, not as where it points)."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name if path.name else path


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _project_data(path: Path, root: Path) -> str | None:
    """The project data ``path`` is or lies in, if any."""
    for name in PROJECT_DATA:
        if _inside(path, root / name):
            return f"{name} is project data"
    return None


def owned(folder: Path, root: Path | None = None) -> bool:
    """True when ``folder`` or a folder above it (below ``root``) carries the tool's marker."""
    for candidate in (folder, *folder.parents):
        if root is not None and candidate == root:
            return False
        if (candidate / MARKER).is_file():
            return True
    return False


def check_dir(path: Path, root: Path, legacy: bool = False) -> Path:
    """Refuse ``path`` as an output folder unless the tool may write it; return it absolute.

    Args:
        path: the output folder asked for.
        root: the project root.
        legacy: also accept a non-empty folder without the marker (a site built before markers
            existed, which the build stamp names).

    Raises:
        OutputRefused: with the reason.
    """
    target, root = absolute(path), root.resolve()
    real = target.resolve()
    if _inside(root, target) or _inside(root, real):
        raise OutputRefused(path, "is the project folder or one above it")
    why = _project_data(target, root) or _project_data(real, root)
    if why:
        raise OutputRefused(path, why)
    if target.is_symlink() and not target.exists():
        raise OutputRefused(path, "is a broken link")
    if target.exists() and not target.is_dir():
        raise OutputRefused(path, "is a file, not a folder")
    if target.is_dir():
        signs = [s for s in PROJECT_SIGNS if (real / s).exists()]
        if signs:
            raise OutputRefused(path, f"holds project data ({', '.join(signs)})")
        if any(real.iterdir()) and not owned(real, root) and not legacy:
            raise OutputRefused(path, f"is a folder mmcat did not create (no {MARKER} in it)")
    return target


def check_file(path: Path, root: Path) -> Path:
    """Refuse ``path`` as an output file inside project data, or when it is a folder."""
    target, root = absolute(path), root.resolve()
    why = _project_data(target, root) or _project_data(target.resolve(), root)
    if why:
        raise OutputRefused(path, why)
    if target.is_dir():
        raise OutputRefused(path, "is a folder, not a file")
    if _inside(root, target):
        raise OutputRefused(path, "is the project folder or one above it")
    return target


def mark(folder: Path) -> None:
    """Create ``folder`` when missing and write the tool's marker into it."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    if not marker.is_file():
        from generator.atomic import write_text_atomic

        write_text_atomic(marker, MARKER_TEXT)


def make_dir(path: Path, root: Path, legacy: bool = False) -> Path:
    """:func:`check_dir`, then create the folder (marked); return it absolute."""
    target = check_dir(path, root, legacy)
    if not owned(target.resolve() if target.exists() else target, root.resolve()):
        mark(target)
    return target
