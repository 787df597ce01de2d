"""``mmcat verify``: check declared embedding dims by running the architecture.

This module plans the jobs and records the results; it never imports torch.
The work happens in child processes (:mod:`generator.verify.worker`), each
job with a timeout: a crash, an out-of-memory kill or a hang is that model's
failure, and the others go on.

Tiers: ``config`` (build from the recorded config.json on the meta device),
``runtime`` (random weights on a real device, timed), ``weights`` (real
weights from the Hub at the pinned revision, real processor, bundled sample).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.catalog import Catalog
from generator.errors import UnknownModels
from generator.locks import Locks, Tier, read_lock, write_lock
from generator.recipes import RECIPES
from generator.schema import Model
from generator.table import closing_table
from generator.verify.merge import fold_record
from generator.verify.remote_code import plan_remote_code

Status = Literal["ok", "mismatch", "error", "skipped"]
RUNNABLE_LOADERS = ("transformers", "sentence-transformers")


@dataclass
class Job:
    """One model to check at one tier."""

    model: Model
    payload: dict[str, Any]


@dataclass
class CheckOutcome:
    """What the check of one model found."""

    model_id: str
    status: Status
    reason: str = ""
    record: dict[str, Any] = field(default_factory=dict)


@dataclass
class Options:
    """Settings of one verify run."""

    tier: Tier = "config"
    device: str = "cpu"  # cpu, cuda, cuda:N, or auto (the worker picks cuda when it has one)
    dtype: str | None = None  # None: bfloat16 on a GPU, float32 elsewhere (the worker decides)
    batch: int = 1
    timeout: float = 600.0
    workers: int = 2
    remote_code: bool = False  # config tier: run pinned remote code (downloads it from the Hub)
    env: dict[str, str] = field(default_factory=dict)


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> (2, 4); 1-based shard index."""
    index, _, total = text.partition("/")
    k, n = int(index), int(total)
    if not 1 <= k <= n:
        raise ValueError(f"shard {text!r}: need 1 <= K <= N")
    return k, n


def select(catalog: Catalog, ids: list[str], shard: tuple[int, int] | None) -> list[Model]:
    """Models to check: ``ids`` (default all), then the shard's part of them, in id order."""
    models = catalog.model_map
    unknown = [i for i in ids if i not in models]
    if unknown:
        raise UnknownModels(", ".join(unknown))
    chosen = sorted(ids or models)
    if shard is not None:
        k, n = shard
        chosen = [mid for i, mid in enumerate(chosen) if i % n == k - 1]
    return [models[mid] for mid in chosen]


def _skip_reason(model: Model, locks: Locks, options: Options) -> str | None:
    if model.status != "checkable":
        return f"status {model.status}"
    if model.source.loader not in RUNNABLE_LOADERS:
        return f"loader {model.source.loader} is not supported by the checks"
    if options.tier == "weights":
        remote = plan_remote_code(model, locks.hub.get(model.id, {}).get("config"))
        return remote.refusal
    hub = locks.hub.get(model.id, {})
    if not hub.get("config"):
        return "no config.json recorded in lock/hub.json (run mmcat ci, or mmcat refresh)"
    remote = plan_remote_code(model, hub["config"])
    if remote.refusal is not None:
        return remote.refusal
    if remote.needed and not options.remote_code:
        return (
            "the config needs the model's remote code: checked with --remote-code (downloads the pinned code)"
        )
    return None


def plan(models: list[Model], locks: Locks, options: Options) -> tuple[list[Job], list[CheckOutcome]]:
    """Jobs for the models that can be checked at this tier, and outcomes for the rest."""
    jobs, skipped = [], []
    for model in models:
        reason = _skip_reason(model, locks, options)
        if reason is not None:
            skipped.append(CheckOutcome(model.id, "skipped", reason))
            continue
        hub = locks.hub.get(model.id, {})
        outputs = [
            {
                "name": e.name,
                "modality": e.modality,
                "recipe": e.recipe,
                "image_size": e.input.image_size if e.input else None,
                "text_tokens": e.input.text_tokens if e.input else None,
            }
            for e in model.embeddings
            if RECIPES[e.recipe].runnable
        ]
        payload = {
            "model_id": model.id,
            "tier": options.tier,
            "config": hub.get("config"),
            "architecture": model.source.architecture,
            "hub_id": model.source.hub_id,
            "revision": model.source.revision or hub.get("sha"),
            "trust_remote_code": model.source.trust_remote_code,
            "code_revision": plan_remote_code(model, hub.get("config")).code_revision,
            "outputs": outputs,
            "dense": hub.get("sentence_transformers_dense"),
            "device": options.device,
            "dtype": options.dtype,
            "batch": options.batch,
        }
        jobs.append(Job(model, payload))
    return jobs, skipped


class _Worker:
    """A worker process; replaced after any crash or timeout."""

    def __init__(self, env: dict[str, str]) -> None:
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (lives as long as the worker)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator.verify.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env={**os.environ, **env},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")  # EOF: the worker died

    def run(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(payload) + "\n")
            self.proc.stdin.flush()
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            return {"status": "error", "reason": f"timed out after {timeout:g} s"}
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            return {"status": "error", "reason": self._death()}
        try:
            result: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            self.kill()
            return {"status": "error", "reason": f"unreadable worker answer: {line[:200]!r}"}
        return result

    def _death(self) -> str:
        code = self.proc.wait()
        self.log.seek(0)
        tail = [ln for ln in self.log.read().splitlines() if ln.strip()][-1:] or [""]
        if code < 0:
            hint = " (out of memory?)" if code == -9 else ""
            return f"worker killed by signal {-code}{hint}"
        return f"worker exited with code {code}: {tail[0][:200]}"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.proc.kill()
        self.proc.wait()
        self.log.close()

    def close(self) -> None:
        if self.proc.stdin is not None and self.alive():
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def run_jobs(jobs: list[Job], options: Options) -> Iterator[tuple[Job, dict[str, Any]]]:
    """Run jobs on ``options.workers`` worker processes; yield (job, raw result) as they finish.

    The config tier reuses a worker for many jobs (torch is imported once per
    worker); the other tiers start a fresh worker per job, so peak memory and
    crashes belong to one model.
    """
    todo: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        todo.put(job)
    done: queue.Queue[tuple[Job, dict[str, Any]]] = queue.Queue()
    reuse = options.tier == "config"

    def slot() -> None:
        worker: _Worker | None = None
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                break
            if worker is None or not worker.alive():
                worker = _Worker(options.env)
            done.put((job, worker.run(job.payload, options.timeout)))
            if not reuse or not worker.alive():
                worker.close() if worker.alive() else worker.kill()
                worker = None
        if worker is not None:
            worker.close()

    threads = [
        threading.Thread(target=slot, daemon=True) for _ in range(max(1, min(options.workers, len(jobs))))
    ]
    for thread in threads:
        thread.start()
    for _ in jobs:
        yield done.get()
    for thread in threads:
        thread.join()


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
    if provenance and options.tier != "weights":
        record["config_provenance"] = provenance
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


def save(path: Path, outcomes: list[CheckOutcome], tier: Tier) -> None:
    """Fold recorded outcomes into the lock or shard file at ``path`` (skipped models keep their records)."""
    lock = read_lock(path)
    models = lock.setdefault("models", {})
    for outcome in outcomes:
        if outcome.status != "skipped":
            fold_record(models, outcome.model_id, tier, outcome.record)
    write_lock(path, lock)


def check(models: list[Model], locks: Locks, options: Options, progress: bool = False) -> list[CheckOutcome]:
    """Check ``models`` at one tier; nothing is written.

    Returns:
        One :class:`CheckOutcome` per model, sorted by id (skipped ones with their reason).
    """
    jobs, outcomes = plan(models, locks, options)
    if progress:
        print(
            f"checking {len(jobs)} models at the {options.tier} tier ({len(outcomes)} skipped)",
            file=sys.stderr,
        )
    for job, raw in run_jobs(jobs, options):
        provenance = locks.hub.get(job.model.id, {}).get("provenance", {}).get("config")
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
    save(out or catalog.root / "lock" / "checks.json", outcomes, options.tier)
    return outcomes


def report(outcomes: list[CheckOutcome]) -> str:
    """Closing table: one line per model (the observed dims, or why not), then a count."""

    def detail(o: CheckOutcome) -> str:
        if o.status != "ok":
            return o.reason
        outputs = o.record.get("outputs", {}).items()
        return ", ".join(f"{k} {v['observed']}" if "observed" in v else f"{k} skipped" for k, v in outputs)

    return closing_table([(o.model_id, o.status, detail(o)) for o in outcomes], "result", "nothing to check")
