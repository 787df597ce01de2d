"""The site as a new reader meets it, in chromium: search, the table's address, phones, messages.

Shares ``served_site`` and ``browser`` (tests/conftest.py) with tests/test_browser.py; each test
looks at several things of one page to keep the number of page loads small.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.catalog.validated import Catalog
from tests.test_browser import Watched, search, visible_ids


def _results(page: Any) -> list[tuple[str, str]]:
    """(path, title) of every search result shown."""
    found = page.eval_on_selector_all(
        ".md-search-result__item > a",
        "items => items.map(a => [new URL(a.href).pathname, (a.querySelector('h1, h2') || a).textContent])",
    )
    return [(path, title.strip()) for path, title in found]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_finds_pages_of_its_language_by_name(
    served_site: str, browser: Any, catalog: Catalog, site: Path, lang: str
) -> None:
    prefix = "" if lang == "en" else "/zh"
    w = Watched(browser, served_site)
    page = w.goto(prefix + "/")
    model = catalog.model_map["facebook/dinov2-small"]
    search(page, model.name)
    results = _results(page)
    # The model's own page comes first, titled with its name, in the reader's language.
    assert results[0] == (f"{prefix}/models/facebook/dinov2-small.html", model.name), results
    for path, title in results:
        assert title, path  # every result has a title...
        assert "undefined" not in path and (site / path.lstrip("/")).is_file(), path  # ...and is a page
        assert path.startswith("/zh/") == (lang == "zh"), path  # of this language only
    if lang == "zh":
        # A Chinese word is searched and highlighted whole (not as its first character).
        page = w.goto(prefix + "/")
        search(page, "中文")
        marks = page.eval_on_selector_all(".md-search-result mark", "m => m.map(x => x.textContent)")
        assert marks and all("中文" in mark for mark in marks), sorted(set(marks))
        assert all(path.startswith("/zh/") for path, _ in _results(page))
    w.close()


def test_the_table_view_has_its_own_address_and_survives_a_language_switch(
    served_site: str, browser: Any
) -> None:
    w = Watched(browser, served_site)
    page = w.goto("/")
    page.locator("#mmcat-filters input[name=q]").fill("siglip")
    page.locator("#mmcat-filters input[name=lic][value=permissive]").check()
    query = urlsplit(page.url).query
    assert "text=siglip" in query and "q=" not in query.split("&")[0] and "&q=" not in query
    shown = sorted(visible_ids(page))
    assert shown
    # The shared link opens the table's view, not the site search over it.
    again = w.goto("/?" + query)
    assert sorted(visible_ids(again)) == shown
    assert not again.locator("#__search").is_checked()
    assert again.locator("#mmcat-filters input[name=q]").input_value() == "siglip"
    # The language switch keeps the view.
    again.locator("a.md-select__link[hreflang='zh']").first.dispatch_event("click")
    again.wait_for_load_state("load")
    again.wait_for_function("document.querySelector('table[data-mmcat]') !== null")
    assert urlsplit(again.url).path == "/zh/index.html" or urlsplit(again.url).path == "/zh/"
    assert urlsplit(again.url).query == query
    assert sorted(visible_ids(again)) == shown
    w.close()


def test_the_filters_say_why_nothing_happened(served_site: str, browser: Any, catalog: Catalog) -> None:
    w = Watched(browser, served_site)
    page = w.goto("/")
    form = page.locator("#mmcat-filters")
    note = form.locator(".mmcat-pick-note")
    boxes = page.locator("input.mmcat-pick")
    for i in range(4):
        boxes.nth(i).check()
    assert note.inner_text() == ""
    boxes.nth(4).click()
    assert not boxes.nth(4).is_checked()
    assert "At most 4 models" in note.inner_text()
    boxes.nth(0).uncheck()  # a change of the picks clears it
    assert note.inner_text() == ""
    # The parameter range says what happens to models with no known count.
    assert "not known are hidden" in form.locator(".mmcat-params").inner_text()
    # An empty result says so.
    empty = form.locator(".mmcat-empty")
    assert not empty.is_visible()
    form.locator("input[name=q]").fill("no model is called this")
    assert visible_ids(page) == []
    assert empty.is_visible() and "No model matches" in empty.inner_text()
    # A custom licence is shown by its name, on the home table and on the compare page.
    form.locator("input[name=q]").fill("embeddinggemma")
    row = page.locator("table[data-mmcat] tbody tr:not([hidden])")
    assert "Gemma Terms of Use" in row.inner_text()
    compare = w.goto("/compare/?ids=google/embeddinggemma-300m")
    cell = compare.locator(".mmcat-compare-table tr[data-field=license] td").inner_text()
    assert cell.startswith("Gemma Terms of Use") and "other (" not in cell
    w.close()


def test_phones_get_cards_and_wide_tables_wrap(served_site: str, browser: Any) -> None:
    phone = Watched(browser, served_site, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.goto("/")
    row = page.locator("table[data-mmcat] tbody tr").first
    for column in ("model", "dim", "params", "license", "tier"):
        cell = row.locator(f"td[data-column={column}]")
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (column, box)
        assert cell.is_visible() and cell.inner_text().strip(), column
    phone.close()
    desktop = Watched(browser, served_site, viewport={"width": 1280, "height": 900})
    wide = (
        "/models/openai/clip-vit-base-patch32.html",
        "/leaderboards/imagenet1k-zeroshot.html",
        "/zh/models/Alibaba-NLP/gme-Qwen2-VL-7B-Instruct.html",
    )
    for path in wide:
        page = desktop.goto(path)
        cut = page.evaluate(
            """() => [...document.querySelectorAll('article .md-typeset__scrollwrap')]
                .filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.querySelector('th').textContent)"""
        )
        assert cut == [], (path, cut)  # no table runs out of view to the right
    desktop.close()


@pytest.mark.parametrize(
    ("path", "lang"), [("/models/no/such-page.html", "en"), ("/zh/models/no/such-page.html", "zh")]
)
def test_not_found_pages_speak_the_visitors_language(
    served_site: str, browser: Any, site: Path, path: str, lang: str
) -> None:
    w = Watched(browser, served_site)
    not_found = site / ("zh/404.html" if lang == "zh" else "404.html")
    # As a static host serves it: the 404 page's HTML at the missing address (with status 200
    # here, so that the console's only errors are those of what the page itself loads).
    w.page.route(served_site + path, lambda route: route.fulfill(status=200, path=str(not_found)))
    page = w.goto(path)
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("article h1").inner_text().strip() == (
        "404 - 页面不存在" if lang == "zh" else "404 - Not found"
    )
    assert (page.locator(".md-header__topic").first.inner_text().strip() == "多模态嵌入模型目录") == (
        lang == "zh"
    )
    w.close()  # nothing it loads is missing
