"""The shapes of the machine-written locks: pydantic models, no I/O.

``catalog/lock/hub.json`` holds one :class:`HubRecord` per model; ``checks.json``
(and every shard file of ``mmcat verify --out``) one :class:`ModelChecks` per
model. Both are validated when read and before they are written, and exported
to ``catalog/schema/`` like the catalogue's own schemas, so a hand edit or a
stale writer that breaks their shape is an error, not a page that guesses.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConfigOrigin(_Strict):
    """Where a recorded config.json came from (computed from its provenance)."""

    kind: Literal["hub", "own-repository", "mirror", "reconstructed"]
    url: str | None = None


class DenseLayer(_Strict):
    """A Dense module of a Sentence Transformers pipeline (``<path>/config.json``)."""

    path: str
    in_features: int
    out_features: int
    bias: bool


class HubRecord(_Strict):
    """One model's Hub snapshot: ``mmcat refresh`` / ``mmcat ci``, or recorded by hand (``manual:<url>``)."""

    sha: str | None = Field(None, description="Commit the snapshot was taken at.")
    requested_revision: str | None = None
    retrieved: str | None = Field(None, description="Date of the snapshot (YYYY-MM-DD).")
    last_modified: str | None = None
    downloads: int | None = None
    likes: int | None = None
    gated: bool | str | None = Field(None, description="False, or the Hub's gating mode (auto, manual).")
    gated_method: str | None = Field(None, description="How a hand-recorded gating mode was found.")
    pipeline_tag: str | None = None
    library_name: str | None = None
    license: str | list[str] | None = Field(
        None, description="The model card's licence id (a card may list several)."
    )
    tags: list[str] | None = None
    parameters: int | None = Field(None, description="Parameters stored in the safetensors files.")
    parameters_by_dtype: dict[str, int] | None = None
    config: dict[str, Any] | None = Field(None, description="The config.json at ``sha``.")
    config_method: str | None = Field(None, description="How a hand-recorded config was made.")
    config_origin: ConfigOrigin | None = None
    config_complete: bool | None = None
    config_builds_in_transformers: bool | None = None
    sentence_transformers_dense: list[DenseLayer] | None = Field(
        None, description="The Dense modules after pooling, for the mean_pooling_dense recipe."
    )
    sentence_transformers_dense_method: str | None = None
    provenance: dict[str, str] = Field(
        default_factory=dict, description="Per field: ``hub@<sha>`` or ``manual:<url>``."
    )


class OutputResult(_Strict):
    """What a check saw of one declared output."""

    declared: list[int]
    observed: list[int] | None = None
    multi_vector: bool | None = Field(
        None, description="One vector per input token: observed is [input_tokens, dim] when it matches."
    )
    input_tokens: int | None = Field(
        None, description="Tokens of the input a multi_vector output was run on."
    )
    match: bool | None = None
    skipped: str | None = None
    error: str | None = None


class ConfigAudit(_Strict):
    """The config tier's comparison of a recorded config.json with its transformers config class."""

    complete: bool
    config_class: str | None = Field(None, description="The transformers config class compared with.")
    missing_sub_configs: list[str] = Field(default_factory=list, description="Dotted names.")
    defaulted: dict[str, list[str]] = Field(
        default_factory=dict, description="Fields not recorded (left at the class defaults), by (sub-)config."
    )
    reason: str | None = Field(None, description="Why no comparison was made (no class, remote code).")


class TierResult(_Strict):
    """One check of one model at one tier (for the runtime tier: one run)."""

    status: Literal["ok", "error"]
    date: str
    revision: str | None = None
    reason: str | None = None
    torch: str | None = None
    transformers: str | None = None
    device: str | None = None
    dtype: str | None = None
    parameters: int | None = None
    config_provenance: str | None = None
    config_audit: ConfigAudit | None = None
    outputs: dict[str, OutputResult] = Field(default_factory=dict)
    # The runtime tier.
    batch: int | None = None
    device_name: str | None = None
    latency_ms: dict[str, float] | None = None
    peak_memory_mb: float | None = None
    inputs: dict[str, dict[str, int]] | None = None
    # The weights tier.
    checks: dict[str, Any] | None = None


class RuntimeTier(_Strict):
    """The runtime tier: one run per device, dtype and batch, and a summary of them."""

    status: Literal["ok", "error"]
    outputs: dict[str, OutputResult] = Field(default_factory=dict)
    runs: dict[str, TierResult]


class Tiers(_Strict):
    """A model's checks, by tier."""

    config: TierResult | None = None
    runtime: RuntimeTier | None = None
    weights: TierResult | None = None

    def result(self, tier: str) -> TierResult | RuntimeTier | None:
        """The record of ``tier`` (``config``, ``runtime`` or ``weights``), or None when not checked."""
        record: TierResult | RuntimeTier | None = getattr(self, tier)
        return record


class ModelChecks(_Strict):
    """Everything checked of one model."""

    parameters: int | None = Field(None, description="Parameters the config tier built.")
    tiers: Tiers = Field(default_factory=Tiers)


class HubLock(_Strict):
    """``catalog/lock/hub.json``."""

    about: str | None = None
    models: dict[str, HubRecord] = Field(default_factory=dict)


class ChecksLock(_Strict):
    """``catalog/lock/checks.json`` and the shard files of ``mmcat verify --out``."""

    about: str | None = None
    models: dict[str, ModelChecks] = Field(default_factory=dict)


def lock_json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the two locks, keyed by schema file stem."""
    return {"hub-lock": HubLock.model_json_schema(), "checks-lock": ChecksLock.model_json_schema()}
