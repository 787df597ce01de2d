"""A throw-away catalogue of N synthetic models, for the benchmarks."""

from __future__ import annotations

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
    models = catalog / "models" / "bench"
    models.mkdir(parents=True)
    for i in range(n):
        (models / f"model-{i:04d}.yaml").write_text(ENTRY.format(i=i), encoding="utf-8")
    return catalog
