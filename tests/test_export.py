"""The static API: models.json (versioned, schema-checked, round-trips the model pages) and models.csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.catalog.results import Figure, ResultFile
from generator.catalog.validated import Catalog, Located
from generator.locks.files import Locks
from generator.site import facts
from generator.site.export.api import ApiDocument, api_document, export_files, json_text
from generator.site.i18n import LANGS
from generator.site.pages.render import render_pages
from tests.conftest import CATALOG, run_mmcat


@pytest.fixture(scope="module")
def exported(catalog: Catalog, locks: Locks) -> dict[str, Any]:
    return json.loads(export_files(catalog, locks, ("json",))["models.json"])


def test_json_is_versioned_and_matches_the_committed_schema(exported: dict[str, Any]) -> None:
    schema = json.loads((CATALOG / "schema" / "api.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(exported, schema)
    assert exported["version"] == 1
    broken = json.loads(json.dumps(exported))
    broken["models"][0]["entry"]["embeddings"][0]["dim"] = "512"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_json_holds_every_entry_with_its_locks(
    exported: dict[str, Any], catalog: Catalog, locks: Locks
) -> None:
    by_id = {m["entry"]["id"]: m for m in exported["models"]}
    assert by_id.keys() == catalog.model_map.keys()
    for model_id, model in catalog.model_map.items():
        record = by_id[model_id]
        assert record["entry"] == model.model_dump(mode="json")
        assert record["hub"] == locks.hub.get(model_id)
        assert record["checks"] == locks.checks.get(model_id)
        assert record["derived"]["license_class"] == facts.license_class(model.license)
        assert record["derived"]["tier"] == facts.model_tier(model, locks)
        params = facts.parameters(model, locks)
        assert record["derived"]["parameters"] == (params[0] if params else None)
        if params:
            assert record["derived"]["weight_bytes"]["bfloat16"] == 2 * params[0]


def _catalog_from_api(doc: ApiDocument) -> tuple[Catalog, Locks]:
    """A Catalog and Locks built only from the export (no YAML, no lock file)."""

    def located(obj: Any, path: Path) -> Located[Any]:
        return Located(obj, str(path), doc=None)  # type: ignore[arg-type]

    catalog = Catalog(
        root=CATALOG,
        categories=[located(c, CATALOG / "categories.yaml") for c in doc.categories],
        topics=[],
        series=[located(s, CATALOG / "series" / f"{s.id}.yaml") for s in doc.series],
        papers=[located(p, CATALOG / "papers" / f"{p.id}.yaml") for p in doc.papers],
        models=[located(m.entry, CATALOG / "models" / f"{m.entry.id}.yaml") for m in doc.models],
    )
    sources = {src.id: src for src in doc.result_sources}
    figures: dict[str, list[Figure]] = {}
    for m in doc.models:
        for f in m.results:
            fields = f.model_dump(exclude={"source", "value"})
            figures.setdefault(f.source, []).append(Figure(model=m.entry.id, **fields))
    catalog.benchmark_defs = [located(b, CATALOG / "quality" / "benchmarks.yaml") for b in doc.benchmarks]
    catalog.protocols = [located(p, CATALOG / "quality" / "protocols.yaml") for p in doc.protocols]
    catalog.results = [
        located(
            ResultFile(source=sources[sid], figures=figs), CATALOG / "quality" / "reported" / f"{sid}.yaml"
        )
        for sid, figs in figures.items()
    ]
    catalog.__dict__["family_fields"] = {m.entry.id: frozenset(m.derived.from_family) for m in doc.models}
    locks = Locks(
        hub={m.entry.id: m.hub for m in doc.models if m.hub is not None},
        checks={m.entry.id: m.checks for m in doc.models if m.checks is not None},
    )
    return catalog, locks


@pytest.mark.parametrize("lang", LANGS)
def test_json_round_trips_every_model_page(catalog: Catalog, locks: Locks, lang: str) -> None:
    # Every value a model page shows comes from models.json: the page rendered from the export
    # alone (parsed back through the schema) equals the page rendered from catalog/ and the locks.
    doc = ApiDocument.model_validate_json(json_text(api_document(catalog, locks)))
    again_catalog, again_locks = _catalog_from_api(doc)
    original = {p.path: p.text for p in render_pages(catalog, locks, lang) if p.path.startswith("models/")}
    again = {
        p.path: p.text for p in render_pages(again_catalog, again_locks, lang) if p.path.startswith("models/")
    }
    assert original.keys() == again.keys()
    assert len(original) == len(catalog.models)
    for path, text in original.items():
        assert again[path] == text, path


def test_csv_has_a_row_per_model_with_the_filter_fields(catalog: Catalog, locks: Locks) -> None:
    rows = list(csv.DictReader(io.StringIO(export_files(catalog, locks, ("csv",))["models.csv"])))
    assert [r["id"] for r in rows] == sorted(catalog.model_map, key=str.lower)
    for row in rows:
        model = catalog.model_map[row["id"]]
        assert row["license_class"] == facts.license_class(model.license)
        assert row["modalities"].split(";") == model.modalities
        assert row["category"] == model.category
        assert row["on_hub"] == ("true" if model.source.hub_id else "false")
        for e in model.embeddings:
            assert f"{e.name}=" in row["outputs"]
        params = facts.parameters(model, locks)
        # One column per fact: the count the site shows, its source, and the entry's own.
        assert "parameters" not in row
        assert row["parameters_shown"] == (str(params[0]) if params else "")
        assert row["parameters_source"] == (params[1] if params else "")
        assert row["parameters_declared"] == (str(model.parameters) if model.parameters is not None else "")
    assert any(r["parameters_declared"] and r["parameters_shown"] != r["parameters_declared"] for r in rows)


def test_every_license_of_the_catalogue_is_classified(catalog: Catalog) -> None:
    for model in catalog.model_map.values():
        assert model.license in facts.LICENSE_CLASS, (model.id, model.license)
    assert facts.license_class("apache-2.0") == "permissive"
    assert facts.license_class("cc-by-nc-4.0") == "non-commercial"
    assert facts.license_class("unknown") == "unknown"


def test_weight_memory_is_parameters_times_bytes() -> None:
    assert facts.weight_bytes(1_000) == {"float32": 4_000, "bfloat16": 2_000, "int8": 1_000}
    assert facts.human_bytes(88_226_304) == "84.1 MiB"
    assert facts.human_bytes(3 * 2**30) == "3 GiB"


def test_export_command_writes_each_format(project: Path) -> None:
    result = run_mmcat("export", "--out", "out", cwd=project)
    assert result.code == 0, result.err
    doc = json.loads((project / "out" / "models.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader((project / "out" / "models.csv").open(encoding="utf-8")))
    assert len(doc["models"]) == len(rows) > 0
    only = run_mmcat("export", "--format", "csv", "--out", "csv-only", cwd=project)
    assert only.code == 0
    # .mmcat-output: the folder is the tool's (see generator/outputs.py)
    assert sorted(p.name for p in (project / "csv-only").iterdir()) == [
        ".mmcat-output",
        "models.csv",
        "results.csv",
    ]


def test_export_of_a_broken_catalogue_writes_nothing(project: Path) -> None:
    entry = project / "catalog" / "models" / "facebook" / "dinov2-small.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("dim: 384", "dim: -1", 1), encoding="utf-8")
    result = run_mmcat("export", "--out", "out", cwd=project)
    assert result.code == 1
    assert "dinov2-small.yaml:" in result.err
    assert "Traceback" not in result.err
    assert not (project / "out").exists()


def test_api_schema_drift_is_caught(project: Path) -> None:
    schema = project / "catalog" / "schema" / "api.schema.json"
    schema.write_text(
        schema.read_text(encoding="utf-8").replace('"version"', '"versio"', 1), encoding="utf-8"
    )
    result = run_mmcat("schema", "--check", cwd=project)
    assert result.code == 1
    assert "api.schema.json" in result.err
