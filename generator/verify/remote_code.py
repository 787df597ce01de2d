"""Which remote code a model's config asks for, and the commit that pins it (torch-free).

A config's ``auto_map`` names classes as ``module.Class`` (code in the model's own
repository) or ``org/repo--module.Class`` (code in another repository). transformers
downloads that code at ``code_revision``; when the code lives in another repository
and no ``code_revision`` is given it takes that repository's ``main``, which pins
nothing. So remote code runs here only when the entry opts in with
``trust_remote_code`` and every repository it loads from is pinned to a commit:
the model's own at ``source.revision``, any other at ``source.code_revisions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.catalog.schema import Model


@dataclass(frozen=True)
class RemoteCode:
    """The outcome of planning: run with ``code_revision``, or refuse with ``refusal``."""

    needed: bool
    code_revision: str | None = None
    refusal: str | None = None


def code_repositories(config: dict[str, Any], own_repo: str) -> list[str]:
    """Repositories whose code ``config["auto_map"]`` loads, sorted."""
    auto_map = config.get("auto_map") or {}
    refs: list[str] = []
    for value in auto_map.values():
        refs.extend(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    return sorted({ref.split("--", 1)[0] if "--" in ref else own_repo for ref in refs})


def plan_remote_code(model: Model, config: dict[str, Any] | None) -> RemoteCode:
    """Decide whether and at which commit the remote code of ``model`` may run.

    Args:
        model: the catalogue entry.
        config: the recorded ``config.json`` (None when unknown).

    Returns:
        ``needed=False`` for a config that builds in transformers; otherwise the
        ``code_revision`` to pass, or a ``refusal`` saying what to pin.
    """
    own = model.source.hub_id or model.id
    if config is None and model.source.trust_remote_code:
        return RemoteCode(
            needed=True,
            refusal="no config.json recorded in lock/hub.json, so the remote code it loads cannot be "
            "pinned (run mmcat refresh)",
        )
    repos = code_repositories(config or {}, own)
    if not repos:
        return RemoteCode(needed=False)
    if not model.source.trust_remote_code:
        return RemoteCode(
            needed=True,
            refusal="the config loads remote code (auto_map); the entry does not opt in with "
            "source.trust_remote_code",
        )
    if len(repos) > 1:
        return RemoteCode(
            needed=True,
            refusal=f"auto_map loads code from several repositories ({', '.join(repos)}); "
            "one code revision cannot pin them all",
        )
    (repo,) = repos
    pin = model.source.revision if repo == own else model.source.code_revisions.get(repo)
    if pin is None:
        return RemoteCode(
            needed=True,
            refusal=f"auto_map loads code from {repo}, which is not pinned: add "
            f"source.code_revisions: {{{repo}: <40-hex commit>}}",
        )
    return RemoteCode(needed=True, code_revision=pin)
