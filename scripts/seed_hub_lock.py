"""Merge hand-recorded Hub facts into catalog/lock/hub.json (provenance ``manual:<url>``).

This machine cannot reach the Hub, so the lock was seeded from public pages:
each input file ``<dir>/<org>/<name>.json`` holds ``{"source": url, "config":
{...}, "method": "verbatim ..." or "reconstructed ...", "builds_in_transformers":
bool}``. A model that already has a record taken from the Hub (``sha`` set) is
left alone: the Hub wins over a hand copy.

Nobody types whether a copy is complete or where it came from: after merging
(or with no folder, alone) every record's ``config_origin`` is derived from its
provenance URL and method, and ``config_complete`` is taken from the config
tier's comparison with the transformers config class (``config_audit`` in
checks.json; run ``mmcat verify --tier config`` first, then this again).
``mmcat check`` rejects a lock where either disagrees with the computation.

Usage: python scripts/seed_hub_lock.py [DIR] [--catalog catalog]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from generator.catalog.load import load_catalog
from generator.catalog.validated import Catalog
from generator.locks.audit import config_completeness, config_origin
from generator.locks.files import Locks, load_locks, read_lock, write_lock


def merge(folder: Path, catalog: Catalog, models: dict[str, Any]) -> int:
    """Merge the hand-recorded configs of ``folder`` into ``models``; the count merged."""
    merged = 0
    for path in sorted(folder.rglob("*.json")):
        model_id = path.relative_to(folder).with_suffix("").as_posix()
        if model_id not in catalog.model_map:
            raise KeyError(f"{path}: no catalogue entry {model_id!r}")
        if models.get(model_id, {}).get("sha"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        model = catalog.model_map[model_id]
        models[model_id] = {
            "sha": None,
            "requested_revision": model.source.revision or "main",
            "config": data["config"],
            "config_method": data.get("method", "verbatim"),
            "config_builds_in_transformers": bool(data.get("builds_in_transformers", True)),
            "retrieved": dt.date.today().isoformat(),
            "provenance": {"config": f"manual:{data['source']}"},
        }
        merged += 1
    return merged


def sync_computed(catalog: Catalog, lock: dict[str, Any]) -> None:
    """Write the computed ``config_origin`` and ``config_complete`` of every hand-recorded config."""
    locks = Locks(hub=lock.get("models", {}), checks=load_locks(catalog.root).checks)
    for model_id, typed in locks.hub_records.items():
        if typed.sha or typed.config is None:
            continue  # a Hub snapshot: its origin is the Hub; nothing typed to sync
        model = catalog.model_map.get(model_id)
        record = locks.hub[model_id]
        origin = config_origin(model.source.hub_id if model else model_id, typed)
        record["config_origin"] = origin.model_dump() if origin is not None else None
        computed = config_completeness(model_id, locks)
        if computed is None:
            record.pop("config_complete", None)  # unknown until the config tier has run
        else:
            record["config_complete"] = computed.complete


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--catalog", type=Path, default=Path("catalog"))
    args = parser.parse_args()
    catalog = load_catalog(args.catalog)
    lock_path = args.catalog / "lock" / "hub.json"
    lock = read_lock(lock_path)
    models = lock.setdefault("models", {})
    merged = 0
    if args.folder is not None:
        try:
            merged = merge(args.folder, catalog, models)
        except KeyError as exc:
            print(exc.args[0], file=sys.stderr)
            return 1
    sync_computed(catalog, lock)
    write_lock(lock_path, lock)
    print(f"merged {merged} hand-recorded configs into {lock_path}; computed fields synced")
    return 0


if __name__ == "__main__":
    sys.exit(main())
