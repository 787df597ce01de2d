"""Runtime tier over the whole catalogue on a GPU: bfloat16, batch 1 and 8, into shard files.

For a CUDA machine that already has torch and transformers (any version: each record
says which ran) and no network. Every model is random-initialised from its recorded
config on the GPU, run at each batch size, and timed with CUDA events after a warm-up;
peak memory is ``torch.cuda.max_memory_allocated`` of a fresh worker process per model.
Models whose config needs remote code are skipped (that code would come from the Hub).

Results go to one shard file per run of this script; fold them into the lock with
``mmcat merge SHARD...`` (the lock is never written here).

Usage (from the repository root; with the package installed, or ``PYTHONPATH=.`` where it is not):

    python3 scripts/gpu_runtime.py --out shards/runtime-1-of-1.json
    python3 scripts/gpu_runtime.py --shard 2/4 --out shards/runtime-2-of-4.json
    python3 scripts/gpu_runtime.py --device cpu --dtype float32 --batches 1 2 --out /tmp/s.json ID ...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator.catalog.load import load_catalog
from generator.locks.files import load_locks
from generator.verify import Options, parse_shard, report, verify


def build_parser() -> argparse.ArgumentParser:
    """The script's arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", metavar="ID", help="model ids (default: every model)")
    parser.add_argument("--catalog", type=Path, default=Path("catalog"))
    parser.add_argument("--out", type=Path, required=True, help="shard file to write")
    parser.add_argument(
        "--shard", type=parse_shard, default=None, metavar="K/N", help="only the K-th of N parts"
    )
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per model and batch")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the runtime tier at each batch size into one shard file; exit 1 on any failed model."""
    args = build_parser().parse_args(argv)

    catalog = load_catalog(args.catalog)
    locks = load_locks(args.catalog)
    failed = False
    for batch in args.batches:
        # One model at a time: the GPU's memory and its timings belong to that model alone.
        options = Options(
            tier="runtime", device=args.device, dtype=args.dtype, batch=batch, timeout=args.timeout, workers=1
        )
        outcomes = verify(catalog, locks, args.ids, options, args.shard, progress=True, out=args.out)
        print(f"batch {batch}:\n{report(outcomes)}")
        failed |= any(o.status in ("mismatch", "error") for o in outcomes)
    models = json.loads(args.out.read_text(encoding="utf-8")).get("models", {})
    print(f"wrote {args.out}: {len(models)} models; fold it in with `mmcat merge {args.out}`")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
