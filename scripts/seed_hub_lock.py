"""Merge hand-recorded Hub facts into catalog/lock/hub.json (provenance ``manual:<url>``).

This machine cannot reach the Hub, so the lock was seeded from public pages:
each input file ``<dir>/<org>/<name>.json`` holds ``{"source": url, "config":
{...}, "method": ..., "complete": bool}``. A model that already has a record
taken from the Hub (``sha`` set) is left alone: the Hub wins over a hand copy.

Usage: python scripts/seed_hub_lock.py DIR [--catalog catalog]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from generator.load import load_catalog
from generator.locks import read_lock, write_lock


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--catalog", type=Path, default=Path("catalog"))
    args = parser.parse_args()
    catalog = load_catalog(args.catalog)
    lock_path = args.catalog / "lock" / "hub.json"
    lock = read_lock(lock_path)
    models = lock.setdefault("models", {})
    merged = 0
    for path in sorted(args.folder.rglob("*.json")):
        model_id = path.relative_to(args.folder).with_suffix("").as_posix()
        if model_id not in catalog.model_map:
            print(f"{path}: no catalogue entry {model_id!r}", file=sys.stderr)
            return 1
        if models.get(model_id, {}).get("sha"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        model = catalog.model_map[model_id]
        models[model_id] = {
            "sha": None,
            "requested_revision": model.source.revision or "main",
            "config": data["config"],
            "config_method": data.get("method", "verbatim"),
            "config_complete": bool(data.get("complete", True)),
            "config_builds_in_transformers": bool(data.get("builds_in_transformers", True)),
            "retrieved": dt.date.today().isoformat(),
            "provenance": {"config": f"manual:{data['source']}"},
        }
        merged += 1
    write_lock(lock_path, lock)
    print(f"merged {merged} hand-recorded configs into {lock_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
