"""The catalogue as data: ``models.json`` (versioned, with a JSON Schema) and ``models.csv``.

Each model record holds the entry exactly as validated (``entry``, dumped
generically from the pydantic model, so a new schema field appears without
changes here), the facts ``mmcat`` derives from it (``derived``) and the two
locks' records (``hub``: Hub snapshot with sha and provenance; ``checks``:
verification results per tier). The site builds the same files into
``site/api/``; ``mmcat export`` writes them anywhere.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.atomic import write_text_atomic
from generator.catalog.results import BenchmarkDef, DerivedInput, Protocol, ResultSource
from generator.catalog.schema import Category, Model, Paper, Prose, Series
from generator.catalog.validated import Catalog
from generator.locks.files import Locks
from generator.site import facts
from generator.site.equivalent import equivalent_prose
from generator.site.views.results import Results, Shown

API_VERSION = 1
FORMATS = ("json", "csv")
Tier = Literal["unavailable", "mismatch", "declared", "config", "runtime", "weights"]


class Derived(BaseModel):
    """Values computed by mmcat from the entry and the locks (the table filters on these)."""

    model_config = ConfigDict(extra="forbid")

    license_class: facts.LicenseClass = Field(description="Class of `license` (see generator/site/facts.py).")
    tier: Tier = Field(description="The model's badge: its weakest output tier, or mismatch/unavailable.")
    output_tiers: dict[str, Tier] = Field(description="Strongest tier that confirmed each output.")
    parameters: int | None = Field(description="Parameter count shown on the site.")
    parameters_source: facts.ParamSource | None = Field(description="config (exact), hub or declared.")
    weight_bytes: dict[str, int] | None = Field(
        description="Estimate of the weight memory per dtype: parameters x bytes (not measured)."
    )
    max_dim: int | None = Field(description="Largest output dim.")
    on_hub: bool = Field(description="The weights are on the Hugging Face Hub (source.hub_id is set).")
    page: str = Field(description="The model's English page, relative to the site root (Chinese: zh/...).")
    from_family: list[str] = Field(
        default_factory=list,
        description="Dotted paths of the entry's values taken from its series' defaults (sorted).",
    )
    equivalent_check: Prose | None = Field(
        None,
        description="For an entry whose loader the checks cannot run (open_clip): which in-library class "
        "the config and runtime tiers built in its place (source.equivalent_architecture), from which "
        "config, and that the loader's own code was not run (EN/ZH, as on the model page).",
    )


class ApiFigure(BaseModel):
    """One reported (or derived) figure of a model, with its protocol and provenance."""

    model_config = ConfigDict(extra="forbid")

    benchmark: str = Field(description="Id of the benchmark (see `benchmarks`).")
    protocol: str = Field(description="Id of the protocol / harness (see `protocols`); rank only within one.")
    score: float = Field(description="As printed in the source, in `unit`.")
    unit: str
    value: float = Field(description="`score` in the benchmark's unit (what the site shows).")
    kind: Literal["reported", "derived"]
    derivation: Literal["mean"] | None = Field(description="How a derived figure was computed.")
    inputs: list[DerivedInput] = Field(description="For a derived figure: the figures it was computed from.")
    source: str = Field(description="Id of the source (see `result_sources`: reporter, URL, commit, path).")
    where: str = Field(description="Where in the source: row and column, table and cell, section.")
    note: Prose | None = None


class ApiModel(BaseModel):
    """One model of the export."""

    model_config = ConfigDict(extra="forbid")

    entry: Model = Field(description="The YAML entry, as validated.")
    derived: Derived
    hub: dict[str, Any] | None = Field(description="Record of catalog/lock/hub.json (sha, provenance).")
    checks: dict[str, Any] | None = Field(description="Record of catalog/lock/checks.json (tiers, runs).")
    results: list[ApiFigure] = Field(description="Reported results of catalog/quality/reported/.")


class ApiDocument(BaseModel):
    """site/api/models.json: the catalogue's public interface."""

    model_config = ConfigDict(extra="forbid", title="mmcat models.json")

    version: Literal[1] = Field(description="Format version; changes only when a field changes meaning.")
    about: str
    models: list[ApiModel]
    series: list[Series]
    categories: list[Category]
    papers: list[Paper]
    benchmarks: list[BenchmarkDef] = Field(
        description="What the figures measure (catalog/quality/benchmarks.yaml)."
    )
    protocols: list[Protocol] = Field(description="How they were measured (catalog/quality/protocols.yaml).")
    result_sources: list[ResultSource] = Field(
        description="Who reported them and where (one per source file)."
    )


def api_figure(s: Shown) -> ApiFigure:
    """The export record of one figure."""
    f = s.figure
    return ApiFigure(
        benchmark=f.benchmark,
        protocol=f.protocol,
        score=f.score,
        unit=f.unit,
        value=round(s.value, 6),
        kind=f.kind,
        derivation=f.derivation,
        inputs=f.inputs,
        source=s.source.id,
        where=f.where,
        note=f.note,
    )


def page_path(model: Model) -> str:
    """The model page's path below the site root (the site is built without directory URLs)."""
    return f"models/{model.id}.html"


def derived(model: Model, locks: Locks, from_family: frozenset[str] = frozenset()) -> Derived:
    """The derived facts of one model."""
    params = facts.parameters(model, locks)
    tier: Any = facts.model_tier(model, locks)
    output_tiers: Any = {e.name: facts.output_tier(model, e, locks) for e in model.embeddings}
    return Derived(
        license_class=facts.license_class(model.license),
        tier=tier,
        output_tiers=output_tiers,
        parameters=params[0] if params else None,
        parameters_source=params[1] if params else None,
        weight_bytes=facts.weight_bytes(params[0]) if params else None,
        max_dim=facts.max_dim(model),
        on_hub=model.source.hub_id is not None,
        page=page_path(model),
        from_family=sorted(from_family),
        equivalent_check=equivalent_prose(model, locks),
    )


def api_document(catalog: Catalog, locks: Locks) -> ApiDocument:
    """The export of the whole catalogue, models sorted by id."""
    models = sorted(catalog.model_map.values(), key=lambda m: m.id.lower())
    results = Results(catalog)
    return ApiDocument(
        version=API_VERSION,
        about="Multimodal embedding catalogue, generated by mmcat from catalog/ and catalog/lock/.",
        models=[
            # The lock records as stored, unchanged (the typed ones would reorder keys and widen numbers).
            ApiModel(
                entry=m,
                derived=derived(m, locks, catalog.family_fields.get(m.id, frozenset())),
                hub=locks.hub.get(m.id),
                checks=locks.checks.get(m.id),
                results=[api_figure(s) for s in results.of_model(m.id)],
            )
            for m in models
        ],
        series=sorted(catalog.series_map.values(), key=lambda s: s.id),
        categories=[c.obj for c in catalog.categories],
        papers=sorted(catalog.paper_map.values(), key=lambda p: p.id),
        benchmarks=[b.obj for b in catalog.benchmark_defs],
        protocols=[p.obj for p in catalog.protocols],
        result_sources=sorted((r.obj.source for r in catalog.results), key=lambda src: src.id),
    )


def json_text(doc: ApiDocument) -> str:
    """The JSON text of the export (stable: same catalogue, same bytes)."""
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"


def _flat(prefix: str, value: Any, row: dict[str, str]) -> None:
    """Flatten nested objects to dotted columns; lists of scalars join with ';'."""
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _flat(f"{prefix}.{key}" if prefix else key, item, row)
    elif isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            row[prefix] = ";".join(str(v) for v in value)
    elif isinstance(value, bool):
        row[prefix] = "true" if value else "false"
    else:
        row[prefix] = str(value)


def _outputs_cell(item: ApiModel) -> str:
    parts = []
    for e in item.entry.embeddings:
        if e.multi_vector:
            size = f"tokensx{e.dim}"  # one vector per input token
        else:
            size = "x".join(str(n) for n in e.shape) if e.shape else str(e.dim)
        parts.append(f"{e.name}={size} ({e.modality}, {item.derived.output_tiers[e.name]})")
    return ";".join(parts)


def _runtime_cell(model: Model, locks: Locks) -> str:
    runs = []
    for run in facts.runtime_runs(model, locks):
        lat = ",".join(f"{k}={v}" for k, v in sorted((run.latency_ms or {}).items()))
        runs.append(
            f"{run.device_name or run.device} {run.dtype} batch {run.batch}: "
            f"peak {run.peak_memory_mb} MiB; latency ms {lat}"
        )
    return " | ".join(runs)


# CSV columns whose field name alone would be shared by an entry fact and a derived one.
CSV_ENTRY_COLUMNS = {"parameters": "parameters_declared"}  # the count the entry states
CSV_DERIVED_COLUMNS = {"parameters": "parameters_shown"}  # the count the site shows (see parameters_source)


def csv_text(doc: ApiDocument, locks: Locks) -> str:
    """One row per model: every scalar entry field (dotted), outputs, derived facts, runtime runs.

    Entry columns follow the schema's field order, so a new schema field gets its column; a field
    name shared by the entry and the derived facts gets one column each (:data:`CSV_ENTRY_COLUMNS`,
    :data:`CSV_DERIVED_COLUMNS`), and a new shared name is an error rather than a lost column.
    """
    entry_rows, tail_rows = [], []
    for item in doc.models:
        entry: dict[str, str] = {}
        _flat("", item.entry.model_dump(mode="json", exclude={"sources", "embeddings"}), entry)
        entry_rows.append(entry)
        tail: dict[str, str] = {"outputs": _outputs_cell(item)}
        _flat("", item.derived.model_dump(mode="json", exclude={"output_tiers"}), tail)
        record = locks.hub_record(item.entry.id)
        tail["hub_sha"] = (record.sha if record is not None else None) or ""
        tail["runtime_runs"] = _runtime_cell(item.entry, locks)
        tail_rows.append(tail)
    order = list(Model.model_fields)
    columns = sorted(
        {key for row in entry_rows for key in row}, key=lambda k: (order.index(k.split(".")[0]), k)
    )
    entry_rows = [{CSV_ENTRY_COLUMNS.get(k, k): v for k, v in row.items()} for row in entry_rows]
    tail_rows = [{CSV_DERIVED_COLUMNS.get(k, k): v for k, v in row.items()} for row in tail_rows]
    columns = [CSV_ENTRY_COLUMNS.get(k, k) for k in columns]
    tail_columns = list(dict.fromkeys(key for row in tail_rows for key in row))
    clash = set(columns) & set(tail_columns)
    if clash:  # one fact would overwrite another in its row: name the columns apart (below)
        raise ValueError(f"CSV columns named twice: {sorted(clash)}")
    columns += tail_columns
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(
        {key: csv_cell(value) for key, value in {**a, **b}.items()}
        for a, b in zip(entry_rows, tail_rows, strict=True)
    )
    return out.getvalue()


# A spreadsheet reads a cell starting with one of these as a formula (OWASP's "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading formula character gets a ``'`` before it."""
    return "'" + value if value.startswith(FORMULA_START) else value


RESULT_COLUMNS = (
    "model",
    "benchmark",
    "protocol",
    "score",
    "unit",
    "value",
    "benchmark_unit",
    "kind",
    "inputs",
    "reported_by",
    "third_party",
    "source_url",
    "repository",
    "commit",
    "path",
    "where",
)


def results_csv_text(doc: ApiDocument) -> str:
    """One row per figure: model, benchmark, protocol, score as printed and in the benchmark's unit,
    who reported it and where it can be read again."""
    sources = {src.id: src for src in doc.result_sources}
    units = {b.id: b.unit for b in doc.benchmarks}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RESULT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in doc.models:
        for f in item.results:
            src = sources[f.source]
            row = {
                "model": item.entry.id,
                "benchmark": f.benchmark,
                "protocol": f.protocol,
                "score": f"{f.score:g}",
                "unit": f.unit,
                "value": f"{f.value:g}",
                "benchmark_unit": units[f.benchmark],
                "kind": f.kind,
                "inputs": ";".join(f"{i.benchmark}@{i.protocol}" for i in f.inputs),
                "reported_by": src.reporter.en,
                "third_party": "true" if src.third_party else "false",
                "source_url": src.url,
                "repository": src.repository or "",
                "commit": src.commit or "",
                "path": src.path or "",
                "where": f.where,
            }
            writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return out.getvalue()


def export_files(catalog: Catalog, locks: Locks, formats: tuple[str, ...] = FORMATS) -> dict[str, str]:
    """File name -> text of each requested format (``models.json``; ``models.csv`` and ``results.csv``)."""
    doc = api_document(catalog, locks)
    out = {}
    if "json" in formats:
        out["models.json"] = json_text(doc)
    if "csv" in formats:
        out["models.csv"] = csv_text(doc, locks)
        out["results.csv"] = results_csv_text(doc)
    return out


def api_files(
    catalog: Catalog, locks: Locks, formats: tuple[str, ...] = FORMATS, script: bool = False
) -> dict[str, str]:
    """:func:`export_files`, plus ``models.js`` when ``script`` (see :func:`write_export`)."""
    files = export_files(catalog, locks, formats)
    if script:
        files["models.js"] = compare_script(json.loads(files["models.json"]))
    return files


# What the compare page (docs/en/assets/mmcat.js) reads of models.json: models.js holds these
# parts only, in the same structure (models.json keeps everything). A name maps to None (the value
# as it is) or to the parts read of a record (of each record, for a list; "*": of each value).
# Left out: the texts (summaries, notes, sources, links; the compare page links to the model's
# page), the recorded config.json and its provenance, the check records but the runtime runs'
# figures, and of each reported result all but its figure and what it is a figure of.
_NAMED = {"id": None, "name": None}
_COMPARED: dict[str, Any] = {
    "version": None,
    "about": None,
    "models": {
        "entry": {
            **_NAMED,
            "organization": None,
            "series": None,
            "category": None,
            "modalities": None,
            "license": None,
            "license_name": None,
            "release_date": None,
            "papers": None,
            "source": {"hub_id": None, "revision": None},
            "embeddings": {
                "name": None,
                "modality": None,
                "dim": None,
                "shape": None,
                "recipe": None,
                "input": None,
                "multi_vector": None,
            },
        },
        "derived": {
            "license_class": None,
            "tier": None,
            "output_tiers": None,
            "parameters": None,
            "parameters_source": None,
            "weight_bytes": None,
            "page": None,
        },
        "hub": {"sha": None},
        "checks": {
            "tiers": {
                "runtime": {
                    "runs": {
                        "*": {
                            "device": None,
                            "device_name": None,
                            "dtype": None,
                            "batch": None,
                            "peak_memory_mb": None,
                            "latency_ms": None,
                        }
                    }
                }
            }
        },
        "results": {"benchmark": None, "protocol": None, "value": None},
    },
    "series": _NAMED,
    "categories": _NAMED,
    "papers": {"id": None, "title": None, "year": None},
    "benchmarks": {**_NAMED, "direction": None, "unit": None},
    "protocols": _NAMED,
}


def compared_part(value: Any, spec: dict[str, Any] | None = _COMPARED) -> Any:
    """The parts of ``value`` (a models.json document, or a part of one) that ``spec`` names."""
    if spec is None:
        return value
    if isinstance(value, list):
        return [compared_part(v, spec) for v in value]
    if not isinstance(value, dict):
        return value
    if "*" in spec:
        return {k: compared_part(v, spec["*"]) for k, v in value.items()}
    return {k: compared_part(value[k], s) for k, s in spec.items() if k in value}


def compare_script(doc: dict[str, Any]) -> str:
    """``models.js``: the part of ``models.json`` (parsed as ``doc``) that the compare page reads
    (:func:`compared_part`), as a script (``window.MMCAT_API = ...``: pages opened from the file
    system cannot fetch a JSON file)."""
    data = json.dumps(compared_part(doc), ensure_ascii=False, separators=(",", ":"))
    return f"window.MMCAT_API = {data};\n"


def write_export(
    catalog: Catalog, locks: Locks, folder: Path, formats: tuple[str, ...] = FORMATS, script: bool = False
) -> list[Path]:
    """Write the export files into ``folder``; return their paths.

    Args:
        catalog: the validated catalogue.
        locks: the Hub and checks locks.
        folder: where to write (created if missing).
        formats: any of ``json`` and ``csv``.
        script: also write ``models.js`` (what the compare page reads of it, as a script, for
            pages opened from the file system, where a page cannot fetch a JSON file; see
            :func:`compare_script`).
    """
    files = api_files(catalog, locks, formats, script)
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        written.append(path)
    return written


def api_json_schema() -> dict[str, Any]:
    """The JSON Schema of models.json (committed as catalog/schema/api.schema.json)."""
    return ApiDocument.model_json_schema(mode="serialization")
