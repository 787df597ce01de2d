"""A Markdown extension: the inline Markdown of cells, list items, paragraphs and headings, fast.

Python-Markdown converts inline Markdown by running each of its inline patterns over every
piece of text, one pattern after another: on the site's model pages (tables of facts,
lists of sources) that was the largest step of ``mkdocs build``. The pages are generated, and
their cells and list items use a small part of the syntax: plain text, backslash escapes,
entities, code spans, ``[label](url)`` links and inline HTML tags (the badges). This
extension's tree processor runs just before Python-Markdown's inline processor and converts
the text of table cells, list items, paragraphs and headings that use only that part, building the same
element tree the inline processor would, and marks it done (``AtomicString``). Any other
text is left to the inline processor, as is everything when the Markdown instance has inline
patterns or escapes this module does not know.

The result is byte-identical to Python-Markdown's own: ``tests/test_fastpaths.py`` compares
both on every page of the site and on generated combinations of the syntax.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString, code_escape

from generator.site import fastpaths

# The inline patterns of Python-Markdown 3 with no extension adding any: with another set the
# text could mean something this module does not convert, so it steps aside.
KNOWN_PATTERNS = frozenset(
    (
        "backtick escape reference link image_link image_reference short_reference short_image_ref "
        "autolink automail linebreak html entity not_strong em_strong em_strong2"
    ).split()
)
TAGS = frozenset(("td", "th", "li", "p", "h1", "h2", "h3", "h4", "h5", "h6"))

# Plain text: no character that starts any other inline syntax (`*` `_` emphasis, `!` images,
# STX/ETX placeholders); line breaks (two spaces before a newline) are refused before. An
# attribute list (`{: .x }`) stays text, as the inline processor leaves it, for attr_list.
_PLAIN = re.compile(r"[^\\`\[\]<>*_!\x02\x03]+")
_CODE = re.compile(r"`([^`\n]+)`(?!`)")
_LINK = re.compile(r"\[((?:[^\\\[\]`<>]|\\[^`])*)\]\(([^\s()<>\"'\\`\[\]{}\x02\x03]+)\)")
_TAG = re.compile(r'</?[a-zA-Z][a-zA-Z0-9]*(?: [a-z][a-z-]*="[^"<>\\`\[\]{}*_\x02\x03]*")*>')


class _Unsupported(Exception):
    """The text uses syntax this module leaves to Python-Markdown."""


class _Builder:
    """Accumulates converted inline content: leading text, then elements with their tails."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.children: list[etree.Element] = []
        self._tail: list[str] | None = None

    def add_text(self, text: str) -> None:
        (self.text if self._tail is None else self._tail).append(text)

    def add_element(self, element: etree.Element) -> None:
        self._close_tail()
        self.children.append(element)
        self._tail = []

    def _close_tail(self) -> None:
        if self._tail is not None and self.children:
            self.children[-1].tail = AtomicString("".join(self._tail)) if self._tail else None

    def fill(self, element: etree.Element) -> None:
        self._close_tail()
        element.text = AtomicString("".join(self.text))
        element.extend(self.children)


class FastInline(Treeprocessor):
    """Converts the supported inline text of cells, list items, paragraphs and headings (see the
    module's docstring)."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.converted = 0  # texts converted here (the tests check that the fast path is taken)
        self.left = 0  # texts left to the inline processor

    def run(self, root: etree.Element) -> None:
        patterns = self.md.inlinePatterns
        if sum(name in patterns for name in KNOWN_PATTERNS) != len(patterns):
            return  # an extension added an inline pattern
        escapable = frozenset(self.md.ESCAPED_CHARS)
        for element in root.iter():
            if element.tag not in TAGS or len(element) or not element.text:
                continue
            if isinstance(element.text, AtomicString) or "  \n" in element.text:
                continue
            try:
                builder = _Builder()
                self._inline(element.text, builder, escapable, links=True)
            except _Unsupported:
                self.left += 1
                continue
            builder.fill(element)
            self.converted += 1

    def _inline(self, text: str, out: _Builder, escapable: frozenset[str], links: bool) -> None:
        pos, end = 0, len(text)
        while pos < end:
            char = text[pos]
            if char == "\\":
                if pos + 1 >= end or text[pos + 1] not in escapable or text[pos + 1] == "`":
                    raise _Unsupported
                out.add_text(f"{STX}{ord(text[pos + 1])}{ETX}")
                pos += 2
                continue
            if char == "`":
                m = _CODE.match(text, pos)
                if m is None:
                    raise _Unsupported
                code = etree.Element("code")
                code.text = AtomicString(code_escape(m.group(1).strip()))
                out.add_element(code)
                pos = m.end()
                continue
            if char == "[":
                m = _LINK.match(text, pos) if links else None
                if m is None:
                    raise _Unsupported
                anchor = etree.Element("a")
                label = _Builder()
                self._inline(m.group(1), label, escapable, links=False)
                label.fill(anchor)
                anchor.set("href", m.group(2))
                out.add_element(anchor)
                pos = m.end()
                continue
            if char == "<":
                m = _TAG.match(text, pos)
                if m is None:
                    raise _Unsupported
                out.add_text(self.md.htmlStash.store(m.group(0)))
                pos = m.end()
                continue
            m = _PLAIN.match(text, pos)
            if m is None:
                raise _Unsupported
            out.add_text(m.group(0))
            pos = m.end()


class FastInlineExtension(Extension):
    """Registers :class:`FastInline` just before the inline processor (priority 20)."""

    def extendMarkdown(self, md: Markdown) -> None:
        if fastpaths.enabled("fastinline"):
            md.treeprocessors.register(FastInline(md), "fastinline", 21)


def makeExtension(**kwargs: Any) -> FastInlineExtension:  # noqa: N802 (Markdown's entry point name)
    """The extension, as Markdown loads it by module name (``generator.site.fastinline``)."""
    return FastInlineExtension(**kwargs)
