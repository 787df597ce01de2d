"""Recipes stay in step between the catalogue and the checks; Matryoshka sizes are validated and sourced."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generator.catalog.recipes import RECIPES
from generator.catalog.schema import Model
from generator.catalog.validated import Catalog
from generator.verify.extractors import RUN
from tests.conftest import run_mmcat


def test_every_runnable_recipe_has_a_function_and_vice_versa() -> None:
    runnable = {name for name, recipe in RECIPES.items() if recipe.runnable}
    assert runnable == set(RUN)


def test_every_recipe_is_described_in_both_languages() -> None:
    for name, recipe in RECIPES.items():
        assert recipe.en.strip() and recipe.zh.strip(), name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in recipe.zh), name


ENTRY: dict[str, Any] = {
    "id": "test-org/mrl",
    "name": "MRL test",
    "organization": "Test Org",
    "series": "sentence-transformers",
    "category": "text",
    "modalities": ["text"],
    "summary": {"en": "A test entry.", "zh": "测试条目。"},
    "status": "checkable",
    "source": {"hub_id": "test-org/mrl", "loader": "sentence-transformers"},
    "license": "apache-2.0",
    "embeddings": [
        {"name": "text", "modality": "text", "dim": 768, "recipe": "mean_pooling", "matryoshka": [768, 256]}
    ],
    "sources": [{"facts": ["dim", "license", "matryoshka"], "url": "https://example.org/card"}],
}


def _entry(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ENTRY)
    data["embeddings"][0].update(changes)
    return data


def test_a_valid_matryoshka_list() -> None:
    assert Model.model_validate(ENTRY).embeddings[0].matryoshka == [768, 256]


@pytest.mark.parametrize(
    ("sizes", "words"),
    [
        ([1024, 256], "<= dim 768"),
        ([256, 768], "descending"),
        ([512, 512], "unique"),
        ([], "at least 1"),
        ([768, 0], "greater than 0"),
    ],
)
def test_bad_matryoshka_lists(sizes: list[int], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Model.model_validate(_entry(matryoshka=sizes))


def test_matryoshka_is_not_for_token_grids() -> None:
    with pytest.raises(ValidationError, match="token grid"):
        Model.model_validate(_entry(shape=[4, 768]))


def test_matryoshka_needs_a_source() -> None:
    data = copy.deepcopy(ENTRY)
    data["sources"][0]["facts"] = ["dim", "license"]
    with pytest.raises(ValidationError, match="no source given for: matryoshka"):
        Model.model_validate(data)


def test_a_bad_matryoshka_list_is_a_located_error(project: Path) -> None:
    path = project / "catalog" / "models" / "mixedbread-ai" / "mxbai-embed-large-v1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("matryoshka: [1024, 512]", "matryoshka: [512, 1024]"), encoding="utf-8")
    result = run_mmcat("check", cwd=project)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "catalog/models/mixedbread-ai/mxbai-embed-large-v1.yaml:" in result.err
    assert "descending" in result.err


def test_the_catalogue_has_matryoshka_models(catalog: Catalog) -> None:
    with_sizes = {m.id for m in catalog.model_map.values() for e in m.embeddings if e.matryoshka}
    assert {"google/embeddinggemma-300m", "mixedbread-ai/mxbai-embed-large-v1"} <= with_sizes


def test_weights_tier_loads_the_dense_head(
    project: Path, fake_hub: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A tiny Gemma encoder with two Dense layers: the weights tier downloads them at the pinned commit.
    import json

    from tests.test_snippets import DENSE, SHA, _gemma, _serve

    folder = tmp_path / "tiny-gemma"
    folder.mkdir()
    _gemma(folder)
    _serve(fake_hub, "test-org/tiny-gemma", folder)
    entry = project / "catalog" / "models" / "test-org" / "tiny-gemma.yaml"
    entry.parent.mkdir(parents=True)
    entry.write_text(
        """\
id: test-org/tiny-gemma
name: Tiny Gemma encoder
organization: Test Org
series: embeddinggemma
category: text
modalities: [text]
summary: {en: A tiny model saved by the tests., zh: 测试保存的小模型。}
status: checkable
source: {hub_id: test-org/tiny-gemma, loader: sentence-transformers, architecture: Gemma3TextModel}
license: apache-2.0
embeddings:
  - {name: text, modality: text, dim: 12, recipe: mean_pooling_dense, matryoshka: [12, 6]}
sources:
  - {facts: [dim, license, matryoshka], url: "https://example.org/tiny"}
""",
        encoding="utf-8",
    )
    lock_path = project / "catalog" / "lock" / "hub.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["models"]["test-org/tiny-gemma"] = {"sha": SHA, "sentence_transformers_dense": DENSE}
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    result = run_mmcat("verify", "test-org/tiny-gemma", "--tier", "weights", "--device", "cpu", cwd=project)
    assert "Traceback" not in result.err
    checks = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    record = checks["models"]["test-org/tiny-gemma"]["tiers"]["weights"]
    assert record["status"] == "ok", record
    assert record["outputs"]["text"]["observed"] == [12]
    assert record["revision"] == SHA
    for layer in DENSE:
        assert fake_hub.count("GET", f"/resolve/{SHA}/{layer['path']}/model.safetensors") == 1
    # The head counts in the parameters: the tiny encoder plus 16 x 40 + 40 x 12.
    assert record["parameters"] > 16 * 40 + 40 * 12


def test_weights_tier_pairs_use_the_shared_space_outputs(
    project: Path, fake_hub: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # With unprojected outputs next to the projected ones (32-d vision, 16-d text towers vs a 24-d
    # shared space), the image-text pair scores still compare the first output of each modality.
    import json

    from tests.test_snippets import _clip, _serve

    folder = tmp_path / "tiny-clip"
    folder.mkdir()
    _clip(folder)
    _serve(fake_hub, "test-org/tiny-clip", folder)
    entry = project / "catalog" / "models" / "test-org" / "tiny-clip.yaml"
    entry.parent.mkdir(parents=True)
    entry.write_text(
        """\
id: test-org/tiny-clip
name: Tiny CLIP
organization: Test Org
series: clip
category: cross-modal
modalities: [image, text]
summary: {en: A tiny model saved by the tests., zh: 测试保存的小模型。}
status: checkable
source: {hub_id: test-org/tiny-clip, loader: transformers, architecture: CLIPModel}
license: mit
embeddings:
  - {name: image, modality: image, dim: 24, recipe: clip_image}
  # The clip family gives its text output 77 tokens; this tiny model has 16 positions.
  - {name: text, modality: text, dim: 24, recipe: clip_text, input: {text_tokens: 8}}
  - {name: image-pooled, modality: image, dim: 32, recipe: clip_vision_pooled}
  - {name: text-pooled, modality: text, dim: 16, recipe: clip_text_pooled}
sources:
  - {facts: [dim, license], url: "https://example.org/tiny"}
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    result = run_mmcat("verify", "test-org/tiny-clip", "--tier", "weights", "--device", "cpu", cwd=project)
    assert "Traceback" not in result.err
    checks = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    record = checks["models"]["test-org/tiny-clip"]["tiers"]["weights"]
    assert record["status"] == "ok", record
    observed = {name: out["observed"] for name, out in record["outputs"].items()}
    assert observed == {"image": [24], "text": [24], "image-pooled": [32], "text-pooled": [16]}
    scores = record["checks"]["pair_scores"]
    assert len(scores) == 2 and all(len(row) == 2 for row in scores)
