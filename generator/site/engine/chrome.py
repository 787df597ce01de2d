"""The theme's page chrome, written once for the site instead of into every page.

Material inlines the SVG of each icon of its header, search dialog and back-to-top button into
every page, and the palette's start-up script: the same few kilobytes on every page, a tenth of a
1,000-model site (README, Benchmarks).

- :func:`chrome_templates` stands in for those icon templates: an empty ``<svg>`` with a class
  and the icon's own ``viewBox`` (so the theme's rules size it as before); :func:`icons_css`
  writes one rule per icon whose mask is the theme's own SVG file, filled with the text colour
  as the inlined icon was (``assets/mmcat-icons.css``, written by the build).
- the palette's script becomes one line that applies a stored colour choice (our palette has
  no ``media`` option, the only case the theme's longer script adds).
- :func:`prune_assets` deletes the theme's files the site never loads: source maps, and the
  search languages and word segmenters of languages the site does not build.

The icons are read from the installed theme at build time, so an upgrade of the theme changes
them with it; nothing of the theme is copied into the project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

# Every icon the theme draws in the chrome of our pages (header, palette, language list, search
# dialog, back-to-top button): the defaults of Material's partials and the palette's toggles.
CHROME_ICONS = (
    "material/library",
    "material/menu",
    "material/weather-night",
    "material/weather-sunny",
    "material/translate",
    "material/magnify",
    "material/arrow-left",
    "material/close",
    "material/arrow-up",
)
ICONS_CSS = "assets/mmcat-icons.css"
PALETTE_SCRIPT = "partials/javascripts/palette.html"

_VIEWBOX = re.compile(r'viewBox="([^"]+)"')


def icon_class(name: str) -> str:
    """The CSS class that draws the theme's icon ``name`` (``material/magnify``)."""
    return "mmcat-icon-" + re.sub(r"[^a-z0-9]+", "-", name.lower())


def _icon_svg(theme_dirs: Iterable[str | Path], name: str) -> str | None:
    for folder in theme_dirs:
        path = Path(folder) / ".icons" / f"{name}.svg"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    return None


def chrome_templates(theme_dirs: Iterable[str | Path], palette: object) -> dict[str, str]:
    """Template name -> text of the templates that replace the theme's chrome icons (each one
    found in ``theme_dirs``) and, when no ``palette`` option has a ``media`` query, its script."""
    dirs = list(theme_dirs)
    out: dict[str, str] = {}
    for name in CHROME_ICONS:
        svg = _icon_svg(dirs, name)
        if svg is None:
            continue
        box = _VIEWBOX.search(svg)
        view_box = f' viewBox="{box.group(1)}"' if box else ""
        out[f".icons/{name}.svg"] = f'<svg class="mmcat-icon {icon_class(name)}"{view_box}></svg>'
    options = palette if isinstance(palette, list) else []
    if not any(isinstance(o, dict) and o.get("media") for o in options):
        # The stored choice (Material's own __md_get) names the scheme and colours to put on <body>.
        out[PALETTE_SCRIPT] = (
            '<script>var p=__md_get("__palette");if(p&&p.color)for(var k in p.color)'
            'document.body.setAttribute("data-md-color-"+k,p.color[k])</script>'
        )
    return out


def icons_css(theme_dirs: Iterable[str | Path]) -> str:
    """The style sheet that draws each chrome icon found in ``theme_dirs`` from the theme's SVG."""
    dirs = list(theme_dirs)
    rules = [
        ".mmcat-icon{background-color:currentcolor;"
        "-webkit-mask:var(--mmcat-icon) center/contain no-repeat;"
        "mask:var(--mmcat-icon) center/contain no-repeat}"
    ]
    for name in CHROME_ICONS:
        svg = _icon_svg(dirs, name)
        if svg is not None:
            rules.append(f'.{icon_class(name)}{{--mmcat-icon:url("data:image/svg+xml,{quote(svg, safe=" =:/")}")}}')
    return "\n".join(rules) + "\n"


# The theme's search languages (lunr/min/lunr.<code>.min.js; lunr.stemmer.support and lunr.multi
# are shared) and the word segmenters its search worker loads for Japanese, Hindi and Thai.
_LUNR_LANGUAGE = re.compile(r"lunr\.([a-z]{2}(?:-[a-z]+)?)\.min\.js$")
_SEGMENTERS = {"tinyseg.js": {"ja"}, "wordcut.js": {"hi", "th"}}


def prune_assets(site_dir: Path, search_languages: Iterable[str]) -> list[Path]:
    """Delete from ``site_dir/assets`` what the site never loads: the theme's source maps (and the
    comments that name them) and the search files of languages not in ``search_languages``.
    The deleted paths."""
    keep = set(search_languages)
    assets = site_dir / "assets"
    gone: list[Path] = []
    for path in sorted(assets.rglob("*.map")):
        path.unlink()
        gone.append(path)
        script = path.with_suffix("")
        if script.is_file():
            text = script.read_text(encoding="utf-8")
            stripped = re.sub(r"\n?/[/*]# sourceMappingURL=\S+?(?: \*/)?\s*$", "\n", text)
            if stripped != text:
                script.write_text(stripped, encoding="utf-8")
    lunr = assets / "javascripts" / "lunr"
    for path in sorted(lunr.rglob("*.js")):
        match = _LUNR_LANGUAGE.search(path.name)
        languages = {match.group(1)} if match else _SEGMENTERS.get(path.name)
        if languages is not None and not languages & keep:
            path.unlink()
            gone.append(path)
    return gone
