"""A throw-away catalogue of N synthetic models, for the benchmarks."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

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


def make_catalog(root: Path, n: int) -> Path:
    """Write ``root/catalog`` with the real categories/topics, one series, one paper and N models."""
    catalog = root / "catalog"
    catalog.mkdir()
    for name in ("categories.yaml", "topics.yaml"):
        shutil.copy(REPO / "catalog" / name, catalog / name)
    for folder, item in (("series", "dinov2"), ("papers", "dinov2")):
        (catalog / folder).mkdir()
        shutil.copy(REPO / "catalog" / folder / f"{item}.yaml", catalog / folder / f"{item}.yaml")
    models = catalog / "models" / "bench"
    models.mkdir(parents=True)
    for i in range(n):
        (models / f"model-{i:04d}.yaml").write_text(ENTRY.format(i=i), encoding="utf-8")
    return catalog
