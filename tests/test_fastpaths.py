"""The build's fast paths change nothing but time.

:mod:`generator.site.fastinline` (inline Markdown of cells and list items) and
:mod:`generator.site.fastsearch` (Material's search index) must give the site, byte for byte,
that Python-Markdown's and Material's own code give: the whole site of the real catalogue is
built both ways and compared, and generated combinations of inline syntax are converted both
ways. Each test also checks that the fast path was taken, so that a fast path that quietly
stepped aside everywhere would fail here.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from material.plugins.search import plugin as material_search

from generator.site import fastcode, fastinline, fastsearch
from generator.site.build import Project, render_to
from generator.site.mkdocs_build import build_language
from tests.conftest import REPO, made_once

FAST_EXTENSIONS = ("generator.site.fastinline", "generator.site.fastcode")
FAST_EXTENSION = FAST_EXTENSIONS[0]


def _site_config(tmp: Path, fast: bool) -> Path:
    """mkdocs.yml of the project, with or without the fast inline extension."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for name in FAST_EXTENSIONS:
        assert f"  - {name}\n" in text, f"mkdocs.yml no longer names {name}"
        if not fast:
            text = text.replace(f"  - {name}\n", "")
    path = tmp / ("fast.yml" if fast else "plain.yml")
    path.write_text(text, encoding="utf-8")
    return path


def _files(site: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            out[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return out


@pytest.fixture(scope="session")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The real catalogue's site built with Python-Markdown's and Material's own code, and fast."""
    return made_once(tmp_path_factory, "fastpaths", _two_sites)


def _two_sites(tmp: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    docs = tmp / "docs"
    render_to(Project(REPO / "catalog"), docs)
    calls = {"fast": 0, "fallback": 0, "kept html": 0, "python code": 0}
    original_feed, original_html = fastsearch.FastParser.feed, fastcode.ReusingPythonLexer.html

    def counting_feed(self: Any, data: str) -> None:
        calls["fast" if not fastsearch._UNSUPPORTED.search(data) else "fallback"] += 1
        original_feed(self, data)

    def counting_html(self: Any, code: str, formatter: Any) -> str | None:
        html = original_html(self, code, formatter)
        calls["kept html"] += html is not None
        calls["python code"] += 1
        return html

    sites = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fastsearch.FastParser, "feed", counting_feed)
        mp.setattr(fastcode.ReusingPythonLexer, "html", counting_html)
        for fast in (False, True):
            mp.setattr(fastsearch, "ENABLED", fast)
            mp.setattr(fastcode, "ENABLED", fast)
            site = tmp / ("fast" if fast else "plain")
            # Every language in this process (the plugin's serial build), so the switch applies.
            result = build_language(str(_site_config(tmp, fast)), str(docs), str(site), None)
            assert result.problems == []
            sites.append(_files(site))
    material_search.Parser = fastsearch._MATERIAL_PARSER
    assert calls["fast"] > 100, calls  # the fast tokenizer read (nearly) every page
    assert calls["kept html"] > 0.9 * calls["python code"] > 50, calls  # (nearly) every usage snippet
    return sites[0], sites[1]


def test_the_fast_build_gives_the_same_site(two_sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    plain, fast = two_sites
    assert sorted(plain) == sorted(fast)
    assert any(name.startswith("zh/models/") for name in plain)
    differ = [name for name in plain if plain[name] != fast[name]]
    assert differ == []


def test_the_search_index_is_the_same_and_segments_chinese(
    two_sites: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    plain, fast = two_sites
    for index in ("search/search_index.js", "zh/search/search_index.js"):
        assert plain[index] == fast[index]
    docs = json.loads(fast["zh/search/search_index.js"].decode().removeprefix("var __index = "))["docs"]
    assert any("\u200b" in doc["text"] for doc in docs)  # jieba ran


def _markdown(fast: bool) -> markdown.Markdown:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        if name not in FAST_EXTENSIONS or fast:
            names.append(name)
            configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


# Pieces of inline syntax, alone and in combination: what the pages use and what they must not
# be mistaken for (emphasis, images, attribute lists, autolinks, unknown escapes, stray brackets).
PIECES = [
    "plain text",
    " ",
    "数据",
    "（全角）",
    "&amp;",
    "&#39;",
    "&\\#39;",
    "a & b",
    "\\_",
    "\\|",
    "\\*",
    "\\[x\\]",
    "\\q",
    "\\",
    "`code`",
    "` spaced `",
    "`<b>&amp;</b>`",
    "`a_b`",
    "`x|y`",
    "``two``",
    "`",
    "[label](https://example.com/a_b)",
    "[l](../x.md)",
    "[`code`](u)",
    '[a](u "t")',
    "[a] (u)",
    "![img](u)",
    '<span class="mmcat-badge">b</span>',
    "<b>",
    "</b>",
    "<br/>",
    "<http://example.com>",
    "<me@example.com>",
    "a < b",
    "*em*",
    "_em_",
    "**s**",
    "{: .cls }",
    "{x}",
    "\\{: .cls \\}",
    "x  ",
    "x  \ny",
    "(paren)",
    "]",
    "[",
    "!",
    "\u200b",
    "&lt;tag&gt;",
    "a\\b",
]


def _cells() -> list[str]:
    rng = random.Random(9)
    combos = [a + b for a, b in itertools.product(PIECES, repeat=2)]
    combos += ["".join(rng.choice(PIECES) for _ in range(rng.randint(3, 7))) for _ in range(400)]
    return [c for c in combos if c.strip() and "|" not in c.replace("\\|", "").replace("`x|y`", "")]


def test_inline_syntax_converts_as_python_markdown_does() -> None:
    plain, fast = _markdown(False), _markdown(True)
    cells = _cells()
    table = "| a | b |\n|---|---|\n" + "".join(f"| {c} | x |\n" for c in cells)
    inline = [c for c in cells if not re.match(r"^\s*([-*+#>]|\d+\.|=+|-+)(\s|$)", c)]
    items = "".join(f"- {c}\n" for c in inline)
    paragraphs = "".join(f"{a}\n{b}\n\n" for a, b in zip(inline, [*inline[1:], "x  "], strict=True))
    headings = "".join(f"## {c}\n\n" for c in inline)
    for source in (table, items, paragraphs, headings):
        assert fast.reset().convert(source) == plain.reset().convert(source)
    processor = fast.treeprocessors["fastinline"]
    assert isinstance(processor, fastinline.FastInline)
    assert processor.converted > 300 and processor.left > 300  # both paths were taken


def test_another_inline_extension_turns_the_fast_path_off() -> None:
    md = markdown.Markdown(extensions=["tables", "pymdownx.tilde", FAST_EXTENSION])
    source = "| a |\n|---|\n| ~~gone~~ `x` |\n"
    assert "<del>gone</del>" in md.convert(source)
    processor = md.treeprocessors["fastinline"]
    assert isinstance(processor, fastinline.FastInline)
    assert processor.converted == 0


def _sections(parser: Any, page: str) -> list[tuple[Any, ...]] | str:
    try:
        parser.feed(page)
        parser.close()
    except ValueError as exc:  # Material's parser fails on some nestings: so must this one
        return f"ValueError: {exc}"
    return [(s.id, s.el.tag, s.depth, s.title, s.text, s.is_excluded()) for s in parser.data]


# HTML that exercises each decision of Material's parser: text before any heading, a first
# heading below h1, headings nested in other elements, permalinks, excluded blocks (nested,
# same tag), line numbers, kept tags left empty, whitespace in and out of <pre>, void and
# self-closed tags, references, comments, attributes without values, upper-case names.
PAGES = [
    '<p>intro</p><h2 id="a">A<a class="headerlink" href="#a">&para;</a></h2><p>x &amp; y</p>',
    '<h1 id="t">T</h1><div><h2 id="n">N</h2><p>in</p></div><p>after</p><h3 id="z">Z</h3>',
    '<h1 id="t">T</h1><div data-search-exclude><p>hid<div data-search-exclude>den</div>x</p></div><p>y</p>',
    '<h1 id="t">T</h1><table class="linenodiv"><tr><td>1</td></tr></table><pre><code>a\n  b\n</code></pre>',
    '<h1 id="t">T</h1><p> </p><ul><li></li><li> </li><li>x</li></ul><p>a\nb   c</p><p>\n</p><p>\n</p>',
    '<H1 ID="t">T<BR/>u</H1><p>a<br>b<img src="x.png" alt="&lt;i&gt;"/><input checked disabled=disabled></p>',
    '<!-- note --><h1 id="t">T</h1><p>a<!-- in -->b</p><sub>2</sub><sup>3</sup>',
    '<h1 id="t">T</h1><ol><li>&#39;q&#x27;</li></ol>',
    '<h2 id="a">A</h2><h2>no id</h2><p>t</p><h4 id="d">D <code>c</code></h4><p>e</p></div></p>',
    '<h1 id="t">T</h1><p>a <script>var x = "<b>";</script> b</p><h2 id="s">S</h2><p>c &amp; d</p>',
    '<h1 id="t">T</h1><p>a < b</p>',
]


@pytest.mark.parametrize("page", PAGES)
def test_the_search_parser_makes_materials_decisions(page: str) -> None:
    assert _sections(fastsearch.FastParser(), page) == _sections(fastsearch._MATERIAL_PARSER(), page)


def test_html_the_tokenizer_does_not_read_goes_to_htmlparser() -> None:
    for page in PAGES[-2:]:
        with pytest.raises(fastsearch._Fallback):
            fastsearch._tokenize(page, fastsearch.FastParser())
    for page in PAGES[:-2]:
        with contextlib.suppress(ValueError):  # raised by the handlers (see above), not _Fallback
            fastsearch._tokenize(page, fastsearch.FastParser())


# Python the usage snippets are made of, and literals of every kind around them.
CODE_LINES = [
    'model_id = "org/name-1.5"',
    "revision = 'main'  # pin one",
    'x = f"{a}"',
    'y = r"\\d"',
    'z = b"bytes"',
    's = "50% of {n}"',
    "t = 'it\\'s'",
    'print("a", tuple(e["text"].shape))  # (1, 512)',
    "image = Image.new(\"RGB\", (224, 224), 'gray')",
    "n = 3.5 + 1e3 + 0x1F + 1_000 + 10j + 007",
    "q = x2 + y_3 - 12",
    'doc = """multi\nline"""',
    "# a comment with 'quotes' and \"more\"",
    "#!/usr/bin/env python",
    'u = "unterminated',
    "v = ''",
    'w = "é 中文 \u200b"',
]


def test_python_code_gets_the_lexers_tokens() -> None:
    from pygments.lexers.python import PythonLexer

    rng = random.Random(3)
    plain, reusing = PythonLexer(), fastcode.ReusingPythonLexer()
    safe = [line for line in CODE_LINES if fastcode.canonical(line + "\n") is not None]
    mixes = [rng.sample(CODE_LINES, 6) for _ in range(300)] + [rng.sample(safe, 5) for _ in range(300)]
    canonical = 0
    for lines in [[line] for line in CODE_LINES] + mixes:
        code = "\n".join(lines) + "\n"
        canonical += fastcode.canonical(code) is not None
        assert list(reusing.get_tokens(code)) == list(plain.get_tokens(code)), code
    assert canonical > 300  # the reusing path was taken, not only the fallback


@pytest.mark.parametrize(
    "options",
    [
        {"wrapcode": True},  # as pymdownx.highlight sets it up for this site
        {"wrapcode": True, "linenos": "inline", "hl_lines": [2], "linespans": "__span-0"},
        {"cssclass": "code", "filename": "a.py", "lineanchors": "a", "noclasses": True},
    ],
)
def test_python_code_gets_the_formatters_html(options: dict[str, Any]) -> None:
    from pygments import highlight
    from pygments.lexers.python import PythonLexer
    from pymdownx.highlight import BlockHtmlFormatter

    rng = random.Random(5)
    safe = [line for line in CODE_LINES if fastcode.canonical(line + "\n") is not None]
    mixes = [rng.sample(CODE_LINES, 6) for _ in range(150)] + [rng.sample(safe, 5) for _ in range(150)]
    # the same canonical code twice, with other literals: the second is made from kept HTML
    mixes += [[line.replace("1", "2").replace("a", "<&>") for line in lines] for lines in mixes]
    reused = 0
    for lines in [[line] for line in CODE_LINES] + mixes:
        code = "\n".join(lines) + "\n"
        kept = fastcode.ReusingPythonLexer().html(code, BlockHtmlFormatter(**options))
        if kept is not None:
            reused += 1
            assert kept == highlight(code, PythonLexer(), BlockHtmlFormatter(**options)), code
    assert reused > 300
