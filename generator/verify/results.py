"""Judge what the workers observed against the declared values, record it, and report it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from generator.catalog.schema import RUNNABLE_LOADERS
from generator.locks.files import Tier, read_lock, write_lock
from generator.locks.schema import config_sha256
from generator.table import closing_table
from generator.verify.merge import fold_record, run_key
from generator.verify.plan import CheckOutcome, Job, Options


def judge(job: Job, raw: dict[str, Any], options: Options, provenance: str | None) -> CheckOutcome:
    """Compare observed with declared values; build the lock record of this tier."""
    model = job.model
    record: dict[str, Any] = {
        "status": raw.get("status", "error"),
        "date": dt.date.today().isoformat(),
        "revision": job.payload.get("revision"),
        **{
            k: raw[k]
            for k in ("torch", "transformers", "device", "dtype", "parameters", "config_audit")
            if k in raw
        },
    }
    if model.source.loader not in RUNNABLE_LOADERS:
        # Built as the named in-library equivalent, not with the loader's own code: the record says so.
        record["equivalent_architecture"] = job.payload.get("architecture")
    if options.tier != "weights":
        if provenance:
            record["config_provenance"] = provenance
        digest = config_sha256(job.payload.get("config"))
        if digest is not None:
            record["config_sha256"] = digest  # a badge needs the lock's config to hash the same
    for key in ("batch", "latency_ms", "peak_memory_mb", "device_name", "inputs", "checks"):
        if key in raw:
            record[key] = raw[key]
    if raw.get("status") != "ok":
        record["reason"] = raw.get("reason", "unknown error")
        return CheckOutcome(model.id, "error", record["reason"], record)
    outputs: dict[str, Any] = {}
    problems: list[str] = []
    mismatched = False
    for emb in model.embeddings:
        seen = raw.get("outputs", {}).get(emb.name)
        if seen is None:
            continue
        declared = emb.shape or [emb.dim]
        entry: dict[str, Any] = {"declared": declared}
        if "skipped" in seen:
            entry["skipped"] = seen["skipped"]
        elif "error" in seen:
            entry["error"] = seen["error"]
            problems.append(f"{emb.name}: {seen['error']}")
        elif emb.multi_vector:
            # One vector per input token: the last axis is the dim, the other is the input's token count.
            entry["multi_vector"] = True
            entry["observed"] = seen["observed"]
            tokens = seen.get("input_tokens")
            if tokens is not None:
                entry["input_tokens"] = tokens
            entry["match"] = tokens is not None and seen["observed"] == [tokens, emb.dim]
            if not entry["match"]:
                mismatched = True
                problems.append(
                    f"{emb.name}: declared one {emb.dim}-d vector per token of {tokens} input tokens, "
                    f"observed {seen['observed']}"
                )
        else:
            entry["observed"] = seen["observed"]
            entry["match"] = seen["observed"] == declared
            if not entry["match"]:
                mismatched = True
                problems.append(f"{emb.name}: declared {declared}, observed {seen['observed']}")
        outputs[emb.name] = entry
    record["outputs"] = outputs
    checks = raw.get("checks", {})
    if checks.get("finite") is False:
        problems.append("non-finite outputs")
    if checks.get("pairs_ordered") is False:
        problems.append(f"a matching pair did not score above a mismatched one: {checks.get('pair_scores')}")
    if mismatched:
        return CheckOutcome(model.id, "mismatch", "; ".join(problems), record)
    if problems:
        return CheckOutcome(model.id, "error", "; ".join(problems), record)
    return CheckOutcome(model.id, "ok", "", record)


def _previous(
    models: dict[str, Any], model_id: str, tier: Tier, record: dict[str, Any]
) -> dict[str, Any] | None:
    """The record that ``record`` would replace (for the runtime tier: the run of the same setting)."""
    tiers = models.get(model_id, {}).get("tiers", {})
    if tier == "runtime":
        found: dict[str, Any] | None = tiers.get("runtime", {}).get("runs", {}).get(run_key(record))
        return found
    previous: dict[str, Any] | None = tiers.get(tier)
    return previous


def save(path: Path, outcomes: list[CheckOutcome], tier: Tier) -> list[str]:
    """Fold recorded outcomes into the lock or shard file at ``path``.

    Skipped models keep their records, and so does a model whose check failed with an error
    where the previous record of the same check was ``ok``: a timeout, a missing package or a
    bad option never replaces a good record with a worse one (the error is still reported,
    and a record that no longer fits the entry stops counting for its badge by itself).

    Returns:
        The ids of the models whose previous ok record was kept.
    """
    lock = read_lock(path)
    models = lock.setdefault("models", {})
    kept = []
    for outcome in outcomes:
        if outcome.status == "skipped":
            continue
        previous = _previous(models, outcome.model_id, tier, outcome.record)
        if outcome.status == "error" and previous is not None and previous.get("status") == "ok":
            kept.append(outcome.model_id)
            continue
        fold_record(models, outcome.model_id, tier, outcome.record)
    write_lock(path, lock)
    return kept


def report(outcomes: list[CheckOutcome]) -> str:
    """Closing table: one line per model (the observed dims, or why not), then a count."""

    def detail(o: CheckOutcome) -> str:
        if o.status != "ok":
            return o.reason
        outputs = o.record.get("outputs", {}).items()
        return ", ".join(f"{k} {v['observed']}" if "observed" in v else f"{k} skipped" for k, v in outputs)

    return closing_table([(o.model_id, o.status, detail(o)) for o in outcomes], "result", "nothing to check")
