"""MkDocs hooks of the site build (passed to MkDocs by ``generator.site``, not named in mkdocs.yml).

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
