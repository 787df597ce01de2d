"""Reported results as data: benchmarks, protocols and the figures of each source (no I/O).

Three kinds of file under ``catalog/quality/``:

- ``benchmarks.yaml``: what is measured (dataset + split + task + metric, its direction and unit);
- ``protocols.yaml``: how it was measured (the harness: prompt ensemble or single prompt,
  zero-shot or fine-tuned, the resolution where a system has several);
- ``reported/<source>.yaml``: one file per source (a results file at a commit, a README table,
  a paper), each figure with its model, benchmark, protocol, score as printed with its unit, and
  where in the source it can be read again. A figure is *reported*, or *derived* with its inputs.

Figures are ranked only within one benchmark and one protocol: a leaderboard never mixes two.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from generator.catalog.schema import Label, Prose, RepoId, Sha, Slug, Strict, Text, Url

Unit = Literal["percent", "fraction", "points"]
"""``percent`` 0–100, ``fraction`` 0–1 (MTEB files), ``points`` a score with its own range (FID)."""

UNIT_RANGE: dict[str, tuple[float, float]] = {"percent": (0.0, 100.0), "fraction": (0.0, 1.0)}
Cell = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class BenchmarkDef(Strict):
    """One benchmark: an item of catalog/quality/benchmarks.yaml."""

    id: Slug
    name: Label
    dataset: Text = Field(description="The dataset as its authors name it, e.g. 'ImageNet-1k'.")
    split: Text = Field(description="The split the figures are on, e.g. 'validation (50,000 images)'.")
    task: Label = Field(description="The task, e.g. zero-shot classification, text-to-image retrieval.")
    metric: Label = Field(description="The metric, e.g. 'top-1 accuracy', 'recall@1'.")
    direction: Literal["higher", "lower"] = Field(description="Which way is better.")
    unit: Unit = Field(description="The unit the site shows (figures in another unit are converted).")
    group: Slug = Field(description="Benchmarks of one group share a page section (e.g. all ViDoRe v2 sets).")
    headline: bool = Field(False, description="Shown as a column and chart of the home page.")
    headline_protocol: Slug | None = Field(None, description="The protocol of the headline column.")
    range_max: float | None = Field(None, description="Upper bound for a `points` unit (else 100 or 1).")
    note: Prose | None = None

    @model_validator(mode="after")
    def _headline_has_protocol(self) -> BenchmarkDef:
        if self.headline and self.headline_protocol is None:
            raise ValueError("a headline benchmark names its headline_protocol")
        return self


class Protocol(Strict):
    """One protocol / harness: an item of catalog/quality/protocols.yaml."""

    id: Slug
    name: Label
    summary: Prose = Field(description="How figures of this protocol were produced, and what they are not.")
    setting: Literal["zero-shot", "fine-tuned", "probe", "in-distribution"] = Field(
        description="zero-shot; fine-tuned on the benchmark's training data; a probe on frozen features; "
        "in-distribution (the model trained on the benchmark's training sets, as MMEB-trained models)."
    )
    harness: Text = Field(description="The code or suite that produced the figures (e.g. 'CLIP_benchmark').")


class ResultSource(Strict):
    """Where the figures of one file come from."""

    id: Slug
    reporter: Label = Field(description="Who reported the figures (the vendor, a benchmark's maintainers).")
    third_party: bool = Field(description="True when the reporter is not the model's vendor.")
    url: Url = Field(description="The source as a link (a file at a commit, a paper, a model card).")
    repository: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")] | None = None
    commit: Sha | None = None
    path: Cell | None = None
    paper: Slug | None = None
    imported_by: Cell | None = Field(None, description="The command that wrote this file, if a script did.")
    note: Prose | None = None

    @model_validator(mode="after")
    def _repo_file_pinned(self) -> ResultSource:
        if self.repository is not None and (self.commit is None or self.path is None):
            raise ValueError("a repository source names its commit and path")
        return self


class DerivedInput(Strict):
    """One figure a derived figure was computed from (same model unless named)."""

    benchmark: Slug
    protocol: Slug
    model: RepoId | None = None


class Figure(Strict):
    """One reported (or derived) figure."""

    model: RepoId
    benchmark: Slug
    protocol: Slug
    score: float = Field(description="As printed in the source, in `unit`.")
    unit: Unit
    where: Cell = Field(description="Where in the source: row and column, table and cell, section.")
    kind: Literal["reported", "derived"] = "reported"
    derivation: Literal["mean"] | None = Field(None, description="How a derived figure was computed.")
    inputs: list[DerivedInput] = Field(default_factory=list)
    note: Prose | None = None

    @field_validator("score")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @model_validator(mode="after")
    def _derived_has_inputs(self) -> Figure:
        if self.kind == "derived" and (not self.inputs or self.derivation is None):
            raise ValueError("a derived figure lists its inputs and its derivation")
        if self.kind == "reported" and (self.inputs or self.derivation is not None):
            raise ValueError("a reported figure has no inputs or derivation")
        lo_hi = UNIT_RANGE.get(self.unit)
        if lo_hi is not None and not lo_hi[0] <= self.score <= lo_hi[1]:
            raise ValueError(f"score {self.score} is outside {lo_hi[0]:g}–{lo_hi[1]:g} for unit {self.unit}")
        return self


class ResultFile(Strict):
    """A file of catalog/quality/reported/: one source and its figures."""

    source: ResultSource
    figures: list[Figure] = Field(min_length=1)


def to_unit(score: float, unit: str, target: str) -> float:
    """``score`` in ``unit`` expressed in ``target`` (percent and fraction convert; points do not)."""
    if unit == target:
        return score
    if (unit, target) == ("fraction", "percent"):
        return score * 100.0
    if (unit, target) == ("percent", "fraction"):
        return score / 100.0
    raise ValueError(f"a figure in {unit} cannot be shown in {target}")


def quality_json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the three quality files, keyed by schema file stem."""
    out: dict[str, dict[str, Any]] = {"result-file": ResultFile.model_json_schema()}
    for name, kind in (("quality-benchmarks", BenchmarkDef), ("protocols", Protocol)):
        item = kind.model_json_schema()
        defs = item.pop("$defs", {})
        out[name] = {"title": name, "type": "array", "items": item, "$defs": defs}
    return out
