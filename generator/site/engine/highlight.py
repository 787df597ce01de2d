"""The usage code's highlighting without the elements that draw nothing.

Pygments wraps every token of the code in a ``<span>`` with its type's class. The theme colours
a plain name (``n``) as the code's own text and gives white space (``w``) no style, so their
spans change nothing on the page; they were a fifth of each model page's highlighted code.
:class:`PlainNamesAndSpaces` gives those two token types Pygments' plain text type, which its
HTML formatter writes without a span (next to other plain text, as one run). Every other type
(keywords, strings, numbers, built-ins, comments, punctuation...) keeps its span and its colour.

:func:`highlight_options` is what the build adds to ``pymdownx.highlight``: the ``python`` fence
of the usage tabs gets its lexer with the filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pygments.filter import Filter
from pygments.token import Name, Text, Whitespace, _TokenType

# The token types whose spans draw nothing with the theme's style sheet (see the module's text).
UNSTYLED = (Name, Whitespace)


class PlainNamesAndSpaces(Filter):  # type: ignore[misc]
    """Plain names and white space as plain text (exactly these types, not their subtypes)."""

    def filter(self, lexer: Any, stream: Iterator[tuple[_TokenType, str]]) -> Iterator[tuple[_TokenType, str]]:
        for ttype, value in stream:
            yield (Text if ttype in UNSTYLED and ttype is not Text else ttype), value


def highlight_options(configured: dict[str, Any] | None) -> dict[str, Any]:
    """``pymdownx.highlight``'s options ``configured`` in mkdocs.yml, with the filter on the
    ``python`` lexer (unless mkdocs.yml already extends that language)."""
    options = dict(configured or {})
    extended = list(options.get("extend_pygments_lang") or [])
    if not any(isinstance(e, dict) and e.get("name") == "python" for e in extended):
        extended.append({"name": "python", "lang": "python", "options": {"filters": [PlainNamesAndSpaces()]}})
    options["extend_pygments_lang"] = extended
    return options
