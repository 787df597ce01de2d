"""The page chrome written once for the site (generator/site/engine/chrome.py), on its own."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

from generator.site.engine.chrome import (
    BASE_SCRIPT,
    CHROME_ICONS,
    LATE_CALL,
    PALETTE_SCRIPT,
    SharedChrome,
    base_script,
    chrome_templates,
    icon_class,
    icons_css,
    prune_assets,
    read_shared_parts,
)

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M1 2h3#"/></svg>\n'


def _theme(root: Path) -> Path:
    for name in CHROME_ICONS[:2]:
        path = root / ".icons" / f"{name}.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SVG, encoding="utf-8")
    return root


def test_icons_become_empty_svgs_with_the_icons_view_box_and_a_rule(tmp_path: Path) -> None:
    theme = _theme(tmp_path / "theme")
    templates = chrome_templates([tmp_path / "custom", theme], [{"scheme": "default"}])
    first, second = CHROME_ICONS[:2]
    expected = f'<svg class="mmcat-icon {icon_class(first)}" viewBox="0 0 32 32"></svg>'
    assert templates[f".icons/{first}.svg"] == expected
    assert f".icons/{CHROME_ICONS[2]}.svg" not in templates  # not in the theme: left to the theme
    css = icons_css([theme])
    rule = css.splitlines()[1]
    assert rule.startswith(f'.{icon_class(first)}{{--mmcat-icon:url("data:image/svg+xml,')
    data = rule.split("svg+xml,", 1)[1].rsplit('")', 1)[0]
    assert '"' not in data and "#" not in data and "<" not in data  # safe inside url("...")
    assert unquote(data) == SVG.strip()
    assert icon_class(second) in css and icon_class(CHROME_ICONS[2]) not in css


def test_the_palette_script_is_replaced_only_without_media_queries(tmp_path: Path) -> None:
    assert PALETTE_SCRIPT in chrome_templates([tmp_path], [{"scheme": "default"}, {"scheme": "slate"}])
    media = [{"media": "(prefers-color-scheme: light)", "scheme": "default"}]
    assert PALETTE_SCRIPT not in chrome_templates([tmp_path], media)


def test_prune_assets_keeps_what_the_sites_languages_load(tmp_path: Path) -> None:
    js = tmp_path / "assets" / "javascripts"
    names = [
        "lunr/min/lunr.zh.min.js",
        "lunr/min/lunr.de.min.js",
        "lunr/min/lunr.multi.min.js",
        "lunr/min/lunr.stemmer.support.min.js",
        "lunr/tinyseg.js",
        "lunr/wordcut.js",
        "bundle.1.min.js",
        "bundle.1.min.js.map",
    ]
    for name in names:
        (js / name).parent.mkdir(parents=True, exist_ok=True)
        bundle = name == "bundle.1.min.js"
        (js / name).write_text("x()\n//# sourceMappingURL=bundle.1.min.js.map\n" if bundle else "x", "utf-8")
    css = tmp_path / "assets" / "main.css"
    css.write_text("a{}\n/*# sourceMappingURL=main.css.map */", encoding="utf-8")
    (tmp_path / "assets" / "main.css.map").write_text("{}", encoding="utf-8")
    gone = prune_assets(tmp_path, {"en", "zh"})
    left = sorted(str(p.relative_to(js)) for p in js.rglob("*") if p.is_file())
    assert left == [
        "bundle.1.min.js",
        "lunr/min/lunr.multi.min.js",
        "lunr/min/lunr.stemmer.support.min.js",
        "lunr/min/lunr.zh.min.js",
    ]
    assert (js / "bundle.1.min.js").read_text(encoding="utf-8") == "x()\n"
    assert css.read_text(encoding="utf-8") == "a{}\n"
    assert len(gone) == 5  # two maps, lunr.de, tinyseg, wordcut
    assert prune_assets(tmp_path, {"en", "zh"}) == []  # nothing left to do
    (js / "lunr" / "wordcut.js").write_text("x", encoding="utf-8")
    assert prune_assets(tmp_path, {"th"}) == [js / "lunr" / "min" / "lunr.zh.min.js"]


def _page(root: str, base: str, toc_link: str = "#a") -> str:
    """A page shaped as the theme writes one, ``root`` the way to the site's root."""
    config = {"base": base, "features": [], "search": f"{root}assets/search.js", "translations": {}}
    return (
        f'<html><head><link rel="stylesheet" href="{root}assets/mmcat.css"></head><body>'
        '<header><form class="md-header__option" data-md-component="palette"><input></form>'
        '<div class="md-search" data-md-component="search" role="dialog"><div><form></form></div></div>'
        "</header>"
        '<div class="md-sidebar md-sidebar--primary" data-md-type="navigation"><div><div>'
        f'<nav class="md-nav md-nav--primary"><a href="{root}index.html">Home</a>'
        f'<a href="{root}papers.html#gme">Papers</a><a href="https://example.org/">out</a></nav>'
        "</div></div></div>"
        '<div class="md-sidebar md-sidebar--secondary" data-md-type="toc"><div><div>'
        f'<nav class="md-nav md-nav--secondary"><ul><li><a href="{toc_link}">A</a>'
        '<nav class="md-nav"><ul><li><a href="#b">B</a></li></ul></nav></li></ul></nav>'
        "</div></div></div>"
        "<article>content</article>"
        '<button type="button" class="md-top md-icon" data-md-component="top" hidden>Top</button>'
        '<footer>f</footer><div class="md-dialog" data-md-component="dialog"><div></div></div>'
        f'<script id="__config" type="application/json">{json.dumps(config)}</script>'
        f'<script src="{root}assets/bundle.js"></script></body></html>'
    )


def _restore(html: str, parts: dict[str, str], root: str) -> str:
    """What the page's script does in the browser, in Python (links and config only as text)."""
    html = re.sub(
        r'<div data-mmcat-chrome="([^"]+)"></div>',
        lambda m: re.sub(r' href="(?![#/]|https?:)', ' href="' + root, parts[m.group(1)]),
        html,
    )
    return html


def test_shared_parts_leave_placeholders_and_one_script_before_the_bundle() -> None:
    shared = SharedChrome("en")
    page = _page("../../", "../..")
    out = shared.share(page, "models/org")
    assert out.count("data-mmcat-chrome=") == 6
    # The parts after the content are put back by a second call, after them and before the bundle.
    assert out.index('data-mmcat-chrome="dialog-') < out.index(LATE_CALL) < out.index("bundle.js")
    assert out.index("<article>") < out.index('data-mmcat-chrome="top-') < out.index("<footer>")
    assert "md-search" not in out and "md-nav--primary" not in out and "__config" not in out
    script = re.search(r'<script src="([^"]+)" data-config="([^"]+)"></script>', out)
    assert script is not None and script.group(1) == "../../assets/mmcat-chrome-en.js"
    assert out.index(script.group(0)) < out.index("<article>") < out.index("bundle.js")
    assert out.count("<script") == 3
    # The links of the drawer are kept relative to the site's root; put back, they lead where they led.
    nav = next(v for k, v in shared.parts.items() if k.startswith("nav-"))
    assert 'href="index.html"' in nav and 'href="papers.html#gme"' in nav and "https://example.org/" in nav
    # Put back as the script does, the page is the theme's again (less its config, made by the script).
    restored = _restore(out.replace(script.group(0), "").replace(LATE_CALL, ""), shared.parts, "../../")
    assert restored == re.sub(r'<script id="__config".*?</script>', "", page)
    config = json.loads(shared.parts[script.group(2)])
    assert config["base"] == "" and config["search"] == "assets/search.js"


def test_pages_with_the_same_chrome_share_one_part_per_kind() -> None:
    shared = SharedChrome("zh")
    first = shared.share(_page("../../../", "../../../zh/"), "zh/models/a")
    second = shared.share(_page("../", "../zh/"), "zh")
    assert len(shared.parts) == 7  # palette, search, drawer, contents, top, dialog, config: once each
    assert re.findall(r'data-mmcat-chrome="([^"]+)"', first) == re.findall(
        r'data-mmcat-chrome="([^"]+)"', second
    )
    config = json.loads(next(v for k, v in shared.parts.items() if k.startswith("config-")))
    assert config["base"] == "zh"
    shared.share(_page("../../", "../..", toc_link="#other"), "models/b")
    assert len([k for k in shared.parts if k.startswith("toc-")]) == 2


def test_a_part_that_cannot_be_put_back_stays_in_the_page() -> None:
    shared = SharedChrome("en")
    # A drawer link out of the site's root, and a base the script would not give back.
    page = _page("../../", "../other").replace('href="../../index.html"', 'href="../../../elsewhere.html"')
    out = shared.share(page, "models/org")
    assert "md-nav--primary" in out and "../../../elsewhere.html" in out
    assert '<script id="__config"' in out and "data-config" not in out
    assert "md-nav--secondary" not in out  # the other parts are still shared
    assert not any(k.startswith(("nav-", "config-")) for k in shared.parts)


def test_a_page_without_the_themes_chrome_is_left_as_it_is() -> None:
    assert SharedChrome("en").share("<html><body>x</body></html>", "") == "<html><body>x</body></html>"


def test_the_script_keeps_the_parts_of_the_script_already_there(tmp_path: Path) -> None:
    shared = SharedChrome("en")
    shared.share(_page("", "."), "")
    path = tmp_path / "mmcat-chrome-en.js"
    path.write_text(shared.script({"toc-old": "<nav>old</nav>"}), encoding="utf-8")
    parts = read_shared_parts(path)
    assert parts == {"toc-old": "<nav>old</nav>", **shared.parts}
    path.write_text("not ours", encoding="utf-8")
    assert read_shared_parts(path) == {} and read_shared_parts(tmp_path / "missing.js") == {}


def test_the_themes_first_script_moves_to_one_file_unless_it_is_not_the_known_one(tmp_path: Path) -> None:
    import material

    installed = Path(material.__file__).parent / "templates"
    text = base_script([installed])
    assert text is not None and text.startswith('__md_scope=new URL("..",document.currentScript.src),')
    assert "__md_get=" in text and "{{" not in text
    assert BASE_SCRIPT in chrome_templates([installed], [])
    assert BASE_SCRIPT not in chrome_templates([installed], [], scoped=True)  # extra.scope is the page's
    changed = tmp_path / BASE_SCRIPT
    changed.parent.mkdir(parents=True)
    changed.write_text('<script>__md_scope=new URL("{{ base_url }}",location)</script>', encoding="utf-8")
    assert base_script([tmp_path, installed]) is None
    assert BASE_SCRIPT not in chrome_templates([tmp_path, installed], [])
