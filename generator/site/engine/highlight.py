"""The usage code's highlighting with a span only where the code's text takes another colour.

Pygments wraps every token of the code in a ``<span>`` with its type's class. The theme colours
a plain name (``n``) as the code's own text and gives white space (``w``) no style, so their
spans change nothing on the page. Punctuation (``p``) and operators (``o``), the other most
frequent tokens, are drawn a shade lighter than the code's text by the theme; here they take the
code's text colour, and the code's words (keywords, strings, numbers, built-ins, names of modules,
comments) keep their colours. :class:`PlainTokens` gives these token types Pygments' plain text
type, which its HTML formatter writes without a span (next to other plain text, as one run).
Together they were most of the spans of a model page's code (README, Benchmarks).

:func:`highlight_options` is what the build adds to ``pymdownx.highlight``: the ``python`` fence
of the usage tabs gets its lexer with the filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pygments.filter import Filter
from pygments.token import Name, Operator, Punctuation, Text, Whitespace, _TokenType

# The token types drawn in the code's text colour (see the module's text): exactly these types,
# not their subtypes (a built-in name, ``nb``, or a word operator such as ``in``, ``ow``, keep theirs).
PLAIN = (Name, Whitespace, Punctuation, Operator)


class PlainTokens(Filter):  # type: ignore[misc]
    """Plain names, white space, punctuation and operators as plain text."""

    def filter(self, lexer: Any, stream: Iterator[tuple[_TokenType, str]]) -> Iterator[tuple[_TokenType, str]]:
        for ttype, value in stream:
            yield (Text if any(ttype is p for p in PLAIN) else ttype), value


def highlight_options(configured: dict[str, Any] | None) -> dict[str, Any]:
    """``pymdownx.highlight``'s options ``configured`` in mkdocs.yml, with the filter on the
    ``python`` lexer (unless mkdocs.yml already extends that language)."""
    options = dict(configured or {})
    extended = list(options.get("extend_pygments_lang") or [])
    if not any(isinstance(e, dict) and e.get("name") == "python" for e in extended):
        extended.append({"name": "python", "lang": "python", "options": {"filters": [PlainTokens()]}})
    options["extend_pygments_lang"] = extended
    return options
