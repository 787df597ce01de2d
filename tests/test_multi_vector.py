"""Multi-vector outputs (ColPali, ColQwen2): one ``dim``-sized vector per input token, end to end.

Schema rules, the ``late_interaction`` recipe on tiny random ColPali / ColQwen2 models built from
configs (transformers' own ColPaliForRetrieval and ColQwen2ForRetrieval), the judge, and how the
site, the compare page and the export show ``tokens × 128``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pydantic import ValidationError

from generator.catalog.schema import Model
from generator.catalog.validated import Catalog
from generator.locks import badges
from generator.locks.files import Locks
from generator.site.export.api import _outputs_cell, api_document, csv_text
from generator.site.i18n import UI
from generator.site.views.lists import compare_labels, model_row, output_text
from generator.site.views.model import output_row
from generator.verify.plan import Job, Options
from generator.verify.results import judge
from tests.conftest import CATALOG

TINY_QWEN2_VL = {
    "model_type": "qwen2_vl",
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 1000,
    "image_token_id": 999,
    "video_token_id": 998,
    "vision_start_token_id": 997,
    "rope_scaling": {"type": "mrope", "mrope_section": [2, 2, 4]},
    "vision_config": {
        "depth": 2,
        "embed_dim": 32,
        "hidden_size": 64,
        "num_heads": 2,
        "patch_size": 14,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
        "in_channels": 3,
    },
}
TINY_COLQWEN2 = {"model_type": "colqwen2", "embedding_dim": 128, "vlm_config": TINY_QWEN2_VL}
TINY_COLPALI = {
    "model_type": "colpali",
    "embedding_dim": 128,
    "vlm_config": {
        "model_type": "paligemma",
        "image_token_index": 999,
        "projection_dim": 64,
        "hidden_size": 64,
        "text_config": {
            "model_type": "gemma",
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 1,
            "head_dim": 16,
            "vocab_size": 1000,
        },
        "vision_config": {
            "model_type": "siglip_vision_model",
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": 56,
            "patch_size": 14,
        },
    },
}
SOURCE = [{"facts": ["dim", "license"], "url": "https://example.org/config.json"}]


def _entry(dim: int = 128, **emb: Any) -> dict[str, Any]:
    outputs = [
        {
            "name": "image",
            "modality": "image",
            "dim": dim,
            "recipe": "late_interaction",
            "multi_vector": True,
        },
        {"name": "query", "modality": "text", "dim": dim, "recipe": "late_interaction", "multi_vector": True},
    ]
    outputs[0].update(emb)
    return {
        "id": "tiny/colqwen2",
        "name": "tiny ColQwen2",
        "organization": "test",
        "series": "colpali",
        "category": "document-retrieval",
        "modalities": ["image", "text"],
        "summary": {"en": "A tiny test model.", "zh": "测试用的小模型。"},
        "status": "checkable",
        "source": {
            "hub_id": "tiny/colqwen2",
            "loader": "transformers",
            "architecture": "ColQwen2ForRetrieval",
        },
        "license": "mit",
        "embeddings": outputs,
        "sources": SOURCE,
    }


def test_a_multi_vector_output_validates() -> None:
    model = Model.model_validate(_entry())
    assert all(e.multi_vector for e in model.embeddings)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"shape": [1024, 128]}, "not a fixed shape"),
        ({"matryoshka": [128, 64]}, "single vector"),
        ({"multi_vector": False}, "set multi_vector: true"),
        ({"recipe": "last_token"}, "per-token recipe"),
    ],
)
def test_inconsistent_multi_vector_outputs_are_rejected(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Model.model_validate(_entry(**change))


def _run(config: dict[str, Any], arch: str, tier: str) -> dict[str, Any]:
    from generator.verify.worker import run_job

    outputs = [
        {
            "name": "image",
            "modality": "image",
            "recipe": "late_interaction",
            "image_size": 56,
            "text_tokens": None,
        },
        {
            "name": "query",
            "modality": "text",
            "recipe": "late_interaction",
            "image_size": None,
            "text_tokens": 12,
        },
    ]
    job = {"tier": tier, "config": config, "architecture": arch, "outputs": outputs, "device": "cpu"}
    return run_job({**job, "batch": 2, "hub_id": "tiny/x"})


@pytest.mark.parametrize(
    ("config", "arch", "image_tokens"),
    [
        # Qwen2-VL: a 56-px image is 4x4 patches of 14 px, merged 2x2 into 4 image tokens.
        (TINY_COLQWEN2, "ColQwen2ForRetrieval", 4),
        # PaliGemma: (56 / 14)^2 = 16 image tokens, then a 4-token prompt.
        (TINY_COLPALI, "ColPaliForRetrieval", 20),
    ],
)
def test_runtime_tier_sees_one_128_d_vector_per_input_token(
    config: dict[str, Any], arch: str, image_tokens: int
) -> None:
    raw = _run(config, arch, "runtime")
    assert raw["status"] == "ok", raw.get("reason")
    assert raw["outputs"]["image"] == {"observed": [image_tokens, 128], "input_tokens": image_tokens}
    assert raw["outputs"]["query"] == {"observed": [12, 128], "input_tokens": 12}
    outcome = judge(Job(Model.model_validate(_entry()), {}), raw, Options(tier="runtime"), None)
    assert outcome.status == "ok", outcome.reason
    assert outcome.record["outputs"]["query"]["match"] is True


@pytest.mark.parametrize(
    ("config", "arch"),
    [
        (TINY_COLQWEN2, "ColQwen2ForRetrieval"),
        # PaliGemma reads mask values without a KV cache; the worker retries with an empty one.
        (TINY_COLPALI, "ColPaliForRetrieval"),
    ],
)
def test_config_tier_checks_the_text_path_on_meta_tensors(config: dict[str, Any], arch: str) -> None:
    raw = _run(config, arch, "config")
    assert raw["device"] == "meta" and raw["parameters"] > 0
    assert raw["outputs"]["query"] == {"observed": [12, 128], "input_tokens": 12}
    assert "runtime tier" in raw["outputs"]["image"]["skipped"]


def test_the_judge_catches_a_wrong_dim_and_a_single_vector() -> None:
    model = Model.model_validate(_entry())
    raw: dict[str, Any] = {"status": "ok", "outputs": {"query": {"observed": [12, 64], "input_tokens": 12}}}
    outcome = judge(Job(model, {}), raw, Options(), None)
    assert outcome.status == "mismatch" and "128-d vector per token" in outcome.reason
    pooled = copy.deepcopy(raw)
    pooled["outputs"]["query"] = {"observed": [128]}  # one pooled vector: not per token
    assert judge(Job(model, {}), pooled, Options(), None).status == "mismatch"
    fewer = copy.deepcopy(raw)
    fewer["outputs"]["query"] = {"observed": [1, 128], "input_tokens": 12}
    assert judge(Job(model, {}), fewer, Options(), None).status == "mismatch"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pages_show_tokens_times_dim(lang: str) -> None:
    model = Model.model_validate(_entry())
    text = output_text(model.embeddings[0], lang)
    assert text == f"{UI[lang]['multi_vector_tokens']} × 128"
    assert "128" in text and text != "128"
    row = model_row(model, Locks(), lang)
    assert row.outputs[0] == f"image {text}"
    page_row = output_row(model, model.embeddings[0], Locks(), lang)  # the model page's outputs table
    assert (page_row.dim, page_row.shape) == (128, text)
    assert "compare.tokens" in str(compare_labels(lang))


def test_export_marks_multi_vector_outputs(catalog: Catalog, locks: Locks) -> None:
    multi = [m for m in catalog.model_map.values() if any(e.multi_vector for e in m.embeddings)]
    assert multi, "the catalogue holds multi-vector retrievers (ColPali, ColQwen2)"
    doc = api_document(catalog, locks)
    item = next(i for i in doc.models if i.entry.id == multi[0].id)
    emb = next(e for e in item.entry.model_dump(mode="json")["embeddings"] if e["multi_vector"])
    assert emb["dim"] == 128
    assert f"{emb['name']}=tokensx128 (" in _outputs_cell(item)
    assert "=tokensx128 (" in csv_text(doc, locks)
    schema = json.loads((CATALOG / "schema" / "api.schema.json").read_text(encoding="utf-8"))
    assert "multi_vector" in json.dumps(schema)


def test_the_compare_script_shows_tokens_times_dim() -> None:
    from tests.conftest import REPO

    script = (REPO / "docs" / "en" / "assets" / "mmcat.js").read_text(encoding="utf-8")
    assert 'e.multi_vector ? L["compare.tokens"] + " × " + e.dim' in script


def test_an_output_skipped_at_one_tier_is_not_a_mismatch() -> None:
    # A VLM's image path is skipped on meta tensors: that output is unconfirmed there, not wrong.
    model = Model.model_validate(_entry())
    image, query = model.embeddings
    outputs: dict[str, dict[str, Any]] = {
        "image": {"declared": [128], "skipped": "needs concrete grid sizes: see the runtime tier"},
        "query": {
            "declared": [128],
            "observed": [12, 128],
            "input_tokens": 12,
            "match": True,
            "multi_vector": True,
        },
    }
    config = {"status": "ok", "date": "2026-12-03", "outputs": outputs}
    locks = Locks(checks={"tiny/colqwen2": {"tiers": {"config": config}}})
    assert badges.output_tier(model, image, locks) == "declared"
    assert badges.output_tier(model, query, locks) == "config"
    wrong = {**outputs, "query": {**outputs["query"], "observed": [12, 64], "match": False}}
    locks = Locks(
        checks={
            "tiny/colqwen2": {"tiers": {"config": {"status": "ok", "date": "2026-12-03", "outputs": wrong}}}
        }
    )
    assert badges.output_tier(model, query, locks) == "mismatch"
