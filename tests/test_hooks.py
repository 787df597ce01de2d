"""The build's MkDocs hooks: hreflang links left out, linear search-index deduplication."""

from __future__ import annotations

import copy
import random
from types import SimpleNamespace
from typing import Any

from mkdocs_static_i18n.reconfigure import ExtendedPlugin

from generator.site.mkdocs_hooks import dedupe_search_entries, on_post_page


def _entries(n: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    entries = [{"location": "", "title": "Home", "text": "home"}]
    for i in range(n):
        page = f"models/m{i}.html"
        en = {"location": page, "title": f"Model {i}", "text": f"text {i % 5}"}
        entries.append(en)
        entries.append({"location": page + "#memory", "title": "Memory", "text": "same"})
        zh_text = en["text"] if rng.random() < 0.5 else f"文字 {i}"
        entries.append({"location": "zh/" + page, "title": en["title"], "text": zh_text})
        entries.append({"location": "zh/" + page + "#memory", "title": "Memory", "text": "same"})
    entries.append({"location": "zh/", "title": "Home", "text": "home"})
    return entries


def test_linear_dedupe_equals_the_plugins_own() -> None:
    ours, theirs = _entries(300), _entries(300)
    ExtendedPlugin.reconfigure_search_duplicates(SimpleNamespace(build_languages=["en", "zh"]), theirs)
    dedupe_search_entries(ours, ["en/", "zh/"])
    assert ours == theirs
    assert len(ours) < len(_entries(300))  # something was removed
    untouched = _entries(10)
    kept = copy.deepcopy([e for e in untouched if e["title"] != "Memory" and e["location"] != "zh/"])
    dedupe_search_entries(kept, ["en/", "zh/"])
    assert any(e["location"].startswith("zh/") for e in kept)


def test_hreflang_links_are_left_out() -> None:
    html = (
        '<head><link rel="alternate" href="../x.html" hreflang="en">\n'
        '      <link rel="alternate" href="x.html" hreflang="zh">\n'
        '<link rel="alternate" type="application/rss+xml" href="feed.xml"></head>'
    )
    out = on_post_page(html, None, None)
    assert "hreflang" not in out
    assert 'type="application/rss+xml"' in out
