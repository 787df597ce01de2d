"""Claims of the locks against what is computed, and declared against built parameters.

Each case breaks one thing in a scratch copy of the project and expects
``file:line: field: message`` from ``mmcat check`` and ``mmcat build``, exit 1,
no traceback and the old site left as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.locks.audit import config_class_is_remote, config_completeness, config_origin
from generator.locks.files import Locks, lock_text
from generator.locks.schema import ConfigAudit, ConfigOrigin, HubRecord
from tests.conftest import run_mmcat

HUB = "catalog/lock/hub.json"
CHECKS = "catalog/lock/checks.json"
GME = "catalog/models/Alibaba-NLP/gme-Qwen2-VL-7B-Instruct.yaml"


def _edit_lock(project: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = project / name
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("about", None)
    change(data["models"])
    path.write_text(lock_text(path, data), encoding="utf-8")


def _line_of(project: Path, name: str, model_id: str, key: str) -> int:
    lines = (project / name).read_text(encoding="utf-8").splitlines()
    start = lines.index(f"    {json.dumps(model_id)}: {{")
    return next(i for i in range(start, len(lines)) if lines[i].startswith(f'      "{key}":')) + 1


def _assert_rejected(project: Path, prefix: str, words: str) -> None:
    site = project / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("OLD SITE", encoding="utf-8")
    (site / ".mmcat-output").write_text("a site an earlier build wrote", encoding="utf-8")
    for command in ("check", "build"):
        result = run_mmcat(command, cwd=project)
        assert result.code == 1, result.err
        assert "Traceback" not in result.err
        matching = [line for line in result.err.splitlines() if line.startswith(prefix)]
        assert matching, f"no line starting with {prefix!r} in:\n{result.err}"
        assert any(words in line for line in matching), result.err
        assert result.err.splitlines()[-1].endswith("nothing was written.")
    assert (site / "index.html").read_text(encoding="utf-8") == "OLD SITE"
    assert sorted(p.name for p in site.iterdir()) == [".mmcat-output", "index.html"]


def test_a_complete_claim_the_config_tier_does_not_support(project: Path) -> None:
    # The audit's case: a copy without vision_config and with a cut-off text_config, labelled complete.
    model_id = "Salesforce/blip-itm-base-coco"
    _edit_lock(project, HUB, lambda models: models[model_id].update(config_complete=True))
    line = _line_of(project, HUB, model_id, "config_complete")
    _assert_rejected(project, f"{HUB}:{line}: models.{model_id}.config_complete: ", "missing vision_config")


def test_a_complete_claim_without_any_computation(project: Path) -> None:
    model_id = "facebook/dinov2-small"
    _edit_lock(project, HUB, lambda models: models[model_id].update(config_complete=True))
    _edit_lock(project, CHECKS, lambda models: models[model_id]["tiers"]["config"].pop("config_audit"))
    line = _line_of(project, HUB, model_id, "config_complete")
    _assert_rejected(project, f"{HUB}:{line}: models.{model_id}.config_complete: ", "is not confirmed")


def test_a_complete_claim_for_a_remote_code_config(project: Path) -> None:
    model_id = "OpenGVLab/InternViT-300M-448px-V2_5"
    _edit_lock(project, HUB, lambda models: models[model_id].update(config_complete=True))
    line = _line_of(project, HUB, model_id, "config_complete")
    _assert_rejected(project, f"{HUB}:{line}: models.{model_id}.config_complete: ", "needs remote code")


def test_a_mirror_copy_labelled_as_the_models_own(project: Path) -> None:
    model_id = "facebook/dinov2-large"  # copied from a Space, not from facebook/dinov2-large

    def relabel(models: dict[str, Any]) -> None:
        models[model_id]["config_origin"]["kind"] = "own-repository"

    _edit_lock(project, HUB, relabel)
    line = _line_of(project, HUB, model_id, "config_origin")
    _assert_rejected(project, f"{HUB}:{line}: models.{model_id}.config_origin: ", "'kind': 'mirror'")


def test_a_config_method_that_says_neither_verbatim_nor_reconstructed(project: Path) -> None:
    model_id = "facebook/dinov2-base"
    _edit_lock(project, HUB, lambda models: models[model_id].update(config_method="copied"))
    line = _line_of(project, HUB, model_id, "config_method")
    _assert_rejected(project, f"{HUB}:{line}: models.{model_id}.config_method: ", "must start with")


def test_declared_parameters_far_from_the_built_count_need_a_reason(project: Path) -> None:
    path = project / GME
    text = path.read_text(encoding="utf-8")
    start = text.index("parameters_note:\n")
    end = text.index("\nlinks:", start)
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    line = text[:start].count("\n")  # the `parameters:` line just above the removed note
    _assert_rejected(project, f"{GME}:{line}: parameters: ", "7.0% away from the 7,746,378,240")


def test_declared_parameters_within_one_percent_need_no_reason(project: Path) -> None:
    path = project / GME
    text = path.read_text(encoding="utf-8")
    start = text.index("parameters_note:\n")
    end = text.index("\nlinks:", start)
    text = text[:start] + text[end + 1 :]
    path.write_text(text.replace("parameters: 8291375616", "parameters: 7800000000"), encoding="utf-8")
    result = run_mmcat("check", cwd=project)
    assert result.code == 0, result.err


def test_origin_is_derived_from_the_provenance() -> None:
    def origin(url: str, method: str = "verbatim") -> str | None:
        record = HubRecord(config={}, config_method=method, provenance={"config": f"manual:{url}"})
        found = config_origin("org/model", record)
        return found.kind if found else None

    assert origin("https://huggingface.co/org/model/blob/main/config.json") == "own-repository"
    assert origin("https://huggingface.co/org/model-v2/blob/main/config.json") == "mirror"
    assert origin("https://huggingface.co/someone/model/blob/main/config.json") == "mirror"
    assert origin("https://github.com/org/model/blob/main/config.json") == "mirror"
    code = "https://github.com/org/code/blob/main/model.py"
    assert origin(code, "reconstructed from code") == "reconstructed"
    sha = "a" * 40
    hub = config_origin("org/model", HubRecord(config={}, provenance={"config": f"hub@{sha}"}))
    assert hub == ConfigOrigin(kind="hub", url=f"https://huggingface.co/org/model/blob/{sha}/config.json")
    assert config_origin("org/model", HubRecord()) is None


def test_completeness_comes_from_the_config_tier() -> None:
    audit = {"complete": True, "config_class": "Dinov2Config"}
    tier = {"status": "ok", "date": "2026-01-01", "config_audit": audit}
    remote = {"model_type": "clip", "auto_map": {"AutoConfig": "configuration_evaclip.EvaCLIPConfig"}}
    locks = Locks(
        hub={"a/b": {"config": remote}, "e/f": {"config": remote}, "g/h": {"config": {"model_type": "clip"}}},
        checks={"a/b": {"tiers": {"config": tier}}},
    )
    assert config_completeness("a/b", locks) == ConfigAudit.model_validate(audit)  # the config tier's wins
    assert config_completeness("c/d", locks) is None
    # Without an audit, a config class in remote code is known to be incomplete; any other is unknown.
    assert config_completeness("e/f", locks) == ConfigAudit(
        complete=False, reason="the config class needs remote code"
    )
    assert config_completeness("g/h", locks) is None


def test_a_remote_config_class_is_read_from_auto_map(locks: Locks) -> None:
    assert config_class_is_remote({"auto_map": {"AutoConfig": "m.C", "AutoModel": "m.M"}})
    assert not config_class_is_remote({"model_type": "clip", "auto_map": {"AutoModel": "m.M"}})
    assert not config_class_is_remote({"model_type": "clip"})
    # The rule agrees with what every committed record says (the config tier confirmed the others).
    recorded = {
        model_id: (record.config_builds_in_transformers, config_class_is_remote(record.config))
        for model_id, record in locks.hub_records.items()
        if record.config is not None and record.config_builds_in_transformers is not None
    }
    assert recorded
    assert {model_id for model_id, (builds, remote) in recorded.items() if builds == remote} == set()
    assert {model_id for model_id, (builds, _) in recorded.items() if not builds} >= {"BAAI/EVA-CLIP-8B"}


@pytest.mark.parametrize(
    ("model_id", "claim", "words"),
    [
        ("BAAI/EVA-CLIP-8B", True, "names its AutoConfig in remote code"),
        ("facebook/dinov2-small", False, "names no AutoConfig"),
    ],
)
def test_a_builds_in_transformers_claim_that_auto_map_contradicts(
    project: Path, model_id: str, claim: bool, words: str
) -> None:
    _edit_lock(project, HUB, lambda models: models[model_id].update(config_builds_in_transformers=claim))
    line = _line_of(project, HUB, model_id, "config_builds_in_transformers")
    prefix = f"{HUB}:{line}: models.{model_id}.config_builds_in_transformers: recorded {claim}"
    _assert_rejected(project, prefix, words)


@pytest.mark.parametrize("model_id", ["Salesforce/blip-itm-base-coco", "openai/clip-vit-base-patch16"])
def test_the_real_lock_records_what_is_computed(model_id: str, locks: Locks) -> None:
    record = locks.hub[model_id]
    assert record["config_complete"] is False
    assert record["config_origin"]["kind"] == (
        "own-repository" if model_id.startswith("Salesforce") else "mirror"
    )
