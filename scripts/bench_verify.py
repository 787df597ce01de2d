"""Benchmark the config verification tier over the whole catalogue.

Runs ``mmcat verify --tier config`` logic on a scratch copy of the catalogue
(the committed lock is left alone) with 1 worker and with N workers, and
prints wall times and their ratio. Goal: the whole catalogue in <= 60 s on a
2-core CPU.

Usage: .venv/bin/python scripts/bench_verify.py [--workers 2]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from generator.catalog.load import load_catalog
from generator.locks.files import load_locks
from generator.verify import Options, verify

REPO = Path(__file__).resolve().parents[1]


def timed(catalog_dir: Path, workers: int) -> tuple[float, dict[str, int]]:
    catalog = load_catalog(catalog_dir)
    start = time.perf_counter()
    outcomes = verify(catalog, load_locks(catalog_dir), [], Options(tier="config", workers=workers))
    elapsed = time.perf_counter() - start
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return elapsed, counts


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the config verification tier.")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        catalog_dir = Path(tmp) / "catalog"
        shutil.copytree(REPO / "catalog", catalog_dir)
        one, counts = timed(catalog_dir, 1)
        many, counts_many = timed(catalog_dir, args.workers)
    print(f"models: {sum(counts.values())} ({', '.join(f'{n} {s}' for s, n in sorted(counts.items()))})")
    print(f"config tier, 1 worker:  {one:.1f} s")
    print(f"config tier, {args.workers} workers: {many:.1f} s")
    print(f"speed-up: {one / many:.2f}x; goal <= 60 s: {'met' if many <= 60 else 'NOT met'}")
    return 0 if counts == counts_many and "error" not in counts and "mismatch" not in counts else 1


if __name__ == "__main__":
    sys.exit(main())
