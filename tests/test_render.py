"""Rendered pages: golden files for a visual and a cross-modal entry, escaping, parity."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from generator.catalog.load import load_catalog
from generator.catalog.validated import Catalog
from generator.locks.files import Locks
from generator.site.i18n import LANGS
from generator.site.markup import md_escape
from generator.site.pages.render import Page, render_pages
from generator.site.views.results import Results

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_PAGES = ["models/facebook/dinov2-small.md", "models/openai/clip-vit-base-patch32.md"]
UPDATE = os.environ.get("MMCAT_UPDATE_GOLDEN") == "1"


def _pages(catalog: Catalog, locks: Locks, lang: str) -> dict[str, Page]:
    return {p.path: p for p in render_pages(catalog, locks, lang)}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_golden_page(catalog: Catalog, lang: str, page: str) -> None:
    # Golden pages are rendered without locks, so refreshes and checks don't churn them.
    rendered = _pages(catalog, Locks(), lang)[page].text
    golden = GOLDEN / lang / page
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), "run MMCAT_UPDATE_GOLDEN=1 pytest tests/test_render.py"
    assert rendered == golden.read_text(encoding="utf-8")


def test_every_model_has_a_page_in_both_languages(catalog: Catalog, locks: Locks) -> None:
    en, zh = (_pages(catalog, locks, lang) for lang in LANGS)
    assert en.keys() == zh.keys()
    for model_id in catalog.model_map:
        assert f"models/{model_id}.md" in en
    for path in en:
        # Same structure in both languages: same headings count, same table rows.
        assert en[path].text.count("\n#") == zh[path].text.count("\n#"), path
        assert en[path].text.count("\n|") == zh[path].text.count("\n|"), path


def test_generated_pages_say_they_are_generated(catalog: Catalog, locks: Locks) -> None:
    for page in render_pages(catalog, locks, "en"):
        assert "<!-- auto-generated from catalog/" in page.text.split("\n# ", 1)[0], page.path


def test_markdown_escape() -> None:
    assert md_escape("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert md_escape("[a](javascript:x)") == "\\[a\\](javascript:x)"
    assert md_escape("a | b\nc") == "a \\| b c"
    assert md_escape("{: onclick=x}") == "\\{: onclick=x\\}"


def test_entry_text_is_escaped_in_pages(project: Path) -> None:
    entry = next((project / "catalog" / "models").rglob("*.yaml"))
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) **b** | c"
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    data["summary"]["en"] = hostile
    data["name"] = "<img src=x onerror=alert(1)>"
    entry.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    catalog = load_catalog(project / "catalog")
    for page in render_pages(catalog, Locks(), "en"):
        assert "<script>" not in page.text
        assert "<img" not in page.text
        assert not re.search(r"(?<!\\)\]\(javascript:", page.text)


def test_papers_and_models_link_both_ways(catalog: Catalog, locks: Locks) -> None:
    for lang in LANGS:
        pages = _pages(catalog, locks, lang)
        papers = pages["papers.md"].text
        for model in catalog.model_map.values():
            model_page = pages[f"models/{model.id}.md"].text
            depth = "../" * model.id.count("/") + "../"
            for paper in model.papers:
                assert f"({depth}papers.md#{paper})" in model_page, (model.id, paper)
                assert f"{{ #{paper} }}" in papers
                assert f"(models/{model.id}.md)" in papers, (model.id, paper)


def test_hub_facts_and_a_license_mismatch_are_shown(catalog: Catalog) -> None:
    sha = "0123456789abcdef0123456789abcdef01234567"
    hub = {
        "facebook/dinov2-small": {
            "sha": sha,
            "license": "mit",
            "downloads": 1234567,
            "likes": 89,
            "gated": False,
            "last_modified": "2024-05-01T10:00:00+00:00",
            "parameters": 22056576,
            "provenance": {f: f"hub@{sha}" for f in ("license", "downloads", "likes", "gated", "parameters")},
        }
    }
    page = _pages(catalog, Locks(hub=hub), "en")["models/facebook/dinov2-small.md"].text
    assert f"(https://huggingface.co/facebook/dinov2-small/tree/{sha})" in page
    assert "1,234,567" in page
    assert "22,056,576" in page
    assert "`hub@0123456789ab`" in page
    assert "the Hub says mit" in page
    assert "⚠" in page
    home = _pages(catalog, Locks(hub=hub), "zh")["index.md"].text
    assert "Hub 上为 mit" in home


def test_declared_and_built_parameters_side_by_side_with_the_reason(catalog: Catalog, locks: Locks) -> None:
    model = catalog.model_map["Alibaba-NLP/gme-Qwen2-VL-7B-Instruct"]
    assert model.parameters_note is not None
    for lang in LANGS:
        page = _pages(catalog, locks, lang)[f"models/{model.id}.md"].text
        row = next(line for line in page.splitlines() if "8,291,375,616" in line and line.startswith("| "))
        assert "7,746,378,240" in row  # the config tier's count, from checks.json
        note = getattr(model.parameters_note, lang)
        assert str(md_escape(note)) in row


def test_config_origin_and_completeness_are_shown(catalog: Catalog, locks: Locks) -> None:
    pages = _pages(catalog, locks, "en")
    blip = pages["models/Salesforce/blip-itm-base-coco.md"].text
    assert "copied by hand from the model&\\#39;s own repository" in blip
    assert "incomplete: no vision\\_config" in blip
    mirror = pages["models/openai/clip-vit-base-patch16.md"].text
    # The copy is linked once, by the provenance beside it.
    row = next(
        line for line in mirror.splitlines() if "mirror copy, not the model&\\#39;s own repository" in line
    )
    assert row.count("](https://huggingface.co/zabir735/clip-demo/blob/main/config.json)") == 1, row
    zh = _pages(catalog, locks, "zh")["models/Salesforce/blip-itm-base-coco.md"].text
    assert "不完整：缺少 vision\\_config" in zh


def test_results_name_each_protocol_and_source_once(catalog: Catalog, locks: Locks) -> None:
    # A model page lists its figures in one table per protocol and source, named once above it;
    # a leaderboard names each row's reporter and links each source once, under the board.
    results = Results(catalog)
    pages = _pages(catalog, locks, "en")
    grouped = 0
    for model_id in catalog.model_map:
        shown = results.of_model(model_id)
        if not shown:
            continue
        text = pages[f"models/{model_id}.md"].text.partition("## Reported results")[2].partition("\n## ")[0]
        pairs = {(s.protocol.id, s.source.id) for s in shown}
        assert text.count("\nProtocol: ") == len(pairs), model_id
        for source in {s.source for s in shown}:
            assert text.count(f"]({source.url})") == len({p for p in pairs if p[1] == source.id}), model_id
        assert text.count("\n| [") == len(shown), model_id  # every figure has its row
        grouped += len(shown) > len(pairs)
    assert grouped > 50
    for bench_id, boards in results.boards.items():
        text = pages[f"leaderboards/{bench_id}.md"].text
        for board in boards:
            part = text.partition(f"\n## {md_escape(board.protocol.name.en)}\n")[2].partition("\n## ")[0]
            assert part, (bench_id, board.slug)
            for source in board.sources:
                assert part.count(f"]({source.url})") == 1, (bench_id, board.slug)
            assert {r.source.id for r in board.rows} == {src.id for src in board.sources}
