"""Every catalogue file, one test each: valid alone, bilingual, sourced, linked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator.catalog.load import FileCache, _load_member, _load_one
from generator.catalog.schema import HAN, Paper, Series
from generator.catalog.validated import Catalog
from generator.site.i18n import MODALITY, UI
from tests.conftest import CATALOG

MODEL_FILES = sorted((CATALOG / "models").rglob("*.yaml"))
SERIES_FILES = sorted((CATALOG / "series").glob("*.yaml"))
PAPER_FILES = sorted((CATALOG / "papers").glob("*.yaml"))


def _rel(path: Path) -> str:
    return path.relative_to(CATALOG).as_posix()


def _texts(value: object) -> list[tuple[str, str]]:
    """Every bilingual pair inside a validated object."""
    if hasattr(value, "en") and hasattr(value, "zh"):
        return [(value.en, value.zh)]
    if isinstance(value, BaseModel):
        return [pair for name in type(value).model_fields for pair in _texts(getattr(value, name))]
    if isinstance(value, list):
        return [pair for item in value for pair in _texts(item)]
    return []


@pytest.mark.parametrize("path", MODEL_FILES, ids=_rel)
def test_model_file(path: Path, catalog: Catalog) -> None:
    # the entry merged over its series' defaults, as mmcat reads it
    located, errors = _load_member(path, FileCache(), CATALOG / "series")
    assert not errors, "\n".join(map(str, errors))
    assert located is not None
    model = located.obj
    assert model.id in catalog.model_map
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schema/model.schema.json\n"
    )
    for en, zh in _texts(model):
        assert en != zh
    if model.source.hub_id:
        assert model.links.hub in (None, f"https://huggingface.co/{model.source.hub_id}")
    if model.status == "checkable":
        # Public weights on the Hub: the first public release is known and sourced.
        assert model.release_date is not None, "a model with public weights needs its release_date"


@pytest.mark.parametrize("path", SERIES_FILES, ids=_rel)
def test_series_file(path: Path, catalog: Catalog) -> None:
    located, errors = _load_one(path, Series)
    assert not errors, "\n".join(map(str, errors))
    assert located is not None
    assert any(m.series == located.obj.id for m in catalog.model_map.values()), "series without models"


@pytest.mark.parametrize("path", PAPER_FILES, ids=_rel)
def test_paper_file(path: Path) -> None:
    located, errors = _load_one(path, Paper)
    assert not errors, "\n".join(map(str, errors))
    assert located is not None
    paper = located.obj
    assert paper.arxiv or paper.openreview
    if paper.arxiv:
        yymm = int(paper.arxiv[:4])
        assert 1 <= yymm % 100 <= 12, "arXiv ids start with YYMM"
        assert abs((2000 + yymm // 100) - paper.year) <= 1, "arXiv id year and paper year disagree"
    assert paper.summary.en != paper.summary.zh


def test_the_catalogue_is_not_empty(catalog: Catalog) -> None:
    assert len(catalog.models) >= 1
    assert len(catalog.papers) >= 1


def test_ui_strings_have_both_languages() -> None:
    assert UI["en"].keys() == UI["zh"].keys()
    assert MODALITY["en"].keys() == MODALITY["zh"].keys()
    untranslatable = {"config", "link.hub"}  # file and product names
    for key, text in UI["zh"].items():
        words = re.sub(r"\{\w+\}", "", text)  # format placeholders are not text
        assert HAN.search(words) or not re.search(r"[A-Za-z]{4,}", words) or key in untranslatable, key
