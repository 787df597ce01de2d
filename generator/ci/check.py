"""``mmcat ci``: check the entries a branch adds or changes against the Hub, as CI does.

The stages, in order:

1. validate the whole catalogue (as ``mmcat check``);
2. list the model entries changed since a git revision (:mod:`generator.ci.changes`);
3. refresh their Hub records, resolving each revision to a commit sha (:mod:`generator.hub.refresh`);
4. run the config tier on them at that sha (:mod:`generator.verify`), remote code only when pinned;
5. judge each entry: a mismatch is an error at the YAML line of the declared value, and a
   checkable entry that could not be checked is an error too, with its reason;
6. record the Hub snapshot and the observation in the lock for the entries that passed (a failed
   entry's records stay as they were), and describe everything in a Markdown report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.catalog.load import load_catalog
from generator.catalog.schema import Model
from generator.catalog.validated import Catalog, Located
from generator.ci.changes import Changes, changed_models
from generator.errors import CatalogError
from generator.hub.client import Hub
from generator.hub.refresh import RefreshOutcome, snapshot_many
from generator.locks.audit import parameter_errors
from generator.locks.files import Locks, load_locks, put_hub_records
from generator.verify import CheckOutcome, Options, check, save


@dataclass(frozen=True)
class OutputRow:
    """One output of an entry as the report shows it."""

    name: str
    declared: list[int]
    observed: list[int] | None
    note: str = ""


@dataclass
class EntryResult:
    """What ``mmcat ci`` concluded about one entry."""

    model_id: str
    path: str
    result: str  # passed / failed / declared
    problems: list[CatalogError] = field(default_factory=list)
    sha: str | None = None
    parameters: int | None = None
    outputs: list[OutputRow] = field(default_factory=list)
    note: str = ""


@dataclass
class CiReport:
    """The outcome of one ``mmcat ci`` run."""

    changes: Changes
    entries: list[EntryResult]
    transformers: str | None = None
    # What the passing entries add to the lock, written by :func:`record` (after the report).
    hub_records: dict[str, dict[str, Any]] = field(default_factory=dict)
    outcomes: list[CheckOutcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(e.result == "failed" for e in self.entries)

    @property
    def problems(self) -> list[CatalogError]:
        return sorted(p for e in self.entries for p in e.problems)


def _declared(model: Model, index: int) -> list[int]:
    emb = model.embeddings[index]
    return emb.shape or [emb.dim]


def _shown(values: list[int]) -> str:
    return str(values[0]) if len(values) == 1 else str(values)


def _judge(
    item: Located[Model], refreshed: RefreshOutcome | None, outcome: CheckOutcome | None
) -> EntryResult:
    """The verdict on one changed entry."""
    model = item.obj
    result = EntryResult(model.id, item.path, "passed", sha=refreshed.sha if refreshed else None)
    if model.status != "checkable":
        reason = model.status_reason.en if model.status_reason else ""
        result.result, result.note = "declared", f"{model.status}: {reason}"
        return result

    def fail(field_path: str, message: str) -> None:
        result.result = "failed"
        result.problems.append(item.error(field_path, message))

    if refreshed is None or refreshed.status != "ok":
        reason = f"{refreshed.status}: {refreshed.reason}" if refreshed else "not on the Hub"
        fail("source.hub_id", f"could not be checked: {reason}")
        return result
    assert outcome is not None
    record = outcome.record
    result.parameters = record.get("parameters")
    where = f"config tier, {model.source.hub_id}@{refreshed.sha}"
    if "transformers" in record:
        where += f", transformers {record['transformers']}"
    if outcome.status in ("skipped", "error"):
        fail("source.hub_id", f"could not be checked: {outcome.reason} ({where})")
    checked = 0
    for index, emb in enumerate(model.embeddings):
        seen: dict[str, Any] | None = record.get("outputs", {}).get(emb.name)
        if seen is None:
            continue
        declared = _declared(model, index)
        observed = seen.get("observed")
        note = seen.get("skipped") or seen.get("error") or ""
        result.outputs.append(OutputRow(emb.name, declared, observed, note))
        if "skipped" in seen:
            continue
        if "error" in seen:
            fail(f"embeddings.{index}.recipe", f"could not be run: {seen['error']} ({where})")
            continue
        checked += 1
        if emb.multi_vector:
            # One vector per input token: the judge compared [input tokens, dim].
            if not seen.get("match"):
                fail(
                    f"embeddings.{index}.dim",
                    f"declared one {emb.dim}-d vector per input token, observed {observed} "
                    f"for {seen.get('input_tokens')} input tokens ({where})",
                )
            continue
        if observed != declared:
            key = "shape" if emb.shape else "dim"
            fail(
                f"embeddings.{index}.{key}",
                f"declared {_shown(declared)}, observed {_shown(observed or [])} ({where})",
            )
    if outcome.status == "ok" and checked == 0:
        fail("embeddings", f"no output could be checked at the config tier ({where})")
    return result


def _targets(entries: list[Located[Model]]) -> list[tuple[str, str, str | None]]:
    return [
        (item.obj.id, item.obj.source.hub_id, item.obj.source.revision)
        for item in entries
        if item.obj.source.hub_id is not None
    ]


def run_ci(
    catalog_dir: Path,
    since: str | None = None,
    *,
    hub: Hub,
    every_entry: bool = False,
    workers: int = 2,
    timeout: float = 600.0,
    progress: bool = False,
) -> CiReport:
    """Check the changed entries of the catalogue at ``catalog_dir`` against the Hub.

    Args:
        catalog_dir: the ``catalog/`` folder, inside a git work tree.
        since: git revision to compare with (default: merge base with the default branch).
        hub: the Hub client.
        every_entry: check every model entry, not only the changed ones (the weekly run).
        workers: models checked at once.
        timeout: seconds per model check.
        progress: print progress to stderr.

    Returns:
        The report, with the records of the entries that passed; nothing is written
        (:func:`record` writes them, once the report is safe).

    Raises:
        CatalogInvalid: the catalogue does not validate.
        GitError: no git work tree, or an unknown revision.
    """
    catalog = load_catalog(catalog_dir)
    if every_entry:
        changes = Changes("(every entry)", "", sorted(catalog.model_map))
    else:
        changes = changed_models(catalog_dir, since)
    chosen = set(changes.model_ids)
    entries = sorted((i for i in catalog.models if i.obj.id in chosen), key=lambda i: i.obj.id)
    locks = load_locks(catalog_dir)
    records, refreshed = snapshot_many(_targets(entries), hub, locks.hub)
    by_id = {o.model_id: o for o in refreshed}
    fresh = Locks(hub={**locks.hub, **records}, checks=locks.checks)
    checkable = [i.obj for i in entries if i.obj.status == "checkable" and i.obj.id in records]
    # The workers download pinned remote code from the same Hub (transformers reads HF_ENDPOINT).
    env = {"HF_ENDPOINT": hub.endpoint} if hub.endpoint else {}
    options = Options(tier="config", workers=workers, timeout=timeout, remote_code=True, env=env)
    outcomes = {o.model_id: o for o in check(checkable, fresh, options, progress)}
    results = [_judge(item, by_id.get(item.obj.id), outcomes.get(item.obj.id)) for item in entries]
    _check_parameters(catalog, fresh, outcomes, results)
    passed = {r.model_id for r in results if r.result != "failed"}
    versions = {str(o.record["transformers"]) for o in outcomes.values() if "transformers" in o.record}
    return CiReport(
        changes,
        results,
        transformers=", ".join(sorted(versions)) or None,
        hub_records={k: v for k, v in records.items() if k in passed},
        outcomes=[outcomes[k] for k in sorted(passed) if k in outcomes],
    )


def _check_parameters(
    catalog: Catalog, locks: Locks, outcomes: dict[str, CheckOutcome], results: list[EntryResult]
) -> None:
    """A declared parameter count far from the count just built needs its reason (as in `mmcat check`)."""
    built = {
        mid: {"parameters": o.record["parameters"]} for mid, o in outcomes.items() if "parameters" in o.record
    }
    by_path = {r.path: r for r in results}
    for error in parameter_errors(catalog, Locks(hub=locks.hub, checks={**locks.checks, **built})):
        result = by_path.get(error.path)
        if result is not None and result.result != "declared":
            result.result = "failed"
            result.problems.append(error)


def record(catalog_dir: Path, report: CiReport) -> None:
    """Write the passing entries' Hub records and observations into the lock."""
    put_hub_records(catalog_dir / "lock" / "hub.json", report.hub_records)
    if report.outcomes:
        save(catalog_dir / "lock" / "checks.json", report.outcomes, "config")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: CiReport) -> str:
    """The report as Markdown (for ``--report`` and the GitHub job summary)."""
    entries = report.entries
    counts = {k: sum(e.result == k for e in entries) for k in ("failed", "passed", "declared")}
    scope = "every entry"
    if report.changes.base:
        scope = f"changed since `{report.changes.since}`, {report.changes.base[:12]}"
    noun = "entry" if len(entries) == 1 else "entries"
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    lines = ["## mmcat ci", "", f"{len(entries)} model {noun} checked ({scope}): {summary}", ""]
    if not entries:
        return "\n".join([*lines, "No model entry changed.", ""])
    lines += [
        "| entry | result | output | declared | observed | tier | parameters | revision |",
        "|---|---|---|---|---|---|---|---|",
    ]
    mark = {"failed": "❌ failed", "passed": "✅ passed", "declared": "➖ declared"}
    for e in entries:
        rows = e.outputs or [OutputRow("—", [], None)]
        for i, row in enumerate(rows):
            first = i == 0
            observed = _shown(row.observed) if row.observed else _cell(row.note) or "—"
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"`{e.model_id}`" if first else "",
                        mark[e.result] if first else "",
                        row.name,
                        _shown(row.declared) if row.declared else "—",
                        observed,
                        "config" if row.observed else "—",
                        f"{e.parameters:,}" if first and e.parameters else "",
                        f"`{e.sha[:12]}`" if first and e.sha else "",
                    ]
                )
                + " |"
            )
    notes = [f"- `{e.model_id}`: {_cell(e.note)}" for e in entries if e.note]
    problems = [f"- `{p}`" for p in report.problems]
    if problems:
        lines += ["", "### Problems", "", *problems]
    if notes:
        lines += ["", "### Entries without a check", "", *notes]
    if report.transformers:
        lines += ["", f"Checked with transformers {report.transformers} on the meta device (no weights)."]
    return "\n".join([*lines, ""])
