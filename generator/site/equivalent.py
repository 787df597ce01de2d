"""The note of an entry checked on an in-library equivalent architecture (page and export).

An entry whose loader the checks cannot run (open_clip) may name the transformers class
whose architecture is the same (``source.equivalent_architecture``); the config and runtime
tiers then build that class from the config recorded in ``lock/hub.json``. Its badge means
"the equivalent class, built from this config, gives these dims", not "the loader's code
does": the note says so, next to the badge and in the export. Pure functions; no I/O.
"""

from __future__ import annotations

from generator.catalog.schema import RUNNABLE_LOADERS, Model, Prose
from generator.locks.audit import config_origin
from generator.locks.files import Locks
from generator.site.i18n import UI


def equivalent_class(model: Model) -> str | None:
    """The equivalent class the checks build for ``model``, or None (its own class, or not checked)."""
    if model.source.loader in RUNNABLE_LOADERS:
        return None
    return model.source.equivalent_architecture


def equivalent_note(model: Model, locks: Locks, lang: str) -> str | None:
    """One sentence in ``lang``: which class was built, from which config, instead of whose code."""
    cls = equivalent_class(model)
    if cls is None:
        return None
    ui = UI[lang]
    record = locks.hub_record(model.id)
    origin = config_origin(model.source.hub_id, record) if record is not None else None
    where = ui[f"config_origin.{origin.kind}"] if origin is not None else ui["equivalent_no_config"]
    return ui["equivalent_check"].format(cls=cls, loader=model.source.loader, origin=where)


def equivalent_prose(model: Model, locks: Locks) -> Prose | None:
    """The note in both languages (the export's ``derived.equivalent_check``)."""
    en, zh = equivalent_note(model, locks, "en"), equivalent_note(model, locks, "zh")
    if en is None or zh is None:
        return None
    return Prose(en=en, zh=zh)
