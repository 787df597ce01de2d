"""The "Hub metadata" rows of a model page, from the entry, the locks and the language.

Each row is a recorded fact, its value as Markdown and where it came from
(``hub@<sha>`` or a hand-copied URL). Pure functions; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.site import facts
from generator.locks.audit import config_completeness, config_origin
from generator.site.i18n import UI
from generator.locks.files import Locks
from generator.locks.schema import ConfigAudit, HubRecord
from generator.site.markup import human_count, link, md_escape, provenance
from generator.catalog.schema import Model


@dataclass(frozen=True)
class FactRow:
    """One recorded Hub fact: label, value and provenance, as Markdown."""

    label: str
    value: Markup
    provenance: Markup


def hub_rows(m: Model, locks: Locks, lang: str) -> list[FactRow]:
    """Rows (label, value, provenance) of the Hub facts recorded in the lock."""
    record = locks.hub_record(m.id)
    if record is None:
        return []
    ui = UI[lang]
    rows: list[FactRow] = []

    def add(field: str, label: str, value: Any) -> None:
        if getattr(record, field) is not None:
            shown = value if isinstance(value, Markup) else md_escape(value)
            rows.append(FactRow(label, shown, provenance(record.provenance.get(field), lang)))

    sha = record.sha
    if sha:
        url = f"https://huggingface.co/{m.source.hub_id}/tree/{sha}"
        label = Markup(f"`{md_escape(sha[:12])}`")  # a 40-hex sha (the lock's schema)
        rows.append(FactRow(ui["commit"], link("", label, url), provenance(f"hub@{sha}", lang)))
    if record.license is not None:
        other = facts.license_mismatch(m, locks)
        value = md_escape(record.license if other is None else other)
        if other is not None:
            value = Markup(f"{value} ⚠ {md_escape(ui['license_mismatch'].format(hub=other))}")
        add("license", ui["license"], value)
    gated = record.gated
    if gated is not None:
        add("gated", ui["gated"], ui["yes"] + f" ({gated})" if gated else ui["no"])
    add("downloads", ui["downloads"], f"{record.downloads or 0:,}")
    add("likes", ui["likes"], record.likes)
    add("last_modified", ui["last_modified"], str(record.last_modified or "")[:10])
    if record.parameters is not None:
        n = record.parameters
        add("parameters", ui["parameters"], f"{n:,} ({human_count(n)})")
    add("pipeline_tag", ui["pipeline_tag"], record.pipeline_tag)
    add("library_name", ui["library_name"], record.library_name)
    if record.config is not None:
        add("config", ui["config"], config_cell(m, record, locks, lang))
    add("retrieved", ui["retrieved"], record.retrieved)
    return rows


def config_cell(m: Model, record: HubRecord, locks: Locks, lang: str) -> Markup:
    """Fields recorded, where the copy came from, and whether it is complete: all computed."""
    ui = UI[lang]
    parts = [md_escape(ui["config_keys"].format(n=len(record.config or {})))]
    origin = config_origin(m.source.hub_id, record)
    if origin is not None:
        label = md_escape(ui[f"config_origin.{origin.kind}"])
        url = origin.url or ""
        # Linked here unless the provenance beside it links the same copy ("manual:<url>").
        linked = url.startswith("https://") and (record.provenance.get("config") or "").partition(":")[2] != url
        parts.append(link("", label, url) if linked else label)
    audit = config_completeness(m.id, locks)
    if audit is None:
        parts.append(md_escape(ui["config_unchecked"]))
    elif audit.complete:
        parts.append(md_escape(ui["config_complete"].format(cls=audit.config_class)))
    elif audit.config_class is None:
        parts.append(md_escape(ui["config_no_class"]))
    else:
        parts.append(md_escape(ui["config_incomplete"].format(found=ui["list_sep"].join(_gaps(audit, lang)))))
    return Markup(" · ").join(parts)


def _gaps(audit: ConfigAudit, lang: str) -> list[str]:
    """What an incomplete config lacks: sub-configs, and fields left at their defaults."""
    ui = UI[lang]
    found = []
    if audit.missing_sub_configs:
        found.append(ui["config_missing_sub"].format(names=", ".join(audit.missing_sub_configs)))
    if audit.defaulted:
        fields = ui["list_sep"].join(
            ui["config_where"].format(
                where=ui["config_top_level"] if where == "(top level)" else where, fields=", ".join(names)
            )
            for where, names in sorted(audit.defaulted.items())
        )
        count = sum(len(names) for names in audit.defaulted.values())
        found.append(ui["config_defaulted"].format(n=count, fields=fields))
    return found
