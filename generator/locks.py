"""The machine-written locks in ``catalog/lock/``: Hub metadata and check results.

The site is built from the catalogue plus these committed files only, so a
build needs no network. ``mmcat refresh`` writes ``hub.json`` and ``mmcat
verify`` writes ``checks.json``; until then they may be absent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from generator.atomic import write_text_atomic
from generator.errors import CatalogError, CatalogInvalid, display_path

Tier = Literal["config", "runtime", "weights"]
TIERS: tuple[Tier, ...] = get_args(Tier)
# What a badge can say: only declared, or the strongest tier that confirmed a value.
TIER_ORDER = ("declared", *TIERS)


@dataclass
class Locks:
    """Hub snapshots and verification results, keyed by model id."""

    hub: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    def output_tier(self, model_id: str, output: str) -> str:
        """Strongest tier that confirmed ``output``; ``mismatch`` if any tier disagreed."""
        best = "declared"
        for tier, result in self.checks.get(model_id, {}).get("tiers", {}).items():
            observed = result.get("outputs", {}).get(output)
            if observed is None or result.get("status") != "ok":
                continue
            if not observed.get("match", False):
                return "mismatch"
            if TIER_ORDER.index(tier) > TIER_ORDER.index(best):
                best = tier
        return best


def _read_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CatalogInvalid(
            [CatalogError(display_path(path), exc.lineno, "", f"invalid JSON: {exc.msg}")]
        ) from None
    if not isinstance(data, dict):
        raise CatalogInvalid([CatalogError(display_path(path), 1, "", "the lock must hold an object")])
    return data


LOCK_HEADER = {
    "hub.json": "machine-written by `mmcat refresh`: Hub metadata per model at a pinned sha; do not edit",
    "checks.json": "machine-written by `mmcat verify`: verification results per model and tier; do not edit",
}


SHARD_HEADER = (
    "machine-written by `mmcat verify --out`: check results to fold into lock/checks.json with "
    "`mmcat merge`; do not edit"
)


def read_lock(path: Path) -> dict[str, Any]:
    """The lock at ``path`` as a dict (empty when missing)."""
    return _read_json(path)


def lock_text(path: Path, data: dict[str, Any]) -> str:
    """Stable text of a lock: sorted keys, two-space indent, one trailing newline."""
    body = {"about": LOCK_HEADER.get(path.name, SHARD_HEADER), **data}
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_lock(path: Path, data: dict[str, Any]) -> None:
    """Write a lock atomically (temporary file + rename)."""
    write_text_atomic(path, lock_text(path, data))


def load_locks(catalog: Path) -> Locks:
    """Read ``catalog/lock/hub.json`` and ``checks.json`` (missing files are empty)."""
    lock = catalog / "lock"
    return Locks(
        hub=_read_json(lock / "hub.json").get("models", {}),
        checks=_read_json(lock / "checks.json").get("models", {}),
    )
