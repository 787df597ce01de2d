"""``mmcat new``: scaffold a model entry for a contributor to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.atomic import write_text_atomic
from generator.hub.ids import id_problem
from generator.locks.files import load_locks

TEMPLATE = """\
# yaml-language-server: $schema=../../schema/model.schema.json
# Scaffolded by `mmcat new`. Replace every TODO, then run `mmcat check`.
# Every fact needs a primary source under `sources` (config.json, model card, paper, official repo).
id: {id}
name: TODO display name
organization: TODO organisation
series: TODO-series-id          # a file in catalog/series/
category: cross-modal           # an id in catalog/categories.yaml
modalities: [image, text]
summary:
  en: TODO two to four sentences in English, in your own words.
  zh: TODO 用中文写两到四句话。
status: checkable
source:
  hub_id: {id}
  loader: transformers
{architecture}  trust_remote_code: false
license: TODO
links:
  hub: https://huggingface.co/{id}
papers: []
embeddings:                     # one item per output; recipes are listed in catalog/README.md
{embeddings}sources:
  - facts: [dim]
    url: https://huggingface.co/{id}/blob/main/config.json
"""


def _guess_embeddings(config: dict[str, Any]) -> str:
    """Embedding items pre-filled from a recorded config.json, as a starting point to check."""
    if "projection_dim" in config:
        dim = config["projection_dim"]
        return (
            f"  - {{name: image, modality: image, dim: {dim}, recipe: clip_image}}\n"
            f"  - {{name: text, modality: text, dim: {dim}, recipe: clip_text}}\n"
        )
    if "hidden_size" in config:
        return f"  - {{name: TODO, modality: TODO, dim: {config['hidden_size']}, recipe: TODO}}\n"
    return "  - {name: TODO, modality: TODO, dim: TODO, recipe: TODO}\n"


def scaffold(catalog: Path, model_id: str) -> Path:
    """Write ``catalog/models/<model_id>.yaml``; refuse to overwrite an existing entry.

    Raises:
        FileExistsError: the entry exists already.
        ValueError: ``model_id`` is not a Hub id (checked before any path is made from it), or
            the entry's path would leave ``catalog/models/``.
    """
    problem = id_problem(model_id)
    if problem:
        raise ValueError(f"{model_id!r} is not a Hugging Face id: it {problem}")
    org, _, name = model_id.partition("/")
    models = (catalog / "models").resolve()
    path = catalog / "models" / org / f"{name}.yaml"
    if models not in path.resolve().parents:
        raise ValueError(f"{model_id!r}: {path} is outside {catalog / 'models'}")
    if path.exists() or path.is_symlink():
        raise FileExistsError(str(path))
    record = load_locks(catalog).hub_record(model_id)
    config = (record.config if record is not None else None) or {}
    architectures = config.get("architectures") or []
    first = architectures[0] if isinstance(architectures, list) and architectures else None
    # Only a class name is copied from the lock into the YAML (never text that could add lines).
    architecture = f"  architecture: {first}\n" if isinstance(first, str) and first.isidentifier() else ""
    write_text_atomic(
        path, TEMPLATE.format(id=model_id, architecture=architecture, embeddings=_guess_embeddings(config))
    )
    return path
