"""The committed JSON Schema files (``catalog/schema/*.schema.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.atomic import write_text_atomic
from generator.catalog.results import quality_json_schemas
from generator.catalog.schema import json_schemas
from generator.errors import display_path
from generator.locks.schema import lock_json_schemas
from generator.site.export.api import api_json_schema


def _expected(catalog: Path) -> dict[Path, str]:
    folder = catalog / "schema"
    return {
        folder / f"{name}.schema.json": json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True)
        + "\n"
        for name, schema in {
            **json_schemas(),
            **quality_json_schemas(),
            **lock_json_schemas(),
            "api": api_json_schema(),
        }.items()
    }


def write_schema_files(catalog: Path) -> list[str]:
    """Write every schema file; return the paths written."""
    written = []
    for path, text in _expected(catalog).items():
        write_text_atomic(path, text)
        written.append(display_path(path))
    return written


def stale_schema_files(catalog: Path) -> list[str]:
    """Schema files that are missing or differ from the schema in code."""
    return [
        display_path(path)
        for path, text in _expected(catalog).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
