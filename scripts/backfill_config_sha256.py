"""Add ``config_sha256`` to check records written before it existed, where git history proves it.

A config or runtime record of ``catalog/lock/checks.json`` made before the hash was recorded names
its config only by ``config_provenance``. For each such record this finds the oldest commit of
the current history in which the record is already present unchanged, reads ``lock/hub.json``
at that commit, and when the model's config there is the very config the lock holds now, writes
that config's hash into the record (the check built that config). Records for which history
shows another config are left without a hash and reported: they need the check run again.

Usage: python scripts/backfill_config_sha256.py [--catalog catalog]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.locks.files import read_lock, write_lock
from generator.locks.schema import config_sha256
from generator.verify.merge import tier_records


def _at(commit: str, path: str) -> dict[str, Any]:
    proc = subprocess.run(["git", "show", f"{commit}:{path}"], capture_output=True, text=True)
    if proc.returncode != 0:
        return {}
    data: dict[str, Any] = json.loads(proc.stdout).get("models", {})
    return data


def _without_hash(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "config_sha256"}


def _same_record(models: dict[str, Any], model_id: str, tier: str, record: dict[str, Any]) -> bool:
    for other_tier, other in tier_records(models.get(model_id, {})):
        if other_tier == tier and _without_hash(other) == _without_hash(record):
            return True
    return False


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=Path("catalog"))
    args = parser.parse_args(argv)
    checks_path, hub_path = args.catalog / "lock" / "checks.json", args.catalog / "lock" / "hub.json"
    rel_checks, rel_hub = (
        p.resolve().relative_to(Path.cwd().resolve()).as_posix() for p in (checks_path, hub_path)
    )
    log = subprocess.run(
        ["git", "log", "--format=%H", "--", rel_checks], capture_output=True, text=True, check=True
    )
    commits = log.stdout.split()  # newest first
    lock = read_lock(checks_path)
    hub_now = read_lock(hub_path).get("models", {})
    history = {c: _at(c, rel_checks) for c in commits}
    added, left = 0, []
    for model_id, entry in sorted(lock.get("models", {}).items()):
        now = config_sha256(hub_now.get(model_id, {}).get("config"))
        for tier, record in tier_records(entry):
            if tier == "weights" or "config_sha256" in record or record.get("status") != "ok" or now is None:
                continue
            first = None
            for commit in commits:
                if not _same_record(history[commit], model_id, tier, record):
                    break
                first = commit
            then = _at(first, rel_hub).get(model_id, {}).get("config") if first else None
            if first is not None and config_sha256(then) == now:
                record["config_sha256"] = now
                added += 1
            else:
                left.append(f"{model_id} ({tier})")
    write_lock(checks_path, lock)
    print(f"config_sha256 added to {added} records")
    for item in left:
        print(f"not proven, run the check again: {item}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
