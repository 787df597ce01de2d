"""The view of a model page: its facts, outputs, memory and check rows, from (entry, locks, language).

Pure functions to small frozen rows; the template ``model.md.j2`` only prints
them. The Hub metadata rows are built in :mod:`generator.site.views.hub`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from generator.catalog.recipes import RECIPES
from generator.catalog.schema import LANGUAGE_NAMES, Embedding, Model
from generator.locks import badges
from generator.locks.files import TIERS, Locks
from generator.locks.schema import TierResult
from generator.site import facts
from generator.site.equivalent import equivalent_note
from generator.site.views.hub import FactRow, hub_rows
from generator.site.i18n import UI
from generator.site.markup import human_count, md_escape, pick
from generator.site.views.snippets import matryoshka_lines, usage_section
from generator.site.views.lists import ModelRow, model_row, output_text, parameters_text


@dataclass(frozen=True)
class OutputRow:
    """One output of the model's outputs table."""

    name: str
    modality: str
    dim: int
    shape: str | None
    input: str
    recipe: str
    recipe_label: str
    tier: str


@dataclass(frozen=True)
class CheckRow:
    """One recorded run of a verification tier."""

    tier: str
    result: str
    setting: str
    figures: str


@dataclass(frozen=True)
class MeasuredRow:
    """One runtime-tier run in the memory section."""

    device: str
    dtype: str
    batch: str
    input: str
    peak: str
    latency: str


@dataclass(frozen=True)
class WeightEstimate:
    """The weight-memory estimate: parameters and their source, and the size per dtype."""

    parameters: str
    sizes: dict[str, str]


@dataclass(frozen=True)
class ModelView:
    """Everything the model page shows that is computed rather than copied from the entry."""

    languages: str
    row: ModelRow
    parameters: Markup
    outputs: tuple[OutputRow, ...]
    equivalent: Markup
    checked_as: Markup
    matryoshka: Markup
    estimate: WeightEstimate | None
    measured: tuple[MeasuredRow, ...]
    usage: Markup
    hub: tuple[FactRow, ...]
    checks: tuple[CheckRow, ...]


# Facts of the model page that can come from the family defaults: the row -> the entry's paths.
FAMILY_FACTS: dict[str, tuple[str, ...]] = {
    "organization": ("organization",),
    "category": ("category",),
    "modalities": ("modalities",),
    "license": ("license", "license_name"),
    "release_date": ("release_date",),
    "languages": ("languages",),
    "gated": ("gated",),
    "loader": ("source.loader", "source.architecture", "source.equivalent_architecture"),
    "summary": ("summary.shared",),
}


def family_marks(from_family: frozenset[str], lang: str) -> dict[str, Any]:
    """``mark``: per fact row of the model page, a † when its value comes from the family defaults;
    ``family_legend``: the legend when any does (else empty)."""
    title = escape(UI[lang]["from_family"])
    sign = Markup(f' <sup class="mmcat-family" title="{title}">†</sup>')
    marks = {
        row: sign if any(p == path or p.startswith(path + ".") for p in from_family for path in paths) else ""
        for row, paths in FAMILY_FACTS.items()
    }
    return {"mark": marks, "family_legend": Markup(f"† {title}") if any(marks.values()) else ""}


def languages_text(m: Model, lang: str) -> str:
    """The text languages of a model: names in the page's language, or 'multilingual (N)'."""
    langs = m.languages
    if langs is None:
        return ""
    index = 0 if lang == "en" else 1
    if isinstance(langs, list):
        return ", ".join(LANGUAGE_NAMES.get(c, (c, c))[index] for c in langs)
    listed = ", ".join(LANGUAGE_NAMES.get(c, (c, c))[index] for c in langs.listed)
    text = UI[lang]["multilingual_n"].format(n=langs.multilingual)
    return f"{text}: {listed}" if listed else text


def model_view(m: Model, locks: Locks, lang: str) -> ModelView:
    """The view of model ``m`` in language ``lang``."""
    return ModelView(
        languages=languages_text(m, lang),
        row=model_row(m, locks, lang),
        parameters=parameters_cell(m, locks, lang),
        outputs=tuple(output_row(m, e, locks, lang) for e in m.embeddings),
        equivalent=equivalent_cell(m, locks, lang),
        checked_as=checked_as_text(m, locks, lang),
        matryoshka=matryoshka_lines(m, lang),
        estimate=weight_estimate(m, locks, lang),
        measured=tuple(measured_rows(m, locks, lang)),
        usage=usage_section(m, locks, lang),
        hub=tuple(hub_rows(m, locks, lang)),
        checks=tuple(check_rows(m, locks, lang)),
    )


def equivalent_cell(m: Model, locks: Locks, lang: str) -> Markup:
    """The note under the outputs table of an entry checked on an equivalent class (else empty)."""
    note = equivalent_note(m, locks, lang)
    return Markup(f"{md_escape(note)}\n\n") if note else Markup("")


def checked_as_text(m: Model, locks: Locks, lang: str) -> Markup:
    """The loader cell's "(checked as the equivalent X)", shown with the equivalent-check note only."""
    named = m.source.equivalent_architecture
    if not named or not equivalent_note(m, locks, lang):
        return Markup("")
    return md_escape(UI[lang]["checked_as"].format(cls=named))


def _input_parts(e: Embedding, lang: str) -> list[str]:
    ui = UI[lang]
    parts = []
    if e.input is not None and e.input.image_size:
        parts.append(f"{e.input.image_size} {ui['image_px']}")
    if e.input is not None and e.input.text_tokens:
        parts.append(f"{e.input.text_tokens} {ui['text_tokens']}")
    return parts


def output_row(m: Model, e: Embedding, locks: Locks, lang: str) -> OutputRow:
    """The row of output ``e``: its size, declared input, recipe and verification tier."""
    return OutputRow(
        name=e.name,
        modality=e.modality,
        dim=e.dim,
        shape=output_text(e, lang) if e.shape or e.multi_vector else None,
        input=", ".join(_input_parts(e, lang)),
        recipe=e.recipe,
        recipe_label=str(getattr(RECIPES[e.recipe], lang)),
        tier=facts.output_tier(m, e, locks),
    )


def parameters_cell(m: Model, locks: Locks, lang: str) -> Markup:
    """Built and declared parameter counts side by side, with the reason when they differ."""
    ui = UI[lang]
    checks = locks.model_checks(m.id)
    built = checks.parameters if checks is not None else None
    if m.parameters is None or not built:
        return md_escape(parameters_text(m, locks, lang))
    text = ui["params_side_by_side"].format(
        built=f"{built:,}",
        built_h=human_count(built),
        declared=f"{m.parameters:,}",
        declared_h=human_count(m.parameters),
    )
    if m.parameters_note is not None:
        text = ui["params_with_note"].format(pair=text, note=pick(m.parameters_note, lang))
    return md_escape(text)


def _check_row(m: Model, locks: Locks, tier: str, run: TierResult, lang: str) -> CheckRow:
    ui = UI[lang]
    outputs = []
    stale = [why] if (why := badges.run_staleness(m, locks, tier, run)) else []
    embeddings = {e.name: e for e in m.embeddings}
    for name, o in sorted(run.outputs.items()):
        if o.observed is not None:
            mark = "✓" if o.match else f"✗ ({ui['declared']} {o.declared})"
            outputs.append(f"{name} {o.observed} {mark}")
        else:
            outputs.append(f"{name}: {o.error or o.skipped}")
        emb = embeddings.get(name)
        why = badges.output_staleness(emb, o) if emb is not None else "the entry has no such output now"
        if why:
            stale.append(f"{name}: {why}")
    if stale:
        outputs.append(ui["check_stale"].format(why="; ".join(stale)))
    figures = []
    if run.parameters is not None:
        figures.append(f"{run.parameters:,} {ui['params_short']}")
    if run.latency_ms:
        figures.append(", ".join(f"{k} {v} ms" for k, v in sorted(run.latency_ms.items())))
    if run.peak_memory_mb is not None:
        figures.append(f"{ui['peak_memory']} {run.peak_memory_mb} MiB")
    setting = " · ".join(
        str(x)
        for x in (
            run.device_name or run.device,
            run.dtype,
            f"batch {run.batch}" if run.batch else None,
            f"torch {run.torch}, transformers {run.transformers}",
            run.date,
        )
        if x
    )
    result = "; ".join(outputs) if run.status == "ok" else f"{run.status}: {run.reason or ''}"
    return CheckRow(tier, result, setting, "; ".join(figures))


def check_rows(m: Model, locks: Locks, lang: str) -> list[CheckRow]:
    """One row per recorded tier run: tier, result, observed outputs, setting, figures."""
    return [
        _check_row(m, locks, tier, run, lang) for tier in TIERS for run in facts.tier_runs(m, locks, tier)
    ]


def weight_estimate(m: Model, locks: Locks, lang: str) -> WeightEstimate | None:
    """The weight-memory estimate (parameters x bytes per dtype), or None without a count."""
    ui = UI[lang]
    params = facts.parameters(m, locks)
    if params is None:
        return None
    sizes = {dtype: facts.human_bytes(n) for dtype, n in facts.weight_bytes(params[0]).items()}
    source = ui[f"params_source.{params[1]}"]
    return WeightEstimate(ui["params_with_source"].format(n=f"{params[0]:,}", source=source), sizes)


def input_of(e: Embedding, lang: str) -> str:
    """The input an output was checked at, as declared (the checks use the config default otherwise)."""
    ui = UI[lang]
    parts = _input_parts(e, lang)
    return f"{e.name}{ui['colon']}{', '.join(parts) if parts else ui['input_default']}"


def measured_rows(m: Model, locks: Locks, lang: str) -> list[MeasuredRow]:
    """Runtime-tier runs: device, dtype, batch, input, peak memory, latency per output."""
    ui = UI[lang]
    inputs = ui["semicolon"].join(input_of(e, lang) for e in m.embeddings)
    rows = []
    for run in facts.runtime_runs(m, locks):
        lat = ", ".join(f"{k} {v} ms" for k, v in sorted((run.latency_ms or {}).items()))
        peak = run.peak_memory_mb
        rows.append(
            MeasuredRow(
                device=run.device_name or run.device or "",
                dtype=run.dtype or "",
                batch=str(run.batch or ""),
                input=inputs,
                peak=f"{peak} MiB" if peak is not None else ui["none"],
                latency=lat or ui["none"],
            )
        )
    return rows
