"""Badges are computed, never trusted: which recorded checks still speak for an entry as it is now.

A check record confirms an output only while everything it was made from is unchanged:

- the declared value it compared (``outputs.<name>.declared``) equals the entry's ``dim`` /
  ``shape`` now;
- the revision it ran at equals the entry's pinned revision (or the lock's sha) now;
- for the config and runtime tiers, the config.json it built equals the lock's now: the
  record's ``config_sha256`` is the hash of the lock's config (records written before the
  hash was recorded are taken while their ``config_provenance`` equals the lock's).

``match`` itself is recomputed from declared and observed whenever a record is read
(:class:`generator.locks.schema.OutputResult`). An output that was skipped or could not be
run is neither confirmed nor a mismatch. Pure functions; no I/O.
"""

from __future__ import annotations

from generator.catalog.schema import RUNNABLE_LOADERS, Embedding, Model
from generator.locks.files import TIER_ORDER, TIERS, Locks
from generator.locks.schema import OutputResult, TierResult, config_sha256


def declared(emb: Embedding) -> list[int]:
    """What a check compares an output with: its shape, else ``[dim]``."""
    return emb.shape or [emb.dim]


def pinned_revision(model: Model, locks: Locks) -> str | None:
    """The commit the checks run at: the entry's ``source.revision``, else the lock's sha."""
    record = locks.hub_record(model.id)
    return model.source.revision or (record.sha if record is not None else None)


def tier_runs(model: Model, locks: Locks, tier: str) -> list[TierResult]:
    """The recorded runs of a tier: one per setting for the runtime tier, else one."""
    checks = locks.model_checks(model.id)
    record = checks.tiers.result(tier) if checks is not None else None
    if record is None:
        return []
    if isinstance(record, TierResult):
        return [record]
    return [run for _, run in sorted(record.runs.items())]


def built_class_staleness(model: Model, tier: str, run: TierResult) -> str | None:
    """Why a run of an entry whose loader the checks cannot run does not speak for it, or None.

    Such an entry is confirmed only by a config or runtime run that built the in-library class it
    names as equivalent (``source.equivalent_architecture``); a run of an entry that runs its own
    class must not claim an equivalent.
    """
    loader, named = model.source.loader, model.source.equivalent_architecture
    if loader in RUNNABLE_LOADERS:
        if run.equivalent_architecture is not None:
            return f"built as the equivalent {run.equivalent_architecture}, the entry builds its own class"
        return None
    if named is None:
        return f"loader {loader} cannot be checked and the entry names no equivalent architecture"
    if tier == "weights":
        return f"the weights tier needs {loader}: a record of it cannot come from the checks"
    if run.equivalent_architecture != named:
        return f"built as {run.equivalent_architecture or 'an unnamed class'}, the entry names {named}"
    return None


def run_staleness(model: Model, locks: Locks, tier: str, run: TierResult) -> str | None:
    """Why a whole run no longer speaks for the entry (revision, config or built class changed), or None."""
    built = built_class_staleness(model, tier, run)
    if built is not None:
        return built
    revision = pinned_revision(model, locks)
    if run.revision and revision and run.revision != revision:
        return f"checked at revision {run.revision[:12]}, the entry is now at {revision[:12]}"
    if tier == "weights":
        return None  # the real checkpoint at the revision: its config is the revision's
    record = locks.hub_record(model.id)
    if run.config_sha256 is not None:
        if config_sha256(record.config if record is not None else None) != run.config_sha256:
            return "the recorded config.json changed since this check"
    elif run.config_provenance is not None:
        now = record.provenance.get("config") if record is not None else None
        if now != run.config_provenance:
            return "the recorded config.json has another provenance since this check"
    return None


def output_staleness(emb: Embedding, seen: OutputResult) -> str | None:
    """Why one output's result no longer speaks for the entry (its declared value changed), or None."""
    if seen.declared != declared(emb):
        return f"checked against declared {seen.declared}, the entry now declares {declared(emb)}"
    return None


def output_tier(model: Model, emb: Embedding, locks: Locks) -> str:
    """Strongest tier whose current record confirmed ``emb``; ``mismatch`` if one disagreed.

    Only records that still speak for the entry count; skipped and errored outputs count as
    not checked (``declared``), never as a mismatch.
    """
    best = "declared"
    for tier in TIERS:
        for run in tier_runs(model, locks, tier):
            seen = run.outputs.get(emb.name) if run.status == "ok" else None
            if seen is None or seen.observed is None:
                continue
            if run_staleness(model, locks, tier, run) or output_staleness(emb, seen):
                continue
            if seen.match is False:
                return "mismatch"
            if TIER_ORDER.index(tier) > TIER_ORDER.index(best):
                best = tier
    return best
