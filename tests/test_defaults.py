"""Family defaults: a series' ``defaults`` merged under its members, errors at the line holding the value."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.catalog.defaults import merge_entry
from generator.catalog.load import FileCache, load_catalog
from generator.catalog.yamlfile import parse_yaml
from generator.errors import CatalogInvalid

FAMILY = """\
id: fam
name: {en: Fam, zh: Fam 系列}
category: visual
summary: {en: A family., zh: 一个系列。}
defaults:
  organization: Example Lab
  category: visual
  modalities: [image]
  status: checkable
  source:
    revision: null
    loader: transformers
    architecture: Dinov2Model
  license: apache-2.0
  papers: [dinov2]
  embeddings:
    - name: cls
      modality: image
      recipe: dinov2_cls
    - name: patch
      modality: image
      recipe: dinov2_patch
  summary_shared:
    en: Every member shares this paragraph.
    zh: 每个成员共享这一段。
  sources:
    - facts: [license]
      url: https://example.org/LICENSE
"""

MEMBER = """\
id: example/fam-small
name: Fam small
series: fam
summary: {en: The small one., zh: 小型号。}
source:
  hub_id: example/fam-small
embeddings:
  - name: cls
    dim: 384
  - name: patch
    omit: true
sources:
  - facts: [dim]
    url: https://example.org/config.json
"""


def test_merge_rules() -> None:
    merged = merge_entry(parse_yaml(MEMBER), "m.yaml", parse_yaml(FAMILY), "s.yaml")
    data = merged.data
    assert data["organization"] == "Example Lab"
    # mappings merge key by key, the entry's keys kept
    assert data["source"] == {
        "hub_id": "example/fam-small",
        "revision": None,
        "loader": "transformers",
        "architecture": "Dinov2Model",
    }
    # embeddings merge by name; omit drops the family's patch output
    assert data["embeddings"] == [{"name": "cls", "modality": "image", "recipe": "dinov2_cls", "dim": 384}]
    # sources concatenate, the family's first
    assert [s["url"] for s in data["sources"]] == [
        "https://example.org/LICENSE",
        "https://example.org/config.json",
    ]
    # the shared paragraph is appended to the member's own summary
    assert data["summary"]["en"] == "The small one.\n\nEvery member shares this paragraph."
    assert data["summary"]["zh"].endswith("每个成员共享这一段。")
    # every value knows its file and line
    assert merged.origin_of(("license",)) == (
        "s.yaml",
        FAMILY.splitlines().index("  license: apache-2.0") + 1,
    )
    assert merged.origin_of(("embeddings", 0, "dim"))[0] == "m.yaml"
    assert merged.origin_of(("embeddings", 0, "recipe"))[0] == "s.yaml"
    assert ("license",) in merged.family and ("name",) not in merged.family


def _project_with_family(project: Path, family: str = FAMILY, member: str = MEMBER) -> tuple[Path, Path]:
    series = project / "catalog" / "series" / "fam.yaml"
    series.write_text(family, encoding="utf-8")
    entry = project / "catalog" / "models" / "example" / "fam-small.yaml"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(member, encoding="utf-8")
    return series, entry


def test_a_member_validates_merged_and_knows_what_came_from_the_family(project: Path) -> None:
    _project_with_family(project)
    catalog = load_catalog(project / "catalog")
    located = next(m for m in catalog.models if m.obj.id == "example/fam-small")
    assert located.obj.license == "apache-2.0"
    assert located.obj.source.loader == "transformers"
    assert {"license", "organization", "embeddings.0.recipe"} <= located.from_family
    assert "name" not in located.from_family and "embeddings.0.dim" not in located.from_family


def test_an_error_points_at_the_file_holding_the_value(project: Path) -> None:
    series, entry = _project_with_family(
        project, FAMILY.replace("license: apache-2.0", "license: Not A Licence")
    )
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(project / "catalog")
    errors = [e for e in caught.value.errors if e.field == "license"]
    assert len(errors) == 1
    assert errors[0].path.endswith("series/fam.yaml")
    assert errors[0].line == series.read_text().splitlines().index("  license: Not A Licence") + 1
    # the same mistake in the entry points at the entry
    series.write_text(FAMILY, encoding="utf-8")
    entry.write_text(MEMBER.replace("    dim: 384", "    dim: -384"), encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(project / "catalog")
    (error,) = [e for e in caught.value.errors if e.field.endswith("dim")]
    assert error.path.endswith("models/example/fam-small.yaml")
    assert error.line == entry.read_text().splitlines().index("    dim: -384") + 1


def test_editing_the_family_gives_its_members_new_objects(project: Path) -> None:
    series, _ = _project_with_family(project)
    cache = FileCache()
    first = load_catalog(project / "catalog", cache).model_map["example/fam-small"]
    again = load_catalog(project / "catalog", cache).model_map["example/fam-small"]
    assert again is first  # unchanged files: the same object (the live preview keeps its page)
    series.write_text(FAMILY.replace("Example Lab", "Example Research"), encoding="utf-8")
    stat = series.stat()
    os.utime(series, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    edited = load_catalog(project / "catalog", cache).model_map["example/fam-small"]
    assert edited is not first and edited.organization == "Example Research"


NEAR_COPY_LIMIT = 2000


def test_no_entry_is_a_copy_of_another_with_numbers_changed() -> None:
    # What an entry writes itself (its family's defaults apart), with ids, names, Hub links and
    # every digit blanked. Siblings that differ only in numbers are what family defaults are for:
    # they may state their own sizes and a short source, but more than NEAR_COPY_LIMIT characters
    # written twice with other numbers is a copy whose shared part belongs in the series file.
    import json
    import re

    import yaml

    from tests.conftest import CATALOG

    seen: dict[str, str] = {}
    for path in sorted((CATALOG / "models").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("id", "name", "links"):
            data.pop(key, None)
        data.get("source", {}).pop("hub_id", None)
        text = re.sub(r"\d+", "#", json.dumps(data, sort_keys=True, ensure_ascii=False, default=str))
        other = seen.setdefault(text, path.name)
        assert other == path.name or len(text) <= NEAR_COPY_LIMIT, (
            f"{path.name} is {other} with numbers changed ({len(text)} characters): use the family defaults"
        )


def test_the_model_page_marks_facts_from_the_family() -> None:
    from generator.site.views.model import family_marks

    marks = family_marks(frozenset({"license", "source.loader", "embeddings.0.recipe"}), "en")
    assert marks["mark"]["license"] and marks["mark"]["loader"]
    assert not marks["mark"]["organization"]
    assert "†" in marks["family_legend"]
    assert family_marks(frozenset(), "zh")["family_legend"] == ""
