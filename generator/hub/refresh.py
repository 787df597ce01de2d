"""``mmcat refresh``: take Hub snapshots of catalogue models into ``lock/hub.json``.

Models are fetched concurrently. Each model's outcome is its own: a model
whose refresh failed keeps its previous record untouched, and the lock is
rewritten atomically with stable formatting so a refresh reads as a diff.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.catalog.load import load_catalog
from generator.errors import UnknownModels
from generator.hub.client import Hub, classify
from generator.locks.files import put_hub_records, read_lock
from generator.locks.schema import HubRecord
from generator.table import closing_table


@dataclass(frozen=True)
class RefreshOutcome:
    """What happened to one model."""

    model_id: str
    status: str  # ok / gated / not found / failed
    reason: str = ""
    sha: str | None = None


def _targets(catalog_dir: Path, ids: list[str]) -> list[tuple[str, str, str | None]]:
    catalog = load_catalog(catalog_dir)
    on_hub: dict[str, tuple[str, str | None]] = {
        m.id: (m.source.hub_id, m.source.revision)
        for m in catalog.model_map.values()
        if m.source.hub_id is not None
    }
    unknown = [i for i in ids if i not in on_hub]
    if unknown:
        raise UnknownModels(", ".join(unknown))
    chosen = ids or sorted(on_hub)
    return [(mid, *on_hub[mid]) for mid in chosen]


def refresh(
    catalog_dir: Path,
    ids: list[str] | None = None,
    *,
    hub: Hub | None = None,
    concurrency: int = 8,
    progress: bool = False,
) -> list[RefreshOutcome]:
    """Refresh the Hub snapshots of ``ids`` (default: every Hub model of the catalogue).

    Args:
        catalog_dir: the ``catalog/`` folder.
        ids: model ids to refresh; all when empty.
        hub: the Hub client (default: from ``HF_ENDPOINT`` / ``HF_TOKEN``).
        concurrency: requests in flight at once.
        progress: show a progress bar.

    Returns:
        One :class:`RefreshOutcome` per model, sorted by id.
    """
    if hub is None:
        with Hub() as own:
            return refresh(catalog_dir, ids, hub=own, concurrency=concurrency, progress=progress)
    targets = _targets(catalog_dir, ids or [])
    lock_path = catalog_dir / "lock" / "hub.json"
    records, outcomes = snapshot_many(
        targets, hub, read_lock(lock_path).get("models", {}), concurrency=concurrency, progress=progress
    )
    put_hub_records(lock_path, records)
    return outcomes


def snapshot_many(
    targets: list[tuple[str, str, str | None]],
    hub: Hub,
    previous: dict[str, dict[str, Any]],
    *,
    concurrency: int = 8,
    progress: bool = False,
) -> tuple[dict[str, dict[str, Any]], list[RefreshOutcome]]:
    """Take Hub snapshots concurrently; nothing is written.

    Args:
        targets: ``(model id, Hub repo id, revision or None)`` of each model.
        hub: the Hub client.
        previous: the lock's current records, by model id (unchanged configs are reused).
        concurrency: requests in flight at once.
        progress: show a progress bar.

    Returns:
        The new records of the models that succeeded, and one :class:`RefreshOutcome` per model, sorted by id.
    """
    records: dict[str, dict[str, Any]] = {}
    outcomes: list[RefreshOutcome] = []

    def one(
        model_id: str, repo: str, revision: str | None
    ) -> tuple[str, dict[str, Any] | None, RefreshOutcome]:
        try:
            record = hub.snapshot(repo, revision, previous.get(model_id))
        except Exception as exc:
            status, reason = classify(exc)
            return model_id, None, RefreshOutcome(model_id, status, reason)
        problem = answer_problem(record)
        if problem is not None:  # one lying answer fails its model only; the others are recorded
            return model_id, None, RefreshOutcome(model_id, "failed", f"the Hub's answer: {problem}")
        return model_id, record, RefreshOutcome(model_id, "ok", sha=record["sha"])

    bar = _progress_bar(len(targets)) if progress else None
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(one, *t) for t in targets]
        for future in as_completed(futures):
            model_id, record, outcome = future.result()
            outcomes.append(outcome)
            if record is not None:
                records[model_id] = record
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return records, sorted(outcomes, key=lambda o: o.model_id)


def answer_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with a record made from the Hub's answers (validated as the lock is), or None."""
    try:
        HubRecord.model_validate(record)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"]) or "(record)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{where}: {str(err['msg']).removeprefix('Value error, ')}{more}"
    return None


def _progress_bar(total: int) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="model", file=sys.stderr)


def outcome_table(outcomes: list[RefreshOutcome]) -> str:
    """A plain-text table of outcomes, one model per line, with a summary line."""
    rows = [(o.model_id, o.status, o.sha[:12] if o.status == "ok" and o.sha else o.reason) for o in outcomes]
    return closing_table(rows, "outcome", "nothing to refresh")
