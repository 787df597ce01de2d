"""``mmcat refresh`` with the real huggingface_hub client against a local Hub server."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from generator.testing.hubserver import FakeHub, FakeRepo, Fault, make_safetensors
from tests.conftest import run_mmcat

HEALTHY = "facebook/dinov2-small"
FAULTY = "openai/clip-vit-base-patch32"
SHA_A = "a" * 40
SHA_B = "b" * 40
PREVIOUS = {"sha": "c" * 40, "downloads": 7, "config": {"model_type": "old"}, "provenance": {}}


def _repo(repo_id: str, sha: str, fault: Fault | None = None) -> FakeRepo:
    config = {"model_type": "dinov2", "hidden_size": 384, "patch_size": 14}
    return FakeRepo(
        repo_id=repo_id,
        sha=sha,
        files={
            "config.json": json.dumps(config).encode(),
            "model.safetensors": make_safetensors({"w": ("F32", [384, 384]), "b": ("F16", [384])}),
        },
        info={
            "downloads": 1234,
            "likes": 56,
            "cardData": {"license": "apache-2.0"},
            "pipeline_tag": "image-feature-extraction",
            "library_name": "transformers",
            "tags": ["vision", "dinov2"],
            "lastModified": "2024-05-01T10:00:00.000Z",
        },
        fault=fault,
    )


def _lock(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / "catalog" / "lock" / "hub.json").read_text(encoding="utf-8"))
    return data["models"]


def _seed_previous(project: Path) -> None:
    path = project / "catalog" / "lock" / "hub.json"
    lock = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"models": {}}
    lock["models"][FAULTY] = PREVIOUS
    path.write_text(json.dumps(lock), encoding="utf-8")


def _report(out: str, model_id: str) -> str:
    """The outcome text of one model in the closing table."""
    for line in out.splitlines():
        if line.split(" ", 1)[0] == model_id:
            return line[len(model_id) :].strip()
    raise AssertionError(f"{model_id} not in the report:\n{out}")


def _refresh(project: Path, hub: FakeHub, *extra: str) -> Any:
    return run_mmcat(
        "refresh",
        HEALTHY,
        FAULTY,
        "--endpoint",
        hub.url,
        "--timeout",
        "1",
        "--retries",
        "2",
        *extra,
        cwd=project,
    )


def test_refresh_records_hub_facts(project: Path, fake_hub: FakeHub) -> None:
    fake_hub.add(_repo(HEALTHY, SHA_A))
    fake_hub.add(_repo(FAULTY, SHA_B))
    result = _refresh(project, fake_hub)
    assert result.code == 0, result.err + result.out
    assert _report(result.out, HEALTHY) == f"ok: {SHA_A[:12]}"
    record = _lock(project)[HEALTHY]
    assert record["sha"] == SHA_A
    assert record["downloads"] == 1234
    assert record["likes"] == 56
    assert record["license"] == "apache-2.0"
    assert record["gated"] is False
    assert record["config"] == {"model_type": "dinov2", "hidden_size": 384, "patch_size": 14}
    assert record["parameters"] == 384 * 384 + 384
    assert record["parameters_by_dtype"] == {"F16": 384, "F32": 384 * 384}
    assert record["provenance"]["downloads"] == f"hub@{SHA_A}"
    assert record["provenance"]["config"] == f"hub@{SHA_A}"


def test_lock_is_stable_and_sorted(project: Path, fake_hub: FakeHub) -> None:
    fake_hub.add(_repo(HEALTHY, SHA_A))
    fake_hub.add(_repo(FAULTY, SHA_B))
    assert _refresh(project, fake_hub).code == 0
    path = project / "catalog" / "lock" / "hub.json"
    first = path.read_text(encoding="utf-8")
    assert _refresh(project, fake_hub).code == 0
    assert path.read_text(encoding="utf-8") == first
    data = json.loads(first)
    assert list(data["models"]) == sorted(data["models"])
    assert first.endswith("}\n") and '\n  "models": {' in first


def test_hf_endpoint_is_read_at_call_time(
    project: Path, fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_hub.add(_repo(HEALTHY, SHA_A))
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    result = run_mmcat("refresh", HEALTHY, "--timeout", "1", cwd=project)
    assert result.code == 0, result.err
    assert fake_hub.count("GET", f"/api/models/{HEALTHY}") >= 1


def test_unknown_id_is_a_usage_error(project: Path, fake_hub: FakeHub) -> None:
    result = run_mmcat("refresh", "nobody/nothing", "--endpoint", fake_hub.url, cwd=project)
    assert result.code == 2
    assert "nobody/nothing" in result.err


# fault, exit code, report line of the faulty model, whether its record is replaced
FAULTS: list[tuple[str, Fault, int, str, bool]] = [
    ("not-found", Fault("not_found"), 1, "not found: repository not found", False),
    ("revision-not-found", Fault("revision_not_found"), 1, "not found: revision not found", False),
    ("gated", Fault("gated", only="file"), 1, "gated: the repository is gated", False),
    ("429-then-ok", Fault("rate_limit", times=1, retry_after=1), 0, "ok: ", True),
    ("500-then-ok", Fault("error", times=1, status=500), 0, "ok: ", True),
    ("500-always", Fault("error", status=500), 1, "failed: HTTP 500 (after 3 tries)", False),
    ("503-always", Fault("error", status=503), 1, "failed: HTTP 503", False),
    ("hang", Fault("hang", seconds=5), 1, "failed: ReadTimeout", False),
    ("truncated", Fault("truncated"), 1, "failed: RemoteProtocolError", False),
    ("reset", Fault("reset"), 1, "failed: ReadError", False),
    ("latency", Fault("latency", seconds=0.2), 0, "ok: ", True),
]


@pytest.mark.parametrize(
    ("fault", "code", "line", "replaced"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS]
)
def test_fault(project: Path, fake_hub: FakeHub, fault: Fault, code: int, line: str, replaced: bool) -> None:
    _seed_previous(project)
    fake_hub.add(_repo(HEALTHY, SHA_A))
    fake_hub.add(_repo(FAULTY, SHA_B, fault=fault))
    result = _refresh(project, fake_hub)
    assert result.code == code, result.out + result.err
    assert "Traceback" not in result.err
    assert _report(result.out, FAULTY).startswith(line), result.out
    lock = _lock(project)
    assert lock[HEALTHY]["sha"] == SHA_A
    if replaced:
        assert lock[FAULTY]["sha"] == SHA_B
    else:
        assert lock[FAULTY] == PREVIOUS


def test_retry_after_is_honoured(project: Path, fake_hub: FakeHub) -> None:
    fake_hub.add(_repo(FAULTY, SHA_B, fault=Fault("rate_limit", times=1, retry_after=2)))
    start = time.monotonic()
    result = run_mmcat("refresh", FAULTY, "--endpoint", fake_hub.url, cwd=project)
    assert result.code == 0, result.out + result.err
    assert time.monotonic() - start >= 2
    assert fake_hub.count("GET", f"/api/models/{FAULTY}") == 2


def test_file_outage_is_a_failure_not_a_missing_config(project: Path, fake_hub: FakeHub) -> None:
    # hf_hub_download reports a Hub it could not reach as LocalEntryNotFoundError, a subclass of
    # EntryNotFoundError: it must not be mistaken for "this repo has no config.json".
    _seed_previous(project)
    fake_hub.add(_repo(FAULTY, SHA_B, fault=Fault("rate_limit", retry_after=0, only="file")))
    result = run_mmcat("refresh", FAULTY, "--endpoint", fake_hub.url, "--retries", "0", cwd=project)
    assert result.code == 1, result.out
    assert _report(result.out, FAULTY).startswith("failed: ")
    assert _lock(project)[FAULTY] == PREVIOUS


def test_repo_without_config_is_ok(project: Path, fake_hub: FakeHub) -> None:
    repo = _repo(HEALTHY, SHA_A)
    del repo.files["config.json"]
    fake_hub.add(repo)
    result = run_mmcat("refresh", HEALTHY, "--endpoint", fake_hub.url, cwd=project)
    assert result.code == 0, result.out + result.err
    assert _lock(project)[HEALTHY]["config"] is None


def test_config_at_an_unchanged_commit_is_not_downloaded_again(project: Path, fake_hub: FakeHub) -> None:
    fake_hub.add(_repo(HEALTHY, SHA_A))
    assert run_mmcat("refresh", HEALTHY, "--endpoint", fake_hub.url, cwd=project).code == 0
    downloads = fake_hub.count("GET", f"/{HEALTHY}/resolve/{SHA_A}/config.json")
    assert downloads == 1
    assert run_mmcat("refresh", HEALTHY, "--endpoint", fake_hub.url, cwd=project).code == 0
    assert fake_hub.count("GET", f"/{HEALTHY}/resolve/{SHA_A}/config.json") == downloads
    assert _lock(project)[HEALTHY]["config"]["hidden_size"] == 384
    # A new commit is fetched again.
    fake_hub.add(_repo(HEALTHY, SHA_B))
    assert run_mmcat("refresh", HEALTHY, "--endpoint", fake_hub.url, cwd=project).code == 0
    assert fake_hub.count("GET", f"/{HEALTHY}/resolve/{SHA_B}/config.json") == 1
