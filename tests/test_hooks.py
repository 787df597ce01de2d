"""The build's MkDocs hooks: hreflang links left out, one search index per language."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.site.engine.mkdocs_hooks import (
    drop_redundant_breaks,
    fix_search_worker,
    language_root_base,
    load_index_as_script,
    on_post_page,
    read_search_index,
    split_search_index,
)


def test_each_language_gets_its_own_index(tmp_path: Path) -> None:
    docs = [
        {"location": "models/m.html", "title": "M", "text": ""},
        {"location": "zh/models/m.html", "title": "M", "text": ""},  # same title and text: kept
        {"location": "zh/models/m.html#内存", "title": "内存", "text": "x"},
    ]
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(
        json.dumps({"config": {"lang": ["en"]}, "docs": docs})
    )
    split_search_index(tmp_path, ["en", "zh"])
    en, zh = read_search_index(tmp_path), read_search_index(tmp_path / "zh")
    assert en["docs"] == docs[:1] and en["config"] == zh["config"]
    assert [d["location"] for d in zh["docs"]] == ["models/m.html", "models/m.html#内存"]
    # No theme bundle here to load the script over HTTP: the JSON is written too.
    assert json.loads((tmp_path / "zh" / "search" / "search_index.json").read_text()) == zh
    assert "内存" in (tmp_path / "zh" / "search" / "search_index.js").read_text(encoding="utf-8")  # UTF-8


@pytest.mark.parametrize(
    "text",
    [
        "\u200b多\u200b模态\u200b嵌入\u200b模型\u200b目录\u200b。\u200b每个\u200b输出\u200b",
        "<p>\u200b基于\u200b Qwen2-VL\u200b的\u200b（3584 \u200b维\u200b），\u200b\u200b检索</p>",
        "no breaks at all",
        "\u200b",
    ],
)
def test_dropping_redundant_breaks_keeps_every_token(text: str) -> None:
    import re

    separator = "[\\s\\u200b\\-，。、；：！？（）]+"
    [doc] = drop_redundant_breaks([{"location": "a.html", "title": text, "text": text}], separator)

    def tokens(value: str) -> list[str]:
        return [t for t in re.split(separator, value) if t]

    assert tokens(doc["text"]) == tokens(text) and doc["title"] == doc["text"]
    assert "\u200b。" not in doc["text"] and "。\u200b" not in doc["text"] and " \u200b" not in doc["text"]
    assert not doc["text"].startswith("\u200b") and not doc["text"].endswith("\u200b")
    assert len(doc["text"]) < len(text) or "\u200b" not in text


def test_the_index_is_shipped_once_when_the_bundle_loads_it_as_a_script(tmp_path: Path) -> None:
    import material

    theme = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    for bundle in theme.glob("bundle.*.min.js"):
        (tmp_path / "assets" / "javascripts" / bundle.name).write_text(bundle.read_text(encoding="utf-8"))
    (tmp_path / "search").mkdir()
    docs = [
        {"location": "a.html", "title": "A", "text": ""},
        {"location": "zh/a.html", "title": "A", "text": ""},
    ]
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"config": {}, "docs": docs}))
    split_search_index(tmp_path, ["en", "zh"])
    for root in (tmp_path, tmp_path / "zh"):
        assert sorted(p.name for p in (root / "search").iterdir()) == ["search_index.js"]
    bundle = next((tmp_path / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert 'location.protocol==="file:"?' not in bundle.split('new URL("search/search_index.js"')[0][-200:]
    assert load_index_as_script(tmp_path)  # a second pass finds it patched


def test_translated_pages_search_from_their_language_root() -> None:
    page = (
        '<script id="__config" type="application/json">{"annotate": null, "base": "../..", "x": 1}</script>'
    )
    assert '"base": "../../zh/"' in language_root_base(page, "zh")
    assert language_root_base(page, "en") == page
    assert '"base": "/zh/"' in language_root_base(page.replace("../..", "/"), "zh")


def test_hreflang_links_are_left_out() -> None:
    html = (
        '<head><link rel="alternate" href="../x.html" hreflang="en">\n'
        '      <link rel="alternate" href="x.html" hreflang="zh">\n'
        '<link rel="alternate" type="application/rss+xml" href="feed.xml"></head>'
    )
    page = SimpleNamespace(file=SimpleNamespace(dest_uri="models/m.html"))
    out = on_post_page(html, page, SimpleNamespace(plugins={}))
    assert "hreflang" not in out
    assert 'type="application/rss+xml"' in out


def test_the_search_worker_fix_applies_to_the_installed_theme(tmp_path: Path) -> None:
    import shutil

    import material

    workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    target = tmp_path / "assets" / "javascripts" / "workers"
    shutil.copytree(workers, target)
    # A new Material release that changed the loop fails here: check whether it still needs fixing.
    assert fix_search_worker(tmp_path) == sorted(target.glob("search.*.min.js")) != []
    assert fix_search_worker(tmp_path) == sorted(target.glob("search.*.min.js"))  # once is enough


def test_compact_html_keeps_what_is_shown() -> None:
    from generator.site.engine.mkdocs_hooks import compact_html

    page = (
        "<!-- a note -->\n<div>\n    <p>a\n\n   b</p>\n</div>\n"
        "<table>\n<thead>\n<tr>\n<th>x</th>\n</tr>\n</thead>\n"
        '<tbody>\n<tr>\n<td><a href="#">one</a>\n<a href="#">two</a></td>\n'
        "<td>\n</td>\n</tr>\n</tbody>\n</table>\n"
        "<pre>  keep\n\n  this</pre><code>a\n\n b</code>"
    )
    out = compact_html(page)
    assert out.startswith(
        "<div>\n<p>a\nb</p>\n</div>\n<table><thead><tr><th>x</th></tr></thead><tbody><tr><td>"
    )
    assert (
        '<a href="#">one</a>\n<a href="#">two</a></td><td></td></tr></tbody></table>\n' in out
    )  # a space stays
    assert out.endswith("<pre>  keep\n\n  this</pre><code>a\n\n b</code>")
