"""The Hugging Face Hub's grammar of repository ids (``owner/name``)."""

from __future__ import annotations

import re

MAX_LENGTH = 96
_PART = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def id_problem(repo_id: str) -> str | None:
    """Why ``repo_id`` is not a Hub repository id, or None when it is one.

    The Hub's rules: ``owner/name``, each part made of letters, digits, ``-``, ``_`` and ``.``,
    neither starting nor ending with ``-`` or ``.``, no ``--`` or ``..``, at most 96 characters.
    """
    if any(ord(c) < 32 or ord(c) == 127 for c in repo_id):
        return "contains a control character (a newline?)"
    if len(repo_id) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters"
    parts = repo_id.split("/")
    if len(parts) != 2:
        return "is not owner/name (exactly one '/')"
    for part in parts:
        if not _PART.fullmatch(part):
            return (
                f"part {part!r} must be letters, digits, '-', '_' or '.', "
                "not starting or ending with '-' or '.'"
            )
        if "--" in part or ".." in part:
            return f"part {part!r} contains '--' or '..'"
    return None
