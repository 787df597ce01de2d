"""``mmcat verify``: check declared embedding dims by running the architecture.

The stages, each a module: :mod:`~generator.verify.plan` (which jobs), :mod:`~generator.verify.pool`
(worker processes), :mod:`~generator.verify.results` (judge, record, report); never torch here.
The work happens in child processes (:mod:`generator.verify.worker`), each
job with a timeout: a crash, an out-of-memory kill or a hang is that model's
failure, and the others go on.

Tiers: ``config`` (build from the recorded config.json on the meta device),
``runtime`` (random weights on a real device, timed), ``weights`` (real
weights from the Hub at the pinned revision, real processor, bundled sample).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from generator.catalog.schema import Model
from generator.catalog.validated import Catalog
from generator.locks.files import Locks
from generator.verify.plan import CheckOutcome, Job, Options, Status, parse_shard, plan, select
from generator.verify.pool import run_jobs
from generator.verify.results import judge, report, save

__all__ = [
    "CheckOutcome",
    "Job",
    "NeedsExtra",
    "Options",
    "Status",
    "check",
    "judge",
    "parse_shard",
    "plan",
    "report",
    "require_verify_extra",
    "run_jobs",
    "save",
    "select",
    "verify",
]


class NeedsExtra(Exception):
    """torch or transformers is not installed: the checks cannot run here (nothing is written)."""


def require_verify_extra() -> None:
    """Raise :class:`NeedsExtra` unless the packages of the ``verify`` extra can be imported.

    Found without importing them (this process never imports torch).
    """
    missing = []
    for name in ("torch", "transformers"):
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    if missing:
        raise NeedsExtra(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed: the checks need "
            "the verify extra: pip install '.[verify]' (or ./scripts/install-deps test, the tested lock)"
        )


def check(models: list[Model], locks: Locks, options: Options, progress: bool = False) -> list[CheckOutcome]:
    """Check ``models`` at one tier; nothing is written.

    Returns:
        One :class:`CheckOutcome` per model, sorted by id (skipped ones with their reason).

    Raises:
        NeedsExtra: torch or transformers is missing (checked before anything runs).
    """
    jobs, outcomes = plan(models, locks, options)
    if jobs:
        require_verify_extra()
    if progress:
        print(
            f"checking {len(jobs)} models at the {options.tier} tier ({len(outcomes)} skipped)",
            file=sys.stderr,
        )
    for job, raw in run_jobs(jobs, options):
        record = locks.hub_record(job.model.id)
        provenance = record.provenance.get("config") if record is not None else None
        outcome = judge(job, raw, options, provenance)
        outcomes.append(outcome)
        if progress:
            print(f"  {outcome.model_id}: {outcome.status} {outcome.reason}".rstrip(), file=sys.stderr)
    return sorted(outcomes, key=lambda o: o.model_id)


def verify(
    catalog: Catalog,
    locks: Locks,
    ids: list[str],
    options: Options,
    shard: tuple[int, int] | None = None,
    progress: bool = False,
    out: Path | None = None,
) -> list[CheckOutcome]:
    """Check the selected models at one tier and record the results.

    Results go to ``lock/checks.json``, or with ``out`` to that shard file (created or
    extended), to be folded into the lock later by :func:`generator.verify.merge.merge_shards`.
    """
    outcomes = check(select(catalog, ids, shard), locks, options, progress)
    kept = set(save(out or catalog.root / "lock" / "checks.json", outcomes, options.tier))
    for outcome in outcomes:
        if outcome.model_id in kept:
            outcome.reason += " (the previous ok record is kept)"
    return outcomes
