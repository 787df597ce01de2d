"""The home table's filters in chromium, each against the catalogue, in both languages.

The table's script keeps its rows in an array and puts only the first matching ones in the
table (the rest as the reader scrolls, or all with the button under it); these tests hold it to
what a reader sees: every facet and range selects the models the catalogue says, through the
page address and through the form, and without JavaScript the table lists every model.
Timings are not asserted here: ``scripts/bench_filter.py`` measures them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.catalog.schema import Model
from generator.catalog.validated import Catalog
from generator.locks.files import Locks
from generator.site import facts
from generator.site.views.lists import TIER_RANK, language_codes
from tests.test_browser import Watched, visible_ids

FIRST = 40  # rows the script puts in the table at first (FIRST in docs/en/assets/mmcat.js)


def _params_between(lo: float, hi: float) -> Callable[[Model, Locks], bool]:
    def keep(m: Model, locks: Locks) -> bool:
        count = facts.parameters(m, locks)
        return count is not None and lo <= count[0] <= hi

    return keep


# address query -> which models it keeps (the table's contract, from the catalogue and locks)
FACETS: dict[str, Callable[[Model, Locks], bool]] = {
    "cat=document-retrieval": lambda m, locks: m.category == "document-retrieval",
    "series=siglip2": lambda m, locks: m.series == "siglip2",
    "org=Apple": lambda m, locks: m.organization == "Apple",
    "tier=runtime": lambda m, locks: TIER_RANK[facts.model_tier(m, locks)] >= TIER_RANK["runtime"],
    "lang=zh": lambda m, locks: "zh" in language_codes(m),
    "hub=no": lambda m, locks: not m.source.hub_id,
    "dmin=1000&dmax=1100": lambda m, locks: any(1000 <= e.dim <= 1100 for e in m.embeddings),
    "pmin=100M&pmax=1B": _params_between(1e8, 1e9),
    "lic=non-commercial,unknown": lambda m, locks: (
        facts.license_class(m.license) in {"non-commercial", "unknown"}
    ),
    "mod=audio,video": lambda m, locks: bool({"audio", "video"} & set(m.modalities)),
    "mod=image,text&mm=all": lambda m, locks: {"image", "text"} <= set(m.modalities),
}


def _expected(catalog: Catalog, locks: Locks, keep: Callable[[Model, Locks], bool]) -> set[str]:
    ids = {m.id.lower() for m in catalog.model_map.values() if keep(m, locks)}
    assert ids and len(ids) < len(catalog.models), "the facet must keep some models and drop some"
    return ids


@pytest.mark.parametrize("prefix", ["", "/zh"])
def test_every_facet_from_the_address_selects_the_catalogues_models(
    served_site: str, browser: Any, catalog: Catalog, locks: Locks, prefix: str
) -> None:
    w = Watched(browser, served_site)
    total = len(catalog.models)
    for query, keep in FACETS.items():
        expected = _expected(catalog, locks, keep)
        page = w.goto(f"{prefix}/?{query}")
        count = page.locator(".mmcat-count").inner_text()
        assert str(len(expected)) in count and str(total) in count, (query, count)
        assert set(visible_ids(page)) == expected, query
        # the form shows the view it was opened with
        key, value = query.split("&")[0].split("=")
        if key in {"cat", "series", "org", "tier", "lang", "hub", "dmin"}:
            assert page.locator(f"#mmcat-filters [name={key}]").input_value() == value, query
        elif key in {"lic", "mod"}:
            for v in value.split(","):
                assert page.locator(f"#mmcat-filters input[name={key}][value='{v}']").is_checked(), query
    w.close()


def test_the_form_controls_select_and_the_address_follows(
    served_site: str, browser: Any, catalog: Catalog, locks: Locks
) -> None:
    w = Watched(browser, served_site)
    page = w.goto("/zh/")
    form = page.locator("#mmcat-filters")
    form.locator("select[name=cat]").select_option("document-retrieval")
    assert set(visible_ids(page)) == _expected(catalog, locks, FACETS["cat=document-retrieval"])
    assert "cat=document-retrieval" in page.url
    form.locator("select[name=cat]").select_option("")
    form.locator("input[name=dmin]").fill("1000")
    form.locator("input[name=dmax]").fill("1100")
    assert set(visible_ids(page)) == _expected(catalog, locks, FACETS["dmin=1000&dmax=1100"])
    assert "dmin=1000" in page.url and "dmax=1100" in page.url
    form.locator("button[type=reset]").click()
    assert len(visible_ids(page)) == len(catalog.models)
    assert "dmin" not in page.url
    w.close()


@pytest.mark.parametrize(
    ("prefix", "query", "field"),
    [
        ("", "gme-qwen2-vl", "name"),
        ("", "laion / datacomp", "organization"),
        ("/zh", "文档检索", "category"),
    ],
)
def test_the_text_filter_finds_by_name_organisation_and_chinese(
    served_site: str, browser: Any, catalog: Catalog, prefix: str, query: str, field: str
) -> None:
    def field_text(m: Model) -> str:
        if field == "category":
            return str(catalog.category_map[m.category].name.zh)
        return str(getattr(m, field))

    having = {m.id.lower() for m in catalog.model_map.values() if query in field_text(m).lower()}
    assert having and len(having) < len(catalog.models)
    w = Watched(browser, served_site)
    page = w.goto(f"{prefix}/")
    page.locator("#mmcat-filters input[name=q]").fill(query.upper() if prefix == "" else query)
    shown = set(visible_ids(page))
    assert having <= shown
    texts = page.eval_on_selector_all(
        "table[data-mmcat] tbody tr",
        "rows => rows.map(r => r.textContent + ' ' + r.querySelector('a').dataset.id)",
    )
    assert texts and all(word in t.lower() for t in texts for word in query.split())  # each row has the words
    w.close()


def test_the_table_shows_its_first_rows_then_more_as_the_reader_scrolls(
    served_site: str, browser: Any, catalog: Catalog
) -> None:
    w = Watched(browser, served_site, viewport={"width": 1280, "height": 900})
    page = w.goto("/")
    rows = page.locator("table[data-mmcat] tbody tr")
    total = len(catalog.models)
    assert total > FIRST
    assert rows.count() == FIRST
    assert page.locator(".mmcat-count").inner_text() == f"{total} of {total} models"
    more = page.locator("button.mmcat-more")
    assert more.is_visible() and more.inner_text() == f"Show all {total} matching models"
    # nearing the end of the table brings the next rows; the button above the table stays put
    box = more.bounding_box()
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(f"document.querySelectorAll('table[data-mmcat] tbody tr').length > {FIRST}")
    assert FIRST < rows.count() < total
    page.evaluate("window.scrollTo(0, 0)")
    assert more.bounding_box() == box
    more.click()
    assert rows.count() == total and not more.is_visible()
    # the rows are the page's rows in the page's order, each once
    ids = page.eval_on_selector_all("table[data-mmcat] tbody a[data-id]", "a => a.map(x => x.dataset.id)")
    assert len(set(ids)) == total
    # a narrower filter starts from its first rows again; no button when all of them fit
    page.locator("#mmcat-filters input[name=q]").fill("dinov2")
    assert 0 < rows.count() <= FIRST and not more.is_visible()
    w.close()


def test_sorting_orders_every_matching_row_not_only_the_first(
    served_site: str, browser: Any, catalog: Catalog, locks: Locks
) -> None:
    w = Watched(browser, served_site)
    page = w.goto("/?sort=params")
    assert page.locator("table[data-mmcat] th[data-column=params]").get_attribute("aria-sort") == "ascending"
    first = page.eval_on_selector_all(
        "table[data-mmcat] tbody a[data-id]", "a => a.map(x => Number(x.dataset.params))"
    )
    counts = sorted(p[0] for m in catalog.model_map.values() if (p := facts.parameters(m, locks)))
    assert first == counts[:FIRST]  # the smallest of the whole catalogue, in order
    w.close()


def test_ticks_survive_filtering_and_the_empty_result_says_so(
    served_site: str, browser: Any, catalog: Catalog
) -> None:
    w = Watched(browser, served_site)
    page = w.goto("/zh/")
    text = page.locator("#mmcat-filters input[name=q]")
    for model_id in ("facebook/dinov2-small", "BAAI/bge-m3"):
        text.fill(model_id)
        page.locator(f"input.mmcat-pick[value='{model_id.lower()}']").check()
    text.fill("")
    text.fill("facebook/dinov2-small")
    assert page.locator("input.mmcat-pick[value='facebook/dinov2-small']").is_checked()
    href = page.locator(".mmcat-compare-link").get_attribute("href")
    assert href is not None and href.endswith("?ids=facebook/dinov2-small,baai/bge-m3")
    empty = page.locator(".mmcat-empty")
    text.fill("没有这个模型")
    assert visible_ids(page) == [] and empty.is_visible() and "没有符合" in empty.inner_text()
    assert not page.locator("button.mmcat-more").is_visible()
    w.close()


@pytest.mark.parametrize("prefix", ["", "/zh"])
def test_without_javascript_every_row_is_shown(
    served_site: str, browser: Any, catalog: Catalog, prefix: str
) -> None:
    w = Watched(browser, served_site, java_script_enabled=False)
    page = w.goto(f"{prefix}/")
    rows = page.locator("article table tbody tr:has(a[data-id])")
    assert rows.count() == len(catalog.models)
    shown = rows.evaluate_all("rows => rows.filter(r => r.getClientRects().length > 0).length")
    assert shown == len(catalog.models)
    assert not page.locator("#mmcat-filters").is_visible()
    w.close()
