"""The build's fast path changes nothing but time.

:mod:`generator.site.fastinline` (inline Markdown of cells, list items, paragraphs and headings)
must give the site, byte for byte, that Python-Markdown's own inline processor gives: the whole
site of the real catalogue (both languages, every page kind, the whole search index of each) is
built both ways and compared, and generated combinations of inline syntax are converted both
ways. Each test also checks that the fast path was taken, so that a fast path that quietly
stepped aside everywhere would fail here.
"""

from __future__ import annotations

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

from generator.site import fastinline
from generator.site.build import Project, render_to
from generator.site.mkdocs_build import build_language
from tests.conftest import REPO, made_once

FAST_EXTENSIONS = ("generator.site.fastinline",)
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
    """The real catalogue's site built with Python-Markdown's own inline processing, and fast."""
    return made_once(tmp_path_factory, "fastpaths", _two_sites)


def _two_sites(tmp: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    docs = tmp / "docs"
    render_to(Project(REPO / "catalog"), docs)
    calls = {"converted": 0, "left": 0}
    original_run = fastinline.FastInline.run

    def counting_run(self: fastinline.FastInline, root: Any) -> None:
        before = (self.converted, self.left)
        original_run(self, root)
        calls["converted"] += self.converted - before[0]
        calls["left"] += self.left - before[1]

    sites = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fastinline.FastInline, "run", counting_run)
        for fast in (False, True):
            site = tmp / ("fast" if fast else "plain")
            # Every language in this process (the plugin's serial build).
            result = build_language(str(_site_config(tmp, fast)), str(docs), str(site), None)
            assert result.problems == []
            sites.append(_files(site))
    # The fast path converted most texts of the site (a fast path that stepped aside would not).
    assert calls["converted"] > 10 * calls["left"] > 0, calls
    return sites[0], sites[1]


# Every kind of page the site has, in both languages: the byte equality below covers each.
PAGE_KINDS = (
    "index.html",
    "models/",
    "series/",
    "leaderboards/",
    "papers.html",
    "compare/",
    "metrics.html",
    "404.html",
)


def test_the_fast_build_gives_the_same_site(two_sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    plain, fast = two_sites
    assert sorted(plain) == sorted(fast)
    for root in ("", "zh/"):
        for kind in PAGE_KINDS:
            assert any(name.startswith(root + kind) for name in plain), root + kind
    differ = [name for name in plain if plain[name] != fast[name]]
    assert differ == []


def test_the_whole_search_index_of_each_language_is_the_same(
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
