"""The search index of Material's search plugin, with the same entries, built faster.

Material's search plugin reads every page's HTML with ``html.parser.HTMLParser`` (pure
Python) and segments Chinese text with jieba, page by page: on a large site, one of the
largest steps of ``mkdocs build``. Two changes leave every entry unchanged:

- :class:`FastParser` makes the decisions of Material's ``Parser`` (which text of which
  section is indexed) on plain tag names, and is fed by a regular-expression tokenizer
  instead of ``HTMLParser.goahead``. The tokenizer reads the HTML that Markdown writes:
  tags, comments, text and character references. A page with anything else (``<script>``,
  ``<style>``, CDATA, a stray ``<``) is read by Material's own parser.
- :func:`segment_chinese` segments each run of Han characters once per process: the
  labels and phrases that recur from page to page are looked up, not segmented again.

``tests/test_fastpaths.py`` builds the site with and without these and compares every
file, the search index included.
"""

from __future__ import annotations

import html
import re
from html import escape
from typing import Any

from backrefs import bre
from material.plugins.search import plugin as material_search

from generator.site import fastpaths

_MATERIAL_PARSER = material_search.Parser
# Set to False to build with Material's own code paths (the equality tests do; so does
# MMCAT_LIBRARY_PATHS=fastsearch, see generator/site/fastpaths.py, for scripts/bench_build.py).
ENABLED = fastpaths.enabled("fastsearch")

_NAME = r"[a-zA-Z][^\s/>\x00]*"
_ATTR = re.compile(r"""\s*([^\s"'>/=\x00]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_TAG = re.compile(
    rf"""<({_NAME})((?:\s+[^\s"'>/=\x00]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>"""
)
_END_TAG = re.compile(rf"</({_NAME})\s*>")
_COMMENT = re.compile(r"<!--(?!>|->)(.*?)-->", re.DOTALL)
# What makes HTMLParser change mode or read a tag in its tolerant way: left to it.
_UNSUPPORTED = re.compile(
    r"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)\b|<!\[|<!(?!--)|<\?", re.I
)


class _Fallback(Exception):
    """The page has HTML this tokenizer leaves to HTMLParser."""


_SKIPPED = frozenset(("object", "script", "style"))
_KEEP = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))
_HEADINGS = frozenset(f"h{x}" for x in range(1, 7))


class FastParser:
    """Material's search ``Parser``, step for step, on plain tag names.

    Material's parser keeps ``Element`` objects that compare equal when their tags are equal,
    in a list (the open elements) and a set (the skipped ones), and tests them against each
    other for every piece of text. Here the same decisions are made on tag names and a count
    of the open elements of each tag. Its ``data`` is the same list of ``Section``s.
    """

    def __init__(self) -> None:
        self.skip: set[str] = set(_SKIPPED)
        self.context: list[Any] = []
        self.open: dict[str, int] = {}
        self.section: Any = None
        self.data: list[Any] = []

    def feed(self, data: str) -> None:
        try:
            _tokenize(data, self)
        except _Fallback:
            parser = _MATERIAL_PARSER()
            parser.feed(data)
            parser.close()
            self.data = parser.data

    def close(self) -> None:
        """Nothing is buffered."""

    def _skipping(self) -> bool:
        return any(self.open.get(tag) for tag in self.skip)

    def _start_section(self, el: Any, depth: int = 0) -> Any:
        self.section = material_search.Section(el, depth)
        self.data.append(self.section)
        return self.section

    def _target(self) -> list[str]:
        """The current section's title while inside its heading's tag, else its text."""
        target: list[str] = self.section.title if self.open.get(self.section.el.tag) else self.section.text
        return target

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        el = material_search.Element(tag, attributes)
        if tag in material_search.void:
            return
        self.context.append(el)
        self.open[tag] = self.open.get(tag, 0) + 1
        if tag in _HEADINGS and "id" in attributes:
            depth = len(self.context)
            if tag != "h1" and not self.data:
                self._start_section(material_search.Element("hx"), depth)
            had_sections = bool(self.data)
            section = material_search.Section(el, depth)
            if had_sections:
                section.id = attributes["id"]
            self.section = section
            self.data.append(section)
        if not self.section:
            self._start_section(material_search.Element("hx"))
        for key, value in attributes.items():
            if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                self.skip.add(tag)
                return
        if tag in _KEEP and not self._skipping():
            self._target().append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if not self.context or self.context[-1].tag != tag:
            return
        depth = len(self.context)
        if self.section.depth > depth:
            for section in reversed(self.data):
                if section.depth <= depth:
                    self.section.depth = float("inf")
                    self.section = section
                    break
        self.context.pop()
        self.open[tag] -= 1
        if tag in self.skip:
            if tag not in _SKIPPED:
                self.skip.remove(tag)
            return
        if tag in _KEEP and not self._skipping():
            data = self._target()
            index = data.index(f"<{tag}>")
            for i in range(index + 1, len(data)):
                if not data[i].isspace():
                    index = len(data)
                    break
            if len(data) > index:
                del data[index:]
            else:
                data.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._skipping():
            return
        in_pre = bool(self.open.get("pre"))
        if not in_pre:
            data = data.replace("\n", " ") if not data.isspace() else " "
        if not self.section:
            self._start_section(material_search.Element("hx"))
        section = self.section
        if self.open.get(section.el.tag):
            if not any(el.tag == "a" and el.attrs.get("class") == "headerlink" for el in self.context):
                section.title.append(escape(data, quote=False))
        elif data.isspace():
            if not section.text or not section.text[-1].isspace() or in_pre:
                section.text.append(data)
        else:
            section.text.append(escape(data, quote=False))


def _tokenize(data: str, parser: FastParser) -> None:
    """Call ``parser``'s handlers as HTMLParser would for ``data``; raise _Fallback if unsure."""
    if _UNSUPPORTED.search(data):
        raise _Fallback
    start, end_tag, text = parser.handle_starttag, parser.handle_endtag, parser.handle_data
    pos, end = 0, len(data)
    while pos < end:
        lt = data.find("<", pos)
        if lt < 0:
            lt = end
        if lt > pos:
            text(html.unescape(data[pos:lt]))
        if lt == end:
            break
        if (m := _TAG.match(data, lt)) is not None:
            tag = m.group(1).lower()
            attrs = [
                (name.lower(), None if not value else html.unescape(_unquote(value)))
                for name, value in _ATTR.findall(m.group(2))
            ]
            start(tag, attrs)
            if m.group(3):
                end_tag(tag)
        elif (m := _END_TAG.match(data, lt)) is not None:
            end_tag(m.group(1).lower())
        elif (m := _COMMENT.match(data, lt)) is None:
            raise _Fallback
        pos = m.end()


def _unquote(value: str) -> str:
    if value[:1] == value[-1:] and value[:1] in ("'", '"') and len(value) > 1:
        return value[1:-1]
    return value


_HAN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)


def segment_chinese(data: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 (the cache is the point)
    """Material's ``SearchIndex._segment_chinese``, with each Han run segmented once."""
    import jieba

    def replace(match: Any) -> str:
        value = str(match.group(0))
        found = cache.get(value)
        if found is None:
            found = cache[value] = "\u200b" + "\u200b".join(jieba.cut(value.encode("utf-8"))) + "\u200b"
        return found

    return str(_HAN.sub(replace, data)).strip("\u200b")


def install(index: Any) -> None:
    """Use the fast parser and the segmentation cache for ``index`` (Material's ``SearchIndex``),
    or Material's own when :data:`ENABLED` is False."""
    material_search.Parser = FastParser if ENABLED else _MATERIAL_PARSER
    if ENABLED and material_search.jieba is not None:
        index._segment_chinese = segment_chinese
