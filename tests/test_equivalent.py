"""Entries only open_clip can load, checked on an in-library equivalent architecture (issue 19 item 4).

An entry whose loader the checks cannot run names the transformers class with the same
architecture (``source.equivalent_architecture``); the config and runtime tiers build that
class from the reconstructed config in ``lock/hub.json``. Nothing else lets such an entry pass:
without a named equivalent it is skipped and no record counts for its badge; a record of another
class, or a weights-tier record, does not count either; the page and the export say what was built.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from generator.catalog.load import load_catalog
from generator.catalog.schema import RUNNABLE_LOADERS, Model
from generator.catalog.validated import Catalog
from generator.locks import badges
from generator.locks.files import Locks
from generator.locks.schema import TierResult
from generator.site import facts
from generator.site.equivalent import equivalent_note
from generator.site.export.api import export_files
from generator.site.i18n import UI
from generator.site.markup import md_escape
from generator.site.pages.render import render_pages
from generator.verify.plan import Options, built_class, plan
from tests.conftest import CATALOG

SIGLIP = "timm/ViT-SO400M-14-SigLIP-384"  # open_clip packaging, checked as SiglipModel
CLIP = "timm/vit_base_patch16_clip_224.laion400m_e32"  # open_clip, checked as CLIPModel

EQUIVALENT_IDS = sorted(
    m.id
    for m in load_catalog(CATALOG).model_map.values()
    if m.source.loader not in RUNNABLE_LOADERS and m.source.equivalent_architecture is not None
)


def _with_equivalent(model: Model, name: str | None) -> Model:
    return model.model_copy(
        update={"source": model.source.model_copy(update={"equivalent_architecture": name})}
    )


def test_the_catalogue_has_entries_checked_on_an_equivalent() -> None:
    assert SIGLIP in EQUIVALENT_IDS and CLIP in EQUIVALENT_IDS


@pytest.mark.parametrize("model_id", EQUIVALENT_IDS)
def test_each_equivalent_entry_is_confirmed_by_a_record_of_that_class(
    model_id: str, catalog: Catalog, locks: Locks
) -> None:
    model = catalog.model_map[model_id]
    assert built_class(model) == model.source.equivalent_architecture
    record = locks.model_checks(model_id)
    assert record is not None, "run `mmcat verify --tier config` and commit catalog/lock/checks.json"
    config = record.tiers.result("config")
    assert isinstance(config, TierResult)
    assert config.equivalent_architecture == model.source.equivalent_architecture
    # The config it was built from was reconstructed from the loader's model config, and says how.
    hub = locks.hub_record(model_id)
    assert hub is not None and hub.config_origin is not None
    assert hub.config_origin.kind == "reconstructed"
    assert model.source.equivalent_architecture in (hub.config or {}).get("architectures", [])
    assert facts.model_tier(model, locks) in ("config", "runtime")


def test_without_a_named_equivalent_an_open_clip_entry_is_not_checked(catalog: Catalog, locks: Locks) -> None:
    bare = _with_equivalent(catalog.model_map[CLIP], None)
    jobs, skipped = plan([bare], locks, Options(tier="config"))
    assert jobs == []
    assert "names no in-library equivalent" in skipped[0].reason
    # ... and the committed record of the equivalent no longer speaks for it.
    assert facts.model_tier(bare, locks) == "declared"
    assert all(facts.output_tier(bare, e, locks) == "declared" for e in bare.embeddings)


def test_a_record_of_another_class_does_not_count(catalog: Catalog, locks: Locks) -> None:
    model = catalog.model_map[SIGLIP]
    assert facts.model_tier(model, locks) == "config"
    renamed = _with_equivalent(model, "CLIPModel")  # its record was built as SiglipModel
    assert facts.model_tier(renamed, locks) == "declared"
    run = locks.model_checks(SIGLIP).tiers.result("config")  # type: ignore[union-attr]
    assert isinstance(run, TierResult)
    assert "the entry names CLIPModel" in (badges.built_class_staleness(renamed, "config", run) or "")
    # A weights-tier record of an open_clip entry cannot come from the checks.
    assert badges.built_class_staleness(model, "weights", run) is not None


def test_a_transformers_entry_with_an_equivalent_record_does_not_count(
    catalog: Catalog, locks: Locks
) -> None:
    model = catalog.model_map["facebook/dinov2-small"]
    run = TierResult(status="ok", date="2026-12-03", equivalent_architecture="Dinov2Model")
    assert "builds its own class" in (badges.built_class_staleness(model, "config", run) or "")


def test_the_weights_tier_is_not_run_on_an_equivalent(catalog: Catalog, locks: Locks) -> None:
    jobs, skipped = plan([catalog.model_map[SIGLIP]], locks, Options(tier="weights"))
    assert jobs == []
    assert "weights tier needs open_clip" in skipped[0].reason
    jobs, _ = plan([catalog.model_map[SIGLIP]], locks, Options(tier="config"))
    assert [job.payload["architecture"] for job in jobs] == ["SiglipModel"]


@pytest.fixture(scope="module")
def exported(catalog: Catalog, locks: Locks) -> dict[str, Any]:
    return export_files(catalog, locks, ("json", "csv"))


def test_the_export_says_what_was_built(exported: dict[str, Any], catalog: Catalog, locks: Locks) -> None:
    doc = json.loads(exported["models.json"])
    notes = {m["entry"]["id"]: m["derived"]["equivalent_check"] for m in doc["models"]}
    assert {mid for mid, note in notes.items() if note is not None} == set(EQUIVALENT_IDS)
    note = notes[SIGLIP]
    assert "SiglipModel" in note["en"] and "not with open_clip's own code" in note["en"]
    assert "reconstructed" in note["en"]
    assert "SiglipModel" in note["zh"] and "根据其他来源重建" in note["zh"]
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(exported["models.csv"]))}
    assert rows[SIGLIP]["equivalent_check.en"] == note["en"]
    assert rows["facebook/dinov2-small"]["equivalent_check.en"] == ""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_says_what_was_built_next_to_the_badge(catalog: Catalog, locks: Locks, lang: str) -> None:
    pages = {p.path: p.text for p in render_pages(catalog, locks, lang) if p.path.startswith("models/")}
    legend = f"[{UI[lang]['tier_legend']}](../../verification.md)"
    for model_id in (SIGLIP, CLIP):
        note = equivalent_note(catalog.model_map[model_id], locks, lang)
        named = catalog.model_map[model_id].source.equivalent_architecture
        assert note is not None and named is not None and named in note
        text = pages[f"models/{model_id}.md"]
        # Right under the outputs table (whose last column is the badge), right above the legend.
        before, found, _ = text.partition(f"\n\n{md_escape(note)}\n\n{legend}")
        assert found, model_id
        assert (
            before.rsplit("\n", 1)[-1].startswith("| `text` |")
            and "mmcat-badge" in before.rsplit("\n", 1)[-1]
        )
    assert equivalent_note(catalog.model_map["facebook/dinov2-small"], locks, lang) is None
    dino = pages["models/facebook/dinov2-small.md"]
    assert f"\n\n{legend}" in dino and UI[lang]["equivalent_check"].split("{", 1)[0][:12] not in dino
