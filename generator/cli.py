"""``mmcat``: a thin command line over the library API.

Exit codes: 0 success, 1 invalid input or a failed check, 2 usage error.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import CatalogInvalid, UnknownModels, display_path
from generator.locks.files import TIERS

if TYPE_CHECKING:
    from generator.catalog.validated import Catalog
    from generator.hub.client import Hub

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


def _validated(catalog_dir: Path) -> Catalog | None:
    """The catalogue checked as `mmcat check` does (schema, cross-file and lock checks, stale
    schema files); None when a schema file is stale (already reported)."""
    from generator.catalog.load import load_catalog
    from generator.locks.audit import audit

    catalog = load_catalog(catalog_dir)
    audit(catalog)
    return None if _report_stale(catalog_dir) else catalog


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the catalogue and the committed generated files."""
    catalog = _validated(args.catalog)
    if catalog is None:
        return 1
    figures = [f for r in catalog.results for f in r.obj.figures]
    print(
        f"ok: {len(catalog.models)} models, {len(catalog.series)} series, {len(catalog.papers)} papers, "
        f"{len(figures)} reported figures for {len({f.model for f in figures})} models"
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
    from generator.site.engine.build import build_or_skip

    site, built = build_or_skip(args.catalog, site_dir=args.site_dir, force=args.force)
    if not built:
        print(f"unchanged since the last build: {site} left as it is (--force builds anyway)")
        return 0
    print(f"built {site}: open {site / 'index.html'} (English) or {site / 'zh' / 'index.html'} (中文)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve a live preview that re-renders when catalog/ or docs/ change."""
    from generator.site.engine.build import PortUnavailable, serve_site

    try:
        serve_site(args.catalog, host=args.host, port=args.port)
    except PortUnavailable as exc:
        print(f"{exc}; stop the other server or choose another --port", file=sys.stderr)
        return 1
    return 0


def _hub(args: argparse.Namespace) -> Hub:
    from generator.hub.client import Hub

    return Hub(
        endpoint=args.endpoint, timeout=args.timeout, max_retries=args.retries, max_total=args.max_time
    )


def cmd_refresh(args: argparse.Namespace) -> int:
    """Take Hub snapshots into catalog/lock/hub.json."""
    from generator.hub.refresh import outcome_table, refresh

    try:
        with _hub(args) as hub:
            outcomes = refresh(
                args.catalog, args.ids, hub=hub, concurrency=args.concurrency, progress=sys.stderr.isatty()
            )
    except UnknownModels as exc:
        print(f"mmcat refresh: not a Hub model of the catalogue: {exc}", file=sys.stderr)
        return 2
    print(outcome_table(outcomes))
    return 0 if all(o.status == "ok" for o in outcomes) else 1


def cmd_verify(args: argparse.Namespace) -> int:
    """Check declared dims by running the architecture; record results in lock/checks.json."""
    from generator.catalog.load import load_catalog
    from generator.locks.files import load_locks
    from generator.outputs import check_file
    from generator.verify import NeedsExtra, Options, report, verify

    if args.out is not None:
        check_file(args.out, args.catalog.resolve().parent)
    catalog = load_catalog(args.catalog)
    options = Options(
        tier=args.tier,
        device=args.device,
        dtype=args.dtype,
        batch=args.batch,
        timeout=args.timeout,
        workers=args.workers,
        remote_code=args.remote_code,
    )
    try:
        outcomes = verify(
            catalog, load_locks(args.catalog), args.ids, options, args.shard, progress=True, out=args.out
        )
    except UnknownModels as exc:
        print(f"mmcat verify: not a model of the catalogue: {exc}", file=sys.stderr)
        return 2
    except NeedsExtra as exc:
        print(f"mmcat verify: {exc}; nothing was written.", file=sys.stderr)
        return 1
    print(report(outcomes))
    return 1 if any(o.status in ("mismatch", "error") for o in outcomes) else 0


def cmd_ci(args: argparse.Namespace) -> int:
    """Check the entries changed since a git revision against the Hub, as CI does."""
    import os

    from generator.ci.changes import GitError
    from generator.ci.check import markdown, record, run_ci
    from generator.outputs import check_file
    from generator.verify import NeedsExtra

    if args.report:
        check_file(args.report, args.catalog.resolve().parent)
    if _validated(args.catalog) is None:
        return 1
    try:
        with _hub(args) as hub:
            report = run_ci(
                args.catalog,
                args.since,
                hub=hub,
                every_entry=args.all,
                workers=args.workers,
                timeout=args.check_timeout,
                progress=True,
            )
    except GitError as exc:
        print(f"mmcat ci: {exc}", file=sys.stderr)
        return 2
    except NeedsExtra as exc:
        print(f"mmcat ci: {exc}; nothing was written.", file=sys.stderr)
        return 1
    text = markdown(report)
    targets = [args.report] if args.report else []
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        targets.append(Path(os.environ["GITHUB_STEP_SUMMARY"]))
    for target in targets:  # the report first: the lock is written only once it is safe
        try:
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            print(f"{target}:1: (file): cannot write the report: {exc.strerror}", file=sys.stderr)
            print("the lock was not written.", file=sys.stderr)
            return 1
    record(args.catalog, report)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    for entry in report.entries:
        print(f"{entry.model_id}: {entry.result}{' (' + entry.note + ')' if entry.note else ''}")
    failed = sum(e.result == "failed" for e in report.entries)
    print(f"{len(report.entries)} entries checked since {report.changes.since}, {failed} failed")
    return 1 if report.failed else 0


def cmd_merge(args: argparse.Namespace) -> int:
    """Fold shard files of check results into catalog/lock/checks.json."""
    from generator.catalog.load import load_catalog
    from generator.locks.files import load_locks
    from generator.verify.merge import MergeConflict, merge_shards

    missing = [p for p in args.shards if not p.is_file()]
    if missing:
        for path in missing:
            print(f"{path}:1: (file): shard file not found", file=sys.stderr)
        return 1
    catalog = load_catalog(args.catalog)
    hub = load_locks(args.catalog).hub_records
    pinned = {mid: rec.sha for mid, rec in hub.items()}
    configs = {mid: rec.config for mid, rec in hub.items()}
    try:
        merged = merge_shards(
            args.catalog / "lock" / "checks.json", args.shards, pinned, catalog.model_map, configs
        )
    except MergeConflict as exc:
        for problem in exc.problems:
            print(f"mmcat merge: {problem}", file=sys.stderr)
        print("nothing was written.", file=sys.stderr)
        return 1
    lock = args.catalog / "lock" / "checks.json"
    print(f"merged {len(args.shards)} shard files: {len(merged)} models into {lock}")
    return 0


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
    from generator.locks.files import load_locks
    from generator.outputs import check_dir, mark, owned
    from generator.site.export.api import FORMATS, write_export

    root = args.catalog.resolve().parent
    # The default is inside the built site (which may predate the folder marker).
    out = args.out or root / "site" / "api"
    check_dir(out, root, legacy=args.out is None)
    catalog = _validated(args.catalog)  # the same checks as `mmcat check`: no export of a failing catalogue
    if catalog is None:
        return 1
    formats = (args.format,) if args.format else FORMATS
    # models.js is the compare page's part of the same JSON, for pages opened from the file system:
    # written with it, so the two never disagree.
    script = "json" in formats
    written = write_export(catalog, load_locks(args.catalog), out, formats, script=script)
    if args.out is None and not owned(root / "site"):
        mark(root / "site")
    elif args.out is not None and not owned(out.resolve(), root):
        mark(out)
    for path in written:
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
    "ci": (
        cmd_ci,
        "check the entries changed since a git revision against the Hub, as CI does",
        "mmcat ci --since origin/main --report ci-report.md",
    ),
    "merge": (
        cmd_merge,
        "fold shard files of check results into catalog/lock/checks.json",
        "mmcat merge shards/runtime-1.json shards/runtime-2.json",
    ),
    "export": (
        cmd_export,
        "write the catalogue as models.json and models.csv",
        "mmcat export --format csv --out exports/",
    ),
}


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be at least 1")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must not be negative")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a finite number of seconds above 0")
    return value


DEVICE = re.compile(r"auto|cpu|cuda(:\d+)?")


def _device(text: str) -> str:
    if not DEVICE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r}: unknown device; use auto, cpu, cuda or cuda:N")
    return text


# What each command may write (shown by its --help; see generator/outputs.py for the checks).
WRITES: dict[str, str] = {
    "check": "nothing",
    "new": "one new file, catalog/models/ORG/NAME.yaml (never overwrites an entry)",
    "build": "build/ and the site: --site-dir (default site/) becomes a link to a new "
    "<DIR>.builds/<stamp>/, swapped in one step; older builds and leftovers of an interrupted "
    "build are removed",
    "serve": "build/ only",
    "refresh": "catalog/lock/hub.json",
    "verify": "catalog/lock/checks.json, or the --out shard file",
    "schema": "catalog/schema/*.json (nothing with --check)",
    "ci": "catalog/lock/hub.json, catalog/lock/checks.json and the --report file",
    "merge": "catalog/lock/checks.json",
    "export": "models.json, models.csv and results.csv in --out (default site/api/)",
}
OWNERSHIP = (
    "An output folder is refused (exit 1, nothing touched) when it is the project, a folder "
    "above it, project data (catalog/, docs/, .git ...), a file, or a non-empty folder mmcat did "
    "not create (it marks its folders with .mmcat-output). Files are written whole (temporary "
    "file, then rename)."
)


def _shard(text: str) -> tuple[int, int]:
    from generator.verify import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every command's help ends with an example."""
    parser = argparse.ArgumentParser(
        prog="mmcat",
        description="Build and check the bilingual catalogue of multimodal embedding models. "
        "Each command's --help says what it may write.",
        epilog="example: mmcat --catalog catalog check",
    )
    parser.add_argument(
        "--catalog", type=Path, default=Path("catalog"), help="catalogue folder (default: ./catalog)"
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parsers = {}
    for name, (handler, summary, example) in COMMANDS.items():
        p = sub.add_parser(
            name,
            help=summary,
            description=f"{summary[0].upper()}{summary[1:]}. Writes: {WRITES[name]}. {OWNERSHIP}",
            epilog=f"example: {example}",
        )
        p.set_defaults(handler=handler)
        parsers[name] = p
    parsers["new"].add_argument("id", help="Hugging Face id, org/name")
    parsers["build"].add_argument(
        "--site-dir", type=Path, default=None, help="output folder (default: site/)"
    )
    parsers["build"].add_argument(
        "--force", action="store_true", help="build even when no input changed since the last build"
    )
    parsers["serve"].add_argument("--host", default="127.0.0.1")
    parsers["serve"].add_argument("--port", type=int, default=8000)
    refresh = parsers["refresh"]
    refresh.add_argument("ids", nargs="*", metavar="ID", help="model ids (default: every Hub model)")
    refresh.add_argument(
        "--concurrency", type=_positive_int, default=8, help="requests in flight (default: 8)"
    )
    ci = parsers["ci"]
    ci.add_argument(
        "--since",
        default=None,
        metavar="REF",
        help="git revision (default: merge base with the default branch)",
    )
    ci.add_argument("--report", type=Path, default=None, metavar="FILE", help="also write a Markdown report")
    ci.add_argument("--all", action="store_true", help="check every model entry, changed or not")
    ci.add_argument("--workers", type=_positive_int, default=2, help="models checked at once (default: 2)")
    ci.add_argument(
        "--check-timeout", type=_seconds, default=600.0, help="seconds per model check (default: 600)"
    )
    for p in (refresh, ci):
        p.add_argument("--endpoint", default=None, help="Hub URL (default: $HF_ENDPOINT or huggingface.co)")
        p.add_argument("--timeout", type=_seconds, default=10.0, help="seconds per request (default: 10)")
        p.add_argument("--retries", type=_count, default=5, help="retries of a failing call (default: 5)")
        p.add_argument(
            "--max-time",
            type=_seconds,
            default=60.0,
            help="seconds one call may take, retries included (default: 60)",
        )
    parsers["merge"].add_argument("shards", nargs="+", type=Path, metavar="SHARD", help="shard files")
    ver = parsers["verify"]
    ver.add_argument("ids", nargs="*", metavar="ID", help="model ids (default: every model)")
    ver.add_argument("--tier", choices=TIERS, default="config")
    ver.add_argument(
        "--device", type=_device, default="auto", help="auto, cpu, cuda or cuda:N (default: auto)"
    )
    ver.add_argument("--dtype", choices=["float32", "bfloat16", "float16"], default=None)
    ver.add_argument(
        "--batch", type=_positive_int, default=1, help="batch size of the synthetic inputs (default: 1)"
    )
    ver.add_argument(
        "--shard", type=_shard, default=None, metavar="K/N", help="check only the K-th of N parts"
    )
    ver.add_argument("--timeout", type=_seconds, default=600.0, help="seconds per model (default: 600)")
    ver.add_argument("--workers", type=_positive_int, default=2, help="models checked at once (default: 2)")
    ver.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the results to this shard file (created or extended) instead of the lock; "
        "fold shards in with `mmcat merge`",
    )
    ver.add_argument(
        "--remote-code",
        action="store_true",
        help="config tier: run the pinned remote code of entries that opt in (downloads it from the Hub)",
    )
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
    except Exception as exc:
        if args.debug:
            raise
        if isinstance(exc, OSError) and exc.filename is not None:
            # The machine refused a file operation (a read-only folder, a full disk, a path that
            # is not what the command needs): the path and the system's reason, not a bug report.
            print(f"{display_path(Path(str(exc.filename)))}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        # Not the user's mistake: a bug (or the machine) failed; say so, without a traceback.
        print(f"mmcat {args.command}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("This is a bug; re-run with --debug for the traceback and report it.", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
