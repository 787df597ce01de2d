"""Leaderboards and quality-versus-cost charts in a real browser, both languages."""

from __future__ import annotations

from typing import Any

import pytest

from generator.catalog.validated import Catalog
from generator.locks.files import Locks
from generator.site.views.results import Results, chart_points
from tests.test_browser import visible_ids


@pytest.mark.parametrize("prefix", ["", "/zh"])
def test_leaderboard_chart_points_and_sort(
    served_site: str, browser: Any, catalog: Catalog, locks: Locks, prefix: str
) -> None:
    results = Results(catalog)
    bench = catalog.benchmark_def_map["imagenet1k-zeroshot"]
    expected = {p.model.id for p in chart_points(results, bench, locks)}
    page = browser.new_page()
    page.goto(f"{served_site}{prefix}/leaderboards/{bench.id}.html")
    points = page.locator("svg.mmcat-chart a[data-model]")
    assert {points.nth(i).get_attribute("data-model") for i in range(points.count())} == expected
    # no table ranks two protocols together, and each is best first
    tables = page.locator("article table")
    assert tables.count() == len(results.boards[bench.id])
    for i in range(tables.count()):
        links = tables.nth(i).locator("tbody a[data-score]")
        protocols = {links.nth(j).get_attribute("data-protocol") for j in range(links.count())}
        assert len(protocols) == 1
        scores = [float(links.nth(j).get_attribute("data-score") or "nan") for j in range(links.count())]
        assert scores == sorted(scores, reverse=True)
    # clicking the score header sorts ascending
    first = tables.nth(0)
    first.locator("thead th").nth(2).locator("button").click()
    links = first.locator("tbody a[data-score]")
    scores = [float(links.nth(j).get_attribute("data-score") or "nan") for j in range(links.count())]
    assert scores == sorted(scores)
    # a point links to its model's page (the last drawn: points of equal cost and score overlap)
    target = points.last.get_attribute("data-model")
    points.last.locator("circle").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/models/{target}.html")
    page.close()


SCORES_OF_COLUMN = """(rows, column) => rows.map(r => {
  const s = r.cells[column].querySelector('[data-score]');
  return s ? Number(s.dataset.score) : null;
})"""


@pytest.mark.parametrize("prefix", ["", "/zh"])
def test_home_headline_column_sorts_missing_last_and_filters(
    served_site: str, browser: Any, catalog: Catalog, prefix: str
) -> None:
    results = Results(catalog)
    bench = catalog.benchmark_def_map["imagenet1k-zeroshot"]
    have = {m for m in catalog.model_map if results.headline_value(bench, m) is not None}
    page = browser.new_page()
    for direction in ("asc", "desc"):
        page.goto(f"{served_site}{prefix}/?sort=s:{bench.id}&dir={direction}")
        column = page.locator("#mmcat-filters").get_attribute("data-columns").split().index(f"s:{bench.id}")
        page.locator("button.mmcat-more").click()  # every row, not the first ones
        cells = page.locator("table[data-mmcat] tbody tr").evaluate_all(SCORES_OF_COLUMN, column)
        known = [c for c in cells if c is not None]
        # figures first, in order; "no figure" after them in either direction (not as 0)
        assert cells[: len(known)] == known
        assert known == sorted(known, reverse=direction == "desc")
        assert len(known) == len(have)
    page.goto(f"{served_site}{prefix}/?lo.{bench.id}=70")
    ids = set(visible_ids(page))
    lows = {m.lower() for m in have if (v := results.headline_value(bench, m)) is not None and v.value >= 70}
    assert ids == lows
    page.close()


def test_compare_puts_figures_side_by_side_only_within_a_protocol(
    served_site: str, browser: Any, catalog: Catalog
) -> None:
    results = Results(catalog)
    a, b = "openai/clip-vit-base-patch32", "openai/clip-vit-large-patch14"
    shared = {(s.benchmark.id, s.protocol.id) for s in results.of_model(a)} & {
        (s.benchmark.id, s.protocol.id) for s in results.of_model(b)
    }
    assert shared
    page = browser.new_page()
    page.goto(f"{served_site}/compare/index.html?ids={a},{b}")
    rows = page.locator("tr[data-field=result]")
    rows.first.wait_for()
    got = {
        (rows.nth(i).get_attribute("data-benchmark"), rows.nth(i).get_attribute("data-protocol"))
        for i in range(rows.count())
    }
    assert got == shared
    page.close()
