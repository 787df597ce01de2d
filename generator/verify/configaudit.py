"""Is a recorded config.json complete? Compared with what its transformers config class holds.

Runs in the verification worker (it needs transformers' config classes, not
torch). A record is *complete* when every sub-config of the class is present
and no field of the class (or of a sub-config) is missing, so that nothing
falls back to a default of the installed transformers. A copy cut short
("text_config stops at num_beam_groups") or without a sub-config ("no
vision_config") is therefore incomplete, whoever typed it, and the lists say
what is missing. Fields every config has (``PretrainedConfig``'s own, such as
``return_dict``) are not counted: they are not part of the architecture.
"""

from __future__ import annotations

from typing import Any

import transformers
from transformers.models.auto.configuration_auto import CONFIG_MAPPING

# Fields of transformers 5 that older config files spell differently.
LEGACY_SPELLINGS = {"rope_parameters": ("rope_theta", "rope_scaling"), "dtype": ("torch_dtype",)}


def _class_for(model_type: Any) -> Any:
    try:
        return CONFIG_MAPPING[model_type] if isinstance(model_type, str) else None
    except KeyError:
        return None


def _sub_config(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    """A sub-config by name; old files spell it ``<name>_dict`` (alone or next to it)."""
    parts = [data.get(name), data.get(f"{name}_dict")]
    found = [p for p in parts if isinstance(p, dict)]
    if not found:
        return None
    merged: dict[str, Any] = {}
    for part in found:
        merged.update(part)
    return merged


def _flat_layout(sub_cls: Any, data: dict[str, Any]) -> bool:
    """Whether most of a sub-config's own fields sit in ``data`` itself."""
    own = set(sub_cls().to_dict()) - set(transformers.PretrainedConfig().to_dict())
    return bool(own) and len(own & set(data)) * 2 >= len(own)


def _walk(
    cls: Any, data: dict[str, Any], where: str, missing: list[str], defaulted: dict[str, list[str]]
) -> None:
    base = set(transformers.PretrainedConfig().to_dict())
    expected = set(cls().to_dict()) - base
    for name, sub in (getattr(cls, "sub_configs", None) or {}).items():
        expected.discard(name)
        expected.discard(f"{name}_dict")
        value = _sub_config(data, name)
        sub_cls = sub if sub is not transformers.AutoConfig else None
        if value is None and sub_cls is not None and _flat_layout(sub_cls, data):
            value = data  # an older layout: the sub-config's fields at the top level (Qwen2-VL)
        if value is None:
            missing.append(where + name)
            continue
        sub_cls = sub_cls or _class_for(value.get("model_type"))
        if sub_cls is not None:
            _walk(sub_cls, value, f"{where}{name}.", missing, defaulted)
    present = set(data)
    present |= {canonical for alias, canonical in getattr(cls, "attribute_map", {}).items() if alias in data}
    present |= {new for new, old in LEGACY_SPELLINGS.items() if any(o in data for o in old)}
    absent = sorted(expected - present)
    if absent:
        defaulted[where.rstrip(".") or "(top level)"] = absent


def audit_config(config: dict[str, Any]) -> dict[str, Any]:
    """Compare a recorded config.json with its transformers config class.

    Returns:
        ``complete`` (bool), ``config_class`` (name or None), ``missing_sub_configs``
        (dotted names), ``defaulted`` (fields not recorded, by (sub-)config: they
        take the class defaults) and, when no class exists, ``reason``.
    """
    cls = _class_for(config.get("model_type"))
    if cls is None:
        return {
            "complete": False,
            "config_class": None,
            "reason": f"no config class for model_type {config.get('model_type')!r} "
            f"in transformers {transformers.__version__}",
        }
    missing: list[str] = []
    defaulted: dict[str, list[str]] = {}
    _walk(cls, config, "", missing, defaulted)
    return {
        "complete": not missing and not defaulted,
        "config_class": cls.__name__,
        "missing_sub_configs": missing,
        "defaulted": defaulted,
    }
