"""The GPU runtime script, run here on CPU with a small model, and its shard merged into the lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main as mmcat
from scripts.gpu_runtime import main

MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def test_runtime_script_writes_a_shard_that_merges(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    shard = project / "shards" / "runtime-1-of-1.json"
    shard.parent.mkdir()
    argv = ["--device", "cpu", "--dtype", "float32", "--batches", "1", "2", "--out", str(shard), MODEL]
    assert main(argv) == 0, capsys.readouterr()
    runs = json.loads(shard.read_text(encoding="utf-8"))["models"][MODEL]["tiers"]["runtime"]["runs"]
    assert sorted(runs) == ["cpu/float32/batch 1", "cpu/float32/batch 2"]
    for key, run in runs.items():
        assert run["status"] == "ok"
        assert run["batch"] == int(key[-1])
        assert run["outputs"]["text"] == {"declared": [384], "observed": [384], "match": True}
        assert run["latency_ms"]["text"] > 0 and run["peak_memory_mb"] > 0
        assert run["inputs"] == {"text": {"text_tokens": 16}}
        assert run["torch"] and run["transformers"] and run["device_name"] == "cpu"
    lock_before = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    assert "cpu/float32/batch 2" not in lock_before["models"][MODEL]["tiers"]["runtime"]["runs"]

    assert mmcat(["merge", str(shard)]) == 0
    lock = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    merged = lock["models"][MODEL]["tiers"]["runtime"]["runs"]
    assert merged["cpu/float32/batch 2"] == runs["cpu/float32/batch 2"]
    assert lock["models"][MODEL]["tiers"]["config"] == lock_before["models"][MODEL]["tiers"]["config"]
