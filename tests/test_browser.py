"""The built site in a real browser: Playwright for Python driving Debian's chromium."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.catalog import Catalog
from generator.site import build_site
from tests.conftest import CATALOG

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_site(CATALOG, site_dir=tmp_path_factory.mktemp("browser") / "site")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def test_browse_to_a_model_and_switch_language(served_site: str, browser: Any, catalog: Catalog) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served_site + "/")
    first = page.locator("article table a[href*='models/']").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert "/models/" in page.url
    assert page.locator("article h1").inner_text().strip(" ¶\n") == name
    model_path = page.url.removeprefix(served_site)
    # The language switcher keeps the reader on the same page.
    href = page.locator("a.md-select__link[hreflang='zh']").get_attribute("href")
    page.goto(page.url + href)
    assert page.url.removeprefix(served_site) == "/zh" + model_path
    assert page.locator("article h1").inner_text().strip(" ¶\n") == name
    assert "输出维度" in page.locator("article").inner_text()
    outside = [url for url in requests if not url.startswith(served_site)]
    assert not outside, outside
    page.close()


def test_home_tables_list_every_model(served_site: str, browser: Any, catalog: Catalog) -> None:
    page = browser.new_page()
    page.goto(served_site + "/zh/")
    links = page.locator("article table a[href*='models/']")
    assert links.count() == len(catalog.models)
    page.close()


def test_chinese_search_finds_a_word(served_site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(served_site + "/zh/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill("向量")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=45000)  # the search worker loads its index slowly on a busy CPU
    assert results.count() > 0
    assert "向量" in page.locator(".md-search-result").inner_text()
    page.close()
