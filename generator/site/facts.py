"""Facts derived from an entry and the locks: licence class, tier, parameters, weight memory.

The site's table, the model pages, the compare page and the export all read
these functions, so a value means the same thing everywhere. No I/O.
"""

from __future__ import annotations

from typing import Literal

from generator.catalog.schema import Embedding, Model
from generator.locks import badges
from generator.locks.files import TIER_ORDER, Locks
from generator.locks.schema import TierResult

LicenseClass = Literal["permissive", "non-commercial", "other", "unknown"]
LICENSE_CLASSES: tuple[LicenseClass, ...] = ("permissive", "non-commercial", "other", "unknown")

# Licence id (lower-case SPDX, as in the entries) -> class. Every id used in the catalogue
# must be listed (a test checks it): a new licence is classified on purpose, not by default.
LICENSE_CLASS: dict[str, LicenseClass] = {
    "apache-2.0": "permissive",
    "mit": "permissive",
    "bsd-2-clause": "permissive",
    "bsd-3-clause": "permissive",
    "isc": "permissive",
    "cc0-1.0": "permissive",
    "cc-by-4.0": "permissive",
    "unlicense": "permissive",
    "cc-by-nc-4.0": "non-commercial",
    "cc-by-nc-sa-4.0": "non-commercial",
    "cc-by-nc-nd-4.0": "non-commercial",
    "cc-by-nc-2.0": "non-commercial",
    "cc-by-nc-3.0": "non-commercial",
    # Copyleft, use-restricted (OpenRAIL, Llama, Gemma) and custom licences: read them.
    "gpl-3.0": "other",
    "agpl-3.0": "other",
    "lgpl-3.0": "other",
    "cc-by-sa-4.0": "other",
    "openrail": "other",
    "creativeml-openrail-m": "other",
    "llama2": "other",
    "llama3": "other",
    "gemma": "other",
    "other": "other",
    "unknown": "unknown",
}

# Bytes per parameter of the weight-memory estimate (parameters x bytes).
DTYPE_BYTES: dict[str, int] = {"float32": 4, "bfloat16": 2, "int8": 1}

ParamSource = Literal["config", "hub", "declared"]


def license_class(license_id: str) -> LicenseClass:
    """The class of a licence id; ids missing from ``LICENSE_CLASS`` count as ``other``."""
    return LICENSE_CLASS.get(license_id.lower(), "other")


def license_mismatch(model: Model, locks: Locks) -> str | None:
    """The Hub's licence when it differs from the entry's (case-insensitively), else None."""
    record = locks.hub_record(model.id)
    hub = record.license if record is not None else None
    if hub is None:
        return None
    hub_text = ", ".join(hub) if isinstance(hub, list) else str(hub)
    return None if hub_text.lower() == model.license.lower() else hub_text


def output_tier(model: Model, emb: Embedding, locks: Locks) -> str:
    """An output's badge: the strongest tier of a record that is still current (:mod:`generator.locks.badges`)."""
    return badges.output_tier(model, emb, locks)


def model_tier(model: Model, locks: Locks) -> str:
    """The model's badge: ``unavailable`` when not checkable, ``mismatch``, or its weakest output tier."""
    if model.status != "checkable":
        return "unavailable"
    tiers = [output_tier(model, e, locks) for e in model.embeddings]
    if "mismatch" in tiers:
        return "mismatch"
    return min(tiers, key=TIER_ORDER.index) if tiers else "declared"


def parameters(model: Model, locks: Locks) -> tuple[int, ParamSource] | None:
    """The parameter count shown for a model and where it comes from.

    The count measured by the config tier (exact) wins over the Hub's
    safetensors count, which wins over the entry's declared value.
    """
    checks = locks.model_checks(model.id)
    if checks is not None and checks.parameters:
        return checks.parameters, "config"
    record = locks.hub_record(model.id)
    if record is not None and record.parameters:
        return record.parameters, "hub"
    if model.parameters:
        return model.parameters, "declared"
    return None


def weight_bytes(n_parameters: int) -> dict[str, int]:
    """Estimated weight memory per dtype: parameters x bytes (no activations, no runtime overhead)."""
    return {dtype: n_parameters * size for dtype, size in DTYPE_BYTES.items()}


def human_bytes(n: float) -> str:
    """88226304 -> '84.1 MiB' (binary units, three significant digits)."""
    for size, unit in ((2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} B"


def max_dim(model: Model) -> int | None:
    """The largest output dim of a model (the table's dim column sorts by it)."""
    return max((e.dim for e in model.embeddings), default=None)


def tier_runs(model: Model, locks: Locks, tier: str) -> list[TierResult]:
    """The recorded runs of a tier: one per setting for the runtime tier, else one."""
    return badges.tier_runs(model, locks, tier)


def runtime_runs(model: Model, locks: Locks) -> list[TierResult]:
    """The runtime tier's recorded runs (measured on a device)."""
    return tier_runs(model, locks, "runtime")
