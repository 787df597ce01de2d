"""Issue 18, item 4: locks, shards and Hub answers are validated per record, like user input.

A lying Hub answer fails its own model only (with its reason) while the others are recorded; a
lock or shard with wrong types, out-of-range or non-finite numbers, duplicate keys, bytes that
are not UTF-8 or JSON nested past any record's depth is a clean ``file:line: key: message``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.testing.hubserver import FakeHub, FakeRepo, make_safetensors
from tests.conftest import run_mmcat

DINO = "facebook/dinov2-small"
CLIP = "openai/clip-vit-base-patch32"
MINILM = "sentence-transformers/all-MiniLM-L6-v2"
HUB = Path("catalog/lock/hub.json")
CHECKS = Path("catalog/lock/checks.json")


def _repo(
    repo_id: str, sha: str, info: dict[str, Any] | None = None, files: dict[str, bytes] | None = None
) -> FakeRepo:
    config = {"model_type": "dinov2", "hidden_size": 384, "patch_size": 14}
    return FakeRepo(
        repo_id=repo_id,
        sha=sha,
        files={
            "config.json": json.dumps(config).encode(),
            "model.safetensors": make_safetensors({"w": ("F32", [4, 4])}),
            **(files or {}),
        },
        info={"downloads": 10, "likes": 1, "cardData": {"license": "apache-2.0"}, **(info or {})},
    )


MODULES = [
    {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
    {"idx": 1, "name": "1", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
]
LIES: dict[str, tuple[dict[str, Any], dict[str, bytes], str]] = {
    "downloads as text": ({"downloads": "many"}, {}, "downloads"),
    "negative likes": ({"likes": -3}, {}, "likes"),
    "licence as a dict": ({"cardData": {"license": {"name": "mit"}}}, {}, "license"),
    "sha not hex": ({"sha": "../../../etc/passwd"}, {}, "sha"),
    "in_features as text": (
        {"library_name": "sentence-transformers"},
        {
            "modules.json": json.dumps(MODULES).encode(),
            "2_Dense/config.json": json.dumps({"in_features": "lots", "out_features": 8}).encode(),
        },
        "in_features",
    ),
    "NaN in config.json": ({}, {"config.json": b'{"model_type": "dinov2", "layer_norm_eps": NaN}'}, "NaN"),
}


@pytest.mark.parametrize("lie", sorted(LIES))
def test_one_lying_hub_answer_fails_only_its_model(project: Path, fake_hub: FakeHub, lie: str) -> None:
    info, files, shown = LIES[lie]
    fake_hub.add(_repo(DINO, "a" * 40))
    fake_hub.add(_repo(CLIP, "b" * 40, info, files))  # info overrides what model_info answers
    before = json.loads((project / HUB).read_text(encoding="utf-8"))["models"][CLIP]
    result = run_mmcat(
        "refresh", DINO, CLIP, "--endpoint", fake_hub.url, "--timeout", "2", "--retries", "0", cwd=project
    )
    assert result.code == 1, result.out + result.err
    assert "internal error" not in result.err, result.err
    line = next(line for line in result.out.splitlines() if line.startswith(CLIP))
    assert "failed" in line and shown in line, result.out
    models = json.loads((project / HUB).read_text(encoding="utf-8"))["models"]
    assert models[DINO]["sha"] == "a" * 40  # the honest answer is recorded
    assert models[CLIP] == before  # the liar keeps its previous record


def _lock_text(project: Path, path: Path, change: Any) -> str:
    lock = json.loads((project / path).read_text(encoding="utf-8"))
    change(lock["models"])
    return json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _set(model_id: str, *keys: str, value: Any) -> Any:
    def change(models: dict[str, Any]) -> None:
        target = models[model_id]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


def _runtime_run(models: dict[str, Any]) -> dict[str, Any]:
    runs: dict[str, Any] = models[DINO]["tiers"]["runtime"]["runs"]
    return runs[sorted(runs)[0]]


CASES: dict[str, tuple[Path, Any, str]] = {
    "negative downloads": (HUB, _set(DINO, "downloads", value=-1), f"models.{DINO}.downloads"),
    "downloads as text": (HUB, _set(DINO, "downloads", value="many"), f"models.{DINO}.downloads"),
    "count as true": (HUB, _set(DINO, "likes", value=True), f"models.{DINO}.likes"),
    "negative parameters": (CHECKS, _set(DINO, "parameters", value=-5), f"models.{DINO}.parameters"),
    "negative latency": (
        CHECKS,
        lambda models: _runtime_run(models).update(peak_memory_mb=-1.0),
        "peak_memory_mb",
    ),
    "path-like id": (
        CHECKS,
        lambda models: models.update({"../../../etc/passwd": models[DINO]}),
        "models.../../../etc/passwd",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_lock_values_are_clean_errors(project: Path, case: str) -> None:
    path, change, key = CASES[case]
    (project / path).write_text(_lock_text(project, path, change), encoding="utf-8")
    _assert_clean(project, path, key)


def _assert_clean(project: Path, path: Path, key: str) -> None:
    for command in ("check", "export"):
        result = run_mmcat(command, cwd=project)
        assert result.code == 1, (command, result.out)
        assert "internal error" not in result.err and "Traceback" not in result.err, result.err
        assert f"{path}:" in result.err and key in result.err, result.err
    assert not (project / "site").exists()


RAW: dict[str, tuple[Path, Any, str]] = {
    "NaN latency": (
        CHECKS,
        lambda text: text.replace('"peak_memory_mb": ', '"peak_memory_mb": NaN, "x": ', 1),
        "peak_memory_mb: NaN",
    ),
    "Infinity count": (
        HUB,
        lambda text: text.replace('"hidden_size": ', '"hidden_size": Infinity, "y": ', 1),
        "hidden_size: Infinity",
    ),
    "duplicate key": (
        HUB,
        lambda text: text.replace('"retrieved": ', '"retrieved": "2024-01-01", "retrieved": ', 1),
        "retrieved",
    ),
    "not UTF-8": (HUB, lambda text: text.replace('"retrieved": "', '"retrieved": "\udcff', 1), "UTF-8"),
    "nested too deep": (
        HUB,
        lambda text: text.replace('"config": {', '"config": {"deep": ' + "[" * 500 + "]" * 500 + ",", 1),
        "nested",
    ),
}


@pytest.mark.parametrize("case", sorted(RAW))
def test_json_that_is_not_strict_is_a_clean_error(project: Path, case: str) -> None:
    path, change, shown = RAW[case]
    text = change((project / path).read_text(encoding="utf-8"))
    (project / path).write_bytes(text.encode("utf-8", errors="surrogateescape"))
    for command in ("check", "export"):
        result = run_mmcat(command, cwd=project)
        assert result.code == 1, (command, result.out)
        assert "internal error" not in result.err and "Traceback" not in result.err, result.err
        assert f"{path}:" in result.err and shown in result.err, result.err


def test_a_shard_with_a_duplicate_key_is_a_clean_error(project: Path) -> None:
    shard = project / "shard.json"
    shard.write_text('{"models": {}, "models": {}}', encoding="utf-8")
    before = (project / CHECKS).read_bytes()
    result = run_mmcat("merge", str(shard), cwd=project)
    assert result.code == 1 and "duplicate key 'models'" in result.err, result.err
    assert (project / CHECKS).read_bytes() == before


def test_export_runs_the_checks_of_check(project: Path) -> None:
    """A lock claim that `mmcat check` refuses stops the export too (today it exported it)."""
    change = _set(DINO, "config_complete", value=True)
    (project / HUB).write_text(_lock_text(project, HUB, change), encoding="utf-8")
    assert run_mmcat("check", cwd=project).code == 1
    result = run_mmcat("export", "--out", "out", cwd=project)
    assert result.code == 1 and f"models.{DINO}.config_complete" in result.err, result.err
    assert not (project / "out").exists()


def test_export_rewrites_models_js_with_models_json(project: Path) -> None:
    out = project / "site" / "api"
    out.mkdir(parents=True)
    (out / "models.js").write_text('window.MMCAT_API = {"stale": true};\n', encoding="utf-8")
    result = run_mmcat("export", "--format", "json", cwd=project)
    assert result.code == 0, result.err
    data = json.loads((out / "models.json").read_text(encoding="utf-8"))
    script = (out / "models.js").read_text(encoding="utf-8")
    assert script.startswith("window.MMCAT_API = ") and script.endswith(";\n")
    compared = json.loads(script.removeprefix("window.MMCAT_API = ").removesuffix(";\n"))
    # The compare page's part of models.json: every model, the facts the page shows, as they are
    # in models.json; none of the texts, the config or the check records but the runtime runs.
    assert [m["entry"]["id"] for m in compared["models"]] == [m["entry"]["id"] for m in data["models"]]
    assert set(compared) == {
        "version",
        "about",
        "models",
        "series",
        "categories",
        "papers",
        "benchmarks",
        "protocols",
    }
    assert [b["id"] for b in compared["benchmarks"]] == [b["id"] for b in data["benchmarks"]]
    assert compared["papers"] == [{k: p[k] for k in ("id", "title", "year")} for p in data["papers"]]
    for full, part in zip(data["models"], compared["models"], strict=True):
        assert {k: full["entry"][k] for k in ("id", "name", "license", "release_date", "papers")} == {
            k: part["entry"][k] for k in ("id", "name", "license", "release_date", "papers")
        }
        assert not {"summary", "sources", "links", "parameters_note", "status", "languages"} & set(
            part["entry"]
        )
        assert [e["dim"] for e in part["entry"]["embeddings"]] == [
            e["dim"] for e in full["entry"]["embeddings"]
        ]
        assert part["derived"]["tier"] == full["derived"]["tier"] and "max_dim" not in part["derived"]
        assert set(part.get("hub") or {}) <= {"sha"}
        tiers = (part.get("checks") or {}).get("tiers") or {}
        assert set(tiers) <= {"runtime"}
        for key, run in (tiers.get("runtime") or {}).get("runs", {}).items():
            assert run["peak_memory_mb"] == full["checks"]["tiers"]["runtime"]["runs"][key]["peak_memory_mb"]
            assert "outputs" not in run
        # Of each result, the figure and what it is of (the compare page's row and column).
        assert part["results"] == [
            {k: r[k] for k in ("benchmark", "protocol", "value")} for r in full["results"]
        ]
