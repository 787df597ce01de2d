"""What makes the build fast keeps its behaviour: the languages built at once give the site the
serial build gave, a build with nothing changed leaves the site as it is, any changed input
builds again, and model pages are indexed for search without their sources."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from generator.locks.files import write_lock
from generator.site.engine import buildstamp
from generator.site.engine.build import Project, render_to, site_is_current
from generator.site.engine.mkdocs_build import build_language, build_languages
from generator.site.engine.mkdocs_hooks import read_search_index, searchable_html
from generator.site.i18n import LANGS
from tests.conftest import REPO, run_mmcat, small_project


def _state(site: Path) -> dict[str, tuple[int, int, int]]:
    """Each file of ``site`` with its inode, size and modification time."""
    return {
        p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_size, p.stat().st_mtime_ns)
        for p in site.rglob("*")
        if p.is_file()
    }


def test_parallel_languages_give_the_serial_site(tmp_path: Path) -> None:
    project = Project(small_project(tmp_path) / "catalog")
    docs = tmp_path / "md"
    render_to(project, docs)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    # The plugin's own way: the default language, then the others inside its on_post_build.
    assert build_language(str(project.config), str(docs), str(serial), None).problems == []
    assert build_languages(project.config, docs, parallel, LANGS) == []
    files = sorted(p.relative_to(serial).as_posix() for p in serial.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(parallel).as_posix() for p in parallel.rglob("*") if p.is_file())
    assert "zh/models/bench/model-0001.html" in files
    for name in files:
        a, b = (serial / name).read_bytes(), (parallel / name).read_bytes()
        if name in ("404.html", "zh/404.html"):
            # The serial build's 404 pages offer the last page it built in the language switch.
            continue
        if name.endswith(".gz"):
            a, b = gzip.decompress(a), gzip.decompress(b)
        assert a == b, name
    for root in (parallel, parallel / "zh"):  # one index per language, shipped once as a script
        index = read_search_index(root)
        assert any(doc["location"] == "models/bench/model-0001.html" for doc in index["docs"])
        assert not (root / "search" / "search_index.json").exists()


def test_a_build_with_nothing_changed_leaves_the_site_as_it_is(tmp_path: Path) -> None:
    # The size of the catalogue is not what is tested here (tests/test_site.py builds the real one).
    project = small_project(tmp_path)
    first = run_mmcat("build", cwd=project)
    assert first.code == 0 and first.out.startswith("built ")
    before = _state(project / "site")
    again = run_mmcat("build", cwd=project)
    assert again.code == 0
    assert again.out.startswith("unchanged since the last build")
    assert _state(project / "site") == before
    # --force builds anyway: a new site folder, new files.
    forced = run_mmcat("build", "--force", cwd=project)
    assert forced.code == 0 and forced.out.startswith("built ")
    after = _state(project / "site")
    assert after.keys() == before.keys()
    assert all(after[name][0] != before[name][0] for name in before)


def test_each_changed_input_builds_again(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    catalog = project / "catalog"
    write_lock(catalog / "lock" / "checks.json", {"models": {}})
    assert run_mmcat("build", cwd=project).code == 0
    assert site_is_current(catalog)
    entry = catalog / "models" / "bench" / "model-0000.yaml"
    inputs = [
        entry,
        catalog / "lock" / "checks.json",
        project / "docs" / "zh" / "metrics.md",
        project / "mkdocs.yml",
    ]
    for path in inputs:
        text = path.read_bytes()
        path.write_bytes(text + b"\n")
        assert not site_is_current(catalog), path
        path.write_bytes(text)
        assert site_is_current(catalog), path
    # A new file counts, and so does a site changed by hand.
    extra = project / "docs" / "en" / "extra.txt"
    extra.write_text("x", encoding="utf-8")
    assert not site_is_current(catalog)
    extra.unlink()
    (project / "site" / "metrics.html").unlink()
    assert not site_is_current(catalog)
    # The rebuilt site shows the change.
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("name: Bench model 0\n", "name: Bench model renamed\n"),
        encoding="utf-8",
    )
    result = run_mmcat("build", cwd=project)
    assert result.code == 0 and result.out.startswith("built ")
    page = project / "site" / "models" / "bench" / "model-0000.html"
    assert "Bench model renamed" in page.read_text(encoding="utf-8")
    assert site_is_current(catalog)


def test_the_generators_own_code_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "generator"
    code.mkdir()
    (code / "render.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(buildstamp, "GENERATOR", code)
    args = (REPO / "catalog", REPO / "docs", REPO / "mkdocs.yml")
    digest = buildstamp.input_digest(*args)
    assert buildstamp.input_digest(*args) == digest
    (code / "render.py").write_text("A = 2\n", encoding="utf-8")
    assert buildstamp.input_digest(*args) != digest
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "render.pyc").write_bytes(b"\0")
    assert buildstamp.input_digest(*args) == buildstamp.input_digest(*args)


def test_a_broken_chinese_page_fails_the_build_and_keeps_the_old_site(built_copy: Path) -> None:
    # The Chinese pages are built in a child process: its warnings still fail the build.
    project = built_copy  # a project with the site built by `mmcat build`
    assert (project / "site" / "zh" / "metrics.html").is_file()
    before = _state(project / "site")
    page = project / "docs" / "zh" / "metrics.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](no-such-zh-page.md)\n", encoding="utf-8")
    result = run_mmcat("build", cwd=project)
    assert result.code == 1
    assert "mkdocs.yml:1: mkdocs:" in result.err
    assert "no-such-zh-page.md" in result.err
    assert "Traceback" not in result.err
    assert _state(project / "site") == before
    assert not list(project.glob(".site.*")), "a temporary folder was left behind"


def test_searchable_html_leaves_out_a_section() -> None:
    html = (
        '<h1 id="m">M</h1><p>intro</p><h2 id="outputs">Outputs</h2><p>dims</p>'
        '<h2 id="sources">Sources</h2><ul><li>card</li></ul><h3 id="x">x</h3><p>more</p>'
        '<h2 id="after">After</h2><p>kept</p>'
    )
    out = searchable_html(html, ["sources"])
    kept = '<h1 id="m">M</h1><p>intro</p><h2 id="outputs">Outputs</h2><p>dims</p>'
    assert out == kept + '<h2 id="after">After</h2><p>kept</p>'
    assert searchable_html(html, ["missing"]) == html
    assert searchable_html('<p>a</p><h2 id="来源">来源</h2><p>b</p>', ["来源"]) == "<p>a</p>"


@pytest.mark.parametrize("langs", [["en"], ["zh"], ["en", "zh"]])
def test_hand_written_pages_in_the_way_of_generated_ones_are_errors(project: Path, langs: list[str]) -> None:
    # The second language's pages are rendered by the worker process: its errors come back whole.
    for lang in langs:
        clash = project / "docs" / lang / "models" / "facebook" / "dinov2-small.md"
        clash.parent.mkdir(parents=True, exist_ok=True)
        clash.write_text("# mine\n", encoding="utf-8")
    result = run_mmcat("build", cwd=project)
    assert result.code == 1
    for lang in langs:
        where = f"docs/{lang}/models/facebook/dinov2-small.md:1: (file)"
        assert f"{where}: clashes with a generated page" in result.err
    assert "Traceback" not in result.err
    assert not (project / "site").exists()
