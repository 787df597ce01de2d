"""The text-language filter and search of the home table, in a real browser."""

from __future__ import annotations

from typing import Any

from generator.catalog.validated import Catalog
from generator.site.views.lists import language_codes
from tests.test_browser import visible_ids


def _shown_ids(page: Any) -> set[str]:
    return set(visible_ids(page))


def test_language_filter_and_search_find_every_model_that_reads_chinese(
    served_site: str, browser: Any, catalog: Catalog
) -> None:
    reads_zh = {m.id.lower() for m in catalog.model_map.values() if "zh" in language_codes(m)}
    multilingual = {m.id.lower() for m in catalog.model_map.values() if "multi" in language_codes(m)}
    assert reads_zh and multilingual
    page = browser.new_page()
    page.goto(f"{served_site}/?lang=zh")
    assert _shown_ids(page) == reads_zh
    page.goto(f"{served_site}/zh/?lang=multi")
    assert _shown_ids(page) == multilingual
    # the table's text search finds them by language name, in either language
    for query in ("Chinese", "中文"):
        page.goto(f"{served_site}/?text={query}")
        assert reads_zh <= _shown_ids(page), query
    page.goto(f"{served_site}/zh/?text=多语言")
    assert multilingual <= _shown_ids(page)
    page.close()
