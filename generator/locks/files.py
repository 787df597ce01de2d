"""The machine-written locks in ``catalog/lock/``: Hub metadata and check results.

The site is built from the catalogue plus these committed files only, so a
build needs no network. ``mmcat refresh`` writes ``hub.json`` and ``mmcat
verify`` writes ``checks.json``; until then they may be absent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar, cast, get_args

from pydantic import ValidationError

from generator.atomic import write_text_atomic
from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.locks.schema import ChecksLock, HubLock, HubRecord, ModelChecks

Tier = Literal["config", "runtime", "weights"]
TIERS: tuple[Tier, ...] = get_args(Tier)
# What a badge can say: only declared, or the strongest tier that confirmed a value.
TIER_ORDER = ("declared", *TIERS)

LockModel = TypeVar("LockModel", bound=HubLock | ChecksLock)


@dataclass(frozen=True)
class Locks:
    """Hub snapshots and verification results, keyed by model id.

    ``hub`` and ``checks`` hold the records as stored (plain JSON): what the
    writers extend and the export passes on unchanged. Readers use the typed
    records, :meth:`hub_record` and :meth:`model_checks`, validated once per
    ``Locks`` (by :func:`load_locks` while reading, else on first use). The
    records are not meant to change afterwards: build a new ``Locks`` instead.
    """

    hub: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    @cached_property
    def hub_records(self) -> dict[str, HubRecord]:
        """Every Hub record, typed."""
        return HubLock.model_validate({"models": self.hub}).models

    @cached_property
    def check_records(self) -> dict[str, ModelChecks]:
        """Every model's checks, typed."""
        return ChecksLock.model_validate({"models": self.checks}).models

    def hub_record(self, model_id: str) -> HubRecord | None:
        """The Hub record of ``model_id``, or None when the lock has none."""
        return self.hub_records.get(model_id)

    def model_checks(self, model_id: str) -> ModelChecks | None:
        """The recorded checks of ``model_id``, or None when the lock has none."""
        return self.check_records.get(model_id)


MAX_DEPTH = 64  # the deepest lock record (a config's sub-config of a sub-config) is about 6 deep


class JsonProblem(ValueError):
    """Strict JSON that is not: a duplicate key, NaN or Infinity, nesting past :data:`MAX_DEPTH`."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise JsonProblem(f"duplicate key {key!r}", key)
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise JsonProblem(f"{name} is not a number JSON allows (a count or timing must be finite)")


def _depth(value: Any, limit: int) -> bool:
    """Whether ``value`` nests containers no deeper than ``limit``."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return True


def strict_json(text: str) -> Any:
    """Parse JSON as a lock needs it: no duplicate keys, no NaN/Infinity, at most :data:`MAX_DEPTH` deep.

    Raises:
        json.JSONDecodeError: not JSON.
        JsonProblem: JSON that a lock (or a Hub answer) must not hold.
    """
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:
        raise JsonProblem(f"nested deeper than {MAX_DEPTH} levels") from None
    if not _depth(data, MAX_DEPTH):
        raise JsonProblem(f"nested deeper than {MAX_DEPTH} levels")
    return data


_CONSTANT = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*(?:NaN|-?Infinity)\b')


def _key_line(text: str, key: str) -> int:
    """Line of the second occurrence of ``"key":`` (where a duplicate shows), else 1."""
    needle = json.dumps(key) + ":"
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == 2:
                return number
    return 1


def read_json(path: Path) -> Any:
    """The strict JSON of a lock or shard file.

    Raises:
        CatalogInvalid: not UTF-8, not JSON, or not strict JSON, as ``file:line: key: message``.
    """
    shown = display_path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})"
        raise CatalogInvalid([CatalogError(shown, line, "", message)]) from None
    try:
        return strict_json(text)
    except json.JSONDecodeError as exc:
        raise CatalogInvalid([CatalogError(shown, exc.lineno, "", f"invalid JSON: {exc.msg}")]) from None
    except JsonProblem as exc:
        key, line = exc.key, _key_line(text, exc.key) if exc.key else 1
        if not key:  # NaN / Infinity: the first line holding one, and its key
            for number, row in enumerate(text.splitlines(), start=1):
                found = _CONSTANT.search(row)
                if found is not None:
                    key, line = found.group(1), number
                    break
        raise CatalogInvalid([CatalogError(shown, line, key, str(exc))]) from None


def _read_validated(path: Path, shape: type[LockModel]) -> tuple[dict[str, Any], LockModel]:
    """The lock at ``path`` as stored and as validated by ``shape`` (both empty when missing)."""
    if not path.exists():
        return {}, shape()
    data = read_json(path)
    text = path.read_text(encoding="utf-8")
    if not isinstance(data, dict):
        raise CatalogInvalid([CatalogError(display_path(path), 1, "", "the lock must hold an object")])
    try:
        return data, cast(LockModel, shape.model_validate(data))
    except ValidationError as exc:
        raise CatalogInvalid([_located(path, text, err) for err in exc.errors()]) from None


def _shape(path: Path) -> type[HubLock | ChecksLock]:
    """The model of a lock file: hub.json, or checks.json and its shard files."""
    return HubLock if path.name == "hub.json" else ChecksLock


def _located(path: Path, text: str, err: Any) -> CatalogError:
    loc = tuple(str(part) for part in err["loc"])
    line = json_line(text, loc[1], loc[2]) if len(loc) > 2 and loc[0] == "models" else 1
    if len(loc) == 2 and loc[0] == "models":  # the id itself (a key of ``models``)
        line = json_line(text, loc[1], "")
    message = (
        "unknown field" if err["type"] == "extra_forbidden" else str(err["msg"]).removeprefix("Value error, ")
    )
    return CatalogError(display_path(path), line, ".".join(loc), message)


def json_line(text: str, model_id: str, key: str) -> int:
    """Line of ``key`` inside the record of ``model_id`` in a lock written by :func:`lock_text`."""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.startswith(f"    {json.dumps(model_id)}: {{")), None
    )
    if start is None:
        return 1
    for i in range(start + 1, len(lines)):
        if lines[i].startswith(f"      {json.dumps(key)}:"):
            return i + 1
        if lines[i].startswith("    }"):
            break
    return start + 1


LOCK_HEADER = {
    "hub.json": (
        "machine-written by `mmcat refresh` and `mmcat ci`: Hub metadata per model at a pinned sha; "
        "do not edit"
    ),
    "checks.json": (
        "machine-written by `mmcat verify`, `mmcat merge` and `mmcat ci`: verification results per model "
        "and tier; do not edit"
    ),
}


SHARD_HEADER = (
    "machine-written by `mmcat verify --out`: check results to fold into lock/checks.json with "
    "`mmcat merge`; do not edit"
)


def read_lock(path: Path) -> dict[str, Any]:
    """The lock at ``path`` as a dict (empty when missing), after checking its shape."""
    return _read_validated(path, _shape(path))[0]


def lock_text(path: Path, data: dict[str, Any]) -> str:
    """Stable text of a lock: sorted keys, two-space indent, one trailing newline."""
    body = {"about": LOCK_HEADER.get(path.name, SHARD_HEADER), **data}
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_lock(path: Path, data: dict[str, Any]) -> None:
    """Write a lock atomically (temporary file + rename), after checking its shape.

    Raises:
        pydantic.ValidationError: a writer built a record of the wrong shape (a bug).
    """
    _shape(path).model_validate(data)
    write_text_atomic(path, lock_text(path, data))


def put_hub_records(path: Path, records: dict[str, dict[str, Any]]) -> None:
    """The one writer of ``hub.json``: add or replace the records of some models, atomically."""
    if records:
        lock = read_lock(path)
        lock.setdefault("models", {}).update(records)
        write_lock(path, lock)


def load_locks(catalog: Path) -> Locks:
    """Read ``catalog/lock/hub.json`` and ``checks.json`` (missing files are empty)."""
    lock = catalog / "lock"
    hub, hub_lock = _read_validated(lock / "hub.json", HubLock)
    checks, checks_lock = _read_validated(lock / "checks.json", ChecksLock)
    locks = Locks(hub=hub.get("models", {}), checks=checks.get("models", {}))
    # The typed records validated while reading are the cached ones: each lock is validated once.
    locks.__dict__.update(hub_records=hub_lock.models, check_records=checks_lock.models)
    return locks
