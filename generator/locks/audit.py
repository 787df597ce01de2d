"""Checks across the catalogue and its locks: claims in the locks must match what is computed.

Torch-free. ``mmcat check`` and ``mmcat build`` run these after the
catalogue itself is valid:

- **Copy origin.** A recorded config.json came from the Hub at a sha, from the
  model's own repository page (copied by hand), from a third-party mirror, or
  was reconstructed from other sources. :func:`config_origin` derives it from
  the record's provenance URL and method; a typed ``config_origin`` that says
  otherwise is an error.
- **Completeness.** The config tier (``mmcat verify --tier config``) compares
  each recorded config with its transformers config class and writes the
  result into its record in ``checks.json`` (``config_audit``). A
  ``config_complete`` claim in ``hub.json`` that disagrees, or that no audit
  supports, is an error. A config whose ``auto_map`` names an ``AutoConfig``
  has its class in remote code (:func:`config_class_is_remote`): it cannot be
  shown complete, and a ``config_builds_in_transformers`` that says otherwise
  is an error.
- **Parameters.** A declared ``parameters`` more than 1 % away from the count
  the config tier built needs a bilingual ``parameters_note`` saying why.
"""

from __future__ import annotations

from typing import Any

from generator.catalog.validated import Catalog
from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.locks.files import Locks, json_line, load_locks
from generator.locks.schema import ConfigAudit, ConfigOrigin, HubRecord

PARAMETER_TOLERANCE = 0.01
METHODS = ("verbatim", "reconstructed")


def config_origin(hub_id: str | None, record: HubRecord) -> ConfigOrigin | None:
    """Where the recorded config.json came from.

    Kinds: ``hub`` (downloaded by ``mmcat refresh`` at a sha), ``own-repository``
    (copied by hand from the model's own Hub repository), ``mirror`` (a verbatim
    copy from any other place) and ``reconstructed`` (assembled from code,
    papers or related configs). None when no config is recorded.
    """
    if record.config is None:
        return None
    provenance = record.provenance.get("config") or ""
    if provenance.startswith("hub@"):
        sha = provenance.removeprefix("hub@")
        return ConfigOrigin(kind="hub", url=f"https://huggingface.co/{hub_id}/blob/{sha}/config.json")
    url = provenance.removeprefix("manual:")
    own = hub_id is not None and (
        url.startswith(f"https://huggingface.co/{hub_id}/") or url == f"https://huggingface.co/{hub_id}"
    )
    if (record.config_method or "").startswith("reconstructed"):
        return ConfigOrigin(kind="reconstructed", url=url)
    return ConfigOrigin(kind="own-repository" if own else "mirror", url=url)


def config_class_is_remote(config: dict[str, Any]) -> bool:
    """Whether a config.json names its own config class in remote code (``auto_map.AutoConfig``).

    transformers then builds the config from the repository's code, not from
    the class its ``model_type`` names, so no transformers class describes it.
    The one place that decides this for the locks (``config_builds_in_transformers``
    in hub.json records the same, and :func:`lock_errors` checks that it agrees).
    """
    auto_map = config.get("auto_map")
    return isinstance(auto_map, dict) and "AutoConfig" in auto_map


def config_completeness(model_id: str, locks: Locks) -> ConfigAudit | None:
    """The computed completeness of a model's recorded config, or None when not computed.

    It is the config tier's ``config_audit``; a config whose class is remote
    code has no transformers class to compare with, so it cannot be shown complete.
    """
    checks = locks.model_checks(model_id)
    tier = checks.tiers.config if checks is not None else None
    if tier is not None and tier.config_audit is not None:
        return tier.config_audit
    record = locks.hub_record(model_id)
    if record is not None and record.config is not None and config_class_is_remote(record.config):
        return ConfigAudit(complete=False, reason="the config class needs remote code")
    return None


def _hub_record_errors(model_id: str, hub_id: str | None, record: HubRecord, locks: Locks) -> list[str]:
    """Problems of one hub.json record, each as ``key: message``."""
    problems = []
    method = record.config_method
    if method is not None and not method.startswith(METHODS):
        problems.append(f"config_method: must start with {' or '.join(METHODS)!r} (how the copy was made)")
    origin = config_origin(hub_id, record)
    if "config_origin" in record.model_fields_set and record.config_origin != origin:
        was, derived = _shown(record.config_origin), _shown(origin)
        problems.append(f"config_origin: recorded {was}, but the provenance gives {derived}")
    builds = record.config_builds_in_transformers
    if builds is not None and record.config is not None and builds == config_class_is_remote(record.config):
        problems.append(
            f"config_builds_in_transformers: recorded {builds}, but the config's auto_map "
            + ("names no AutoConfig" if builds is False else "names its AutoConfig in remote code")
        )
    claim = record.config_complete
    if claim is not None:
        computed = config_completeness(model_id, locks)
        if computed is None and claim:
            problems.append(
                "config_complete: true is not confirmed: run `mmcat verify --tier config`, "
                "which compares the config with its transformers class"
            )
        elif computed is not None and claim != computed.complete:
            problems.append(
                f"config_complete: recorded {claim}, but the config tier computed {describe(computed)}"
            )
    return problems


def _shown(origin: ConfigOrigin | None) -> dict[str, str | None] | None:
    """An origin as the error message shows it."""
    return origin.model_dump() if origin is not None else None


def describe(audit: ConfigAudit) -> str:
    """One line saying what a computed audit found."""
    if audit.complete:
        return f"complete ({audit.config_class})"
    if audit.reason:
        return f"incomplete: {audit.reason}"
    parts = []
    if audit.missing_sub_configs:
        parts.append("missing " + ", ".join(audit.missing_sub_configs))
    for where, fields in sorted(audit.defaulted.items()):
        parts.append(f"{where} lacks {len(fields)} field{'s' if len(fields) != 1 else ''}")
    return "incomplete: " + "; ".join(parts)


def lock_errors(catalog: Catalog, locks: Locks) -> list[CatalogError]:
    """Claims in ``lock/hub.json`` that disagree with what is computed."""
    path = catalog.root / "lock" / "hub.json"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    errors = []
    for model_id, record in sorted(locks.hub_records.items()):
        model = catalog.model_map.get(model_id)
        hub_id = model.source.hub_id if model is not None else model_id
        for problem in _hub_record_errors(model_id, hub_id, record, locks):
            key, _, message = problem.partition(": ")
            line = json_line(text, model_id, key)
            errors.append(CatalogError(display_path(path), line, f"models.{model_id}.{key}", message))
    return errors


def parameter_errors(catalog: Catalog, locks: Locks) -> list[CatalogError]:
    """Declared parameter counts far from the built count without a reason."""
    errors = []
    for located in catalog.models:
        model = located.obj
        checks = locks.model_checks(model.id)
        built = checks.parameters if checks is not None else None
        if model.parameters is None or not built or model.parameters_note is not None:
            continue
        gap = abs(model.parameters - built) / built
        if gap > PARAMETER_TOLERANCE:
            errors.append(
                located.error(
                    "parameters",
                    f"declared {model.parameters:,} is {gap:.1%} away from the {built:,} the config tier "
                    "built: say why in parameters_note (en and zh)",
                )
            )
    return errors


def audit(catalog: Catalog, locks: Locks | None = None) -> None:
    """Run every catalogue-and-lock check.

    Raises:
        CatalogInvalid: with every problem found.
    """
    locks = locks if locks is not None else load_locks(catalog.root)
    errors = lock_errors(catalog, locks) + parameter_errors(catalog, locks)
    if errors:
        raise CatalogInvalid(errors)
