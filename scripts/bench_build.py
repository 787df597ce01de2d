"""Benchmark the site build as the catalogue grows: time and peak memory per size.

Model pages are kept out of the navigation, so each page carries a constant
number of links and the build grows linearly with the number of models (a flat
nav of N pages makes the site O(N^2)). Each size is built in a fresh process.

Usage: .venv/bin/python scripts/bench_build.py [--sizes 100 1000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.testing.synthetic import make_catalog

REPO = Path(__file__).resolve().parents[1]


def build(n: int) -> tuple[float, float, int]:
    """Build a synthetic catalogue of ``n`` models; return (seconds, peak MiB, bytes of HTML)."""

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_catalog(root, n, REPO / "catalog")
        shutil.copytree(REPO / "docs", root / "docs")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "generator.cli", "build"],
            cwd=root,
            check=True,
            capture_output=True,
            env=None,
        )
        elapsed = time.perf_counter() - start
        peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        html = sum(p.stat().st_size for p in (root / "site").rglob("*.html"))
    return elapsed, peak, html


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the site build at several catalogue sizes.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    results = []
    for n in args.sizes:
        seconds, peak, html = build(n)
        results.append((n, seconds, html))
        print(f"{n:5d} models: {seconds:6.1f} s, peak memory {peak:6.0f} MiB, HTML {html / 2**20:6.1f} MiB")
    if len(results) > 1:
        (n0, t0, h0), (n1, t1, h1) = results[0], results[-1]
        print(
            f"x{n1 / n0:g} models -> x{t1 / t0:.1f} time, x{h1 / h0:.1f} HTML "
            f"(linear would be x{n1 / n0:g}, quadratic x{(n1 / n0) ** 2:g})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
