"""Views of the list pages: rows of the model tables, the home filters, the compare labels.

Pure functions of (entry or catalogue, locks, language) to small frozen rows
that the templates print; no template calls back into Python objects. The
home page's model table is a plain Markdown table (readable with JavaScript
off); each row's model link carries the values the filters and the sort use
as ``data-*`` attributes (``docs/en/assets/mmcat.js`` reads them). Those are
slugs or numbers, so nothing there needs escaping beyond HTML attributes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.site import facts
from generator.catalog.validated import Catalog
from generator.site.i18n import MODALITY, UI
from generator.locks.files import TIER_ORDER, Locks
from generator.site.markup import attr_value, human_count, md_escape, status_badge
from generator.catalog.schema import LANGUAGE_NAMES, Embedding, Model

# Sort rank of a model's badge (the "verification at least" filter compares ranks).
TIER_RANK = {"mismatch": -1, "unavailable": 0, **{tier: i for i, tier in enumerate(TIER_ORDER)}}
# The table's columns, in order; the script sorts a column by the row value of the same name.
COLUMNS = ("model", "series", "org", "category", "modalities", "dim", "params", "license", "date", "tier")


@dataclass(frozen=True)
class ModelRow:
    """One model of a table of models (the home page's, a series page's)."""

    model: Model
    outputs: tuple[str, ...]
    parameters: str
    license: Markup
    status: Markup
    attrs: Markup


def output_text(emb: Embedding, lang: str) -> str:
    """An output's size: its shape (``257×768``), ``tokens × 128`` for one vector per token, or its dim."""
    if emb.multi_vector:
        return f"{UI[lang]['multi_vector_tokens']} × {emb.dim}"
    if emb.shape:
        return "×".join(str(n) for n in emb.shape)
    return str(emb.dim)


def parameters_text(m: Model, locks: Locks, lang: str) -> str:
    """The parameter count shown for a model (:func:`facts.parameters`), marked when only declared."""
    params = facts.parameters(m, locks)
    if params is None:
        return ""
    if params[1] == "declared":
        return f"{human_count(params[0])} ({UI[lang]['declared_params']})"
    return human_count(params[0])


def license_cell(m: Model, locks: Locks, lang: str) -> Markup:
    """The entry's licence (a custom one by its name), with a warning sign when the Hub says otherwise."""
    name = md_escape(license_label(m, lang))
    other = facts.license_mismatch(m, locks)
    if other is None:
        return name
    title = attr_value(UI[lang]["license_mismatch"].format(hub=other))
    return Markup(f'{name} <span class="mmcat-warn" title="{title}">⚠</span>')


def license_label(m: Model, lang: str) -> str:
    """A licence as a reader names it: its id, or for ``other`` the entry's ``license_name``."""
    if m.license == "other":
        return m.license_name or UI[lang]["license_other"]
    return m.license


def model_status(m: Model, locks: Locks, lang: str) -> Markup:
    """The model's badge (:func:`facts.model_tier`)."""
    return status_badge(facts.model_tier(m, locks), m.status, lang)


def language_codes(m: Model) -> list[str]:
    """The codes the language filter matches: the listed languages, and ``multi`` for a multilingual model."""
    langs = m.languages
    if langs is None:
        return []
    if isinstance(langs, list):
        return list(langs)
    return ["multi", *langs.listed]


def language_words(m: Model) -> str:
    """Words that make the table's text search find a model by its languages, in both languages."""
    words = [
        w for code in language_codes(m) if code != "multi" for w in LANGUAGE_NAMES.get(code, (code, code))
    ]
    if m.languages is not None and not isinstance(m.languages, list):
        words += ["multilingual", "多语言"]
    return " ".join(words)


def model_row(m: Model, locks: Locks, lang: str) -> ModelRow:
    """The table row of a model; ``attrs`` holds what the home table's filters and sort read."""
    params = facts.parameters(m, locks)
    values = {
        "mods": " ".join(m.modalities),
        "cat": m.category,
        "series": m.series,
        "lic": facts.license_class(m.license),
        "tier": facts.model_tier(m, locks),
        "dims": " ".join(str(d) for d in sorted({e.dim for e in m.embeddings})),
        "dim": str(facts.max_dim(m) or ""),
        "params": str(params[0]) if params else "",
        "hub": "1" if m.source.hub_id else "0",
        "date": m.release_date or "",
        "id": m.id.lower(),
        "langs": " ".join(language_codes(m)),
        "langnames": language_words(m),
    }
    attrs = " ".join(f'data-{k}="{attr_value(v)}"' for k, v in values.items())
    return ModelRow(
        model=m,
        outputs=tuple(f"{e.name} {output_text(e, lang)}" for e in m.embeddings),
        parameters=parameters_text(m, locks, lang),
        license=license_cell(m, locks, lang),
        status=model_status(m, locks, lang),
        attrs=Markup("{ " + attrs + " }"),
    )


class RowCache:
    """Model rows computed before, reused while the model and the locks are the same objects
    (the home page and the series pages show the same rows; the live preview renders them
    again after every edit)."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], tuple[Model, Locks, ModelRow]] = {}

    def row(self, m: Model, locks: Locks, lang: str) -> ModelRow:
        """:func:`model_row`, or the same row as before for the same objects."""
        cached = self._rows.get((lang, m.id))
        if cached is not None and cached[0] is m and cached[1] is locks:
            return cached[2]
        row = model_row(m, locks, lang)
        self._rows[(lang, m.id)] = (m, locks, row)
        return row


def home_rows(catalog: Catalog, locks: Locks, lang: str, rows: RowCache | None = None) -> list[ModelRow]:
    """Every model in the home table's default order: category (catalogue order), series, id."""
    order = {c.obj.id: i for i, c in enumerate(catalog.categories)}
    models = sorted(
        catalog.model_map.values(), key=lambda m: (order.get(m.category, 0), m.series, m.id.lower())
    )
    cache = rows if rows is not None else RowCache()
    return [cache.row(m, locks, lang) for m in models]


def filter_form(
    catalog: Catalog, locks: Locks, lang: str, compare_href: str, headline: tuple[tuple[str, str], ...] = ()
) -> Markup:
    """The filter controls (HTML, hidden until the script shows them).

    ``headline``: (benchmark id, label) of the home table's score columns, each with a range filter.
    """
    ui = UI[lang]
    cat = catalog
    present = {m.category for m in cat.model_map.values()}
    categories = [(c.obj.id, str(getattr(c.obj.name, lang))) for c in cat.categories]
    series = sorted(
        ((s.id, str(getattr(s.name, lang))) for s in cat.series_map.values()),
        key=lambda x: x[1].lower(),
    )
    orgs = sorted({m.organization for m in cat.model_map.values()}, key=str.lower)
    modalities = [m for m in MODALITY[lang] if any(m in x.modalities for x in cat.model_map.values())]
    counts = [p[0] for m in cat.model_map.values() if (p := facts.parameters(m, locks))]
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
    present_langs = {c for m in cat.model_map.values() for c in language_codes(m)}
    index = 0 if lang == "en" else 1
    languages = [("", any_label)] + [
        (code, names[index]) for code, names in LANGUAGE_NAMES.items() if code in present_langs
    ]
    if "multi" in present_langs:
        languages.append(("multi", ui["multilingual"]))
    tiers = [("", any_label)] + [(t, ui[f"tier.{t}"]) for t in ("config", "runtime", "weights")]
    parts = [
        f'<form class="mmcat-filters" id="mmcat-filters" hidden data-compare="{escape(compare_href)}" '
        f'data-plog="{lo} {hi}" data-more="{ui["filter.more"]}" data-columns="{" ".join((*COLUMNS, *(f"s:{b}" for b, _ in headline)))}">',
        f'<input type="search" name="q" aria-label="{ui["filter.text"]}" placeholder="{ui["filter.text"]}">',
        f"<fieldset><legend>{ui['modalities']}</legend>"
        f"{checks('mod', [(m, MODALITY[lang][m]) for m in modalities])}"
        f'<select name="mm" aria-label="{ui["filter.modmode"]}">'
        f"{options([('any', ui['filter.anyof']), ('all', ui['filter.allof'])])}</select></fieldset>",
        f"<fieldset><legend>{ui['license']}</legend>"
        f"{checks('lic', [(c, ui[f'lic.{c}']) for c in facts.LICENSE_CLASSES])}</fieldset>",
        f'<label>{ui["category"]} <select name="cat">'
        f"{options([('', any_label)] + [c for c in categories if c[0] in present])}</select></label>",
        f'<label>{ui["series"]} <select name="series">{options([("", any_label), *series])}</select></label>',
        f'<label>{ui["organization"]} <select name="org">'
        f"{options([('', any_label)] + [(o, o) for o in orgs])}</select></label>",
        f'<label>{ui["filter.tier"]} <select name="tier">{options(tiers)}</select></label>',
        f'<label>{ui["filter.language"]} <select name="lang">{options(languages)}</select></label>',
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
        f'aria-label="{ui["filter.max"]}"><output name="prange"></output>'
        f'<small class="mmcat-params-note">{ui["filter.params_note"]}</small></fieldset>',
        *(
            f'<fieldset class="mmcat-scores"><legend>{escape(label)}</legend>'
            f'<input type="number" step="any" name="lo.{escape(b)}" data-range aria-label="{escape(label)}: '
            f'{ui["filter.min"]}" placeholder="{ui["filter.min"]}"> – '
            f'<input type="number" step="any" name="hi.{escape(b)}" data-range aria-label="{escape(label)}: '
            f'{ui["filter.max"]}" placeholder="{ui["filter.max"]}"></fieldset>'
            for b, label in headline
        ),
        (f'<p class="mmcat-scores-note">{escape(ui["headline_filter_note"])}</p>' if headline else ""),
        f'<p class="mmcat-actions"><button type="reset" class="md-button">{ui["filter.reset"]}</button> '
        f'<a class="md-button md-button--primary mmcat-compare-link" href="{escape(compare_href)}">'
        f'{ui["compare.selected"]} (<span class="mmcat-compare-count">0</span>)</a> '
        f'<span class="mmcat-count" aria-live="polite" data-of="{ui["filter.of"]}"></span> '
        '<button type="button" class="md-button mmcat-more" hidden></button> '
        f'<span class="mmcat-pick-note" role="status" data-text="{ui["filter.pick_max"]}"></span></p>'
        f'<p class="mmcat-empty" role="status" hidden>{ui["filter.empty"]}</p>',
        "</form>",
    ]
    return Markup("".join(parts))


def compare_labels(lang: str) -> Markup:
    """The compare page's interface strings, as JSON for a data attribute."""
    ui = UI[lang]
    keys = [k for k in ui if k.startswith(("compare.", "lic.", "tier.", "params_source."))]
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
        "license_other",
        "reported_results",
        "no_figure",
    ]
    labels = {k: ui[k] for k in keys}
    labels.update({f"mod.{k}": v for k, v in MODALITY[lang].items()})
    return Markup(escape(json.dumps(labels, ensure_ascii=False, sort_keys=True)))
