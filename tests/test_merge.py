"""Shard files of check results fold into ``lock/checks.json`` as one unsharded run would."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.load import load_catalog
from generator.cli import main
from generator.locks.files import load_locks
from generator.verify import CheckOutcome, Options, save, verify

IDS = [
    "facebook/dinov2-small",
    "google/vit-base-patch16-224-in21k",
    "sentence-transformers/all-MiniLM-L6-v2",
    "wkcn/TinyCLIP-ViT-8M-16-Text-3M-YFCC15M",
]


def _checks(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8")
    )
    return data["models"]


def _forget(project: Path) -> None:
    """Remove the committed records of IDS, so that only this run's results can be in the lock."""
    path = project / "catalog" / "lock" / "checks.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for model_id in IDS:
        data["models"].pop(model_id, None)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="session")
def shards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two shard files of the config tier over IDS, written by ``verify --out`` (read only)."""
    import shutil

    from tests.conftest import CATALOG, made_once

    def make(root: Path) -> list[Path]:
        shutil.copytree(CATALOG, root / "catalog")
        paths = [root / f"config-{k}-of-2.json" for k in (1, 2)]
        catalog, locks = load_catalog(root / "catalog"), load_locks(root / "catalog")
        for k, path in enumerate(paths, 1):
            # One worker per shard: what is tested is the merge, not the pool (tests/test_verify.py).
            verify(catalog, locks, IDS, Options(tier="config", workers=1), (k, 2), out=path)
        return paths

    return made_once(tmp_path_factory, "shards", make)


def test_shards_merge_into_the_same_lock_as_one_unsharded_run(
    shards: list[Path],
    config_tier: dict[str, CheckOutcome],
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = tmp_path / "whole"
    import shutil

    shutil.copytree(project, whole)
    _forget(project)
    _forget(whole)
    # The unsharded run: the session's config tier over the whole catalogue (tests/conftest.py), whose
    # outcomes for IDS are recorded as ``verify`` records its outcomes.
    save(whole / "catalog" / "lock" / "checks.json", [copy.deepcopy(config_tier[i]) for i in IDS], "config")
    assert all(model_id in _checks(whole) for model_id in IDS)
    parts = [set(json.loads(p.read_text(encoding="utf-8"))["models"]) for p in shards]
    assert parts[0] and parts[1] and not parts[0] & parts[1] and parts[0] | parts[1] == set(IDS)

    monkeypatch.chdir(project)
    assert main(["merge", *map(str, reversed(shards))]) == 0
    assert _checks(project) == _checks(whole)
    # Merging again changes nothing.
    before = (project / "catalog" / "lock" / "checks.json").read_bytes()
    assert main(["merge", *map(str, shards)]) == 0
    assert (project / "catalog" / "lock" / "checks.json").read_bytes() == before


def _altered(shard: Path, tmp_path: Path, change: Any) -> Path:
    data = json.loads(shard.read_text(encoding="utf-8"))
    change(data["models"])
    path = tmp_path / f"altered-{shard.name}"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _first_config(models: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = next(iter(models.values()))["tiers"]["config"]
    return record


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: _first_config(m).update(revision="e" * 40), "has results at revision"),
        (
            lambda m: next(iter(_first_config(m)["outputs"].values())).update(observed=[7]),
            "observed",
        ),
    ],
    ids=["different-revisions", "conflicting-observations"],
)
def test_conflicting_shards_are_refused(
    shards: list[Path],
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    change: Any,
    message: str,
) -> None:
    conflicting = _altered(shards[0], tmp_path, change)
    monkeypatch.chdir(project)
    before = (project / "catalog" / "lock" / "checks.json").read_bytes()
    assert main(["merge", str(shards[0]), str(conflicting)]) == 1
    err = capsys.readouterr().err
    assert message in err and "nothing was written" in err
    assert (project / "catalog" / "lock" / "checks.json").read_bytes() == before


def test_results_at_another_revision_than_the_lock_pins_are_refused(
    shards: list[Path],
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def pin(models: dict[str, Any]) -> None:
        for entry in models.values():
            entry["tiers"]["config"]["revision"] = "f" * 40

    monkeypatch.chdir(project)
    hub_path = project / "catalog" / "lock" / "hub.json"
    hub = json.loads(hub_path.read_text(encoding="utf-8"))
    model_id = next(iter(json.loads(shards[0].read_text(encoding="utf-8"))["models"]))
    hub["models"][model_id]["sha"] = "a" * 40
    hub_path.write_text(json.dumps(hub), encoding="utf-8")
    assert main(["merge", str(_altered(shards[0], tmp_path, pin))]) == 1
    assert f"but lock/hub.json pins {'a' * 40}" in capsys.readouterr().err


def test_a_missing_shard_file_is_an_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert main(["merge", "nowhere.json"]) == 1
    assert "nowhere.json:1: (file): shard file not found" in capsys.readouterr().err
