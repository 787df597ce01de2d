"""A real ``mkdocs build --strict`` of the real catalogue, and what the site holds."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from generator.catalog.validated import Catalog
from generator.site.engine.chrome import LATE_CALL, SHARED_SCRIPT, read_shared_parts
from generator.site.engine.mkdocs_hooks import read_search_index
from tests.conftest import run_mmcat

# ``site`` (tests/conftest.py): the site built once per session from a copy of the project.


def test_home_pages_exist(site: Path) -> None:
    assert (site / "index.html").exists()
    assert (site / "zh" / "index.html").exists()
    assert 'lang="zh' in (site / "zh" / "index.html").read_text(encoding="utf-8")
    # Front matter is applied, not printed.
    assert "hide:" not in (site / "index.html").read_text(encoding="utf-8")


def test_every_model_has_a_page_in_both_languages(site: Path, catalog: Catalog) -> None:
    for model_id in catalog.model_map:
        # Built without directory URLs (the offline plugin), so pages open from the file system.
        en = site / "models" / f"{model_id}.html"
        zh = site / "zh" / "models" / f"{model_id}.html"
        assert en.exists(), model_id
        assert zh.exists(), model_id
        html = en.read_text(encoding="utf-8")
        # The language switcher points at the same page in the other language.
        depth = "../" * (model_id.count("/") + 1)
        assert f'href="{depth}zh/models/{model_id}.html"' in html


def test_model_pages_are_not_in_the_navigation(site: Path) -> None:
    # A page that does not list models carries no link to one: the nav stays O(1) per page.
    for page, language in [(site / "metrics.html", "en"), (site / "zh" / "verification.html", "zh")]:
        html = page.read_text(encoding="utf-8")
        assert "models/" not in html
        # The drawer is the language's shared part (generator/site/engine/chrome.py).
        parts = read_shared_parts(site / SHARED_SCRIPT.format(language))
        (key,) = re.findall(r'data-mmcat-chrome="(nav-[^"]+)"', html)
        assert 'class="md-nav md-nav--primary' in parts[key]
        assert "models/" not in parts[key]


_PLACEHOLDER = re.compile(r'<div data-mmcat-chrome="([a-z]+)-([0-9a-f]+)"></div>')
_SHARED_TAG = re.compile(
    r'<script src="((?:\.\./)*)assets/mmcat-chrome-([a-z]+)\.js" data-config="([^"]+)"></script>'
)


def test_every_page_shares_the_themes_chrome_once(site: Path) -> None:
    # Each page keeps a placeholder for each part of the theme's chrome that its language's script
    # holds once (palette, search dialog, drawer, table of contents, back-to-top button, dialog,
    # __config); the 404 pages,
    # opened at any depth, keep theirs in the page.
    used: dict[str, set[str]] = {"en": set(), "zh": set()}
    pages = 0
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if path.name == "404.html":
            assert "md-nav--primary" in html and '<script id="__config"' in html, path
            continue
        pages += 1
        kinds = [m.group(1) for m in _PLACEHOLDER.finditer(html)]
        assert kinds == ["palette", "search", "nav", "toc", "top", "dialog"], path
        assert html.index(LATE_CALL) < html.index("assets/javascripts/bundle."), path
        (tag,) = _SHARED_TAG.findall(html)
        root, language, config = tag
        assert root == "../" * (len(path.relative_to(site).parts) - 1), path
        assert 'data-md-component="search"' not in html and '<script id="__config"' not in html, path
        assert "md-nav--primary" not in html and "md-nav--secondary" not in html, path
        used[language] |= {f"{m.group(1)}-{m.group(2)}" for m in _PLACEHOLDER.finditer(html)} | {config}
    assert pages > 2 * 400
    for language, keys in used.items():
        parts = read_shared_parts(site / SHARED_SCRIPT.format(language))
        assert set(parts) == keys, language  # every part a page needs, and none that no page uses
        own = json.loads(next(v for k, v in parts.items() if k.startswith("config-")))
        assert own["base"] == ("" if language == "en" else language)


def test_no_external_requests_at_page_load(site: Path) -> None:
    for page in [site / "index.html", site / "zh" / "index.html"]:
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), tag


def _index(folder: Path) -> list[dict[str, str]]:
    # Shipped once, as the script the theme loads from the file system and (patched) over HTTP.
    assert sorted(p.name for p in (folder / "search").iterdir()) == ["search_index.js"]
    docs: list[dict[str, str]] = read_search_index(folder)["docs"]
    return docs


def test_each_language_has_its_own_search_index(site: Path, catalog: Catalog) -> None:
    en, zh = _index(site), _index(site / "zh")
    assert any("模型" in doc["text"] for doc in zh)
    for root, docs in ((site, en), (site / "zh", zh)):
        pages = {doc["location"] for doc in docs if "#" not in doc["location"]}
        for doc in docs:
            assert doc["title"].strip(), doc  # every result has a title...
            page = doc["location"].partition("#")[0]
            assert (root / page).is_file(), doc["location"]  # ...and leads to a page of its language
            assert page in pages, doc["location"]  # whose own entry is there
        assert not any(doc["location"].startswith("zh/") for doc in docs)
        # Every model page has its page entry, titled with the entry's name (not the file name).
        for model_id, m in catalog.model_map.items():
            entry = [doc for doc in docs if doc["location"] == f"models/{model_id}.html"]
            assert [html.unescape(doc["title"]) for doc in entry] == [m.name], model_id
    # Chinese pages search the Chinese index: their base is the language's root (put together by
    # the language's script from its config and the page's depth: the way to the site's root).
    page = (site / "zh" / "models" / "facebook" / "dinov2-small.html").read_text(encoding="utf-8")
    (tag,) = _SHARED_TAG.findall(page)
    config = json.loads(read_shared_parts(site / SHARED_SCRIPT.format("zh"))[tag[2]])
    assert tag[:2] == ("../../../", "zh") and config["base"] == "zh"


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def test_page_titles_are_the_entries_names(site: Path, catalog: Catalog) -> None:
    # Pages outside the navigation (one per model, series, benchmark) are titled with the name
    # their heading shows, never one made from the file name ("Clip", "gme Qwen2 VL 7B Instruct").
    checked = 0
    for root in (site, site / "zh"):
        for folder in ("models", "series", "leaderboards"):
            for path in (root / folder).rglob("*.html"):
                if path.name == "index.html":
                    continue
                page = path.read_text(encoding="utf-8")
                title = re.search(r"<title>([^<]*)</title>", page)
                heading = _H1.search(page.partition('<article class="md-content__inner')[2])
                assert title is not None and heading is not None, path
                name = html.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).removesuffix("¶").strip()
                assert html.unescape(title.group(1)).partition(" - ")[0] == name, path
                checked += 1
    assert checked >= 2 * (len(catalog.model_map) + len(catalog.series_map))
    gme = (site / "models" / "Alibaba-NLP" / "gme-Qwen2-VL-7B-Instruct.html").read_text(encoding="utf-8")
    assert "<title>gme Qwen2 VL 7B Instruct" not in gme


def test_each_language_has_its_own_404_page(site: Path) -> None:
    assert '<html lang="en"' in (site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in (site / "zh" / "404.html").read_text(encoding="utf-8")


def test_failed_build_leaves_the_old_site(built_copy: Path) -> None:
    project = built_copy  # a project with the site built by `mmcat build`
    assert (project / "site" / "index.html").is_file()
    before = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*"))
    # A dangling link in a hand-written page is a MkDocs warning, an error under --strict.
    page = project / "docs" / "en" / "metrics.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    result = run_mmcat("build", cwd=project)
    assert result.code == 1
    assert "no-such-page.md" in result.err
    assert "Traceback" not in result.err
    after = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*"))
    assert before == after
    (project / "site").unlink()  # a link to site.builds/<stamp>
    shutil.rmtree(project / "site.builds")


def test_pages_are_searchable_without_their_boilerplate(site: Path) -> None:
    locations = {doc["location"] for doc in _index(site)} | {
        "zh/" + doc["location"] for doc in _index(site / "zh")
    }
    left_out = {  # page -> sections it shows but the index leaves out
        "models/facebook/dinov2-small.html": ["sources", "usage"],
        "zh/models/facebook/dinov2-small.html": ["来源", "用法"],
        "index.html": ["all-models"],
        "zh/index.html": ["全部模型"],
    }
    for page, sections in left_out.items():
        assert any(loc.startswith(f"{page}#") for loc in locations), page  # the page is indexed...
        html = (site / page).read_text(encoding="utf-8")
        for section in sections:
            assert f"{page}#{section}" not in locations  # ...but not these sections,
            assert f'id="{section}"' in html  # which the page still shows.
    # Other pages keep every section.
    assert any(loc.startswith("contributing.html#") for loc in locations)


_SEPARATOR = re.compile(r"[\s\u200b\-]+")  # a separator for the names' tokens (no Chinese punctuation)
_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def _tokens(text: str, separator: re.Pattern[str] = _SEPARATOR) -> set[str]:
    """The words the search engine (lunr) makes of an entry's text: tags out, split at the
    separator, lower case, punctuation at the ends trimmed (as lunr's trimmer does)."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text)).lower()
    return {word.strip(".,;:()[]'\"，。；：、（）") for word in separator.split(plain)} - {""}


def test_search_finds_every_model_by_name_organisation_and_chinese_words(
    site: Path, catalog: Catalog
) -> None:
    # The whole built index of each language: every model's entries hold every word of its name
    # and organisation, and the Chinese ones every Chinese word of its summary as the build's
    # segmentation (jieba) cut it, so a search for any of them finds the model's page.
    import jieba

    for root, lang in ((site, "en"), (site / "zh", "zh")):
        words: dict[str, set[str]] = {}
        index = read_search_index(root)
        separator = re.compile(index["config"]["separator"])  # the one the search worker splits at
        for doc in index["docs"]:
            page = doc["location"].partition("#")[0]
            words.setdefault(page, set()).update(
                _tokens(doc["title"], separator) | _tokens(doc["text"], separator)
            )
        for model_id, m in catalog.model_map.items():
            found = words.get(f"models/{model_id}.html", set())
            assert _tokens(m.name) <= found, (lang, model_id, _tokens(m.name) - found)
            assert _tokens(m.organization) <= found, (lang, model_id, _tokens(m.organization) - found)
            if lang == "zh":
                chinese = {w for w in jieba.cut(m.summary.zh) if _HAN_WORD.match(w)}
                assert chinese and chinese <= found, (model_id, sorted(chinese - found)[:5])


def _page_kinds(site: Path) -> list[Path]:
    """One page of each kind, in both languages."""
    model = next(iter(sorted((site / "models").rglob("*.html"))))
    pages = [Path("index.html"), Path("compare/index.html"), Path("series/index.html"), Path("papers.html")]
    pages += [Path("leaderboards/index.html"), Path("metrics.html"), Path("404.html")]
    pages.append(model.relative_to(site))
    return [site / p for p in pages] + [site / "zh" / p for p in pages]


def test_the_chrome_icons_are_drawn_once_by_the_style_sheet(site: Path) -> None:
    from urllib.parse import unquote

    from generator.site.engine.chrome import ICONS_CSS

    css = (site / ICONS_CSS).read_text(encoding="utf-8")
    rule = r'\.(mmcat-icon-[\w-]+)\{--mmcat-icon:url\("data:image/svg\+xml,([^"]+)"\)\}'
    rules = dict(re.findall(rule, css))
    sheet = re.compile(r'<link rel="stylesheet" href="(?:/|(?:\.\./)*)assets/mmcat-icons\.css">')
    for page in _page_kinds(site):
        text = page.read_text(encoding="utf-8")
        head, _, rest = text.partition('<div class="md-content"')
        _, _, foot = rest.partition("</article>")
        # No icon is inlined in the header, navigation or footer: each one is a class with a rule.
        assert "<path" not in head + foot, page
        used = set(re.findall(r'<svg class="mmcat-icon (mmcat-icon-[\w-]+)"', text))
        assert used and used <= set(rules), (page, used - set(rules))
        assert sheet.search(text), page
    for svg in rules.values():  # each mask is a whole SVG drawing (the theme's icon)
        assert re.fullmatch(r"<svg [^>]*>.*<path d=\"[^\"]+\"/?>.*</svg>", unquote(svg)), svg


def test_the_site_ships_no_theme_file_it_never_loads(site: Path) -> None:
    assets = site / "assets"
    assert not list(assets.rglob("*.map"))
    lunr = sorted(p.name for p in (assets / "javascripts" / "lunr").rglob("*.js"))
    assert lunr == ["lunr.multi.min.js", "lunr.stemmer.support.min.js", "lunr.zh.min.js"]
    for script in (assets / "javascripts").rglob("*.js"):
        assert "sourceMappingURL" not in script.read_text(encoding="utf-8"), script
    # No site_url in mkdocs.yml: a sitemap would list "None<page>" addresses.
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()


def test_a_models_search_entry_has_what_it_is_found_by(site: Path, catalog: Catalog) -> None:
    # Name, organisation, licence and Hub id are searched; the parameter count, revision, loader
    # and badge rows of the facts table are left out of the index (not of the page).
    for root, lang in ((site, "en"), (site / "zh", "zh")):
        docs = {doc["location"]: doc for doc in _index(root)}
        m = catalog.model_map["Alibaba-NLP/gme-Qwen2-VL-7B-Instruct"]
        entry = next(d for loc, d in docs.items() if loc.startswith(f"models/{m.id}.html#"))
        text = html.unescape(entry["text"]).replace("\u200b", "")
        assert m.organization in text and m.license in text and m.id in text
        labels = {"en": ("Parameters", "Revision", "Loader", "Status"), "zh": ("参数量", "加载方式", "状态")}[
            lang
        ]
        assert not any(f" {label} " in text for label in labels), text
        assert "544,997,376" not in text  # from the parameters note
        page = (root / "models" / f"{m.id}.html").read_text(encoding="utf-8")
        assert "544,997,376" in page


def test_headings_link_to_themselves_in_either_language(site: Path) -> None:
    for path in (site / "verification.html", site / "zh" / "verification.html"):
        page = path.read_text(encoding="utf-8")
        links = re.findall(r'<a class="headerlink" href="#[^"]+"([^>]*)>([^<]*)</a>', page)
        assert len(links) > 3 and all(attrs == "" and text == "¶" for attrs, text in links), path
