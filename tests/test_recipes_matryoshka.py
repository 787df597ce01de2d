"""Recipes stay in step between the catalogue and the checks; Matryoshka sizes are validated and sourced."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generator.catalog import Catalog
from generator.recipes import RECIPES
from generator.schema import Model
from generator.verify.recipes import RUN
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
