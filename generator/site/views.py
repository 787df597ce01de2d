"""What the home table, the compare page and the memory section of a model page show.

The home page's model table is a plain Markdown table (readable with
JavaScript off); each row's model link carries the values the filters and the
sort use as ``data-*`` attributes (``docs/en/assets/mmcat.js`` reads them).
Every value is a slug or a number, so nothing here needs escaping beyond that.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from generator.site import facts
from generator.catalog.validated import Catalog
from generator.site.i18n import MODALITY, UI
from generator.locks.files import TIER_ORDER, Locks
from generator.catalog.schema import Embedding, Model

# Sort rank of a model's badge (the "verification at least" filter compares ranks).
TIER_RANK = {"mismatch": -1, "unavailable": 0, **{tier: i for i, tier in enumerate(TIER_ORDER)}}
# The table's columns, in order; the script sorts a column by the row value of the same name.
COLUMNS = ("model", "series", "org", "category", "modalities", "dim", "params", "license", "date", "tier")


@dataclass(frozen=True)
class Row:
    """One model of the home table."""

    model: Model
    attrs: Markup


class Views:
    """View helpers of one language, used by the templates through ``v``."""

    def __init__(self, catalog: Catalog, locks: Locks, lang: str) -> None:
        self.catalog = catalog
        self.locks = locks
        self.lang = lang
        self.ui = UI[lang]

    # -- home table ----------------------------------------------------------------------

    def rows(self) -> list[Row]:
        """Every model in the default order: category (catalogue order), series, id."""
        order = {c.obj.id: i for i, c in enumerate(self.catalog.categories)}
        models = sorted(
            self.catalog.model_map.values(), key=lambda m: (order.get(m.category, 0), m.series, m.id.lower())
        )
        return [self._row(m) for m in models]

    def _row(self, m: Model) -> Row:
        params = facts.parameters(m, self.locks)
        values = {
            "mods": " ".join(m.modalities),
            "cat": m.category,
            "series": m.series,
            "lic": facts.license_class(m.license),
            "tier": facts.model_tier(m, self.locks),
            "dims": " ".join(str(d) for d in sorted({e.dim for e in m.embeddings})),
            "dim": str(facts.max_dim(m) or ""),
            "params": str(params[0]) if params else "",
            "hub": "1" if m.source.hub_id else "0",
            "date": m.release_date or "",
            "id": m.id.lower(),
        }
        attrs = " ".join(f'data-{k}="{escape(v)}"' for k, v in values.items())
        return Row(m, Markup("{ " + attrs + " }"))

    def filter_form(self, compare_href: str) -> Markup:
        """The filter controls (HTML, hidden until the script shows them)."""
        ui = self.ui
        cat = self.catalog
        present = {m.category for m in cat.model_map.values()}
        categories = [(c.obj.id, str(getattr(c.obj.name, self.lang))) for c in cat.categories]
        series = sorted(
            ((s.id, str(getattr(s.name, self.lang))) for s in cat.series_map.values()),
            key=lambda x: x[1].lower(),
        )
        orgs = sorted({m.organization for m in cat.model_map.values()}, key=str.lower)
        modalities = [
            m for m in MODALITY[self.lang] if any(m in x.modalities for x in cat.model_map.values())
        ]
        counts = [p[0] for m in cat.model_map.values() if (p := facts.parameters(m, self.locks))]
        lo = math.floor(math.log10(min(counts)) * 2) / 2 if counts else 6.0
        hi = math.ceil(math.log10(max(counts)) * 2) / 2 if counts else 11.0

        def options(pairs: list[tuple[str, str]]) -> str:
            return "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in pairs)

        def checks(name: str, pairs: list[tuple[str, str]]) -> str:
            return "".join(
                f'<label><input type="checkbox" name="{name}" value="{escape(v)}"> {escape(label)}</label>'
                for v, label in pairs
            )

        any_label = ui["filter.any"]
        tiers = [("", any_label)] + [(t, ui[f"tier.{t}"]) for t in ("config", "runtime", "weights")]
        parts = [
            f'<form class="mmcat-filters" id="mmcat-filters" hidden data-compare="{escape(compare_href)}" '
            f'data-plog="{lo} {hi}" data-columns="{" ".join(COLUMNS)}">',
            f'<input type="search" name="q" aria-label="{ui["filter.text"]}" '
            f'placeholder="{ui["filter.text"]}">',
            f"<fieldset><legend>{ui['modalities']}</legend>"
            f"{checks('mod', [(m, MODALITY[self.lang][m]) for m in modalities])}"
            f'<select name="mm" aria-label="{ui["filter.modmode"]}">'
            f"{options([('any', ui['filter.anyof']), ('all', ui['filter.allof'])])}</select></fieldset>",
            f"<fieldset><legend>{ui['license']}</legend>"
            f"{checks('lic', [(c, ui[f'lic.{c}']) for c in facts.LICENSE_CLASSES])}</fieldset>",
            f'<label>{ui["category"]} <select name="cat">'
            f"{options([('', any_label)] + [c for c in categories if c[0] in present])}</select></label>",
            f'<label>{ui["series"]} <select name="series">'
            f"{options([('', any_label), *series])}</select></label>",
            f'<label>{ui["organization"]} <select name="org">'
            f"{options([('', any_label)] + [(o, o) for o in orgs])}</select></label>",
            f'<label>{ui["filter.tier"]} <select name="tier">{options(tiers)}</select></label>',
            f'<label>{ui["filter.hub"]} <select name="hub">'
            f"{options([('', any_label), ('yes', ui['yes']), ('no', ui['no'])])}</select></label>",
            f"<fieldset><legend>{ui['filter.dim']}</legend>"
            f'<input type="number" name="dmin" min="1" aria-label="{ui["filter.min"]}" '
            f'placeholder="{ui["filter.min"]}"> – '
            f'<input type="number" name="dmax" min="1" aria-label="{ui["filter.max"]}" '
            f'placeholder="{ui["filter.max"]}"></fieldset>',
            f'<fieldset class="mmcat-params"><legend>{ui["parameters"]}</legend>'
            f'<input type="range" name="pmin" min="{lo}" max="{hi}" step="0.05" value="{lo}" '
            f'aria-label="{ui["filter.min"]}">'
            f'<input type="range" name="pmax" min="{lo}" max="{hi}" step="0.05" value="{hi}" '
            f'aria-label="{ui["filter.max"]}"><output name="prange"></output></fieldset>',
            f'<p class="mmcat-actions"><button type="reset" class="md-button">{ui["filter.reset"]}</button> '
            f'<a class="md-button md-button--primary mmcat-compare-link" href="{escape(compare_href)}">'
            f'{ui["compare.selected"]} (<span class="mmcat-compare-count">0</span>)</a> '
            f'<span class="mmcat-count" aria-live="polite" data-of="{ui["filter.of"]}"></span></p>',
            "</form>",
        ]
        return Markup("".join(parts))

    # -- model page: memory ----------------------------------------------------------------

    def weight_estimate(self, m: Model) -> tuple[str, dict[str, str]] | None:
        """(parameters and their source, dtype -> human size) of the weight-memory estimate."""
        params = facts.parameters(m, self.locks)
        if params is None:
            return None
        sizes = {dtype: facts.human_bytes(n) for dtype, n in facts.weight_bytes(params[0]).items()}
        source = self.ui[f"params_source.{params[1]}"]
        return self.ui["params_with_source"].format(n=f"{params[0]:,}", source=source), sizes

    def input_of(self, e: Embedding) -> str:
        """The input an output was checked at, as declared (the checks use the config default otherwise)."""
        if e.input is None or (e.input.image_size is None and e.input.text_tokens is None):
            return f"{e.name}{self.ui['colon']}{self.ui['input_default']}"
        parts = []
        if e.input.image_size:
            parts.append(f"{e.input.image_size} {self.ui['image_px']}")
        if e.input.text_tokens:
            parts.append(f"{e.input.text_tokens} {self.ui['text_tokens']}")
        return f"{e.name}{self.ui['colon']}{', '.join(parts)}"

    def measured_rows(self, m: Model) -> list[list[str]]:
        """Runtime-tier runs: device, dtype, batch, input, peak memory, latency per output."""
        rows = []
        inputs = self.ui["semicolon"].join(self.input_of(e) for e in m.embeddings)
        for run in facts.runtime_runs(m, self.locks):
            latency = run.get("latency_ms")
            lat = (
                ", ".join(f"{k} {v} ms" for k, v in sorted(latency.items()))
                if isinstance(latency, dict)
                else ""
            )
            peak = run.get("peak_memory_mb")
            rows.append(
                [
                    str(run.get("device_name") or run.get("device") or ""),
                    str(run.get("dtype") or ""),
                    str(run.get("batch") or ""),
                    inputs,
                    f"{peak} MiB" if peak is not None else self.ui["none"],
                    lat or self.ui["none"],
                ]
            )
        return rows

    # -- compare page ------------------------------------------------------------------------

    def compare_labels(self) -> Markup:
        """The compare page's interface strings, as JSON for a data attribute."""
        keys = [k for k in self.ui if k.startswith(("compare.", "lic.", "tier.", "params_source."))]
        keys += [
            "model",
            "organization",
            "series",
            "category",
            "modalities",
            "outputs",
            "input",
            "parameters",
            "license",
        ]
        keys += [
            "release_date",
            "papers",
            "verification",
            "hub_id",
            "commit",
            "none",
            "peak_memory",
            "image_px",
        ]
        keys += [
            "text_tokens",
            "input_default",
            "weights_estimate",
            "measured",
            "status.no-public-weights",
            "batch",
        ]
        labels = {k: self.ui[k] for k in keys}
        labels.update({f"mod.{k}": v for k, v in MODALITY[self.lang].items()})
        return Markup(escape(json.dumps(labels, ensure_ascii=False, sort_keys=True)))


def view_globals(catalog: Catalog, locks: Locks, lang: str) -> dict[str, Any]:
    """Template globals of this module."""
    return {"v": Views(catalog, locks, lang), "columns": COLUMNS}
