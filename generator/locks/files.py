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

from pydantic import ValidationError

from generator.atomic import write_text_atomic
from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.locks.schema import ChecksLock, HubLock

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
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogInvalid(
            [CatalogError(display_path(path), exc.lineno, "", f"invalid JSON: {exc.msg}")]
        ) from None
    if not isinstance(data, dict):
        raise CatalogInvalid([CatalogError(display_path(path), 1, "", "the lock must hold an object")])
    try:
        _shape(path).model_validate(data)
    except ValidationError as exc:
        raise CatalogInvalid([_located(path, text, err) for err in exc.errors()]) from None
    return data


def _shape(path: Path) -> type[HubLock | ChecksLock]:
    """The model of a lock file: hub.json, or checks.json and its shard files."""
    return HubLock if path.name == "hub.json" else ChecksLock


def _located(path: Path, text: str, err: Any) -> CatalogError:
    loc = tuple(str(part) for part in err["loc"])
    line = json_line(text, loc[1], loc[2]) if len(loc) > 2 and loc[0] == "models" else 1
    message = "unknown field" if err["type"] == "extra_forbidden" else str(err["msg"])
    return CatalogError(display_path(path), line, ".".join(loc), message)


def json_line(text: str, model_id: str, key: str) -> int:
    """Line of ``key`` inside the record of ``model_id`` in a lock written by :func:`lock_text`."""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.startswith(f"    {json.dumps(model_id)}: {{")), None
    )
    if start is None:
        return 1
    for i in range(start + 1, len(lines)):
        if lines[i].startswith(f"      {json.dumps(key)}:"):
            return i + 1
        if lines[i].startswith("    }"):
            break
    return start + 1


LOCK_HEADER = {
    "hub.json": (
        "machine-written by `mmcat refresh` and `mmcat ci`: Hub metadata per model at a pinned sha; "
        "do not edit"
    ),
    "checks.json": (
        "machine-written by `mmcat verify`, `mmcat merge` and `mmcat ci`: verification results per model "
        "and tier; do not edit"
    ),
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
    """Write a lock atomically (temporary file + rename), after checking its shape.

    Raises:
        pydantic.ValidationError: a writer built a record of the wrong shape (a bug).
    """
    _shape(path).model_validate(data)
    write_text_atomic(path, lock_text(path, data))


def put_hub_records(path: Path, records: dict[str, dict[str, Any]]) -> None:
    """The one writer of ``hub.json``: add or replace the records of some models, atomically."""
    if records:
        lock = read_lock(path)
        lock.setdefault("models", {}).update(records)
        write_lock(path, lock)


def load_locks(catalog: Path) -> Locks:
    """Read ``catalog/lock/hub.json`` and ``checks.json`` (missing files are empty)."""
    lock = catalog / "lock"
    return Locks(
        hub=_read_json(lock / "hub.json").get("models", {}),
        checks=_read_json(lock / "checks.json").get("models", {}),
    )
