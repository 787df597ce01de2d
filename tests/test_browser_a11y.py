"""Accessibility: axe-core (axe-playwright-python) finds no serious or critical violation.

The pages a reader goes through, in both languages, in chromium (``served_site`` and ``browser``
from tests/conftest.py). Minor and moderate findings are printed, not failed.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_browser import Watched

PAGES = {
    "home": "/",
    "model": "/models/openai/clip-vit-base-patch32.html",
    "compare": "/compare/?ids=facebook/dinov2-small,openai/clip-vit-base-patch32,BAAI/bge-m3",
    "papers": "/papers.html",
    "benchmarks": "/leaderboards/index.html",
    "benchmark": "/leaderboards/imagenet1k-zeroshot.html",  # with its quality-versus-cost chart
}
FAILING = ("serious", "critical")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_serious_accessibility_violations(served_site: str, browser: Any, lang: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    prefix = "" if lang == "en" else "/zh"
    w = Watched(browser, served_site)
    found = []
    for name, path in PAGES.items():
        page = w.goto(prefix + path)
        if name == "compare":
            page.locator(".mmcat-compare-table").wait_for()
        assert page.locator("html").get_attribute("lang") == lang
        for violation in axe.run(page).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            line = f"{name}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])}): {targets}"
            if violation["impact"] in FAILING:
                found.append(line)
            else:
                print(line)
    w.close()
    assert found == []
