"""Plan a verification run: which models, which jobs, and why the others are skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from generator.catalog.recipes import RECIPES
from generator.catalog.schema import RUNNABLE_LOADERS, Model
from generator.catalog.validated import Catalog
from generator.errors import UnknownModels
from generator.locks.files import Locks, Tier
from generator.locks.schema import HubRecord
from generator.verify.remote_code import plan_remote_code

Status = Literal["ok", "mismatch", "error", "skipped"]


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
    loader = model.source.loader
    if loader not in RUNNABLE_LOADERS:
        equivalent = model.source.equivalent_architecture
        if equivalent is None:
            return (
                f"loader {loader} is not supported by the checks, and the entry names no in-library "
                "equivalent (source.equivalent_architecture)"
            )
        if options.tier == "weights":
            return (
                f"the weights are {loader}'s checkpoint: the weights tier needs {loader}; the config and "
                f"runtime tiers check the equivalent {equivalent}"
            )
    record = locks.hub_record(model.id)
    config = record.config if record is not None else None
    if options.tier == "weights":
        return plan_remote_code(model, config).refusal
    if not config:
        return "no config.json recorded in lock/hub.json (run mmcat ci, or mmcat refresh)"
    remote = plan_remote_code(model, config)
    if remote.refusal is not None:
        return remote.refusal
    if remote.needed and not options.remote_code:
        return (
            "the config needs the model's remote code: checked with --remote-code (downloads the pinned code)"
        )
    return None


def built_class(model: Model) -> str | None:
    """The transformers class the checks build: the entry's own, or the named equivalent of a loader
    the checks cannot run (never the loader's own class)."""
    if model.source.loader in RUNNABLE_LOADERS:
        return model.source.architecture
    return model.source.equivalent_architecture


def plan(models: list[Model], locks: Locks, options: Options) -> tuple[list[Job], list[CheckOutcome]]:
    """Jobs for the models that can be checked at this tier, and outcomes for the rest."""
    jobs, skipped = [], []
    for model in models:
        reason = _skip_reason(model, locks, options)
        if reason is not None:
            skipped.append(CheckOutcome(model.id, "skipped", reason))
            continue
        hub = locks.hub_record(model.id) or HubRecord()
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
            "config": hub.config,
            "architecture": built_class(model),
            "hub_id": model.source.hub_id,
            "revision": model.source.revision or hub.sha,
            "trust_remote_code": model.source.trust_remote_code,
            "code_revision": plan_remote_code(model, hub.config).code_revision,
            "outputs": outputs,
            "dense": [layer.model_dump() for layer in hub.sentence_transformers_dense or []],
            "device": options.device,
            "dtype": options.dtype,
            "batch": options.batch,
        }
        jobs.append(Job(model, payload))
    return jobs, skipped
