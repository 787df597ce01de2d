"""Fold check results into ``lock/checks.json``: one run's outcomes, or shard files.

``mmcat verify --out FILE`` (the sharded GPU jobs) writes a shard file shaped like
the lock; ``mmcat merge`` folds shard files into the lock. A merge is deterministic
(the result does not depend on the order of the files) and all-or-nothing: results
of one model taken at different revisions, or two shards that observed different
outputs for the same check, stop it before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.catalog.schema import Model
from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.locks.files import json_line, read_lock, write_lock
from generator.locks.schema import config_sha256


class MergeConflict(Exception):
    """Shard files that cannot be merged; carries one message per conflict."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def run_key(record: dict[str, Any]) -> str:
    """Key of a runtime run: ``<device name>/<dtype>/batch <n>``."""
    return f"{record.get('device_name', 'unknown')}/{record.get('dtype')}/batch {record.get('batch', 1)}"


def fold_record(models: dict[str, Any], model_id: str, tier: str, record: dict[str, Any]) -> None:
    """Put one tier's record of ``model_id`` into ``models`` (the lock's ``models`` object).

    The config, weights tiers keep one record each; the runtime tier keeps one run per
    device, dtype and batch, and a summary (status, outputs) derived from all its runs.
    """
    entry = models.setdefault(model_id, {})
    tiers = entry.setdefault("tiers", {})
    if tier == "runtime":
        runtime = tiers.setdefault("runtime", {})
        runtime.setdefault("runs", {})[run_key(record)] = record
        _summarize_runtime(runtime)
    else:
        tiers[tier] = record
    if tier == "config" and "parameters" in record:
        entry["parameters"] = record["parameters"]


def _summarize_runtime(runtime: dict[str, Any]) -> None:
    runs = [runtime["runs"][key] for key in sorted(runtime["runs"])]
    ok = [run for run in runs if run.get("status") == "ok"]
    runtime["status"] = "ok" if ok else runs[0].get("status", "error")
    outputs: dict[str, Any] = {}
    for run in ok:
        for name, seen in run.get("outputs", {}).items():
            mismatched = seen.get("observed") is not None and seen.get("observed") != seen.get("declared")
            if name not in outputs or mismatched:  # match recomputed, never read
                outputs[name] = seen  # a disagreement in any run is what the summary shows
    runtime["outputs"] = outputs


def tier_records(entry: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(tier, record) of every record of one model's lock entry; one per runtime run."""
    for tier, record in sorted(entry.get("tiers", {}).items()):
        if tier == "runtime":
            for key in sorted(record.get("runs", {})):
                yield tier, record["runs"][key]
        else:
            yield tier, record


@dataclass(frozen=True)
class _Taken:
    shard: str
    record: dict[str, Any]


def _observed(record: dict[str, Any]) -> dict[str, Any]:
    return {name: seen.get("observed") for name, seen in record.get("outputs", {}).items()}


def _record_problems(
    model: Model | None, tier: str, record: dict[str, Any], config: dict[str, Any] | None
) -> list[tuple[str, str]]:
    """(key, message) of what a shard's record claims that the catalogue and the lock contradict."""
    if model is None:
        return [("", "not a model of the catalogue")]
    problems = []
    declared = {e.name: e.shape or [e.dim] for e in model.embeddings}
    for name, seen in sorted(record.get("outputs", {}).items()):
        key = f"tiers.{tier}.outputs.{name}"
        if name not in declared:
            problems.append((key, f"the entry has no output {name!r}"))
        elif seen.get("declared") != declared[name]:
            problems.append(
                (f"{key}.declared", f"says {seen.get('declared')}, but the entry declares {declared[name]}")
            )
    if tier != "weights" and record.get("status") == "ok":
        digest = record.get("config_sha256")
        if digest is None:
            problems.append((f"tiers.{tier}.config_sha256", "missing: re-run the check with this mmcat"))
        elif digest != config_sha256(config):
            problems.append(
                (f"tiers.{tier}.config_sha256", "a config other than lock/hub.json's was checked: re-run it")
            )
    return problems


def _collect(
    shards: list[Path], pinned: dict[str, str | None], models: dict[str, Model], configs: dict[str, Any]
) -> dict[tuple[str, str, str], _Taken]:
    """Every record of every shard by (model, tier, run); raises on a conflict."""
    taken: dict[tuple[str, str, str], _Taken] = {}
    revisions: dict[str, tuple[str | None, str]] = {}
    problems: list[str] = []
    invalid: list[CatalogError] = []
    for path in shards:
        shown = display_path(path)
        text = path.read_text(encoding="utf-8")
        for model_id, entry in sorted(read_lock(path).get("models", {}).items()):
            for tier, record in tier_records(entry):
                found = _record_problems(models.get(model_id), tier, record, configs.get(model_id))
                for where, message in found:
                    field = f"models.{model_id}.{where}".rstrip(".")
                    invalid.append(CatalogError(shown, json_line(text, model_id, "tiers"), field, message))
                if found:
                    continue
                revision = record.get("revision")
                first = revisions.setdefault(model_id, (revision, shown))
                if revision != first[0]:
                    problems.append(
                        f"{model_id}: {first[1]} has results at revision {first[0]}, "
                        f"{shown} at {revision}: re-run the shards at one revision"
                    )
                    continue
                lock_sha = pinned.get(model_id)
                if revision and lock_sha and revision != lock_sha:
                    problems.append(
                        f"{model_id}: {shown} has results at revision {revision}, but lock/hub.json "
                        f"pins {lock_sha}: refresh the lock or re-run the check"
                    )
                    continue
                key = (model_id, tier, run_key(record) if tier == "runtime" else "")
                other = taken.get(key)
                if other is not None and _observed(other.record) != _observed(record):
                    problems.append(
                        f"{model_id}: {tier} tier: {other.shard} observed {_observed(other.record)}, "
                        f"{shown} observed {_observed(record)}"
                    )
                    continue
                if other is None or _text(record) < _text(other.record):
                    taken[key] = _Taken(shown, record)  # the same choice whatever the file order
    if invalid:
        raise CatalogInvalid(sorted(set(invalid)))
    if problems:
        raise MergeConflict(sorted(set(problems)))
    return taken


def _text(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True)


def merge_shards(
    lock_path: Path,
    shards: list[Path],
    pinned: dict[str, str | None],
    models: dict[str, Model],
    configs: dict[str, Any] | None = None,
) -> list[str]:
    """Fold ``shards`` into the lock at ``lock_path``, atomically.

    Every record is read as the lock is (``match`` recomputed, shapes and ranges checked), and
    must fit the catalogue now: a model of the catalogue, outputs the entry has with the values
    it declares, and for the config and runtime tiers the config ``lock/hub.json`` records.

    Args:
        lock_path: ``catalog/lock/checks.json``.
        shards: shard files written by ``mmcat verify --out``.
        pinned: the commit sha that ``lock/hub.json`` records for each model.
        models: the catalogue's entries by id.
        configs: the config.json that ``lock/hub.json`` records for each model.

    Returns:
        The ids of the models whose records were merged, sorted.

    Raises:
        CatalogInvalid: a record the catalogue or the lock contradicts (``file:line: key: message``).
        MergeConflict: results of one model at different revisions, or conflicting observations.
    """
    taken = _collect(sorted(shards, key=str), pinned, models, configs or {})
    lock = read_lock(lock_path)
    models = lock.setdefault("models", {})
    for (model_id, tier, _), item in sorted(taken.items()):
        fold_record(models, model_id, tier, item.record)
    write_lock(lock_path, lock)
    return sorted({model_id for model_id, _, _ in taken})
