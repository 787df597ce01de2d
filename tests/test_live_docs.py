"""The live preview's docs tree: after any edit it equals a fresh render, and only what the
edit touches is read, rendered and written again."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.load import FileCache, load_catalog
from generator.errors import CatalogInvalid
from generator.site.engine.build import LiveDocs, Project, checked, docs_tree


def _fresh(project: Path) -> dict[str, bytes]:
    """What a full render of the project writes (a new process would see this)."""
    p = Project(project / "catalog")
    files = docs_tree(p, *checked(p))
    return {name: c.encode("utf-8") if isinstance(c, str) else c for name, c in files.items()}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def live(project: Path) -> LiveDocs:
    target = project / "build" / "docs"
    target.mkdir(parents=True)
    (target / "stale.md").write_text("left from an earlier preview", encoding="utf-8")
    docs = LiveDocs(Project(project / "catalog"), target)
    docs.update()
    return docs


def test_the_first_update_writes_the_whole_tree(project: Path, live: LiveDocs) -> None:
    assert _tree(live.target) == _fresh(project)  # stale.md removed, everything else written


def test_an_entry_edit_renders_its_pages_and_the_catalogue_wide_ones(project: Path, live: LiveDocs) -> None:
    before_mtimes = _mtimes(live.target)
    rendered = live.pages.rendered
    entry = project / "catalog" / "models" / "facebook" / "dinov2-small.yaml"
    _edit(entry, "name: DINOv2 ViT-S/14", "name: DINOv2 ViT-S/14 edited")
    changed = live.update()
    assert _tree(live.target) == _fresh(project)
    assert "en/models/facebook/dinov2-small.md" in changed and "zh/models/facebook/dinov2-small.md" in changed
    assert "en/index.md" in changed and "en/api/models.json" in changed
    # Other model pages were neither rendered again nor written.
    catalog = load_catalog(project / "catalog")
    models = len(catalog.models)
    # the leaderboards the model is on show its name: they are rendered again too, nothing else
    boards = len(
        {f.benchmark for r in catalog.results for f in r.obj.figures if f.model == "facebook/dinov2-small"}
    )
    again = live.pages.rendered - rendered
    assert again < 2 * (40 + boards) and again < 2 * models
    models_changed = [name for name in changed if name.startswith(("en/models/", "zh/models/"))]
    assert all("dinov2-small" in name for name in models_changed)
    after_mtimes = _mtimes(live.target)
    untouched = [name for name in before_mtimes if name not in changed]
    assert untouched and all(after_mtimes[name] == before_mtimes[name] for name in untouched)
    assert live.update() == []  # nothing changed since


def test_a_series_edit_renders_the_pages_of_its_models(project: Path, live: LiveDocs) -> None:
    series = project / "catalog" / "series" / "dinov2.yaml"
    text = series.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("  en: "))
    _edit(series, name, name + " (edited)")
    changed = live.update()
    assert _tree(live.target) == _fresh(project)
    assert "en/models/facebook/dinov2-small.md" in changed and "en/models/facebook/dinov2-giant.md" in changed


def test_a_lock_edit_renders_every_page_that_shows_it(project: Path, live: LiveDocs) -> None:
    hub = project / "catalog" / "lock" / "hub.json"
    lock = json.loads(hub.read_text(encoding="utf-8"))
    record = lock["models"]["facebook/dinov2-small"]
    record["downloads"] = (record.get("downloads") or 0) + 12345
    hub.write_text(json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    changed = live.update()
    assert _tree(live.target) == _fresh(project)
    assert "en/models/facebook/dinov2-small.md" in changed


def test_a_removed_entry_loses_its_pages_and_a_new_one_gets_them(project: Path, live: LiveDocs) -> None:
    # an entry with no reported results (one with figures cannot go alone: its figures name it)
    models = project / "catalog" / "models" / "facebook"
    entry = models / "webssl-dino300m-full2b-224.yaml"
    text = entry.read_text(encoding="utf-8")
    entry.unlink()
    changed = live.update()
    assert "en/models/facebook/webssl-dino300m-full2b-224.md" in changed
    assert not (live.target / "en/models/facebook/webssl-dino300m-full2b-224.md").exists()
    assert _tree(live.target) == _fresh(project)
    entry.write_text(text, encoding="utf-8")
    live.update()
    assert _tree(live.target) == _fresh(project)


def test_an_invalid_edit_leaves_the_tree_as_it_was(project: Path, live: LiveDocs) -> None:
    before = _tree(live.target)
    entry = project / "catalog" / "models" / "facebook" / "dinov2-small.yaml"
    _edit(entry, "name: DINOv2 ViT-S/14", "name: [unclosed")
    with pytest.raises(CatalogInvalid) as exc:
        live.update()
    assert "dinov2-small.yaml" in str(exc.value.errors[0])
    assert _tree(live.target) == before
    _edit(entry, "name: [unclosed", "name: DINOv2 ViT-S/14 fixed")
    assert "en/models/facebook/dinov2-small.md" in live.update()
    assert _tree(live.target) == _fresh(project)


def test_the_file_cache_reads_a_file_again_only_when_it_changed(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("one", encoding="utf-8")
    cache, reads = FileCache(), []

    def load(p: Path) -> list[str]:
        reads.append(p)
        return [p.read_text(encoding="utf-8")]

    first = cache.get(path, load)
    assert cache.get(path, load) is first and len(reads) == 1
    path.write_text("two", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even an edit that sets an old time is seen (size and time differ)
    assert cache.get(path, load) == ["two"] and len(reads) == 2


def test_compiled_templates_are_reused_and_never_stale() -> None:
    from jinja2 import DictLoader, Environment

    from generator.site.engine.template_cache import MemoryBytecodeCache

    cache = MemoryBytecodeCache()
    compiled = []

    class Counting(Environment):
        def _compile(self, source: str, filename: str) -> Any:
            compiled.append(filename)
            return super()._compile(source, filename)

    def render(source: str) -> str:
        env = Counting(loader=DictLoader({"page.html": source}), bytecode_cache=cache)
        return env.get_template("page.html").render(x=1)

    assert render("a{{ x }}") == "a1" and len(compiled) == 1
    assert render("a{{ x }}") == "a1" and len(compiled) == 1  # a new environment: no compiling
    assert render("b{{ x }}") == "b1" and len(compiled) == 2  # the template changed: compiled again
