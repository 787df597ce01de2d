"""The chrome each page shares through its language's script (generator/site/engine/chrome.py),
in a real browser: once the scripts have run, every page of both languages has the theme's own
header, drawer, table of contents, ``__config`` and storage scope (``__md_scope``), as the theme
wrote them into the page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.site.engine import chrome
from generator.site.engine.chrome import SharedChrome
from generator.site.engine.mkdocs_build import build_language
from generator.site.i18n import LANGS
from tests.conftest import made_once, run_mmcat, small_project

# The chrome of the page after its scripts ran, with links made absolute (the page's script
# writes them from the site's root, the theme from the page), no script elements and no inline
# styles (the sidebars' sizes, set by the bundle on a later frame).
_CHROME = """() => {
  const part = (selector) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const copy = el.cloneNode(true);
    copy.querySelectorAll("script").forEach((s) => s.remove());
    // The sizes the theme's bundle gives the sidebars once laid out: set on a later frame.
    [copy, ...copy.querySelectorAll("[style]")].forEach((e) => e.removeAttribute("style"));
    copy.querySelectorAll("[href]").forEach((a) => a.setAttribute("href", a.href));
    return copy.outerHTML;
  };
  const config = JSON.parse(document.querySelector("#__config").textContent);
  config.base = new URL(config.base, location).href;
  config.search = new URL(config.search, location).href;
  return {
    header: part("header"),
    drawer: part(".md-sidebar--primary"),
    contents: part(".md-sidebar--secondary"),
    top: part(".md-top"),
    dialog: part(".md-dialog"),
    config: config,
    scripted: document.documentElement.className,
    scope: String(__md_scope),
    active: [...document.querySelectorAll(".md-nav__link--active")].map((a) => a.textContent),
  };
}"""


def _build(root: Path, name: str, share: bool) -> dict[str, Path]:
    """Each language of the small project built on its own (as ``mmcat build`` does) into
    ``root/name/<language>``; without ``share``, with the theme's chrome and first script left
    in each page."""
    out: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        if not share:
            patch.setattr(SharedChrome, "share", lambda self, html, page_dir: html)
            patch.setattr(chrome, "base_script", lambda theme_dirs: None)  # the theme's inline one
        for language in LANGS:
            out[language] = root / name / language
            built = build_language(
                str(root / "mkdocs.yml"), str(root / "build" / "docs"), str(out[language]), language
            )
            assert not built.problems, built.problems
    return out


@pytest.fixture(scope="module")
def two_ways(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], dict[str, Path]]:
    def make(root: Path) -> tuple[dict[str, Path], dict[str, Path]]:
        small_project(root)
        result = run_mmcat("build", cwd=root)  # writes build/docs, the Markdown MkDocs builds from
        assert result.code == 0, result.out + result.err
        return _build(root, "shared", True), _build(root, "theme", False)

    return made_once(tmp_path_factory, "chrome-two-ways", make)


def test_the_shared_chrome_is_the_themes_own_once_the_page_ran(
    two_ways: tuple[dict[str, Path], dict[str, Path]], browser: Any
) -> None:
    shared, theme = two_ways
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    compared = 0
    for language in LANGS:
        pages = sorted(p.relative_to(theme[language]) for p in theme[language].rglob("*.html"))
        pages = [p for p in pages if p.name != "404.html"]
        assert len(pages) > 10, pages
        for rel in pages:
            seen = []
            for site in (shared[language], theme[language]):
                page.goto((site / rel).as_uri())
                page.wait_for_load_state("load")
                chrome = page.evaluate(_CHROME)
                seen.append(json.loads(json.dumps(chrome).replace(site.as_uri(), "SITE")))
            assert seen[0] == seen[1], rel
            assert seen[0]["drawer"] and "md-nav__link" in seen[0]["drawer"], rel
            assert "md-search__input" in seen[0]["header"] and "__palette_0" in seen[0]["header"], rel
            assert seen[0]["scripted"] != "no-js", rel  # the theme's bundle ran on the shared page
            compared += 1
    assert errors == []
    assert compared > 20
    # The shared pages are smaller by the parts they share.
    home = [(site["en"] / "index.html").read_text(encoding="utf-8") for site in (shared, theme)]
    assert len(home[0]) < len(home[1]) - 3000
    assert "__md_scope" not in home[0] and "__md_scope" in home[1]
    page.close()


def test_without_javascript_the_tabs_stand_in_for_the_drawer_on_a_phone(
    two_ways: tuple[dict[str, Path], dict[str, Path]], browser: Any
) -> None:
    shared, _ = two_ways
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto((shared["en"] / "metrics.html").as_uri())
    tabs = page.locator(".md-tabs__link")
    assert tabs.count() == 9
    assert tabs.first.is_visible() and tabs.last.bounding_box() is not None
    assert not page.locator('label.md-header__button[for="__drawer"]').is_visible()
    context.close()
    # With JavaScript, the phone has its drawer's button and no tabs, as the theme draws them.
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto((shared["en"] / "metrics.html").as_uri())
    assert page.locator('label.md-header__button[for="__drawer"]').is_visible()
    assert not page.locator(".md-tabs__link").first.is_visible()
    page.locator('label.md-header__button[for="__drawer"]').click()
    assert page.locator(".md-nav--primary .md-nav__link").first.is_visible()
    context.close()
