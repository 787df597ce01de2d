"""Formatting of values for the generated Markdown: escaping, counts, badges, links.

These are plain functions of their arguments (and the page language); the
Jinja filters of :mod:`generator.site.render` are thin wrappers over them. Every
value printed by a template passes through :func:`md_escape` unless it is
already :class:`~markupsafe.Markup`.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

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


def link(here: str, label: Any, target: str) -> Markup:
    """A Markdown link from page ``here`` to page or URL ``target`` (pages as relative paths)."""
    if not target.startswith(("http://", "https://")):
        target = posixpath.relpath(target, posixpath.dirname(here) or ".")
    return Markup(f"[{md_escape(label)}]({target})")


def badge(tier: str, lang: str) -> Markup:
    """The verification badge of a tier (``declared`` ... ``weights``, ``mismatch``)."""
    label = UI[lang][f"tier.{tier}"]
    return Markup(f'<span class="mmcat-badge mmcat-{tier}">{escape(label)}</span>')


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
        return Markup(f"[{UI[lang]['manual']}]({where})")
    if kind == "hub":
        return Markup(f"`hub@{md_escape(where[:12])}`")
    return md_escape(value)


def pick(text: Any, lang: str) -> Any:
    """This language of a bilingual text (a plain value passes through)."""
    if text is None:
        return None
    return getattr(text, lang, text)
