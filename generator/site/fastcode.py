"""A Markdown extension: Python code blocks highlighted with Pygments' tokens reused.

The usage snippets of model pages differ from model to model only in their literals (the
model id, output names, shapes in comments); lexing each with Pygments' Python lexer (a
regular-expression lexer trying dozens of rules at every position) took 1.5–2.2 s of a 12–15 s
language build at 1,000 copies (in-process timing of `pymdownx.highlight`).
:class:`ReusingPythonLexer` lexes the code with every plain string body replaced by ``x``,
every comment by ``#x`` and every integer by ``0``, keeps those tokens per canonical text,
and puts the original literals back into the tokens that held the placeholders. A string
body without ``\\ ' " % {`` is one string token whatever it holds, a comment one comment
token, an integer one integer token, so the tokens are the lexer's own. Code with anything
else (triple quotes, prefixed strings, a token that does not line up) is lexed as it is.

``tests/test_fastpaths.py`` builds the site with and without this and compares every file,
and compares the tokens of generated code with the lexer's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from pygments.lexers.python import PythonLexer

# Set to False to highlight with Pygments' own lexer (the equality tests do).
ENABLED = True

_SCAN = re.compile(
    r"""(?P<string>(?P<q>["'])(?P<body>[^\\'"%{}\n]*)(?P=q))"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<int>(?<![\w.])\d+(?![\w.]))"""
    r"""|(?P<word>\w+)"""
    r"""|(?P<other>[^\w"'\#]+)"""
    r"""|(?P<stop>["'])""",
)
_Token = tuple[int, Any, str]


def canonical(text: str) -> tuple[str, list[tuple[int, int, str]]] | None:
    """``text`` with its literals replaced, and where each placeholder stands (start and end in
    the canonical text, the original text); None for code this module leaves to the lexer."""
    if text.startswith("#!") or '"""' in text or "'''" in text:
        return None
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    size = 0
    for m in _SCAN.finditer(text):
        if m.group("stop") is not None:
            return None  # a string this scanner does not read (prefixed, escaped, multi-line)
        if m.group("string") is not None and m.group("body"):
            if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
                return None  # f"...", r"...", b"...": a prefix changes the string's rules
            quote = m.group("q")
            spans.append((size + 1, size + 2, m.group("body")))
            piece = f"{quote}x{quote}"
        elif m.group("comment") is not None:
            spans.append((size, size + 2, m.group("comment")))
            piece = "#x"
        elif m.group("int") is not None:
            spans.append((size, size + 1, m.group("int")))
            piece = "0"
        else:
            piece = m.group(0)
        out.append(piece)
        size += len(piece)
    return "".join(out), spans


class ReusingPythonLexer(PythonLexer):  # type: ignore[misc]
    """Pygments' Python lexer, reusing the tokens of code that differs only in its literals."""

    _reused: dict[str, list[_Token]] = {}  # canonical text -> its tokens

    def get_tokens_unprocessed(self, text: str, stack: Any = ("root",)) -> Iterator[_Token]:
        found = canonical(text) if tuple(stack) == ("root",) else None
        if found is None:
            yield from super().get_tokens_unprocessed(text, stack)
            return
        canon, spans = found
        tokens = self._reused.get(canon)
        if tokens is None:
            tokens = self._reused[canon] = list(super().get_tokens_unprocessed(canon, stack))
        restored = _restore(tokens, spans)
        if restored is None:
            yield from super().get_tokens_unprocessed(text, stack)
            return
        yield from restored


def _restore(tokens: list[_Token], spans: list[tuple[int, int, str]]) -> list[_Token] | None:
    """The tokens with each placeholder's original text; None if a token does not line up
    with exactly one placeholder or none."""
    out: list[_Token] = []
    shift, k = 0, 0
    for index, kind, value in tokens:
        end = index + len(value)
        if k < len(spans) and spans[k][1] <= index:
            return None  # a placeholder that no token matched exactly
        if k < len(spans) and spans[k][0] < end:
            start, stop, original = spans[k]
            if (start, stop) != (index, end):
                return None
            out.append((index + shift, kind, original))
            shift += len(original) - (stop - start)
            k += 1
        else:
            out.append((index + shift, kind, value))
    return out if k == len(spans) else None


_PYTHON = frozenset(PythonLexer.aliases)


def _lexer_by_name(original: Any) -> Any:
    def get_lexer_by_name(alias: str, **options: Any) -> Any:
        if ENABLED and alias.lower() in _PYTHON:
            return ReusingPythonLexer(**options)
        return original(alias, **options)

    get_lexer_by_name.mmcat_original = original  # type: ignore[attr-defined]
    return get_lexer_by_name


class FastCodeExtension(Extension):
    """Makes pymdownx.highlight take :class:`ReusingPythonLexer` for Python code."""

    def extendMarkdown(self, md: Markdown) -> None:
        from pymdownx import highlight

        if not hasattr(highlight.get_lexer_by_name, "mmcat_original"):
            highlight.get_lexer_by_name = _lexer_by_name(highlight.get_lexer_by_name)


def makeExtension(**kwargs: Any) -> FastCodeExtension:  # noqa: N802 (Markdown's entry point name)
    """The extension, as Markdown loads it by module name (``generator.site.fastcode``)."""
    return FastCodeExtension(**kwargs)
