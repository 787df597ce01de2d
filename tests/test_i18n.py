"""The interface strings are checked like the catalogue: both languages, each in its own script rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import CatalogInvalid
from generator.site.i18n import LANGS, UI, UI_FILE, load_ui


def test_every_string_has_both_languages() -> None:
    assert UI["en"].keys() == UI["zh"].keys()
    assert set(UI) == set(LANGS)
    assert load_ui(UI_FILE) is load_ui(UI_FILE)  # read once


def test_a_broken_string_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "ui.yaml"
    path.write_text(
        "good:\n  en: Model\n  zh: 模型\n"
        "half:\n  en: Only English\n"
        "spaced:\n  en: Spaced\n  zh: 模型， 输出\n"
        "mixed:\n  en: 模型 in English\n  zh: 模型\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogInvalid) as exc:
        load_ui(path)
    errors = [str(e) for e in exc.value.errors]
    assert any(e.endswith(":4: half.zh: Field required") for e in errors), errors
    assert any(":8: spaced.zh: stray ASCII space" in e for e in errors), errors
    assert any(":10: mixed.en: the English text contains Chinese characters" in e for e in errors), errors


def test_recipe_texts_pass_the_same_language_checks() -> None:
    from generator.catalog.recipes import RECIPES
    from generator.catalog.schema import Label

    for recipe in RECIPES.values():
        label = Label.model_validate({"en": recipe.en, "zh": recipe.zh})  # raises on a broken text
        assert (label.en, label.zh) == (recipe.en, recipe.zh)
