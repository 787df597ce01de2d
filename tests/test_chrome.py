"""The page chrome written once for the site (generator/site/engine/chrome.py), on its own."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from generator.site.engine.chrome import (
    CHROME_ICONS,
    PALETTE_SCRIPT,
    chrome_templates,
    icon_class,
    icons_css,
    prune_assets,
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
