"""Throw-away catalogues for the benchmarks: N synthetic models, or N copies of a real entry."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

ENTRY = """\
id: bench/model-{i:04d}
name: Bench model {i}
organization: Bench
series: dinov2
category: visual
modalities: [image]
summary: {{en: A synthetic model for the benchmark., zh: 基准测试用的合成模型。}}
status: checkable
source: {{hub_id: bench/model-{i:04d}, loader: transformers}}
license: apache-2.0
embeddings:
  - {{name: cls, modality: image, dim: 384, recipe: dinov2_cls}}
sources:
  - {{facts: [dim, license], url: "https://example.org/{i}"}}
"""

# The richest model page of the catalogue (long summary, parameter note, five sources, two outputs).
GME = "Alibaba-NLP/gme-Qwen2-VL-7B-Instruct"


def make_catalog(root: Path, n: int, source: Path) -> Path:
    """Write ``root/catalog`` with N models and, from the real catalogue at ``source``, its
    categories, topics, one series and one paper."""
    catalog = root / "catalog"
    catalog.mkdir()
    for name in ("categories.yaml", "topics.yaml"):
        shutil.copy(source / name, catalog / name)
    for folder, item in (("series", "dinov2"), ("papers", "dinov2")):
        (catalog / folder).mkdir()
        shutil.copy(source / folder / f"{item}.yaml", catalog / folder / f"{item}.yaml")
    # The synthetic entries are complete: the series keeps its texts, not its family defaults.
    series = catalog / "series" / "dinov2.yaml"
    text = series.read_text(encoding="utf-8")
    series.write_text(text.split("\ndefaults:", 1)[0] + "\n", encoding="utf-8")
    models = catalog / "models" / "bench"
    models.mkdir(parents=True)
    for i in range(n):
        (models / f"model-{i:04d}.yaml").write_text(ENTRY.format(i=i), encoding="utf-8")
    return catalog


def copy_id(i: int) -> str:
    """The id of the ``i``-th copy (from 1) written by :func:`make_copies_catalog`."""
    return f"bench/gme-{i:04d}"


def make_copies_catalog(root: Path, n: int, source: Path, model_id: str = GME) -> Path:
    """Copy the real catalogue at ``source`` to ``root/catalog`` and add N copies of one entry.

    The copies (ids ``bench/gme-0001``...) keep every field of the entry, and the locks get a
    copy of the entry's Hub and check records, so each copy's page is as rich as the original's.
    """
    catalog = root / "catalog"
    shutil.copytree(source, catalog)
    text = (source / "models" / f"{model_id}.yaml").read_text(encoding="utf-8")
    models = catalog / "models" / "bench"
    models.mkdir(parents=True)
    for i in range(1, n + 1):
        copy = text.replace(f"id: {model_id}\n", f"id: {copy_id(i)}\n", 1)
        copy = copy.replace(f"hub_id: {model_id}\n", f"hub_id: {copy_id(i)}\n", 1)
        (models / f"gme-{i:04d}.yaml").write_text(copy, encoding="utf-8")
    for name in ("hub.json", "checks.json"):
        path = catalog / "lock" / name
        if not path.exists():
            continue
        lock = json.loads(path.read_text(encoding="utf-8"))
        records = lock.get("models", {})
        if model_id in records:
            records.update({copy_id(i): records[model_id] for i in range(1, n + 1)})
            path.write_text(json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    return catalog
