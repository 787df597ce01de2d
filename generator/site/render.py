"""Render the catalogue to Markdown pages in both languages (Jinja2 templates).

Output is deterministic and independent of MkDocs, so golden-file tests can
compare it and another static-site engine could build it. Every value printed
by a template is escaped for Markdown and HTML unless the template marks it
safe: entry text never reaches the HTML as markup.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.locks.audit import config_completeness, config_origin
from generator.catalog.validated import Catalog
from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.site.i18n import LANGS, MODALITY, UI
from generator.locks.files import Locks
from generator.catalog.recipes import RECIPES
from generator.catalog.schema import Embedding, Model
from generator.site.snippets import matryoshka_lines, usage_section
from generator.site.views import view_globals

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!])")
GENERATED_NOTE = "<!-- auto-generated from {source} by mmcat: edit the YAML, not this file -->\n"


def md_escape(value: Any) -> Markup:
    """Escape any value for Markdown text: HTML specials and Markdown syntax."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split())
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(text))))


def _finalize(value: Any) -> Any:
    return "" if value is None else md_escape(value)


def human_count(n: int | None) -> str:
    """22056576 -> '22.1 M'; None -> ''."""
    if n is None:
        return ""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return str(n)


@dataclass(frozen=True)
class Page:
    """One rendered page: path below the language folder, and its text."""

    path: str
    text: str


class Renderer:
    """Renders every generated page of one language."""

    def __init__(self, catalog: Catalog, locks: Locks, lang: str) -> None:
        self.catalog = catalog
        self.locks = locks
        self.lang = lang
        self.env = Environment(
            loader=PackageLoader("generator.site", "templates"),
            autoescape=False,
            finalize=_finalize,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(ui={k: Markup(v) for k, v in UI[lang].items()}, lang=lang, t=self.t)
        self.env.filters["modality"] = lambda m: MODALITY[lang][m]
        self.env.globals["usage"] = lambda model: usage_section(model, locks, lang)
        self.env.globals["matryoshka"] = lambda model: matryoshka_lines(model, lang)
        self.env.globals.update(view_globals(catalog, locks, lang))

    def t(self, text: Any) -> Any:
        """Pick this language from a bilingual text (or pass a plain value through)."""
        if text is None:
            return None
        return getattr(text, self.lang, text)

    # -- helpers used by templates ------------------------------------------------

    def link(self, here: str, label: Any, target: str) -> Markup:
        """A Markdown link from page ``here`` to page or URL ``target``."""
        if not target.startswith(("http://", "https://")):
            target = posixpath.relpath(target, posixpath.dirname(here) or ".")
        return Markup(f"[{md_escape(label)}]({target})")

    def badge(self, tier: str) -> Markup:
        label = UI[self.lang][f"tier.{tier}"]
        return Markup(f'<span class="mmcat-badge mmcat-{tier}">{escape(label)}</span>')

    def output_text(self, emb: Embedding) -> str:
        if emb.shape:
            return "×".join(str(n) for n in emb.shape)
        return str(emb.dim)

    def input_text(self, emb: Embedding) -> str:
        ui = UI[self.lang]
        if emb.input is None:
            return ""
        parts = []
        if emb.input.image_size:
            parts.append(f"{emb.input.image_size} {ui['image_px']}")
        if emb.input.text_tokens:
            parts.append(f"{emb.input.text_tokens} {ui['text_tokens']}")
        return ", ".join(parts)

    def model_status(self, model: Model) -> Markup:
        if model.status != "checkable":
            label = UI[self.lang][f"status.{model.status}"]
            return Markup(f'<span class="mmcat-badge mmcat-unavailable">{escape(label)}</span>')
        tiers = [self.locks.output_tier(model.id, e.name) for e in model.embeddings]
        if "mismatch" in tiers:
            return self.badge("mismatch")
        order = ("declared", "config", "runtime", "weights")
        return self.badge(min(tiers, key=order.index))

    def license_mismatch(self, model: Model) -> str | None:
        """The Hub's license when it differs from the YAML's, else None."""
        hub = self.locks.hub.get(model.id, {}).get("license")
        if hub is None:
            return None
        hub_text = ", ".join(hub) if isinstance(hub, list) else str(hub)
        return None if hub_text.lower() == model.license.lower() else hub_text

    def license_cell(self, model: Model) -> Markup:
        other = self.license_mismatch(model)
        if other is None:
            return md_escape(model.license)
        title = escape(UI[self.lang]["license_mismatch"].format(hub=other))
        return Markup(f'{md_escape(model.license)} <span class="mmcat-warn" title="{title}">⚠</span>')

    def provenance(self, value: str | None) -> Markup:
        """``hub@<sha>`` as a commit link, ``manual:<url>`` as a link."""
        if not value:
            return Markup(UI[self.lang]["none"])
        kind, _, where = value.partition(":") if value.startswith("manual:") else value.partition("@")
        if kind == "manual" and where.startswith(("http://", "https://")):
            return Markup(f"[{UI[self.lang]['manual']}]({where})")
        if kind == "hub":
            return Markup(f"`hub@{md_escape(where[:12])}`")
        return md_escape(value)

    def hub_rows(self, model: Model) -> list[tuple[str, Markup, Markup]]:
        """Rows (label, value, provenance) of the Hub facts recorded in the lock."""
        record = self.locks.hub.get(model.id)
        if not record:
            return []
        ui = UI[self.lang]
        prov = record.get("provenance", {})
        rows: list[tuple[str, Markup, Markup]] = []

        def add(field: str, label: str, value: Any) -> None:
            if record.get(field) is not None:
                rows.append(
                    (
                        label,
                        value if isinstance(value, Markup) else md_escape(value),
                        self.provenance(prov.get(field)),
                    )
                )

        sha = record.get("sha")
        if sha:
            url = f"https://huggingface.co/{model.source.hub_id}/tree/{sha}"
            rows.append(
                (ui["commit"], Markup(f"[`{md_escape(sha[:12])}`]({url})"), self.provenance(f"hub@{sha}"))
            )
        license_text = record.get("license")
        if license_text is not None:
            other = self.license_mismatch(model)
            value = md_escape(license_text if other is None else other)
            if other is not None:
                value = Markup(f"{value} ⚠ {md_escape(ui['license_mismatch'].format(hub=other))}")
            add("license", ui["license"], value)
        gated = record.get("gated")
        if gated is not None:
            add("gated", ui["gated"], ui["yes"] + f" ({gated})" if gated else ui["no"])
        add(
            "downloads",
            ui["downloads"],
            f"{record.get('downloads') or 0:,}",
        )
        add("likes", ui["likes"], record.get("likes"))
        add("last_modified", ui["last_modified"], str(record.get("last_modified", ""))[:10])
        if record.get("parameters") is not None:
            add(
                "parameters",
                ui["parameters"],
                f"{record['parameters']:,} ({human_count(record['parameters'])})",
            )
        add("pipeline_tag", ui["pipeline_tag"], record.get("pipeline_tag"))
        add("library_name", ui["library_name"], record.get("library_name"))
        if record.get("config") is not None:
            add("config", ui["config"], self.config_cell(model, record))
        add("retrieved", ui["retrieved"], record.get("retrieved"))
        return rows

    def config_cell(self, model: Model, record: dict[str, Any]) -> Markup:
        """Fields recorded, where the copy came from, and whether it is complete: all computed."""
        ui = UI[self.lang]
        parts = [md_escape(ui["config_keys"].format(n=len(record["config"])))]
        origin = config_origin(model.source.hub_id, record)
        if origin is not None:
            label = md_escape(ui[f"config_origin.{origin['kind']}"])
            url = origin["url"]
            parts.append(Markup(f"[{label}]({url})") if url.startswith("https://") else label)
        audit = config_completeness(model.id, self.locks)
        if audit is None:
            parts.append(md_escape(ui["config_unchecked"]))
        elif audit.get("complete"):
            parts.append(md_escape(ui["config_complete"].format(cls=audit.get("config_class"))))
        elif audit.get("config_class") is None:
            parts.append(md_escape(ui["config_no_class"]))
        else:
            found = []
            if audit.get("missing_sub_configs"):
                found.append(ui["config_missing_sub"].format(names=", ".join(audit["missing_sub_configs"])))
            defaulted = audit.get("defaulted") or {}
            if defaulted:
                fields = ui["list_sep"].join(
                    ui["config_where"].format(where=ui["config_top_level"], fields=", ".join(names))
                    if where == "(top level)"
                    else ui["config_where"].format(where=where, fields=", ".join(names))
                    for where, names in sorted(defaulted.items())
                )
                count = sum(len(names) for names in defaulted.values())
                found.append(ui["config_defaulted"].format(n=count, fields=fields))
            parts.append(md_escape(ui["config_incomplete"].format(found=ui["list_sep"].join(found))))
        return Markup(" · ").join(parts)

    def parameters_cell(self, model: Model) -> Markup:
        """Built and declared parameter counts side by side, with the reason when they differ."""
        ui = UI[self.lang]
        built = self.locks.checks.get(model.id, {}).get("parameters")
        if model.parameters is None or not built:
            return md_escape(self.parameters(model))
        text = ui["params_side_by_side"].format(
            built=f"{int(built):,}",
            built_h=human_count(int(built)),
            declared=f"{model.parameters:,}",
            declared_h=human_count(model.parameters),
        )
        if model.parameters_note is not None:
            text = ui["params_with_note"].format(pair=text, note=self.t(model.parameters_note))
        return md_escape(text)

    def check_rows(self, model: Model) -> list[list[Markup]]:
        """One row per recorded tier run: badge, result, observed outputs, setting, figures."""
        ui = UI[self.lang]
        tiers = self.locks.checks.get(model.id, {}).get("tiers", {})
        rows = []
        for tier in ("config", "runtime", "weights"):
            record = tiers.get(tier)
            if record is None:
                continue
            runs = record["runs"] if tier == "runtime" else {"": record}  # one run per setting
            for run in runs.values():
                outputs = []
                for name, o in sorted(run.get("outputs", {}).items()):
                    if "observed" in o:
                        mark = "✓" if o.get("match") else f"✗ ({ui['declared']} {o.get('declared')})"
                        outputs.append(f"{name} {o['observed']} {mark}")
                    else:
                        outputs.append(f"{name}: {o.get('error') or o.get('skipped')}")
                latency = run.get("latency_ms")
                figures = []
                if run.get("parameters") is not None:
                    figures.append(f"{run['parameters']:,} {ui['params_short']}")
                if latency:
                    figures.append(", ".join(f"{k} {v} ms" for k, v in sorted(latency.items())))
                if run.get("peak_memory_mb") is not None:
                    figures.append(f"{ui['peak_memory']} {run['peak_memory_mb']} MiB")
                setting = " · ".join(
                    str(x)
                    for x in (
                        run.get("device_name") or run.get("device"),
                        run.get("dtype"),
                        f"batch {run['batch']}" if run.get("batch") else None,
                        f"torch {run.get('torch')}, transformers {run.get('transformers')}",
                        run.get("date"),
                    )
                    if x
                )
                status = run.get("status", "")
                result = "; ".join(outputs) if status == "ok" else f"{status}: {run.get('reason', '')}"
                rows.append(
                    [self.badge(tier), md_escape(result), md_escape(setting), md_escape("; ".join(figures))]
                )
        return rows

    def parameters(self, model: Model) -> str:
        exact = self.locks.checks.get(model.id, {}).get("parameters")
        hub = self.locks.hub.get(model.id, {}).get("parameters")
        if exact:
            return human_count(int(exact))
        if hub:
            return human_count(int(hub))
        if model.parameters:
            return f"{human_count(model.parameters)} ({UI[self.lang]['declared_params']})"
        return ""

    # -- pages ------------------------------------------------------------------------

    def _render(self, template: str, path: str, source: str, **context: Any) -> Page:
        text = self.env.get_template(template).render(
            here=path, link=lambda label, target: self.link(path, label, target), r=self, **context
        )
        note = GENERATED_NOTE.format(source=source)
        if text.startswith("---\n"):  # front matter must stay first
            end = text.index("\n---\n", 4) + 5
            return Page(path, text[:end] + note + text[end:])
        return Page(path, note + text)

    def pages(self) -> Iterable[Page]:
        cat = self.catalog
        models_by_series: dict[str, list[Model]] = {}
        models_by_paper: dict[str, list[Model]] = {}
        for m in sorted(cat.model_map.values(), key=lambda m: m.id.lower()):
            models_by_series.setdefault(m.series, []).append(m)
            for p in m.papers:
                models_by_paper.setdefault(p, []).append(m)
        categories = [c.obj for c in cat.categories]
        by_category = {
            c.id: sorted(
                (m for m in cat.model_map.values() if m.category == c.id),
                key=lambda m: (m.series, m.id.lower()),
            )
            for c in categories
        }
        yield self._render(
            "home.md.j2",
            "index.md",
            "catalog/",
            categories=categories,
            by_category=by_category,
            series_map=cat.series_map,
            category_map=cat.category_map,
            compare_href="compare/index.html",
            api_href="api/" if self.lang == LANGS[0] else "../api/",
        )
        yield self._render(
            "compare.md.j2",
            "compare/index.md",
            "catalog/",
            api_href="../api/" if self.lang == LANGS[0] else "../../api/",
        )
        for located in cat.models:
            m = located.obj
            yield self._render(
                "model.md.j2",
                f"models/{m.id}.md",
                _source_path(cat, located.path),
                m=m,
                series=cat.series_map[m.series],
                category=cat.category_map[m.category],
                papers=[cat.paper_map[p] for p in m.papers],
                recipes=RECIPES,
            )
        series_sorted = sorted(cat.series_map.values(), key=lambda s: s.id)
        yield self._render(
            "series_index.md.j2",
            "series/index.md",
            "catalog/series/",
            series=series_sorted,
            models_by_series=models_by_series,
        )
        for located_s in cat.series:
            s = located_s.obj
            yield self._render(
                "series.md.j2",
                f"series/{s.id}.md",
                _source_path(cat, located_s.path),
                s=s,
                models=models_by_series.get(s.id, []),
                category=cat.category_map[s.category],
            )
        papers_by_topic = {
            t.obj.id: sorted(
                (p for p in cat.paper_map.values() if p.topic == t.obj.id), key=lambda p: (p.year, p.id)
            )
            for t in cat.topics
        }
        yield self._render(
            "papers.md.j2",
            "papers.md",
            "catalog/papers/",
            topics=[t.obj for t in cat.topics],
            papers_by_topic=papers_by_topic,
            models_by_paper=models_by_paper,
        )
        yield self._render(
            "benchmarks.md.j2",
            "benchmarks.md",
            "catalog/benchmarks.yaml",
            benchmarks=[b.obj for b in cat.benchmarks],
            papers=cat.paper_map,
            models=cat.model_map,
        )


def _source_path(cat: Catalog, shown: str) -> str:
    path = Path(shown).resolve()
    try:
        return "catalog/" + path.relative_to(cat.root.resolve()).as_posix()
    except ValueError:
        return shown


def render_pages(catalog: Catalog, locks: Locks, lang: str) -> list[Page]:
    """All generated pages of one language."""
    return list(Renderer(catalog, locks, lang).pages())


def render_docs(catalog: Catalog, locks: Locks, docs_src: Path, out: Path) -> None:
    """Write the MkDocs source tree: hand-written ``docs_src`` plus generated pages.

    Layout is ``out/<lang>/...`` for each language. A generated page never
    overwrites a hand-written one: a name clash is an error.
    """
    if docs_src.is_dir():
        shutil.copytree(docs_src, out, dirs_exist_ok=True)
    clashes = []
    for lang in LANGS:
        for page in render_pages(catalog, locks, lang):
            target = out / lang / page.path
            if (docs_src / lang / page.path).exists():
                clashes.append(
                    CatalogError(
                        display_path(docs_src / lang / page.path), 1, "", "clashes with a generated page"
                    )
                )
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.text, encoding="utf-8")
    if clashes:
        raise CatalogInvalid(clashes)
