"""Which model entries a branch adds or changes: ``git diff`` of ``catalog/models/``.

The comparison is against a git revision (default: the merge base of ``HEAD`` with
the default branch) and includes uncommitted and untracked files, so a contributor
sees before committing what CI will check. Deleted entries are not listed.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """git is missing, the catalogue is not in a repository, or a revision is unknown."""


def _git(top: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=top, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if proc.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {proc.stderr.strip() or f'exit {proc.returncode}'}")
    return proc.stdout


def _has(top: Path, ref: str) -> bool:
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        return False
    return True


def default_base(top: Path) -> str:
    """The default branch to compare with: the pull request's base in GitHub Actions, else
    ``origin/HEAD``, ``origin/main``, ``main``, ``origin/master`` or ``master``, the first that exists."""
    candidates = []
    if os.environ.get("GITHUB_BASE_REF"):
        candidates.append(f"origin/{os.environ['GITHUB_BASE_REF']}")
    candidates += ["origin/HEAD", "origin/main", "main", "origin/master", "master"]
    for ref in candidates:
        if _has(top, ref):
            return ref
    raise GitError("no default branch found (origin/HEAD, main, master): pass --since REF")


@dataclass(frozen=True)
class Changes:
    """The model entries changed since ``base`` (a commit sha), by id."""

    since: str
    base: str
    model_ids: list[str]


def changed_models(catalog_dir: Path, since: str | None = None) -> Changes:
    """Model entries added or changed since ``since`` (default: the merge base with the default branch).

    Args:
        catalog_dir: the ``catalog/`` folder, inside a git work tree.
        since: a git revision; the working tree (uncommitted and untracked files too) is compared with it.

    Returns:
        The compared revision and the ids (paths below ``catalog/models`` without ``.yaml``), sorted.

    Raises:
        GitError: not a git work tree, or an unknown revision.
    """
    models = (catalog_dir / "models").resolve()
    top = Path(_git(catalog_dir, "rev-parse", "--show-toplevel").strip())
    if since is None:
        since = default_base(top)
        base = _git(top, "merge-base", "HEAD", since).strip()
    elif _has(top, since):
        base = _git(top, "rev-parse", f"{since}^{{commit}}").strip()
    else:
        raise GitError(f"unknown revision {since!r}")
    folder = os.path.relpath(models, top)
    listed = _git(top, "diff", "--name-only", "--no-renames", "--diff-filter=d", base, "--", folder)
    listed += _git(top, "ls-files", "--others", "--exclude-standard", "--", folder)
    ids = set()
    for name in listed.splitlines():
        path = (top / name).resolve()
        if path.suffix == ".yaml" and path.is_file():
            ids.add(path.relative_to(models).with_suffix("").as_posix())
    return Changes(since, base, sorted(ids))
