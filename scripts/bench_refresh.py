"""Benchmark ``mmcat refresh``: synthetic models on the local Hub server with added latency.

Builds a throw-away catalogue of N synthetic models, serves them from the
test suite's local Hub (every request delayed by --latency seconds), and times
a sequential refresh (concurrency 1) of a sample and a concurrent refresh of
all N. Goal: 1,000 models at 50 ms per request in <= 10 s concurrent.

Usage: .venv/bin/python scripts/bench_refresh.py [--models 1000] [--latency 0.05]
       [--concurrency 32] [--sequential-sample 100]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.hub.client import Hub
from generator.hub.refresh import refresh
from generator.testing.hubserver import FakeHub, FakeRepo, make_safetensors
from generator.testing.synthetic import make_catalog

REPO = Path(__file__).resolve().parents[1]


def serve(repos: list[FakeRepo], latency: float, ready: Any, stop: Any) -> None:
    """Run the local Hub in its own process, so it does not share the client's GIL."""
    with FakeHub(repos, latency=latency, keep_alive=True) as hub:
        ready.put((hub.url, None))
        stop.wait()
        ready.put((hub.url, (len(hub.requests), time.process_time())))


def timed(catalog: Path, url: str, ids: list[str], concurrency: int, cold: bool = True) -> tuple[float, int]:
    if cold:
        (catalog / "lock" / "hub.json").unlink(missing_ok=True)
    cpu = time.process_time()
    start = time.perf_counter()
    with Hub(endpoint=url, timeout=30) as hub:
        outcomes = refresh(catalog, ids, hub=hub, concurrency=concurrency)
    elapsed = time.perf_counter() - start
    print(
        f"  {len(ids)} models, concurrency {concurrency}: {elapsed:.2f} s wall, "
        f"{time.process_time() - cpu:.2f} s client CPU"
    )
    return elapsed, sum(o.status == "ok" for o in outcomes)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark mmcat refresh on a local Hub.")
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--sequential-sample", type=int, default=100)
    args = parser.parse_args()
    config = json.dumps({"model_type": "dinov2", "hidden_size": 384}).encode()
    weights = make_safetensors({"w": ("F32", [384, 384])})
    with tempfile.TemporaryDirectory() as tmp:
        catalog = make_catalog(Path(tmp), args.models, REPO / "catalog")
        ids = [f"bench/model-{i:04d}" for i in range(args.models)]
        repos = [
            FakeRepo(
                repo_id=i,
                sha=f"{n:040x}",
                files={"config.json": config, "model.safetensors": weights},
                info={},
            )
            for n, i in enumerate(ids, start=1)
        ]
        ready: Any = multiprocessing.Queue()
        stop: Any = multiprocessing.Event()
        server = multiprocessing.Process(target=serve, args=(repos, args.latency, ready, stop), daemon=True)
        server.start()
        url, _ = ready.get(timeout=60)
        try:
            sample = ids[: args.sequential_sample]
            seq, seq_ok = timed(catalog, url, sample, 1)
            conc, conc_ok = timed(catalog, url, ids, args.concurrency)
            warm, warm_ok = timed(catalog, url, ids, args.concurrency, cold=False)
        finally:
            stop.set()
            _, (requests, server_cpu) = ready.get(timeout=60)
            server.join(timeout=10)
    per_model_seq = seq / len(sample)
    print(
        f"models: {args.models}, added latency: {args.latency * 1000:.0f} ms/request, "
        f"requests served in all three runs: {requests}"
    )
    print(
        f"sequential (concurrency 1): {seq:.2f} s for {len(sample)} models ({seq_ok} ok) "
        f"= {per_model_seq * 1000:.0f} ms/model -> {per_model_seq * args.models:.1f} s for {args.models} "
        "(extrapolated)"
    )
    print(
        f"concurrent (concurrency {args.concurrency}): {conc:.2f} s for {args.models} models ({conc_ok} ok)"
    )
    print(f"concurrent again, commits unchanged (configs reused from the lock): {warm:.2f} s ({warm_ok} ok)")
    print(f"local Hub server process CPU (all runs): {server_cpu:.2f} s")
    print(
        f"speed-up: {per_model_seq * args.models / conc:.1f}x; "
        f"goal <= 10 s: {'met' if conc <= 10 else 'NOT met'}"
    )
    return 0 if conc_ok == args.models else 1


if __name__ == "__main__":
    sys.exit(main())
