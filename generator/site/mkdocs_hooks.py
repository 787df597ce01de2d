"""MkDocs hooks of the site build (passed to MkDocs by ``generator.site.build``, not named in mkdocs.yml).

Passing them from the code keeps them working for ``mmcat build`` and
``mmcat serve`` of any project folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

HOOKS_FILE = Path(__file__)

_HREFLANG_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')


def on_config(config: Any) -> Any:
    """Give mkdocs-static-i18n a linear search-index deduplication (see ``dedupe_search_entries``)."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and hasattr(i18n, "reconfigure_search_duplicates"):
        i18n.reconfigure_search_duplicates = lambda entries: dedupe_search_entries(
            entries, [f"{lang}/" for lang in i18n.build_languages]
        )
    return config


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates for the life of the process (see ``TEMPLATES``)."""
    from generator.site.mkdocs_build import TEMPLATES

    env.bytecode_cache = TEMPLATES
    return env


# Sections left out of the search index (keys of generator/site/ui.yaml), by page: on model
# pages the list of sources (long and alike from page to page, once the largest part of the
# Chinese index and of its segmentation by jieba) and the usage code (the same boilerplate
# on every page: a search for "AutoModel" would list every model); on the home page the table
# of all models (one huge section that matched almost any search; each model's own page is
# indexed). The pages themselves keep these sections.
UNINDEXED_SECTIONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"^(?:[a-z]{2}/)?models/"), ("sources", "snippet.heading")),
    (re.compile(r"^(?:[a-z]{2}/)?index\.md$"), ("all_models",)),
)


def on_pre_build(config: Any) -> None:
    """Index pages without their :data:`UNINDEXED_SECTIONS`, with the fast parser of
    :mod:`generator.site.fastsearch`."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    if index is None:
        return
    from generator.site import fastsearch
    from generator.site.i18n import LANGS, UI

    fastsearch.install(index)
    titles = [(page, {UI[lang][key] for lang in LANGS for key in keys}) for page, keys in UNINDEXED_SECTIONS]
    add = index.add_entry_from_context

    def add_searchable(page: Any) -> None:
        full = page.content
        left_out = next((t for pattern, t in titles if pattern.match(page.file.src_uri)), None)
        if left_out:
            page.content = searchable_html(full, [item.id for item in _toc(page.toc) if item.title in left_out])
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


def dedupe_search_entries(entries: list[dict[str, Any]], prefixes: list[str]) -> None:
    """Drop translated search entries equal to a default-language one, in place.

    Same rule as mkdocs-static-i18n's own step (an entry under ``zh/`` whose
    title and text equal those of a default-language entry whose location it
    ends with), which compares every pair of entries: O(N^2), a large part of a
    1,000-model build. Grouping the default entries by (title, text) makes it linear.
    """
    start = tuple(prefixes)
    defaults: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        if not entry["location"].startswith(start):
            defaults.setdefault((entry["title"], entry["text"]), []).append(entry["location"])
    drop = set()
    for i, entry in enumerate(entries):
        if entry["location"].startswith(start):
            locations = defaults.get((entry["title"], entry["text"]), [])
            if any(entry["location"].endswith(loc) for loc in locations):
                drop.add(i)
    entries[:] = [entry for i, entry in enumerate(entries) if i not in drop]


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Leave out the ``<link rel="alternate" hreflang>`` tags of a page.

    Material's language switcher fetches ``sitemap.xml`` next to each of these
    links. mkdocs-static-i18n points them at the same page in each language, so
    every page below a language root logged a 404 for a sitemap that does not
    exist there (and, opened from the file system, a blocked request). The
    switcher's own links already lead to the same page in the other language.
    """
    return _HREFLANG_LINK.sub("", output)


@event_priority(-200)  # after mkdocs-static-i18n (-100) has merged every language's index
def on_post_build(config: Any) -> None:
    """Inline the final, all-language search index for pages opened from the file system.

    Material's offline plugin writes ``search/search_index.js`` at its own
    post-build step, which runs before mkdocs-static-i18n merges the languages'
    indexes: the inlined index held one language only. Rewrite it last.
    """
    search = Path(config.site_dir) / "search"
    index, script = search / "search_index.json", search / "search_index.js"
    if index.is_file() and script.is_file():
        script.write_text("var __index = " + index.read_text(encoding="utf-8"), encoding="utf-8")
