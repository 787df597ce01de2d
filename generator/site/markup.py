"""Formatting of values for the generated Markdown: escaping, counts, badges, links.

These are plain functions of their arguments (and the page language); the
Jinja filters of :mod:`generator.site.pages.render` are thin wrappers over them. Every
value printed by a template passes through :func:`md_escape` unless it is
already :class:`~markupsafe.Markup`.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from generator.site.i18n import UI

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!])")


def md_escape(value: Any) -> Markup:
    """Escape any value for Markdown text: HTML specials and Markdown syntax."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split())
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(text))))


def human_count(n: int | None) -> str:
    """22056576 -> '22.1 M'; None -> ''."""
    if n is None:
        return ""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return str(n)


# Characters a link target keeps as they are; every other one is percent-encoded, so a target
# can close neither the Markdown link nor an HTML attribute (no spaces, quotes, brackets, parentheses).
_URL_SAFE = ":/?#@!$&*+,;=%~-._"


def url_target(here: str, target: str) -> str:
    """The one way a link target reaches a page: an http(s) URL, or a page path made relative to ``here``.

    Every character outside :data:`_URL_SAFE` and ASCII letters and digits is percent-encoded. A
    relative path whose first segment holds a colon gets ``./`` in front (never a scheme such as
    ``javascript:``).
    """
    if target.startswith(("http://", "https://")):
        return quote(target, safe=_URL_SAFE)
    path, hash_mark, fragment = target.partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(here) or ".") if path else ""
    if ":" in relative.split("/", 1)[0]:
        relative = "./" + relative
    return quote(relative + hash_mark + fragment, safe=_URL_SAFE)


def link(here: str, label: Any, target: str) -> Markup:
    """A Markdown link from page ``here`` to page or URL ``target`` (pages as relative paths)."""
    return Markup(f"[{md_escape(label)}]({url_target(here, target)})")


def attr_value(value: Any) -> Markup:
    """A value for an HTML attribute inside a Markdown attribute list (``{ data-x="..." }``)."""
    return Markup(str(escape(str(value))).replace("{", "&#123;").replace("}", "&#125;"))


def code_literal(value: str) -> str:
    """A Python string literal of ``value`` for the usage snippets (the one way a value enters code).

    JSON's quoting is valid Python for a string: quotes, backslashes, control and non-ASCII
    line-breaking characters are escaped, so a value can neither end the literal nor the line.
    """
    text = json.dumps(value, ensure_ascii=False)
    for char in ("\u2028", "\u2029", "\x85"):  # Python ends a line on these; JSON keeps them raw
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def comment_text(value: str) -> str:
    """Text for inside an HTML comment (a path): percent-encoded but for path characters, so it
    can neither end the comment (``-->``, ``--!>``) nor the line."""
    return quote(value, safe="/._-@+~").replace("--", "-%2D")


def front_matter_title(value: str) -> Markup:
    """A page title for the Markdown front matter: HTML-escaped (the theme prints ``page.title``
    into ``<title>``, the header, the navigation and the search index without escaping), then
    quoted as a YAML string."""
    return Markup(json.dumps(str(escape(value)), ensure_ascii=False))


def badge(tier: str, lang: str) -> Markup:
    """The verification badge of a tier (``declared`` ... ``weights``, ``mismatch``)."""
    label = UI[lang][f"tier.{tier}"]
    return Markup(f'<span class="mmcat-badge mmcat-{escape(tier)}">{escape(label)}</span>')


def status_badge(tier: str, status: str, lang: str) -> Markup:
    """A model's badge: its tier's, or the reason it cannot be checked when ``tier`` is unavailable."""
    if tier != "unavailable":
        return badge(tier, lang)
    label = UI[lang][f"status.{status}"]
    return Markup(f'<span class="mmcat-badge mmcat-unavailable">{escape(label)}</span>')


def provenance(value: str | None, lang: str) -> Markup:
    """``hub@<sha>`` as a short commit, ``manual:<url>`` as a link, nothing as "none"."""
    if not value:
        return Markup(UI[lang]["none"])
    kind, _, where = value.partition(":") if value.startswith("manual:") else value.partition("@")
    if kind == "manual" and where.startswith(("http://", "https://")):
        return link("", UI[lang]["manual"], where)
    if kind == "hub" and re.fullmatch(r"[0-9a-f]{40}", where):
        return Markup(f"`hub@{where[:12]}`")
    return md_escape(value)


def pick(text: Any, lang: str) -> Any:
    """This language of a bilingual text (a plain value passes through)."""
    if text is None:
        return None
    return getattr(text, lang, text)
