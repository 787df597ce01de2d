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

Formatting the tokens as HTML is work per token too, so the HTML is kept as well: the
canonical tokens are formatted once per formatter set-up with a private-use character in
place of each literal, and each literal, HTML-escaped as the formatter escapes a token, is
put back in its place. The formatter escapes character by character and splits tokens only
at line ends (which no literal holds), so the result is what it writes for the original
tokens.

``tests/test_fastpaths.py`` builds the site with and without this and compares every file,
and compares the tokens of generated code with the lexer's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from pygments import format as format_tokens
from pygments.lexers.python import PythonLexer

from generator.site import fastpaths

# Set to False to highlight with Pygments' own lexer (the equality tests do; so does
# MMCAT_LIBRARY_PATHS=fastcode, see generator/site/fastpaths.py, for scripts/bench_build.py).
ENABLED = fastpaths.enabled("fastcode")

_SCAN = re.compile(
    r"""(?P<string>(?P<q>["'])(?P<body>[^\\'"%{}\n]*)(?P=q))"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<int>(?<![\w.])\d+(?![\w.]))"""
    r"""|(?P<word>\w+)"""
    r"""|(?P<other>[^\w"'\#]+)"""
    r"""|(?P<stop>["'])""",
)
_Token = tuple[int, Any, str]
_MARK = "\ue000"  # stands for each literal in the kept HTML (a private-use character)


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

    _formatted: dict[tuple[str, type, str], str] = {}  # (canonical text, formatter) -> marked HTML

    def html(self, code: str, formatter: Any) -> str | None:
        """What ``pygments.highlight(code, self, formatter)`` returns, from the HTML kept for
        ``code``'s canonical text; None where this module leaves the code to Pygments."""
        preprocess = getattr(self, "_preprocess_lexer_input", None)
        if self.filters or getattr(formatter, "tagsfile", "") or preprocess is None:
            return None
        text = preprocess(code)
        found = canonical(text) if _MARK not in text else None
        if found is None:
            return None
        canon, spans = found
        key = (canon, type(formatter), repr(sorted(formatter.options.items())))
        marked = self._formatted.get(key)
        if marked is None:
            tokens = self._reused.get(canon)
            if tokens is None:
                tokens = self._reused[canon] = list(super().get_tokens_unprocessed(canon))
            with_marks = _restore(tokens, [(start, stop, _MARK) for start, stop, _ in spans])
            if with_marks is None:
                return None
            marked = self._formatted[key] = format_tokens(
                [(kind, value) for _, kind, value in with_marks], formatter
            )
        pieces = marked.split(_MARK)
        if len(pieces) != len(spans) + 1:
            return None
        escape: Callable[[str], list[str]] = formatter._translate_parts
        out = [pieces[0]]
        for (_, _, original), piece in zip(spans, pieces[1:], strict=True):
            out += [*escape(original), piece]
        return "".join(out)


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


def _highlight(original: Any) -> Any:
    def highlight(code: str, lexer: Any, formatter: Any, outfile: Any = None) -> Any:
        if ENABLED and outfile is None and isinstance(lexer, ReusingPythonLexer):
            html = lexer.html(code, formatter)
            if html is not None:
                return html
        return original(code, lexer, formatter, outfile)

    highlight.mmcat_original = original  # type: ignore[attr-defined]
    return highlight


class FastCodeExtension(Extension):
    """Makes pymdownx.highlight take :class:`ReusingPythonLexer` for Python code, and its kept
    HTML (:meth:`ReusingPythonLexer.html`)."""

    def extendMarkdown(self, md: Markdown) -> None:
        from pymdownx import highlight

        if not hasattr(highlight.get_lexer_by_name, "mmcat_original"):
            highlight.get_lexer_by_name = _lexer_by_name(highlight.get_lexer_by_name)
        if not hasattr(highlight.highlight, "mmcat_original"):
            highlight.highlight = _highlight(highlight.highlight)


def makeExtension(**kwargs: Any) -> FastCodeExtension:  # noqa: N802 (Markdown's entry point name)
    """The extension, as Markdown loads it by module name (``generator.site.fastcode``)."""
    return FastCodeExtension(**kwargs)
