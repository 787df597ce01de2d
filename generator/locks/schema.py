"""The shapes of the machine-written locks: pydantic models, no I/O.

``catalog/lock/hub.json`` holds one :class:`HubRecord` per model; ``checks.json``
(and every shard file of ``mmcat verify --out``) one :class:`ModelChecks` per
model. Both are validated when read and before they are written, and exported
to ``catalog/schema/`` like the catalogue's own schemas, so a hand edit or a
stale writer that breaks their shape is an error, not a page that guesses.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# A lock is machine-written input read back like user input: every value has a type and a range.
Sha = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}$")]
HttpUrl = Annotated[
    str,
    StringConstraints(
        pattern=r"^https?://[^\s<>\"'()\[\]|\\`{}\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+$"
    ),
]
# ``hub@<40-hex sha>`` or ``manual:<http(s) URL>``.
Provenance = Annotated[
    str,
    StringConstraints(
        pattern=r"^(hub@[0-9a-f]{40}|manual:https?://[^\s<>\"'()\[\]|\\`{}\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+)$"
    ),
]
# A git revision as asked for: a branch or tag name, or a sha (no spaces, no markup).
Revision = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")]
ModelId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
]
Count = Annotated[int, Field(ge=0)]
Size = Annotated[int, Field(gt=0)]
Figure = Annotated[float, Field(ge=0, allow_inf_nan=False)]
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d\d-\d\d$")]


class _Strict(BaseModel):
    # strict: a count is a JSON number, never "5" or true (a lying Hub answer is an error, not coerced).
    model_config = ConfigDict(extra="forbid", strict=True)


class ConfigOrigin(_Strict):
    """Where a recorded config.json came from (computed from its provenance)."""

    kind: Literal["hub", "own-repository", "mirror", "reconstructed"]
    url: HttpUrl | None = None


class DenseLayer(_Strict):
    """A Dense module of a Sentence Transformers pipeline (``<path>/config.json``)."""

    path: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")]
    in_features: Size
    out_features: Size
    bias: bool


class HubRecord(_Strict):
    """One model's Hub snapshot: ``mmcat refresh`` / ``mmcat ci``, or recorded by hand (``manual:<url>``)."""

    sha: Sha | None = Field(None, description="Commit the snapshot was taken at (40 lower-case hex).")
    requested_revision: Revision | None = None
    retrieved: DateText | None = Field(None, description="Date of the snapshot (YYYY-MM-DD).")
    last_modified: str | None = None
    downloads: Count | None = None
    likes: Count | None = None
    gated: bool | Literal["auto", "manual"] | None = Field(
        None, description="False, or the Hub's gating mode (auto, manual)."
    )
    gated_method: str | None = Field(None, description="How a hand-recorded gating mode was found.")
    pipeline_tag: str | None = None
    library_name: str | None = None
    license: str | list[str] | None = Field(
        None, description="The model card's licence id (a card may list several)."
    )
    tags: list[str] | None = None
    parameters: Count | None = Field(None, description="Parameters stored in the safetensors files.")
    parameters_by_dtype: dict[str, Count] | None = None
    config: dict[str, Any] | None = Field(None, description="The config.json at ``sha``.")
    config_method: str | None = Field(None, description="How a hand-recorded config was made.")
    config_origin: ConfigOrigin | None = None
    config_complete: bool | None = None
    config_builds_in_transformers: bool | None = None
    sentence_transformers_dense: list[DenseLayer] | None = Field(
        None, description="The Dense modules after pooling, for the mean_pooling_dense recipe."
    )
    sentence_transformers_dense_method: str | None = None
    provenance: dict[str, Provenance] = Field(
        default_factory=dict, description="Per field: ``hub@<sha>`` or ``manual:<http(s) url>``."
    )


class OutputResult(_Strict):
    """What a check saw of one declared output."""

    declared: list[Size] = Field(min_length=1)
    observed: list[Size] | None = None
    multi_vector: bool | None = Field(
        None, description="One vector per input token: observed is [input_tokens, dim] when it matches."
    )
    input_tokens: Size | None = Field(
        None, description="Tokens of the input a multi_vector output was run on."
    )
    match: bool | None = Field(
        None,
        description=(
            "Computed when read: observed == declared, or for a multi_vector output observed == "
            "[input_tokens, dim] (a stored value that disagrees is an error)."
        ),
    )
    skipped: str | None = None
    error: str | None = None

    @model_validator(mode="after")
    def _match_is_computed(self) -> OutputResult:
        said = [k for k in ("observed", "skipped", "error") if getattr(self, k) is not None]
        if len(said) != 1:
            raise ValueError("an output has exactly one of observed, skipped and error")
        computed = self.observed == self.expected() if self.observed is not None else None
        if self.match is not None and self.match != computed:
            raise ValueError(
                f"match: recorded {self.match}, but observed {self.observed} and declared {self.declared} "
                f"give {computed}"
            )
        self.__dict__["match"] = computed  # recomputed, without marking the field as given
        return self

    def expected(self) -> list[int] | None:
        """The shape a matching output has: ``declared``, or ``[input_tokens, dim]`` per token."""
        if not self.multi_vector:
            return list(self.declared)
        return [self.input_tokens, self.declared[-1]] if self.input_tokens is not None else None


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
    date: DateText
    revision: Revision | None = None
    reason: str | None = None
    torch: str | None = None
    transformers: str | None = None
    device: str | None = None
    dtype: str | None = None
    parameters: Count | None = None
    config_provenance: Provenance | None = None
    config_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        None,
        description="SHA-256 of the config checked (canonical JSON); a badge needs the lock's config "
        "to hash the same.",
    )
    config_audit: ConfigAudit | None = None
    equivalent_architecture: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] | None = (
        Field(
            None,
            description="For an entry whose loader the checks cannot run (open_clip): the in-library "
            "class built in its place (the entry's source.equivalent_architecture).",
        )
    )
    outputs: dict[str, OutputResult] = Field(default_factory=dict)
    # The runtime tier.
    batch: Size | None = None
    device_name: str | None = None
    latency_ms: dict[str, Figure] | None = None
    peak_memory_mb: Figure | None = None
    inputs: dict[str, dict[str, Count]] | None = None
    # The weights tier.
    checks: dict[str, Any] | None = None


class RuntimeTier(_Strict):
    """The runtime tier: one run per device, dtype and batch, and a summary of them."""

    status: Literal["ok", "error"]
    outputs: dict[str, OutputResult] = Field(default_factory=dict)
    runs: dict[str, TierResult] = Field(min_length=1)

    @model_validator(mode="after")
    def _summary_is_computed(self) -> RuntimeTier:
        runs = [self.runs[key] for key in sorted(self.runs)]
        ok = [run for run in runs if run.status == "ok"]
        status = "ok" if ok else runs[0].status
        outputs: dict[str, OutputResult] = {}
        for run in ok:
            for name, seen in run.outputs.items():
                if name not in outputs or seen.match is False:
                    outputs[name] = seen  # a disagreement in any run is what the summary shows
        if status != self.status:
            raise ValueError(f"status: recorded {self.status!r}, but the runs give {status!r}")
        if outputs != self.outputs:
            raise ValueError("outputs: the summary disagrees with the runs it summarises")
        return self


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

    parameters: Count | None = Field(None, description="Parameters the config tier built.")
    tiers: Tiers = Field(default_factory=Tiers)


class HubLock(_Strict):
    """``catalog/lock/hub.json``."""

    about: str | None = None
    models: dict[ModelId, HubRecord] = Field(default_factory=dict)


class ChecksLock(_Strict):
    """``catalog/lock/checks.json`` and the shard files of ``mmcat verify --out``."""

    about: str | None = None
    models: dict[ModelId, ModelChecks] = Field(default_factory=dict)


def lock_json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the two locks, keyed by schema file stem."""
    return {"hub-lock": HubLock.model_json_schema(), "checks-lock": ChecksLock.model_json_schema()}


def config_sha256(config: dict[str, Any] | None) -> str | None:
    """SHA-256 of a config.json as canonical JSON (sorted keys, no spaces); None without a config.

    The config and runtime tiers record it with each check; a badge is shown only while the
    lock's config hashes the same (:mod:`generator.locks.badges`).
    """
    if config is None:
        return None
    text = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
