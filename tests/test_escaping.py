"""Issue 18, item 2: every value reaches HTML, Markdown, code or CSV through one escaping point.

Hostile values are either refused at their line (``file:line: field: message``, exit 1, nothing
written) or come out escaped in the real built site and export.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.load import load_catalog
from generator.locks.files import load_locks
from generator.site.pages.kinds import page_jobs, site
from generator.site.pages.render import render_page
from tests.conftest import REPO, run_mmcat, small_project

DINO = "catalog/models/facebook/dinov2-small.yaml"
BGE = "catalog/models/BAAI/bge-m3.yaml"  # an entry with its own architecture (transformers loader)
MODEL = "bench/model-0000"


def _edit(project: Path, path: str, old: str, new: str) -> int:
    """Replace ``old`` (once) in a project file; return the line it is on."""
    target = project / path
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _refused(project: Path, line: int, field: str, *command: str) -> str:
    before = {p: p.read_bytes() for p in (project / "catalog").rglob("*") if p.is_file()}
    result = run_mmcat(*(command or ("check",)), cwd=project)
    assert result.code == 1, result.out + result.err
    assert "internal error" not in result.err and "Traceback" not in result.err, result.err
    assert re.search(rf"^[^\n]*:{line}: {re.escape(field)}: ", result.err, re.M), result.err
    assert {p: p.read_bytes() for p in before} == before  # nothing written
    assert not (project / "site").exists()
    return result.err


@pytest.mark.parametrize(
    "architecture",
    [
        '"XLMRobertaModel\\n```\\n<img src=x onerror=alert(1)>"',  # closes the usage fence
        "\"__import__('os').system('id')\"",  # code in the copy-paste snippet
        "XLMRobertaModel; import os",
    ],
)
def test_an_architecture_that_is_not_a_class_name_is_refused(project: Path, architecture: str) -> None:
    line = _edit(project, BGE, "architecture: XLMRobertaModel", f"architecture: {architecture}")
    _refused(project, line, "source.architecture")
    _refused(project, line, "source.architecture", "build")


def test_an_unknown_class_is_a_check_error_not_a_silent_automodel(project: Path) -> None:
    line = _edit(project, BGE, "architecture: XLMRobertaModel", "architecture: XLMRobertaModelTypo")
    err = _refused(project, line, "source.architecture")
    assert "not a model class of transformers" in err


def test_the_committed_class_list_is_the_installed_transformers() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "transformers_classes.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\x1b", "\x00", "\x85"])
def test_control_and_bidi_characters_in_a_name_are_refused(project: Path, char: str) -> None:
    escaped = json.dumps(f"DINOv2 {char}ViT-S/14")  # a YAML double-quoted string takes JSON's escapes
    line = _edit(project, DINO, "name: DINOv2 ViT-S/14", f"name: {escaped}")
    err = _refused(project, line, "name")
    assert f"U+{ord(char):04X}" in err


def _hub_record(project: Path, model_id: str, **fields: Any) -> int:
    path = project / "catalog" / "lock" / "hub.json"
    lock = json.loads(path.read_text(encoding="utf-8"))
    record = lock["models"][model_id]
    for key, value in fields.items():
        target = record
        *parents, last = key.split(".")
        for part in parents:
            target = target[part]
        target[last] = value
    text = json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f'    "{model_id}": {{'))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("sha", "abc) [x](javascript:alert(1)"),
        ("sha", "A" * 40),
        ("provenance.config", "manual:javascript:alert(1)"),
        ("provenance.config", "manual:https://example.org/a) <script>alert(1)</script>"),
        ("config_origin", {"kind": "mirror", "url": "javascript:alert(1)"}),
    ],
)
def test_lock_shas_and_provenance_urls_are_typed(project: Path, key: str, value: Any) -> None:
    _hub_record(project, "facebook/dinov2-small", **{key: value})
    result = run_mmcat("check", cwd=project)
    assert result.code == 1, result.out
    assert "catalog/lock/hub.json:" in result.err and "models.facebook/dinov2-small." in result.err
    assert "internal error" not in result.err


def test_markup_helpers_cannot_be_broken_out_of() -> None:
    from generator.site.markup import code_literal, comment_text, link, url_target

    assert url_target("models/a/b.md", 'https://x.org/a) <img src=x onerror="y">') == (
        "https://x.org/a%29%20%3Cimg%20src=x%20onerror=%22y%22%3E"
    )
    assert not url_target("index.md", "javascript:alert(1)").startswith("javascript:")
    assert str(link("index.md", "a](b", "https://x.org/(c)")) == r"[a\](b](https://x.org/%28c%29)"
    assert "-->" not in comment_text("x--><script>alert(1)</script>")
    code = code_literal('a"\n\u2028b\\')
    assert "\n" not in code and "\u2028" not in code and eval(code) == 'a"\n\u2028b\\'


def test_the_generated_note_cannot_close_its_comment(project: Path) -> None:
    catalog = load_catalog(project / "catalog")
    job = next(
        j for j in page_jobs(site(catalog, load_locks(catalog.root), "en")) if j.path.startswith("models/")
    )
    hostile = dataclasses.replace(job, make_source=lambda: "evil--><img src=x onerror=alert(1)>/x.yaml")
    lines = render_page(hostile, "en").text.splitlines()
    notes = [line for line in lines if "auto-generated from" in line]  # after the front matter, if any
    assert len(notes) == 1, lines[:8]
    note = notes[0]
    assert note.startswith("<!-- ") and note.endswith(" -->") and note.count("-->") == 1, note
    assert "<img" not in note


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project whose entry holds hostile but valid values, built and exported for real."""
    root = small_project(tmp_path_factory.mktemp("hostile"))
    path = root / "catalog" / "models" / f"{MODEL}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Bench model 0", "name: '<img src=x onerror=alert(1)> `x` [y](javascript:z)'")
    text = text.replace("organization: Bench", 'organization: \'=HYPERLINK("http://evil.example","x")\'')
    path.write_text(text, encoding="utf-8")
    result = run_mmcat("build", cwd=root)
    assert result.code == 0, result.out + result.err
    return root


def test_hostile_values_come_out_escaped_in_the_built_site(hostile_site: Path) -> None:
    for lang in ("", "zh/"):
        page = (hostile_site / "site" / lang / "models" / f"{MODEL}.html").read_text(encoding="utf-8")
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        assert 'href="javascript:' not in page
        home = (hostile_site / "site" / lang / "index.html").read_text(encoding="utf-8")
        assert "<img src=x" not in home


def test_csv_cells_that_start_a_formula_are_text(hostile_site: Path) -> None:
    rows = list(csv.DictReader((hostile_site / "site" / "api" / "models.csv").open(encoding="utf-8")))
    row = next(r for r in rows if r["id"] == MODEL)
    assert row["organization"] == '\'=HYPERLINK("http://evil.example","x")'
    for r in rows:
        for cell in r.values():
            assert not cell.startswith(("=", "+", "-", "@")), cell


TEMPLATES = REPO / "generator" / "site" / "pages" / "templates"
# What a template may mark safe: constants, the shared macros (which escape what they print) and
# values whose type allows no markup (a language code, a slug id, a recipe name from the registry).
SAFE_VALUES = {("lang",), ("c", "id"), ("o", "recipe"), ("link_items",)}


def _dotted(node: Any) -> tuple[str, ...] | None:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return (node.name,)
    if isinstance(node, nodes.Getattr):
        owner = _dotted(node.node)
        return (*owner, node.attr) if owner is not None else None
    return None


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.j2")))
def test_templates_mark_safe_only_what_cannot_hold_markup(template: str) -> None:
    """Every printed value is escaped (``finalize``) unless a helper made it Markup; ``|safe`` is
    kept to values that cannot hold markup, so a new field cannot bypass the escaping."""
    from jinja2 import nodes

    from generator.site.pages.render import environment

    env = environment()
    ast = env.parse((TEMPLATES / template).read_text(encoding="utf-8"))
    for node in ast.find_all(nodes.Filter):
        if node.name != "safe":
            continue
        value = node.node
        if isinstance(value, nodes.Const):
            continue
        if isinstance(value, nodes.Call) and _dotted(value.node) in {
            ("show", "link_items"),
            ("show", "outputs"),
        }:
            continue
        assert _dotted(value) in SAFE_VALUES, (template, value)
    assert env.autoescape is False and env.finalize is not None  # Markdown escaping, by finalize


def test_an_invisible_character_in_a_url_is_refused(project: Path) -> None:
    text = (project / DINO).read_text(encoding="utf-8")
    url = "https://huggingface.co/facebook/dinov2-small"
    line = text[: text.index(f"hub: {url}")].count("\n") + 1
    _edit(project, DINO, f"hub: {url}", f'hub: "{url}\\u202e/gpj.exe"')
    _refused(project, line, "links.hub")
