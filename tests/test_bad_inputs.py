"""Bad input gets a clear ``file:line: field: message``, exit 1, no traceback, old site intact."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_mmcat

ENTRY = "catalog/models/test-org/test-model.yaml"

# A valid entry; the cases below each break one thing. Line numbers matter.
BASE = """\
id: test-org/test-model
name: Test model
organization: Test Org
series: streetclip
category: visual
modalities: [image]
summary:
  en: A model used by the tests.
  zh: 测试使用的模型。
status: checkable
source:
  hub_id: test-org/test-model
  loader: transformers
license: apache-2.0
release_date: 2024-01
papers: [dinov2]
links:
  code: https://example.org/code
embeddings:
  - name: cls
    modality: image
    dim: 384
    recipe: dinov2_cls
sources:
  - facts: [dim, license, release_date]
    url: https://example.org/config.json
"""


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


# (case id, edit of BASE, expected line, expected field, words of the message)
CASES: list[tuple[str, Callable[[str], str], int, str, str]] = [
    ("malformed-yaml", replace("modalities: [image]", "modalities: [image"), 7, "(file)", "invalid YAML"),
    (
        "duplicate-key",
        replace("license: apache-2.0", "license: apache-2.0\nlicense: mit"),
        15,
        "(file)",
        'duplicate key "license"',
    ),
    ("wrong-type", replace("dim: 384", "dim: large"), 22, "embeddings.0.dim", "integer"),
    ("non-positive-dim", replace("dim: 384", "dim: 0"), 22, "embeddings.0.dim", "greater than 0"),
    (
        "unknown-field",
        replace("name: Test model", "name: Test model\nnickname: tm"),
        3,
        "nickname",
        "unknown field",
    ),
    ("missing-translation", replace("  zh: 测试使用的模型。\n", ""), 7, "summary.zh", "Field required"),
    (
        "chinese-is-english",
        replace("zh: 测试使用的模型。", "zh: A model used by the tests."),
        9,
        "summary.zh",
        "no Chinese characters",
    ),
    (
        "english-is-chinese",
        replace("en: A model used by the tests.", "en: 测试模型。"),
        8,
        "summary.en",
        "contains Chinese characters",
    ),
    (
        "id-path-mismatch",
        replace("id: test-org/test-model", "id: test-org/other-model"),
        1,
        "id",
        "must equal the file path",
    ),
    (
        "dangling-series",
        replace("series: streetclip", "series: no-such-series"),
        4,
        "series",
        "unknown series 'no-such-series'",
    ),
    (
        "dangling-paper",
        replace("papers: [dinov2]", "papers: [no-such-paper]"),
        16,
        "papers.0",
        "unknown paper 'no-such-paper'",
    ),
    (
        "dangling-category",
        replace("category: visual", "category: gadgets"),
        5,
        "category",
        "unknown category 'gadgets'",
    ),
    (
        "non-http-link",
        replace("code: https://example.org/code", "code: ftp://example.org/code"),
        18,
        "links.code",
        "wrong form",
    ),
    (
        "javascript-link",
        replace("code: https://example.org/code", "code: javascript:alert(1)"),
        18,
        "links.code",
        "wrong form",
    ),
    (
        "unsafe-yaml-tag",
        replace("name: Test model", "name: !!python/object/apply:os.system ['true']"),
        2,
        "(file)",
        "is not allowed",
    ),
    (
        "remote-code-unpinned",
        replace("loader: transformers", "loader: transformers\n  trust_remote_code: true"),
        11,
        "source",
        "needs a pinned 40-hex revision",
    ),
    (
        "equivalent-with-own-loader",  # a transformers entry names its class in architecture
        replace("loader: transformers", "loader: transformers\n  equivalent_architecture: CLIPModel"),
        14,
        "source.equivalent_architecture",
        "loader transformers builds its own class",
    ),
    (
        "equivalent-not-in-transformers",  # the equivalent must be a class the library builds
        replace("loader: transformers", "loader: open_clip\n  equivalent_architecture: OpenClipVisionTower"),
        14,
        "source.equivalent_architecture",
        "'OpenClipVisionTower' is not a model class of transformers",
    ),
    (
        "equivalent-with-remote-code",
        replace(
            "loader: transformers",
            "loader: open_clip\n  equivalent_architecture: CLIPModel\n  trust_remote_code: true",
        ),
        11,
        "source",
        "cannot need remote code",
    ),
    (
        "bad-revision",
        replace("loader: transformers", "loader: transformers\n  revision: main"),
        14,
        "source.revision",
        "wrong form",
    ),
    (
        "unknown-recipe",
        replace("recipe: dinov2_cls", "recipe: magic"),
        23,
        "embeddings.0.recipe",
        "unknown recipe 'magic'",
    ),
    (
        "shape-not-ending-in-dim",
        replace("dim: 384", "dim: 384\n    shape: [256, 768]"),
        20,
        "embeddings.0",
        "ending in dim 384",
    ),
    (
        "unsourced-dim",
        replace("facts: [dim, license, release_date]", "facts: [license, release_date]"),
        1,
        "(file)",
        "no source given for: dim",
    ),
    ("missing-required-field", replace("license: apache-2.0\n", ""), 1, "license", "Field required"),
    (
        "status-without-reason",
        replace("status: checkable", "status: not-checkable"),
        1,
        "(file)",
        "status_reason is required",
    ),
    (
        "bad-date",
        replace("release_date: 2024-01", "release_date: January 2024"),
        15,
        "release_date",
        "wrong form",
    ),
    (
        "unknown-modality",
        replace("modality: image", "modality: smell"),
        21,
        "embeddings.0.modality",
        "must be one of",
    ),
    (
        "zh-space-between-chinese",
        replace("zh: 测试使用的模型。", "zh: 测试使用的 模型。"),
        9,
        "summary.zh",
        "stray ASCII space in Chinese text",
    ),
    (
        "zh-space-after-fullwidth-punctuation",
        replace("zh: 测试使用的模型。", "zh: 测试， 使用的模型。"),
        9,
        "summary.zh",
        "stray ASCII space in Chinese text",
    ),
    (
        "zh-folded-line",  # a folded plain scalar reads back with a space at the fold
        replace("  zh: 测试使用的模型。", "  zh: 测试使用的\n    模型。"),
        9,
        "summary.zh",
        "stray ASCII space in Chinese text",
    ),
    (
        "parameters-note-without-parameters",
        replace("release_date: 2024-01", "release_date: 2024-01\nparameters_note: {en: Why., zh: 原因。}"),
        1,
        "(file)",
        "give parameters too",
    ),
    ("tab-indent", replace("  loader: transformers", "\tloader: transformers"), 13, "(file)", "invalid YAML"),
    (
        "yaml-alias",
        replace("name: Test model", "name: &n Test model\norganization_alias: *n"),
        3,
        "(file)",
        "anchors and aliases are not allowed",
    ),
    # YAML that parses but does not construct, or constructs into a surprise (issue 18 item 5).
    (
        "impossible-date",
        replace("release_date: 2024-01", "release_date: 2023-02-30"),
        15,
        "(file)",
        "not a date",
    ),
    ("year-zero", replace("release_date: 2024-01", "release_date: 0000-01-01"), 15, "(file)", "not a date"),
    (
        "quoted-impossible-date",
        replace("release_date: 2024-01", "release_date: '2023-02-30'"),
        15,
        "release_date",
        "not a day of the calendar",
    ),
    ("int-tag-on-text", replace("dim: 384", "dim: !!int abc"), 22, "(file)", "not an integer"),
    (
        "bool-tag-on-text",
        replace("papers: [dinov2]", "papers: [dinov2]\ngated: !!bool maybe"),
        17,
        "(file)",
        "not true or false",
    ),
    ("dim-true", replace("dim: 384", "dim: true"), 22, "embeddings.0.dim", ""),
    ("dim-quoted", replace("dim: 384", "dim: '384'"), 22, "embeddings.0.dim", ""),
    ("dim-base-60", replace("dim: 384", "dim: 6:24"), 22, "(file)", "base-60"),
    ("dim-octal", replace("dim: 384", "dim: 0600"), 22, "(file)", "plain decimal"),
    (
        "modality-twice",
        replace("modalities: [image]", "modalities: [image, image]"),
        6,
        "modalities",
        "more than once",
    ),
    ("paper-twice", replace("papers: [dinov2]", "papers: [dinov2, dinov2]"), 16, "papers", "more than once"),
    # Pathological files: each is an error at its line, never a crash.
    (
        "nested-5000-deep",
        replace("papers: [dinov2]", "papers: [dinov2]\ndeep: " + "[" * 5000 + "]" * 5000),
        17,
        "(file)",
        "nest",  # ours ("nested more than 32 levels deep") or PyYAML's, whichever layer stops it first
    ),
    ("nul-byte", replace("name: Test model", "name: Test\x00model"), 2, "(file)", "control characters"),
    ("very-long-line", replace("name: Test model", "name: " + "x" * 200_000), 2, "name", "at most 5000"),
    (
        "thousands-of-keys",
        replace("name: Test model", "name: Test model\n" + "".join(f"x{i}: 1\n" for i in range(5000))),
        5002,
        "x4999",
        "unknown field",
    ),
]


@pytest.fixture
def broken_project(project: Path) -> Callable[[Callable[[str], str]], Path]:
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("OLD SITE", encoding="utf-8")
    (site / ".mmcat-output").write_text("a site an earlier build wrote", encoding="utf-8")

    def write(edit: Callable[[str], str]) -> Path:
        entry = project / ENTRY
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(edit(BASE), encoding="utf-8")
        return project

    return write


def test_base_entry_is_valid(broken_project: Callable[[Callable[[str], str]], Path]) -> None:
    project = broken_project(lambda text: text)
    result = run_mmcat("check", cwd=project)
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("edit", "line", "field", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input(
    broken_project: Callable[[Callable[[str], str]], Path],
    edit: Callable[[str], str],
    line: int,
    field: str,
    words: str,
) -> None:
    project = broken_project(edit)
    result = run_mmcat("build", cwd=project)
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    prefix = f"{ENTRY}:{line}: {field}: "
    matching = [entry for entry in lines if entry.startswith(prefix)]
    assert matching, f"no line starting with {prefix!r} in:\n{result.err}"
    assert any(words in entry for entry in matching), result.err
    assert lines[-1].endswith("nothing was written.")
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "OLD SITE"
    assert sorted(p.name for p in (project / "site").iterdir()) == [".mmcat-output", "index.html"]
    assert not list(project.glob(".site.new-*"))


def test_duplicate_arxiv_id_across_papers(project: Path) -> None:
    papers = sorted((project / "catalog" / "papers").glob("*.yaml"))
    source = papers[0].read_text(encoding="utf-8")
    twin = project / "catalog" / "papers" / "zz-twin.yaml"
    twin.write_text(source.replace(f"id: {papers[0].stem}\n", "id: zz-twin\n"), encoding="utf-8")
    result = run_mmcat("check", cwd=project)
    assert result.code == 1
    assert "catalog/papers/zz-twin.yaml:" in result.err
    assert "is used more than once" in result.err


def test_not_utf8(project: Path) -> None:
    entry = project / ENTRY
    entry.parent.mkdir(parents=True)
    entry.write_bytes(BASE.encode("utf-16"))
    result = run_mmcat("check", cwd=project)
    assert result.code == 1
    assert f"{ENTRY}:1: (file): not UTF-8 text" in result.err


def test_every_error_is_listed(broken_project: Callable[[Callable[[str], str]], Path]) -> None:
    def two_faults(text: str) -> str:
        return text.replace("dim: 384", "dim: -1").replace("https://example.org/code", "ftp://x")

    project = broken_project(two_faults)
    other = project / "catalog" / "series" / "zz-broken.yaml"
    other.write_text("id: zz-broken\nname: {en: X, zh: X}\n", encoding="utf-8")
    result = run_mmcat("check", cwd=project)
    assert result.code == 1
    assert f"{ENTRY}:22: embeddings.0.dim:" in result.err
    assert f"{ENTRY}:18: links.code:" in result.err
    assert "catalog/series/zz-broken.yaml:1: category: Field required" in result.err
    assert "4 errors: nothing was written." in result.err


def _broken_file(project: Path, kind: str) -> Path:
    target = project / "catalog" / "models" / "test-org" / "odd.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "folder":
        target.mkdir()
        (target / "x.txt").write_text("x", encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "dangling-link":
        target.symlink_to(project / "nowhere.yaml")
    return target


@pytest.mark.parametrize("kind", ["folder", "fifo", "dangling-link"])
def test_a_yaml_name_that_is_not_a_file(project: Path, kind: str) -> None:
    """A folder, a FIFO (reading it would hang) or a broken link named *.yaml: a clean error."""
    _broken_file(project, kind)
    result = run_mmcat("check", cwd=project)
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert "catalog/models/test-org/odd.yaml:1: (file): " in result.err, result.err


def test_ids_differing_only_in_case(project: Path) -> None:
    """Two entries whose ids differ only in case would share a page on a case-insensitive disk."""
    source = project / "catalog" / "models" / "facebook" / "dinov2-small.yaml"
    twin = project / "catalog" / "models" / "facebook" / "DINOv2-small.yaml"
    twin.write_text(
        source.read_text(encoding="utf-8").replace("dinov2-small", "DINOv2-small"), encoding="utf-8"
    )
    result = run_mmcat("check", cwd=project)
    assert result.code == 1, result.out
    assert "catalog/models/facebook/DINOv2-small.yaml:" in result.err
    assert "differ only in case" in result.err, result.err
