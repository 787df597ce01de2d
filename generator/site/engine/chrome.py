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

import hashlib
import json
import posixpath
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
# The theme's first script (its storage helpers, __md_get...), loaded from one file instead of
# written into every page's head: the only value of the page in it, the site's root
# ("__md_scope"), is where the script itself lies, one folder up.
BASE_SCRIPT = "partials/javascripts/base.html"
BASE_JS = "assets/mmcat-base.js"
_SCOPE = re.compile(r'^\s*(?:\{#-.*?-#\}\s*)?<script>__md_scope=new URL\("\{\{ config\.extra\.scope \| d\(base_url\) \}\}",location\),(.*)</script>\s*$', re.S)

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


def base_script(theme_dirs: Iterable[str | Path]) -> str | None:
    """The text of ``assets/mmcat-base.js``: the theme's first script, whose site root is found
    from the script's own address; None when the theme's template is not the one we know."""
    for folder in theme_dirs:
        path = Path(folder) / BASE_SCRIPT
        if path.is_file():
            match = _SCOPE.match(path.read_text(encoding="utf-8"))
            if match is None or "{{" in match.group(1) or "{%" in match.group(1):
                return None
            return f'__md_scope=new URL("..",document.currentScript.src),{match.group(1)}\n'
    return None


def chrome_templates(theme_dirs: Iterable[str | Path], palette: object, scoped: bool = False) -> dict[str, str]:
    """Template name -> text of the templates that replace the theme's chrome icons (each one
    found in ``theme_dirs``), when no ``palette`` option has a ``media`` query its script, and
    unless ``scoped`` (mkdocs.yml sets ``extra.scope``) its first script (:func:`base_script`)."""
    dirs = list(theme_dirs)
    if not scoped and base_script(dirs) is not None:
        out_base = {BASE_SCRIPT: f"<script src=\"{{{{ '{BASE_JS}' | url }}}}\"></script>"}
    else:
        out_base = {}
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
    return out | out_base


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


# --- The parts of each page's chrome that scripts use or build on, written once per language ---
#
# The theme writes into every page its search dialog and palette toggles (of no use without
# JavaScript), its navigation drawer and table of contents (the same on most pages) and its
# ``__config`` (the same but for the page's depth): a third of a model page. :class:`SharedChrome`
# cuts each of them out of a page into a table of the parts seen (one entry per distinct part,
# with links made relative to the site's root) and leaves a placeholder; the page's one script
# from ``assets/mmcat-chrome-<language>.js`` puts each part back with links relative to the page,
# before the theme's bundle starts. Without JavaScript the page has no drawer: the style sheet
# shows the tabs at every width instead (``assets/mmcat.css``).

SHARED_SCRIPT = "assets/mmcat-chrome-{}.js"

# (kind, the element's opening text, its tag): the parts cut out of a page, in page order.
SHARED_PARTS = (
    ("palette", '<form class="md-header__option" data-md-component="palette">', "form"),
    ("search", '<div class="md-search" data-md-component="search"', "div"),
    ("nav", '<div class="md-sidebar md-sidebar--primary"', "div"),
    ("toc", '<div class="md-sidebar md-sidebar--secondary"', "div"),
    ("top", '<button type="button" class="md-top md-icon" data-md-component="top" hidden>', "button"),
    ("dialog", '<div class="md-dialog" data-md-component="dialog">', "div"),
)
# The parts after the content (shown by the theme's script only): put back by a second call of
# the language's script, just before the theme's bundle.
LATE_PARTS = ("top", "dialog")
LATE_CALL = "<script>mmcatChrome()</script>"
_CONFIG = re.compile(r'<script id="__config" type="application/json">([^<]*)</script>')
# A link that is relative to the page: not "#...", "/..." or "scheme:...".
_RELATIVE_LINK = re.compile(r' (href|src)="(?![#/]|[a-zA-Z][a-zA-Z0-9+.-]*:)([^"]*)"')
_PARTS_LINE = "var parts = "

# The script that puts the parts back (the table of parts goes on the line that starts with
# _PARTS_LINE). A part's links and the config's base and search worker are relative to the
# site's root: the page's script element's own src gives the way there.
_SCRIPT = """/* Generated by mmcat (generator/site/engine/chrome.py): the parts of the theme's chrome
   every page shares, put back into the page in place of its placeholders. */
(function () {
%s%s;
  var me = document.currentScript;
  var root = me.getAttribute("src").replace(/assets\\/mmcat-chrome-[a-z-]+\\.js$/, "");
  function rooted(html) {
    return html.replace(/ (href|src)="(?![#\\/]|[a-zA-Z][a-zA-Z0-9+.-]*:)/g, function (m, name) {
      return " " + name + '="' + root;
    });
  }
  window.mmcatChrome = function () {
    document.querySelectorAll("[data-mmcat-chrome]").forEach(function (el) {
      var html = parts[el.getAttribute("data-mmcat-chrome")];
      if (html !== undefined) el.outerHTML = rooted(html);
    });
  };
  window.mmcatChrome();
  var key = me.getAttribute("data-config");
  if (key && parts[key] !== undefined) {
    var config = JSON.parse(parts[key]);
    var base = root.replace(/\\/$/, "") || ".";
    config.base = config.base ? base + "/" + config.base + "/" : base;
    config.search = root + config.search;
    var el = document.createElement("script");
    el.id = "__config";
    el.type = "application/json";
    el.textContent = JSON.stringify(config);
    me.parentNode.insertBefore(el, me.nextSibling);
  }
})();
"""


def _element_end(html: str, start: int, tag: str) -> int | None:
    """The index just after the end tag of the ``tag`` element that opens at ``start``."""
    depth = 0
    for match in re.compile(rf"<(/?){tag}\b[^>]*>").finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return None


def _root_of(page_dir: str) -> str:
    """The way from a page in ``page_dir`` (``zh/models/x``, "" at the root) to the site's root."""
    return "../" * len([p for p in page_dir.split("/") if p])


def _from_root(link: str, page_dir: str) -> str | None:
    """``link`` (relative to a page in ``page_dir``) relative to the site's root; None if it
    leads out of the site."""
    path, mark, rest = link.partition("#")
    resolved = posixpath.normpath(posixpath.join(page_dir, path)) if path else ""
    if resolved == ".." or resolved.startswith("../"):
        return None
    if resolved == ".":
        resolved = "./"
    elif path.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    return resolved + mark + rest


def _key(kind: str, text: str) -> str:
    return kind + "-" + hashlib.blake2s(text.encode("utf-8"), digest_size=5).hexdigest()


class SharedChrome:
    """One language's table of shared chrome parts (key -> text), filled page by page."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.parts: dict[str, str] = {}

    def _part(self, kind: str, html: str, page_dir: str) -> tuple[str, str] | None:
        """(key, text) of a part with its links made relative to the site's root; None if one
        of them leads out of the site."""
        out: list[str] = []
        last = 0
        for match in _RELATIVE_LINK.finditer(html):
            link = _from_root(match.group(2), page_dir)
            if link is None:
                return None
            out += [html[last : match.start()], f' {match.group(1)}="{link}"']
            last = match.end()
        text = "".join(out) + html[last:]
        return _key(kind, text), text

    def _config(self, text: str, page_dir: str) -> tuple[str, str] | None:
        """(key, text) of the page's ``__config`` made relative to the site's root, or None when
        the script would not give back the same base and search worker."""
        try:
            config = json.loads(text)
        except ValueError:
            return None
        root = _root_of(page_dir)
        base, search = config.get("base"), config.get("search")
        if not (isinstance(base, str) and isinstance(search, str) and search.startswith(root)):
            return None
        own = posixpath.normpath(posixpath.join(page_dir, base))
        own = "" if own == "." else own
        as_script = (root.rstrip("/") or ".") + (f"/{own}/" if own else "")
        if as_script != base or own.startswith(".."):
            return None
        config["base"], config["search"] = own, search[len(root) :]
        text = json.dumps(config, ensure_ascii=False, sort_keys=True)
        return _key("config", text), text

    def share(self, html: str, page_dir: str) -> str:
        """``html`` (a page in ``page_dir``, relative to the site's root) with its shared parts
        cut out into this table, and the script that puts them back: after the last part before
        the content, and called again after the last of those after it (:data:`LATE_PARTS`).
        A page without a part before the content is left as it is."""
        cuts: list[tuple[int, int, str, str, str]] = []  # start, end, kind, key, text
        last = 0
        for kind, opening, tag in SHARED_PARTS:
            start = html.find(opening, last)
            end = _element_end(html, start, tag) if start >= 0 else None
            part = self._part(kind, html[start:end], page_dir) if end is not None else None
            if end is None or part is None:
                continue
            cuts.append((start, end, kind, *part))
            last = end
        early = [i for i, cut in enumerate(cuts) if cut[2] not in LATE_PARTS]
        if not early:
            return html
        match = _CONFIG.search(html, last)
        config = self._config(match.group(1), page_dir) if match else None
        tag = self._tag(page_dir, config[0] if config else None)
        out: list[str] = []
        at = 0
        for i, (start, end, kind, key, text) in enumerate(cuts):
            self.parts[key] = text
            out += [html[at:start], f'<div data-mmcat-chrome="{key}"></div>']
            if i == early[-1]:
                out.append(tag)
            elif i == len(cuts) - 1:
                out.append(LATE_CALL)
            at = end
        if match is not None and config is not None:
            self.parts[config[0]] = config[1]
            out += [html[at : match.start()]]
            at = match.end()
        return "".join(out) + html[at:]

    def _tag(self, page_dir: str, config_key: str | None) -> str:
        src = _root_of(page_dir) + SHARED_SCRIPT.format(self.language)
        data = f' data-config="{config_key}"' if config_key else ""
        return f'<script src="{src}"{data}></script>'

    def script(self, earlier: dict[str, str] | None = None) -> str:
        """The text of the language's script: the parts of this table and of ``earlier`` (the
        table of the script already on the site, for a build of the changed pages only)."""
        parts = dict(earlier or {}, **self.parts)
        table = json.dumps(dict(sorted(parts.items())), ensure_ascii=False, separators=(",", ":"))
        return _SCRIPT % (_PARTS_LINE, table)


def read_shared_parts(path: Path) -> dict[str, str]:
    """The table of parts of the script at ``path`` (empty if there is none, or it is not ours)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    for line in lines:
        if line.startswith(_PARTS_LINE):
            try:
                table = json.loads(line[len(_PARTS_LINE) :].rstrip(";"))
            except ValueError:
                return {}
            if isinstance(table, dict) and all(isinstance(v, str) for v in table.values()):
                return {str(k): v for k, v in table.items()}
    return {}
