"""Issue 18, item 3: badges are computed from records that still fit the entry, never trusted.

A tier badge needs a check record whose declared values, revision and config equal the entry's
now; ``match`` is recomputed wherever a record is read; a skipped output is not a mismatch;
``mmcat merge`` and ``mmcat verify`` never let a forged, foreign or worse record in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run_mmcat

DINO = "facebook/dinov2-small"
GME = "Alibaba-NLP/gme-Qwen2-VL-7B-Instruct"
CHECKS = Path("catalog/lock/checks.json")


def _derived(project: Path) -> dict[str, Any]:
    result = run_mmcat("export", "--format", "json", "--out", "out", cwd=project)
    assert result.code == 0, result.err
    doc = json.loads((project / "out" / "models.json").read_text(encoding="utf-8"))
    return {m["entry"]["id"]: m["derived"] for m in doc["models"]}


def _edit_lock(project: Path, name: str, change: Any) -> None:
    path = project / "catalog" / "lock" / name
    lock = json.loads(path.read_text(encoding="utf-8"))
    change(lock["models"])
    path.write_text(json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def test_an_edited_dim_loses_its_badge_until_checked_again(project: Path) -> None:
    assert _derived(project)[DINO]["output_tiers"]["cls"] == "runtime"
    path = project / "catalog" / "models" / f"{DINO}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- name: cls\n  dim: 384", "- name: cls\n  dim: 512"))
    derived = _derived(project)[DINO]
    assert derived["output_tiers"] == {"cls": "declared", "patch": "runtime"}
    assert derived["tier"] == "declared"
    result = run_mmcat("build", cwd=project)
    assert result.code == 0, result.err
    page = (project / "site" / "models" / f"{DINO}.html").read_text(encoding="utf-8")
    assert "stale, not counted for the badge" in page and "now declares [512]" in page


def test_a_changed_config_loses_its_badge(project: Path) -> None:
    _edit_lock(project, "checks.json", lambda models: models[DINO]["tiers"].pop("runtime"))
    result = run_mmcat("verify", DINO, "--tier", "config", "--workers", "1", cwd=project)
    assert result.code == 0, result.out + result.err
    record = json.loads((project / CHECKS).read_text(encoding="utf-8"))["models"][DINO]["tiers"]["config"]
    assert len(record["config_sha256"]) == 64
    assert _derived(project)[DINO]["output_tiers"] == {"cls": "config", "patch": "config"}

    def edit(models: dict[str, Any]) -> None:
        models[DINO]["config"]["layer_norm_eps"] = 1e-5

    _edit_lock(project, "hub.json", edit)
    assert _derived(project)[DINO]["output_tiers"] == {"cls": "declared", "patch": "declared"}


def test_a_skipped_output_is_not_a_mismatch(project: Path) -> None:
    # GME's image output is skipped at the config tier (meta tensors): without its runtime record
    _edit_lock(project, "checks.json", lambda models: models[GME]["tiers"].pop("runtime", None))
    derived = _derived(project)[GME]
    assert derived["output_tiers"]["image"] == "declared"
    assert derived["tier"] != "mismatch"
    assert all(d["tier"] != "mismatch" for d in _derived(project).values())


def test_a_skipped_output_shows_no_mismatch_in_the_built_site(site: Path) -> None:
    for lang in ("", "zh/"):
        for page in (f"models/{GME}.html", "index.html", f"series/{'gme'}.html"):
            path = site / lang / page
            if path.exists():
                assert "mmcat-mismatch" not in path.read_text(encoding="utf-8"), path
    api = json.loads((site / "api" / "models.json").read_text(encoding="utf-8"))
    gme = next(m for m in api["models"] if m["entry"]["id"] == GME)
    assert gme["derived"]["tier"] != "mismatch"


def _forge(models: dict[str, Any]) -> None:
    models[DINO]["tiers"]["config"]["outputs"]["cls"] = {"declared": [384], "observed": [123], "match": True}


def test_a_recorded_match_that_disagrees_is_an_error(project: Path) -> None:
    _edit_lock(project, "checks.json", _forge)
    for command in ("check", "build", "export"):
        result = run_mmcat(command, cwd=project)
        assert result.code == 1, command
        assert "catalog/lock/checks.json:" in result.err, result.err
        assert (
            f"models.{DINO}.tiers.config.outputs.cls" in result.err and "match: recorded True" in result.err
        )
        assert "internal error" not in result.err


def _shard(project: Path, models: dict[str, Any]) -> Path:
    path = project / "shard.json"
    path.write_text(json.dumps({"models": models}, indent=2, sort_keys=True), encoding="utf-8")
    return path


def _config_record(project: Path) -> dict[str, Any]:
    lock = json.loads((project / CHECKS).read_text(encoding="utf-8"))
    record: dict[str, Any] = lock["models"][DINO]["tiers"]["config"]
    return record


@pytest.mark.parametrize(
    "case", ["path-like id", "id not in the catalogue", "forged match", "declared differs", "no config hash"]
)
def test_merge_refuses_foreign_and_forged_records(project: Path, case: str) -> None:
    record = _config_record(project)
    model_id = DINO
    if case == "path-like id":
        model_id = "../../../etc/passwd"
    elif case == "id not in the catalogue":
        model_id = "nobody/not-in-the-catalogue"
    elif case == "forged match":
        record["outputs"]["cls"] = {"declared": [384], "observed": [123], "match": True}
    elif case == "declared differs":
        record["outputs"]["cls"] = {"declared": [123], "observed": [123], "match": True}
    elif case == "no config hash":
        del record["config_sha256"]
    shard = _shard(project, {model_id: {"tiers": {"config": record}}})
    before = (project / CHECKS).read_bytes()
    result = run_mmcat("merge", str(shard), cwd=project)
    assert result.code == 1, result.out
    assert "shard.json:" in result.err and "internal error" not in result.err, result.err
    assert (project / CHECKS).read_bytes() == before


@pytest.mark.parametrize(
    "option",
    [["--batch", "0"], ["--batch", "-1"], ["--timeout", "0"], ["--timeout", "-5"], ["--device", "tpu"]],
)
def test_verify_refuses_bad_options(project: Path, option: list[str]) -> None:
    before = (project / CHECKS).read_bytes()
    result = run_mmcat("verify", DINO, "--tier", "config", *option, cwd=project)
    assert result.code == 2, result.out + result.err
    assert option[0] in result.err
    assert (project / CHECKS).read_bytes() == before


def test_a_failing_run_never_replaces_a_good_record(project: Path) -> None:
    before = (project / CHECKS).read_bytes()
    result = run_mmcat(
        "verify", DINO, "--tier", "config", "--timeout", "0.001", "--workers", "1", cwd=project
    )
    assert result.code == 1, result.out + result.err
    assert "previous ok record is kept" in result.out
    assert (project / CHECKS).read_bytes() == before


BLOCKER = """\
import importlib.abc
import sys


class _NoVerifyExtra(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "transformers"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NoVerifyExtra())
"""


def test_verify_without_the_verify_extra_says_what_to_install(project: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "no-verify-extra"
    blocked.mkdir()
    (blocked / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    before = (project / CHECKS).read_bytes()
    env = {**os.environ, "PYTHONPATH": f"{blocked}{os.pathsep}{REPO}"}
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "verify", DINO, "--tier", "config", "--workers", "1"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "pip install '.[verify]'" in proc.stderr and "nothing was written" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (project / CHECKS).read_bytes() == before


def test_merge_takes_a_record_that_fits(project: Path) -> None:
    """The control of the refusals above: the committed record itself, as a shard, merges."""
    shard = _shard(project, {DINO: {"tiers": {"config": _config_record(project)}}})
    result = run_mmcat("merge", str(shard), cwd=project)
    assert result.code == 0, result.err
