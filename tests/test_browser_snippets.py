"""Usage snippets in a real browser: tabs, a copy button on every code block, and what it copies."""

from __future__ import annotations

from typing import Any

import pytest

# ``served_site`` and ``browser`` (tests/conftest.py): shared with tests/test_browser.py.

MINILM = "/models/sentence-transformers/all-MiniLM-L6-v2.html"


@pytest.mark.parametrize("prefix", ["", "/zh"])
def test_snippet_tabs_have_copy_buttons(served_site: str, browser: Any, prefix: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served_site + prefix + MINILM)
    tabs = page.locator(".tabbed-labels label")
    assert tabs.all_inner_texts() == ["sentence-transformers", "transformers"]
    blocks = page.locator(".tabbed-block")
    assert blocks.count() == 2
    # Material adds one copy button per code block once the page's script has run.
    copy = ".tabbed-block button[data-md-type='copy']"
    page.locator(copy).first.wait_for(state="attached", timeout=15000)
    assert page.locator(copy).count() == 2
    # The second tab shows the plain transformers code; its button copies exactly that code.
    tabs.nth(1).click()
    code = blocks.nth(1).locator("code")
    assert code.is_visible()
    assert "BertModel.from_pretrained(model_id, revision=revision)" in code.inner_text()
    code.hover()
    blocks.nth(1).locator("button[data-md-type='copy']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == code.inner_text().strip()
    assert 'model_id = "sentence-transformers/all-MiniLM-L6-v2"' in copied
    comment = "尚未记录提交" if prefix else "no commit recorded yet"
    assert comment in copied
    outside = [url for url in requests if not url.startswith(served_site)]
    assert not outside, outside
    context.close()


def test_matryoshka_sizes_are_shown(served_site: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(served_site + "/zh/models/google/embeddinggemma-300m.html")
    text = page.locator("article").inner_text()
    assert "Matryoshka（可截短）维度：768、512、256、128" in text
    page.close()
