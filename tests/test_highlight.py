"""The usage code's highlighting without the spans that draw nothing (generator/site/engine/highlight.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import material
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from generator.site.engine.highlight import PlainTokens, highlight_options

CODE = """import torch
from transformers import AutoModel  # a comment

model = AutoModel.from_pretrained("org/model", revision="main").eval()
with torch.inference_mode():
    print(len([1, 2.5]), tuple(model(**{}).shape), True, 1 if x in y and not z else 0)
"""
_SPAN = re.compile(r'<span class="([a-z0-9]+)">([^<]*)</span>')


def _classes(markup: str) -> list[tuple[str, str]]:
    """(class, character) for each character of the code, "" for plain text."""
    out: list[tuple[str, str]] = []
    last = 0
    for match in _SPAN.finditer(markup):
        out += [("", ch) for ch in html.unescape(re.sub(r"<[^>]+>", "", markup[last : match.start()]))]
        out += [(match.group(1), ch) for ch in html.unescape(match.group(2))]
        last = match.end()
    return out + [("", ch) for ch in html.unescape(re.sub(r"<[^>]+>", "", markup[last:]))]


def test_only_names_spaces_punctuation_and_operators_lose_their_span() -> None:
    plain = highlight(CODE, PythonLexer(), HtmlFormatter())
    filtered = highlight(CODE, PythonLexer(filters=[PlainTokens()]), HtmlFormatter())
    before, after = _classes(plain), _classes(filtered)
    assert "".join(ch for _, ch in before) == "".join(ch for _, ch in after)
    assert "".join(ch for _, ch in after).strip() == CODE.strip()
    for (was, ch), (now, _) in zip(before, after, strict=True):
        assert now == ("" if was in ("n", "w", "p", "o") else was), (was, now, ch)
    assert {"n", "w", "p", "o"} <= {c for c, _ in before} and not {"n", "w", "p", "o"} & {c for c, _ in after}
    assert {"kn", "nn", "s2", "c1", "nb", "mi", "kc", "ow"} <= {c for c, _ in after}
    assert len(filtered) < len(plain) * 0.6


def test_the_themes_style_sheet_draws_names_as_the_codes_text() -> None:
    # The premise for names and white space, for the installed theme: a name is coloured as the
    # code's text, and no rule styles white space. (Punctuation and operators, a shade lighter in
    # the theme, take the code's text colour by choice: see generator/site/engine/highlight.py.)
    sheets = (Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css")
    css = "".join(p.read_text(encoding="utf-8") for p in sheets)
    assert ".highlight .n{color:var(--md-code-hl-name-color)}" in css
    assert "--md-code-hl-name-color:var(--md-code-fg-color)" in css
    assert not re.search(r"\.highlight \.w[,{:\s]", css)


def test_the_option_keeps_what_mkdocs_yml_sets() -> None:
    options = highlight_options({"anchor_linenums": False})
    assert options["anchor_linenums"] is False
    (python,) = options["extend_pygments_lang"]
    assert python["name"] == "python" and isinstance(python["options"]["filters"][0], PlainTokens)
    own = {"extend_pygments_lang": [{"name": "python", "lang": "python3", "options": {}}]}
    assert highlight_options(own)["extend_pygments_lang"] == own["extend_pygments_lang"]


def test_model_pages_code_has_spans_only_for_coloured_words(site: Path) -> None:
    checked = 0
    for page in [*(site / "models").rglob("*.html"), *(site / "zh" / "models").rglob("*.html")]:
        text = page.read_text(encoding="utf-8")
        for code in re.findall(r'<div class="highlight"><pre>.*?</pre>', text, re.S):
            assert not re.search(r'<span class="[nwpo]">', code), page
            assert '<span class="kn">import</span>' in code, page
            checked += 1
    assert checked > 300
