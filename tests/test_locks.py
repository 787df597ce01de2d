"""The locks have one shape each: validated when read and before written, exported as JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generator.cli import main
from generator.locks.files import Locks
from generator.locks.schema import ChecksLock, HubLock, HubRecord, ModelChecks
from tests.conftest import CATALOG


@pytest.mark.parametrize(("name", "shape"), [("hub.json", HubLock), ("checks.json", ChecksLock)])
def test_the_committed_locks_validate(name: str, shape: type[HubLock | ChecksLock]) -> None:
    data = json.loads((CATALOG / "lock" / name).read_text(encoding="utf-8"))
    typed = shape.model_validate(data)
    assert typed.models
    # Typing loses nothing: every value of the file is in the typed model.
    assert typed.model_dump(exclude_unset=True) == data


def _break(project: Path, name: str, edit: Any) -> Path:
    path = project / "catalog" / "lock" / name
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data["models"])
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def _line(path: Path, model_id: str, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f'    "{model_id}": {{'))
    return next(i for i in range(start, len(lines)) if lines[i].startswith(f'      "{key}":')) + 1


@pytest.mark.parametrize(
    ("name", "model_id", "key", "edit", "words"),
    [
        (
            "hub.json",
            "facebook/dinov2-small",
            "downloads",
            lambda m: m["facebook/dinov2-small"].update(downloads="many"),
            "valid integer",
        ),
        (
            "hub.json",
            "facebook/dinov2-small",
            "sha_typo",
            lambda m: m["facebook/dinov2-small"].update(sha_typo="x"),
            "unknown field",
        ),
        (
            "checks.json",
            "facebook/dinov2-small",
            "tiers",
            lambda m: m["facebook/dinov2-small"]["tiers"]["config"].update(status="fine"),
            "'ok' or 'error'",
        ),
        (
            "checks.json",
            "sentence-transformers/all-MiniLM-L6-v2",
            "tiers",
            lambda m: m["sentence-transformers/all-MiniLM-L6-v2"]["tiers"]["runtime"].pop("runs"),
            "Field required",
        ),
    ],
    ids=["hub-wrong-type", "hub-unknown-field", "checks-bad-status", "runtime-without-runs"],
)
def test_a_lock_that_does_not_validate_is_a_located_error(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    model_id: str,
    key: str,
    edit: Any,
    words: str,
) -> None:
    path = _break(project, name, edit)
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    prefix = f"catalog/lock/{name}:{_line(path, model_id, key)}: models.{model_id}.{key}"
    matching = [line for line in err.splitlines() if line.startswith(prefix)]
    assert matching, err
    assert words in matching[0]
    assert "Traceback" not in err


def test_the_typed_records_are_the_stored_ones(locks: Locks) -> None:
    # One reader: the records a page reads are the stored JSON, validated once while reading.
    assert locks.hub_records.keys() == locks.hub.keys() and locks.check_records.keys() == locks.checks.keys()
    for model_id, record in locks.hub_records.items():
        assert record == HubRecord.model_validate(locks.hub[model_id])
        assert locks.hub_record(model_id) is record
    for model_id, checks in locks.check_records.items():
        assert checks == ModelChecks.model_validate(locks.checks[model_id])
        assert locks.model_checks(model_id) is checks
    assert locks.hub_record("no/such-model") is None and locks.model_checks("no/such-model") is None


def test_locks_built_from_plain_records_validate_them() -> None:
    locks = Locks(hub={"a/b": {"sha": "a" * 40, "gated": "auto"}})
    record = locks.hub_record("a/b")
    assert record is not None and record.sha == "a" * 40 and record.gated == "auto"
    assert Locks().hub_records == {} and Locks().model_checks("a/b") is None
    broken = Locks(checks={"a/b": {"tiers": {"config": {"status": "fine"}}}})
    with pytest.raises(ValidationError):
        broken.model_checks("a/b")
