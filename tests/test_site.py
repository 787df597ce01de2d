"""A real ``mkdocs build --strict`` of the real catalogue, and what the site holds."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from generator.catalog.validated import Catalog
from tests.conftest import run_mmcat

# ``site`` (tests/conftest.py): the site built once per session from a copy of the project.


def test_home_pages_exist(site: Path) -> None:
    assert (site / "index.html").exists()
    assert (site / "zh" / "index.html").exists()
    assert 'lang="zh' in (site / "zh" / "index.html").read_text(encoding="utf-8")
    # Front matter is applied, not printed.
    assert "hide:" not in (site / "index.html").read_text(encoding="utf-8")


def test_every_model_has_a_page_in_both_languages(site: Path, catalog: Catalog) -> None:
    for model_id in catalog.model_map:
        # Built without directory URLs (the offline plugin), so pages open from the file system.
        en = site / "models" / f"{model_id}.html"
        zh = site / "zh" / "models" / f"{model_id}.html"
        assert en.exists(), model_id
        assert zh.exists(), model_id
        html = en.read_text(encoding="utf-8")
        # The language switcher points at the same page in the other language.
        depth = "../" * (model_id.count("/") + 1)
        assert f'href="{depth}zh/models/{model_id}.html"' in html


def test_model_pages_are_not_in_the_navigation(site: Path) -> None:
    # A page that does not list models carries no link to one: the nav stays O(1) per page.
    for page in [site / "metrics.html", site / "zh" / "verification.html"]:
        html = page.read_text(encoding="utf-8")
        assert 'class="md-nav md-nav--primary' in html
        assert "models/" not in html


def test_no_external_requests_at_page_load(site: Path) -> None:
    for page in [site / "index.html", site / "zh" / "index.html"]:
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), tag


def test_search_index_covers_both_languages(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    zh_docs = [doc for doc in index["docs"] if doc["location"].startswith("zh/")]
    en_docs = [doc for doc in index["docs"] if not doc["location"].startswith("zh/")]
    assert zh_docs and en_docs
    assert any("模型" in doc["text"] for doc in zh_docs)
    assert "zh" in index["config"]["lang"]


def test_failed_build_leaves_the_old_site(built_copy: Path) -> None:
    project = built_copy  # a project with the site built by `mmcat build`
    assert (project / "site" / "index.html").is_file()
    before = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*"))
    # A dangling link in a hand-written page is a MkDocs warning, an error under --strict.
    page = project / "docs" / "en" / "metrics.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    result = run_mmcat("build", cwd=project)
    assert result.code == 1
    assert "no-such-page.md" in result.err
    assert "Traceback" not in result.err
    after = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*"))
    assert before == after
    shutil.rmtree(project / "site")


def test_pages_are_searchable_without_their_boilerplate(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    left_out = {  # page -> sections it shows but the index leaves out
        "models/facebook/dinov2-small.html": ["sources", "usage"],
        "zh/models/facebook/dinov2-small.html": ["来源", "用法"],
        "index.html": ["all-models"],
        "zh/index.html": ["全部模型"],
    }
    for page, sections in left_out.items():
        assert any(loc.startswith(f"{page}#") for loc in locations), page  # the page is indexed...
        html = (site / page).read_text(encoding="utf-8")
        for section in sections:
            assert f"{page}#{section}" not in locations  # ...but not these sections,
            assert f'id="{section}"' in html  # which the page still shows.
    # Other pages keep every section.
    assert any(loc.startswith("contributing.html#") for loc in locations)
