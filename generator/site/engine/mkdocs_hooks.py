"""MkDocs hooks of the site build (passed to MkDocs by ``generator.site.engine.build``, not named in mkdocs.yml).

Passing them from the code keeps them working for ``mmcat build`` and
``mmcat serve`` of any project folder.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.plugins import event_priority

if TYPE_CHECKING:
    from generator.site.engine.chrome import SharedChrome

HOOKS_FILE = Path(__file__)

_HREFLANG_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')
# The theme's generator tag: the versions of MkDocs and the theme, on every page (the footer
# names the theme; mmcat's own stamp is build/site-stamp.json).
_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">\s*')


def on_config(config: Any) -> Any:
    """Keep every language's search entries: each language gets its own index (see
    :func:`split_search_index`), so mkdocs-static-i18n's removal of "duplicates" (a Chinese
    page's entry equal to the English one, which left Chinese pages without a page entry)
    has nothing to do. The usage code is highlighted without the spans that draw nothing
    (:mod:`generator.site.engine.highlight`)."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and hasattr(i18n, "reconfigure_search_duplicates"):
        i18n.reconfigure_search_duplicates = lambda entries: None
    from generator.site.engine.chrome import ICONS_CSS
    from generator.site.engine.highlight import highlight_options

    if ICONS_CSS not in config.extra_css:
        config.extra_css.append(ICONS_CSS)
    if "pymdownx.highlight" in config.markdown_extensions:
        config.mdx_configs["pymdownx.highlight"] = highlight_options(config.mdx_configs.get("pymdownx.highlight"))
    return config


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates for the life of the process (see ``TEMPLATES``), and
    put the chrome's icons and palette script on the site once instead of on every page
    (:func:`generator.site.engine.chrome.chrome_templates`)."""
    from jinja2 import ChoiceLoader, DictLoader

    from generator.site.engine.chrome import chrome_templates
    from generator.site.engine.template_cache import TEMPLATES

    env.bytecode_cache = TEMPLATES
    replaced = chrome_templates(config.theme.dirs, config.theme["palette"], bool(config.extra.get("scope")))
    env.loader = ChoiceLoader([DictLoader(replaced), env.loader])
    return env


# Sections left out of the search index (keys of generator/site/ui.yaml), by page. A model page
# is indexed by its title and its first section: the summary and the table of facts (name,
# organisation, series, category, modalities, licence...), in the page's language. Its other
# sections are alike from page to page (dims, memory, usage code, Hub metadata, results, checks,
# links, sources): indexed, they were most of each language's index (8 of 13 MB at 1,393 models),
# a search for "memory" or "AutoModel" listed every model, and the Chinese ones were most of
# jieba's work. On the home page the table of all models (one huge section that matched almost
# any search; each model's own page is indexed). The pages themselves keep these sections.
MODEL_SECTIONS_UNINDEXED = (
    "outputs",
    "memory",
    "snippet.heading",
    "hub_metadata",
    "reported_results",
    "checks",
    "links",
    "sources",
)
UNINDEXED_SECTIONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"^(?:[a-z]{2}/)?models/"), MODEL_SECTIONS_UNINDEXED),
    (re.compile(r"^(?:[a-z]{2}/)?index\.md$"), ("all_models",)),
)
# Rows of a model page's table of facts left out of its search entry (keys of ui.yaml): figures
# and build details no one searches by (the parameter count and its note, the pinned revision,
# the loader, the badge), which were a third of a model's entry. Name, organisation, series,
# category, modalities, licence, release and Hub id stay searchable.
MODEL_ROWS_UNINDEXED = ("parameters", "revision", "loader", "status")
_ROW = re.compile(r"<tr>\s*<td>([^<]*)</td>.*?</tr>\s*", re.S)
# Pages indexed without their tables: a leaderboard's tables rank models that each have a page
# of their own (the tables were 1 MB of each language's index); headings and text stay.
UNINDEXED_TABLES = re.compile(r"^(?:[a-z]{2}/)?leaderboards/(?!index\.md$)")
_TABLE = re.compile(r"<table>.*?</table>", re.S)


def on_pre_build(config: Any) -> None:
    """Index pages without their :data:`UNINDEXED_SECTIONS` (and :data:`UNINDEXED_TABLES`), and
    start the pass's table of shared chrome parts afresh."""
    _SHARED.pop(_language(config), None)
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    if index is None:
        return
    from generator.site.i18n import LANGS, UI

    titles = [(page, {UI[lang][key] for lang in LANGS for key in keys}) for page, keys in UNINDEXED_SECTIONS]
    rows = {UI[lang][key] for lang in LANGS for key in MODEL_ROWS_UNINDEXED}
    add = index.add_entry_from_context

    def add_searchable(page: Any) -> None:
        full = page.content
        left_out = next((t for pattern, t in titles if pattern.match(page.file.src_uri)), None)
        if left_out:
            page.content = searchable_html(
                full, [item.id for item in _toc(page.toc) if item.title in left_out]
            )
        if UNINDEXED_SECTIONS[0][0].match(page.file.src_uri):
            page.content = _ROW.sub(lambda m: "" if m.group(1) in rows else m.group(0), page.content)
        if UNINDEXED_TABLES.match(page.file.src_uri):
            page.content = _TABLE.sub("", page.content)
        try:
            add(page)
        finally:
            page.content = full

    index.add_entry_from_context = add_searchable


def _toc(items: Any) -> Any:
    for item in items:
        yield item
        yield from _toc(item.children)


def searchable_html(html: str, section_ids: list[str]) -> str:
    """``html`` without the sections (a heading and what follows it, up to the next heading of
    the same or a higher level) whose heading has one of ``section_ids``."""
    for section_id in section_ids:
        start = re.search(rf'<h([1-6]) id="{re.escape(section_id)}"', html)
        if start is None:
            continue
        level = int(start.group(1))
        end = re.compile(rf"<h[1-{level}][\s>]").search(html, start.end())
        html = html[: start.start()] + (html[end.start() :] if end else "")
    return html


def _language(config: Any) -> str:
    """The language this pass of the build renders (mkdocs-static-i18n's current one)."""
    from generator.site.i18n import LANGS

    i18n = config.plugins.get("i18n")
    return str(getattr(i18n, "current_language", None) or LANGS[0])


_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def language_root_base(output: str, language: str) -> str:
    """Point the theme's ``base`` (``__config``) of a page of a translated ``language`` at the
    language's root (``zh/``) instead of the site's.

    Material finds the search index at ``<base>/search/`` and resolves the results' locations
    against ``base``: the Chinese pages then search the Chinese index (:func:`split_search_index`),
    whose locations are relative to ``zh/``.
    """
    from generator.site.i18n import LANGS

    if language == LANGS[0]:
        return output
    return _CONFIG_BASE.sub(
        lambda m: m.group(1) + m.group(2).rstrip("/") + f"/{language}/" + m.group(3), output, 1
    )


# Each language's table of the chrome parts its pages share (generator.site.engine.chrome), filled
# by on_post_page during the language's pass and written by on_post_build.
_SHARED: dict[str, SharedChrome] = {}


def _shared_chrome(language: str) -> SharedChrome:
    from generator.site.engine.chrome import SharedChrome

    if language not in _SHARED:
        _SHARED[language] = SharedChrome(language)
    return _SHARED[language]


def write_shared_chrome(site_dir: Path, language: str) -> None:
    """Write ``language``'s script of shared chrome parts into ``site_dir``, with the parts of
    the script already there (a build of the changed pages only keeps those of the others)."""
    from generator.site.engine.chrome import SHARED_SCRIPT, read_shared_parts

    shared = _SHARED.pop(language, None)
    if shared is None:
        return
    path = site_dir / SHARED_SCRIPT.format(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(shared.script(read_shared_parts(path)), encoding="utf-8")


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Leave out the ``<link rel="alternate" hreflang>`` tags of a page, give a translated
    page its language's root as ``base`` (:func:`language_root_base`), and cut out the chrome
    parts that every page shares (:class:`generator.site.engine.chrome.SharedChrome`).

    Material's language switcher fetches ``sitemap.xml`` next to each of these
    links. mkdocs-static-i18n points them at the same page in each language, so
    every page below a language root logged a 404 for a sitemap that does not
    exist there (and, opened from the file system, a blocked request). The
    switcher's own links already lead to the same page in the other language.
    """
    language = _language(config)
    html = _GENERATOR.sub("", _HREFLANG_LINK.sub("", output), 1)
    html = name_search_dialog(language_root_base(html, language), language)
    return _shared_chrome(language).share(compact_html(html), posixpath.dirname(page.file.dest_uri))


# Elements whose white space is shown as it is (or is code): left as they are.
_VERBATIM = re.compile(r"(<(pre|textarea|script|style|code)\b.*?</\2>)", re.S | re.I)
_BLANKS = re.compile(r"[ \t]*\n\s*")
# A line break between two tags of a table's own structure: never shown (a table lays out its
# rows and cells, and the phone's card layout of the home table makes them blocks or flex items).
_TABLE_TAG = r"</?(?:table|thead|tbody|tfoot|tr|th|td)\b[^>]*>"
_TABLE_GAP = re.compile(rf"({_TABLE_TAG})\n(?={_TABLE_TAG})")
# A comment: the note atop each generated page's Markdown ("edit the YAML, not this file") is for
# whoever opens build/docs/, not for a reader of the HTML.
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def compact_html(html: str) -> str:
    """``html`` with each run of white space that holds a line break made one line break, outside
    ``pre``, ``textarea``, ``script``, ``style`` and ``code`` elements.

    The theme's templates indent every line and leave the lines of their template tags blank
    (about a third of a model page); a browser shows any run of white space between words as one
    space, and none between block elements, so the page reads and lays out the same. A line
    break between two tags of a table's structure (``<tr>``, ``<td>``...) is left out, and so are
    comments.
    """
    parts = _VERBATIM.split(html)
    # split() returns text, then each match's two groups (the element, its tag name), and so on.
    out = []
    for k in range(0, len(parts), 3):
        out.append(_TABLE_GAP.sub(r"\1", _BLANKS.sub("\n", _COMMENT.sub("", parts[k]))))
        if k + 1 < len(parts):
            out.append(parts[k + 1])
    return "".join(out)


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def name_search_dialog(output: str, language: str) -> str:
    """Give the theme's search dialog an accessible name (a dialog without one is announced as
    just "dialog"; axe-core reports it as a serious violation)."""
    from markupsafe import escape

    from generator.site.i18n import UI

    label = escape(UI[language]["search.dialog"])
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{label}">', 1)


_NOT_FOUND_HEADING = "<h1>404 - Not found</h1>"  # the theme's, in English whatever the language


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """Write a translated language's ``404.html`` into its own folder (``zh/404.html``).

    Each language's pass renders the theme's 404 page to the site root, and the last one
    built was kept: English visitors got the Chinese page. An empty result tells MkDocs not to
    write the root one, which stays the default language's. The page's heading is in its language.
    """
    from markupsafe import escape

    from generator.site.i18n import LANGS, UI

    language = _language(config)
    if template_name != "404.html":
        return output
    output = output.replace(_NOT_FOUND_HEADING, f"<h1>{escape(UI[language]['not_found'])}</h1>", 1)
    if language == LANGS[0]:
        return compact_html(name_search_dialog(_HREFLANG_LINK.sub("", output), language))
    target = Path(config.site_dir) / language / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    page = language_root_base(_HREFLANG_LINK.sub("", output), language)
    target.write_text(compact_html(name_search_dialog(page, language)), encoding="utf-8")
    return ""


def split_search_index(site_dir: Path, languages: list[str]) -> None:
    """Give each translated language its own search index, written once, as a script.

    ``site_dir/search/search_index.json`` (Material's) holds every language's entries; the
    entries below ``<lang>/`` move to ``site_dir/<lang>/search/`` with locations relative to
    that folder (the translated pages' ``base``, see :func:`language_root_base`), so an English
    search returns English pages only and a Chinese one Chinese pages. Each index is written
    once, as ``search_index.js`` (``var __index = ...``), which the theme loads from the file
    system; its bundle is made to load that script over HTTP too (:func:`load_index_as_script`),
    so no ``search_index.json`` copy is shipped. The search worker's segmentation of Chinese
    queries is fixed (:func:`fix_search_worker`).
    """
    import json

    index_path = site_dir / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    docs = index["docs"]
    separator = index.get("config", {}).get("separator")
    if isinstance(separator, str):
        docs = drop_redundant_breaks(docs, separator)
    as_json = not load_index_as_script(site_dir)  # a bundle not patched fetches the JSON over HTTP
    for language in languages[1:]:
        prefix = f"{language}/"
        own = [
            dict(doc, location=doc["location"][len(prefix) :])
            for doc in docs
            if doc["location"].startswith(prefix)
        ]
        docs = [doc for doc in docs if not doc["location"].startswith(prefix)]
        if own:
            _write_index(site_dir / language / "search", dict(index, docs=own), as_json)
    _write_index(site_dir / "search", dict(index, docs=docs), as_json)
    fix_search_worker(site_dir)


_BREAK = "\u200b"
_BREAKS = re.compile("\u200b+")


def drop_redundant_breaks(docs: list[dict[str, Any]], separator: str) -> list[dict[str, Any]]:
    """``docs`` without the U+200B word breaks that change no token: one next to another character of
    the index's ``separator`` (a space, or the Chinese punctuation mkdocs.yml lists) or at either end.

    Material's search plugin puts a break on both sides of every run of Han characters, so a
    full stop between two runs was written with a 3-byte break on each side (a 1,000-model
    Chinese index held 127,910 such breaks, 384 kB). The worker splits text on runs of
    ``separator``: a break next to another separator character lies in the same run, so the tokens
    are the same without it.
    """
    sep = re.compile(separator)

    def compact(text: str) -> str:
        if _BREAK not in text:
            return text
        text = _BREAKS.sub(_BREAK, text).strip(_BREAK)  # now no break is at an end or next to a break

        def drop(match: re.Match[str]) -> str:
            i = match.start()
            return "" if sep.fullmatch(text[i - 1]) or sep.fullmatch(text[i + 1]) else _BREAK

        return _BREAKS.sub(drop, text)

    return [
        {**doc, **{key: compact(doc[key]) for key in ("title", "text") if isinstance(doc.get(key), str)}}
        for doc in docs
    ]


INDEX_SCRIPT_PREFIX = "var __index = "


def read_search_index(folder: Path) -> dict[str, Any]:
    """The search index of the language whose root is ``folder`` (its ``search/search_index.js``)."""
    import json

    text = (folder / "search" / "search_index.js").read_text(encoding="utf-8")
    if not text.startswith(INDEX_SCRIPT_PREFIX):
        raise ValueError(f"{folder}/search/search_index.js: not an index script")
    index: dict[str, Any] = json.loads(text[len(INDEX_SCRIPT_PREFIX) :])
    return index


# Material's bundle loads the search index as a script (search_index.js) from the file system and
# fetches search_index.json over HTTP: ``location.protocol==="file:"?<load script>:<fetch>``.
# With the condition always true one copy, the script, serves both.
_INDEX_LOADER = re.compile(r'location\.protocol==="file:"\?(?=\w+\(`\$\{new URL\("search/search_index\.js")')
_INDEX_LOADER_FIXED = re.compile(r'!0\?\w+\(`\$\{new URL\("search/search_index\.js"')


def load_index_as_script(site_dir: Path) -> bool:
    """Make the theme's bundle load ``search/search_index.js`` whatever the protocol; True when
    the site's bundles all do so (already patched ones included)."""
    from generator.atomic import write_text_atomic

    bundles = sorted((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    for bundle in bundles:
        text = bundle.read_text(encoding="utf-8")
        patched = _INDEX_LOADER.sub("!0?", text, 1)
        if patched != text:
            write_text_atomic(bundle, patched)
        elif not _INDEX_LOADER_FIXED.search(text):
            return False
    return bool(bundles)


# Material's search worker segments a Chinese query greedily into the words of the index, but
# its loop never tries the whole run of Han characters (``j < length``): "中文" was searched as
# "中" (every word starting with 中 matched and was highlighted). The fix: ``j <= length``.
_SEGMENT_LOOP = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
_SEGMENT_LOOP_FIXED = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


def fix_search_worker(site_dir: Path) -> list[Path]:
    """Fix Material's segmentation of Chinese queries in the site's search worker (see
    ``_SEGMENT_LOOP``); the workers that hold the fixed loop (already fixed ones included)."""
    fixed = []
    for worker in sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")):
        text = worker.read_text(encoding="utf-8")
        if _SEGMENT_LOOP in text:
            from generator.atomic import write_text_atomic

            write_text_atomic(worker, text.replace(_SEGMENT_LOOP, _SEGMENT_LOOP_FIXED, 1))
        if _SEGMENT_LOOP_FIXED in text.replace(_SEGMENT_LOOP, _SEGMENT_LOOP_FIXED, 1):
            fixed.append(worker)
    return fixed


def _write_index(folder: Path, index: dict[str, Any], as_json: bool = False) -> None:
    import json

    from generator.atomic import write_text_atomic

    folder.mkdir(parents=True, exist_ok=True)
    # UTF-8 as it is, not \\u escapes: the Chinese index is a third smaller.
    text = json.dumps(index, separators=(",", ":"), default=str, ensure_ascii=False)
    write_text_atomic(folder / "search_index.js", INDEX_SCRIPT_PREFIX + text)
    if as_json:
        write_text_atomic(folder / "search_index.json", text)
    else:
        (folder / "search_index.json").unlink(missing_ok=True)


@event_priority(-200)  # after mkdocs-static-i18n (-100) has merged every language's index
def on_post_build(config: Any) -> None:
    """Split the final, all-language search index into one per language (:func:`split_search_index`).

    Material's offline plugin writes ``search/search_index.js`` at its own post-build step,
    which runs before mkdocs-static-i18n merges the languages' indexes; this runs last, once
    the plugin's passes of the other languages are done (``building`` is set during them).
    """
    from generator.site.engine.chrome import BASE_JS, ICONS_CSS, base_script, icons_css, prune_assets
    from generator.site.i18n import LANGS

    site = Path(config.site_dir)
    for language in list(_SHARED):  # the pass's language (and any pass run inside this one)
        write_shared_chrome(site, language)
    (site / ICONS_CSS).parent.mkdir(parents=True, exist_ok=True)
    (site / ICONS_CSS).write_text(icons_css(config.theme.dirs), encoding="utf-8")
    base = base_script(config.theme.dirs)
    if base is not None and not config.extra.get("scope"):
        (site / BASE_JS).write_text(base, encoding="utf-8")
    search = config.plugins.get("material/search") or config.plugins.get("search")
    prune_assets(site, {*LANGS, *(getattr(search, "config", {}).get("lang") or [])})
    if not config.site_url:
        # Without site_url MkDocs writes every <loc> as "None<page>": a sitemap no crawler can use.
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site / name).unlink(missing_ok=True)
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return
    languages = list(getattr(i18n, "build_languages", None) or []) if i18n is not None else []
    split_search_index(Path(config.site_dir), languages or [_language(config)])
