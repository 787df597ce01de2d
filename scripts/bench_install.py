"""Benchmark the install step of the two README commands on a fresh clone.

For each set (``site``: what ./scripts/build installs; ``test``: what ./scripts/test installs), a fresh
clone of the committed HEAD gets a new ``.venv`` twice, taking turns:

- before: the previous scripts' way, ``python3 -m venv .venv`` + ``pip install -e .`` (or
  ``-e '.[verify,test]'``), resolving open ranges;
- after: ``scripts/install-deps site|test``, syncing the committed lock with uv.

Package caches are warm (a first round runs untimed unless ``--cold``). Prints each wall time, the
ratio after/before, the number of distributions installed and whether torch came with the site set.

Usage: .venv/bin/python scripts/bench_install.py [--runs 1] [--sets site test] [--cold]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIST_DISTRIBUTIONS = "import importlib.metadata as m; print(*(d.metadata['Name'] for d in m.distributions()))"
BEFORE = {"site": "-e .", "test": "-e .[verify,test]"}


def fresh_clone(scratch: Path, name: str) -> Path:
    target = scratch / name
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True)
    return target


def install_before(clone: Path, which: str) -> None:
    subprocess.run(["python3", "-m", "venv", ".venv"], cwd=clone, check=True)
    pip = [".venv/bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    pip += BEFORE[which].split()
    subprocess.run(pip, cwd=clone, check=True, stderr=subprocess.DEVNULL)


def install_after(clone: Path, which: str) -> None:
    subprocess.run(["./scripts/install-deps", which], cwd=clone, check=True)


def distributions(clone: Path) -> list[str]:
    listing = subprocess.run(
        [".venv/bin/python", "-c", LIST_DISTRIBUTIONS],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    )
    return listing.stdout.split()


def timed(way: str, which: str, scratch: Path, label: str) -> tuple[float, list[str]]:
    clone = fresh_clone(scratch, label)
    start = time.perf_counter()
    (install_before if way == "before" else install_after)(clone, which)
    return time.perf_counter() - start, distributions(clone)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--sets", nargs="+", default=["site", "test"], choices=["site", "test"])
    parser.add_argument("--cold", action="store_true", help="no untimed warm-up round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        if not args.cold:
            for which in args.sets:
                for way in ("before", "after"):
                    timed(way, which, scratch, f"warm-{way}-{which}")
        for which in args.sets:
            for run in range(args.runs):
                seconds: dict[str, float] = {}
                for way in ("before", "after"):
                    seconds[way], dists = timed(way, which, scratch, f"{way}-{which}-{run}")
                    torch = "with torch" if "torch" in dists else "no torch"
                    figure = f"{seconds[way]:6.1f} s, {len(dists)} distributions, {torch}"
                    print(f"{which:4} {way:6} run {run + 1}: {figure}")
                print(f"{which:4} after/before: {seconds['after'] / seconds['before']:.2f}")
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
