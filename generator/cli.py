"""``mmcat``: a thin command line over the library API.

Exit codes: 0 success, 1 invalid input or a failed check, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.errors import CatalogInvalid

Handler = Callable[[argparse.Namespace], int]


def _report_invalid(exc: CatalogInvalid) -> int:
    for error in exc.errors:
        print(error, file=sys.stderr)
    count = len(exc.errors)
    print(f"{count} error{'s' if count != 1 else ''}: nothing was written.", file=sys.stderr)
    return 1


def _report_stale(catalog: Path) -> bool:
    """Print each out-of-date schema file; True when there is any."""
    from generator.schema_files import stale_schema_files

    stale = stale_schema_files(catalog)
    for path in stale:
        print(f"{path}:1: (file): out of date: run `mmcat schema`", file=sys.stderr)
    return bool(stale)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the catalogue and the committed generated files."""
    from generator.load import load_catalog

    catalog = load_catalog(args.catalog)
    if _report_stale(args.catalog):
        return 1
    print(
        f"ok: {len(catalog.models)} models, {len(catalog.series)} series, "
        f"{len(catalog.papers)} papers, {len(catalog.benchmarks)} benchmark figures"
    )
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema files (or, with --check, fail when they drifted)."""
    from generator.schema_files import write_schema_files

    if args.check:
        return 1 if _report_stale(args.catalog) else 0
    for path in write_schema_files(args.catalog):
        print(f"wrote {path}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Check, render and build the site, offline."""
    from generator.site import build_site

    site = build_site(args.catalog, site_dir=args.site_dir)
    print(f"built {site}: open {site / 'index.html'} (English) or {site / 'zh' / 'index.html'} (中文)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve a live preview that re-renders when catalog/ or docs/ change."""
    from generator.site import serve_site

    serve_site(args.catalog, host=args.host, port=args.port)
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    """Take Hub snapshots into catalog/lock/hub.json."""
    from generator.hub import Hub
    from generator.refresh import UnknownModels, outcome_table, refresh

    try:
        outcomes = refresh(
            args.catalog,
            args.ids,
            hub=Hub(
                endpoint=args.endpoint,
                timeout=args.timeout,
                max_retries=args.retries,
                max_total=args.max_time,
            ),
            concurrency=args.concurrency,
            progress=sys.stderr.isatty(),
        )
    except UnknownModels as exc:
        print(f"mmcat refresh: not a Hub model of the catalogue: {exc}", file=sys.stderr)
        return 2
    print(outcome_table(outcomes))
    return 0 if all(o.status == "ok" for o in outcomes) else 1


def cmd_verify(args: argparse.Namespace) -> int:
    """Check declared dims by running the architecture; record results in lock/checks.json."""
    from generator.load import load_catalog
    from generator.locks import load_locks
    from generator.verify import Options, parse_shard, report, verify

    catalog = load_catalog(args.catalog)
    device = args.device
    if device == "auto":
        device = "cuda" if _cuda_available() else "cpu"
    dtype = args.dtype or ("bfloat16" if device.startswith("cuda") else "float32")
    options = Options(
        tier=args.tier,
        device=device,
        dtype=dtype,
        batch=args.batch,
        timeout=args.timeout,
        workers=args.workers,
    )
    try:
        shard = parse_shard(args.shard) if args.shard else None
        outcomes = verify(catalog, load_locks(args.catalog), args.ids, options, shard, progress=True)
    except (KeyError, ValueError) as exc:
        print(f"mmcat verify: {exc}", file=sys.stderr)
        return 2
    print(report(outcomes))
    return 1 if any(o.status in ("mismatch", "error") for o in outcomes) else 0


def _cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold a model entry to fill in."""
    from generator.scaffold import scaffold

    try:
        path = scaffold(args.catalog, args.id)
    except FileExistsError as exc:
        print(f"{exc}:1: (file): the entry exists already; edit it instead", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"mmcat new: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}: replace every TODO, then run `mmcat check`")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the catalogue as models.json / models.csv (the site's static API)."""
    from generator.export import FORMATS, write_export
    from generator.load import load_catalog
    from generator.locks import load_locks

    catalog = load_catalog(args.catalog)
    out = args.out or args.catalog.resolve().parent / "site" / "api"
    formats = (args.format,) if args.format else FORMATS
    for path in write_export(catalog, load_locks(args.catalog), out, formats):
        print(f"wrote {path}")
    return 0


COMMANDS: dict[str, tuple[Handler, str, str]] = {
    "check": (cmd_check, "validate every catalogue file", "mmcat check"),
    "new": (cmd_new, "scaffold a model entry to fill in", "mmcat new openai/clip-vit-base-patch32"),
    "build": (cmd_build, "check, render and build the EN/ZH site", "mmcat build --site-dir site"),
    "serve": (cmd_serve, "live preview that rebuilds on change", "mmcat serve --port 8000"),
    "refresh": (
        cmd_refresh,
        "record Hub metadata in catalog/lock/hub.json",
        "mmcat refresh facebook/dinov2-small --concurrency 8",
    ),
    "verify": (
        cmd_verify,
        "check declared dims by running the architecture",
        "mmcat verify facebook/dinov2-small --tier config",
    ),
    "schema": (cmd_schema, "export the JSON Schema files", "mmcat schema --check"),
    "export": (
        cmd_export,
        "write the catalogue as models.json and models.csv",
        "mmcat export --format csv --out exports/",
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every command's help ends with an example."""
    parser = argparse.ArgumentParser(
        prog="mmcat",
        description="Build and check the bilingual catalogue of multimodal embedding models.",
        epilog="example: mmcat --catalog catalog check",
    )
    parser.add_argument(
        "--catalog", type=Path, default=Path("catalog"), help="catalogue folder (default: ./catalog)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parsers = {}
    for name, (handler, summary, example) in COMMANDS.items():
        p = sub.add_parser(
            name,
            help=summary,
            description=f"{summary[0].upper()}{summary[1:]}.",
            epilog=f"example: {example}",
        )
        p.set_defaults(handler=handler)
        parsers[name] = p
    parsers["new"].add_argument("id", help="Hugging Face id, org/name")
    parsers["build"].add_argument(
        "--site-dir", type=Path, default=None, help="output folder (default: site/)"
    )
    parsers["serve"].add_argument("--host", default="127.0.0.1")
    parsers["serve"].add_argument("--port", type=int, default=8000)
    refresh = parsers["refresh"]
    refresh.add_argument("ids", nargs="*", metavar="ID", help="model ids (default: every Hub model)")
    refresh.add_argument("--concurrency", type=int, default=8, help="requests in flight (default: 8)")
    refresh.add_argument("--endpoint", default=None, help="Hub URL (default: $HF_ENDPOINT or huggingface.co)")
    refresh.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default: 10)")
    refresh.add_argument("--retries", type=int, default=5, help="retries of a failing call (default: 5)")
    refresh.add_argument(
        "--max-time",
        type=float,
        default=60.0,
        help="seconds one call may take, retries included (default: 60)",
    )
    ver = parsers["verify"]
    ver.add_argument("ids", nargs="*", metavar="ID", help="model ids (default: every model)")
    ver.add_argument("--tier", choices=["config", "runtime", "weights"], default="config")
    ver.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default: auto)")
    ver.add_argument("--dtype", choices=["float32", "bfloat16", "float16"], default=None)
    ver.add_argument("--batch", type=int, default=1, help="batch size of the synthetic inputs (default: 1)")
    ver.add_argument("--shard", default=None, metavar="K/N", help="check only the K-th of N parts")
    ver.add_argument("--timeout", type=float, default=600.0, help="seconds per model (default: 600)")
    ver.add_argument("--workers", type=int, default=2, help="models checked at once (default: 2)")
    parsers["schema"].add_argument("--check", action="store_true", help="exit 1 if the files drifted")
    parsers["export"].add_argument("--format", choices=["json", "csv"], default=None, help="default: both")
    parsers["export"].add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="folder (default: site/api/)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mmcat`` console script."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except CatalogInvalid as exc:
        return _report_invalid(exc)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
