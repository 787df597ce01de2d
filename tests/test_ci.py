"""``mmcat ci`` end to end: a git branch adds an entry, the local Hub serves its config."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.testing.hubserver import FakeHub, FakeRepo, Fault

NEW = "facebook/dinov2-with-registers-small"
SHA = "d" * 40
CONFIG = {
    "model_type": "dinov2_with_registers",
    "hidden_size": 384,
    "num_hidden_layers": 12,
    "num_attention_heads": 6,
    "intermediate_size": 1536,
    "image_size": 518,
    "patch_size": 14,
    "num_register_tokens": 4,
}
ENTRY = """\
id: {id}
name: DINOv2 with registers, small
organization: Meta AI
series: streetclip
category: visual
modalities: [image]
summary:
  en: A test entry for a DINOv2 checkpoint trained with register tokens.
  zh: 用于测试的条目：带寄存器 token 训练的 DINOv2 检查点。
status: checkable
source:
  hub_id: {id}
  loader: transformers
  architecture: {architecture}{source_extra}
license: apache-2.0
embeddings:
  - name: cls
    modality: image
    dim: {dim}
    recipe: {recipe}
    input: {{image_size: {size}}}
  - name: patch  # the dinov2 series' defaults declare a patch grid; this test entry has none
    omit: true
sources:
  - facts: [dim, license]
    url: https://example.org/{id}
"""


def _git(project: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture
def repo(project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The scratch project as a git repository: ``main`` holds the catalogue, ``pr`` is checked out."""
    _git(project, "init", "-q", "-b", "main")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "catalogue")
    _git(project, "checkout", "-q", "-b", "pr")
    monkeypatch.chdir(project)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return project


def _add_entry(repo: Path, model_id: str = NEW, dim: int = 384, **fields: str) -> Path:
    path = repo / "catalog" / "models" / f"{model_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {
        "id": model_id,
        "dim": dim,
        "architecture": "Dinov2WithRegistersModel",
        "recipe": "dinov2_cls",
        "size": 224,
        "source_extra": "",
        **fields,
    }
    path.write_text(ENTRY.format(**values), encoding="utf-8")
    return path


def _serve(hub: FakeHub, repo_id: str = NEW, config: dict[str, Any] | None = None, **kw: Any) -> None:
    files = {"config.json": json.dumps(config or CONFIG).encode()}
    hub.add(FakeRepo(repo_id=repo_id, sha=kw.pop("sha", SHA), files=files, **kw))


def _ci(hub: FakeHub, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["ci", "--endpoint", hub.url, "--retries", "1", "--max-time", "3", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _lock(repo: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((repo / "catalog" / "lock" / name).read_text(encoding="utf-8"))
    return data["models"]


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_wrong_dim_fails_at_its_yaml_line(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _add_entry(repo, dim=385)
    _serve(fake_hub)
    before = {n: (repo / "catalog" / "lock" / n).read_bytes() for n in ("hub.json", "checks.json")}
    code, out, err = _ci(fake_hub, capsys, "--report", "report.md")
    assert code == 1, out + err
    line = _line_of(path, "dim: 385")
    expected = (
        f"catalog/models/{NEW}.yaml:{line}: embeddings.0.dim: declared 385, observed 384 "
        f"(config tier, {NEW}@{SHA}, transformers "
    )
    assert expected in err
    assert "Traceback" not in err
    report = (repo / "report.md").read_text(encoding="utf-8")
    assert f"`{NEW}`" in report and "❌ failed" in report and "| cls | 385 | 384 |" in report
    # A failed entry's records stay as they were.
    assert {n: (repo / "catalog" / "lock" / n).read_bytes() for n in before} == before


def test_a_right_dim_passes_and_lands_in_the_lock(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_entry(repo)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "new entry")
    _serve(fake_hub)
    summary = repo / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, err = _ci(fake_hub, capsys)
    assert code == 0, out + err
    assert f"{NEW}: passed" in out
    hub = _lock(repo, "hub.json")[NEW]
    assert hub["sha"] == SHA
    assert hub["provenance"]["config"] == f"hub@{SHA}"
    assert hub["config"]["num_register_tokens"] == 4
    config_tier = _lock(repo, "checks.json")[NEW]["tiers"]["config"]
    assert config_tier["outputs"]["cls"] == {"declared": [384], "observed": [384], "match": True}
    assert config_tier["revision"] == SHA
    assert config_tier["config_provenance"] == f"hub@{SHA}"
    assert "✅ passed" in summary.read_text(encoding="utf-8")
    # Entries the branch did not touch are neither refreshed nor checked.
    assert {path.split("/resolve/")[0].removeprefix("/api/models") for _, path in fake_hub.requests} == {
        f"/{NEW}"
    }
    assert out.count(": passed") == 1


def test_remote_code_without_a_pinned_revision_fails(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _add_entry(repo, source_extra="\n  trust_remote_code: true")
    _serve(fake_hub)
    code, _, err = _ci(fake_hub, capsys)
    assert code == 1
    line = _line_of(path, "source:")
    assert f"{NEW}.yaml:{line}: source: trust_remote_code: true needs a pinned 40-hex revision" in err
    assert fake_hub.requests == []  # an invalid catalogue stops before the Hub


@pytest.mark.parametrize(
    ("serve", "reason"),
    [
        (
            {"fault": Fault("gated", only="file"), "info": {"gated": "manual"}},
            "gated: the repository is gated",
        ),
        (None, "not found: repository not found"),
        ({"fault": Fault("error", status=500)}, "failed: HTTP 500"),
    ],
    ids=["gated", "not-on-hub", "hub-500"],
)
def test_an_entry_the_hub_cannot_give_fails_with_its_reason(
    repo: Path,
    fake_hub: FakeHub,
    capsys: pytest.CaptureFixture[str],
    serve: dict[str, Any] | None,
    reason: str,
) -> None:
    path = _add_entry(repo)
    if serve is not None:
        _serve(fake_hub, **serve)
    before = {n: (repo / "catalog" / "lock" / n).read_bytes() for n in ("hub.json", "checks.json")}
    code, out, err = _ci(fake_hub, capsys)
    assert code == 1, out + err
    line = _line_of(path, "hub_id:")
    assert f"{NEW}.yaml:{line}: source.hub_id: could not be checked: {reason}" in err
    assert "Traceback" not in err
    assert {n: (repo / "catalog" / "lock" / n).read_bytes() for n in before} == before


def test_nothing_changed_checks_nothing(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _ci(fake_hub, capsys, "--report", "r.md")
    assert code == 0
    assert "0 entries checked since main" in out
    assert "No model entry changed." in (repo / "r.md").read_text(encoding="utf-8")
    assert fake_hub.requests == []


def test_an_unknown_revision_is_a_usage_error(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _ci(fake_hub, capsys, "--since", "no-such-branch")
    assert code == 2
    assert "unknown revision 'no-such-branch'" in err


# Remote code: the config names classes in another repository, which must be pinned.
CODE_REPO = "acme/tiny-code"
CODE_SHA = "c" * 40
CONFIGURATION = """\
from transformers import PretrainedConfig


class TinyConfig(PretrainedConfig):
    model_type = "tiny-remote"

    def __init__(self, hidden_size=24, patch_size=14, **kwargs):
        self.hidden_size = hidden_size
        self.patch_size = patch_size
        super().__init__(**kwargs)
"""
MODELING = """\
import torch
from transformers import PreTrainedModel
from transformers.modeling_outputs import BaseModelOutputWithPooling

from .configuration_tiny import TinyConfig


class TinyModel(PreTrainedModel):
    config_class = TinyConfig
    main_input_name = "pixel_values"

    def __init__(self, config):
        super().__init__(config)
        self.patches = torch.nn.Conv2d(3, config.hidden_size, config.patch_size, config.patch_size)
        self.post_init()

    def forward(self, pixel_values=None, **kwargs):
        tokens = self.patches(pixel_values).flatten(2).transpose(1, 2)
        return BaseModelOutputWithPooling(last_hidden_state=tokens, pooler_output=tokens.mean(1))
"""
REMOTE = "acme/tiny-remote"
REMOTE_CONFIG = {
    "model_type": "tiny-remote",
    "hidden_size": 24,
    "patch_size": 14,
    "auto_map": {
        "AutoConfig": f"{CODE_REPO}--configuration_tiny.TinyConfig",
        "AutoModel": f"{CODE_REPO}--modeling_tiny.TinyModel",
    },
}


@pytest.mark.parametrize("pinned", [False, True], ids=["unpinned", "pinned"])
def test_remote_code_in_another_repository_runs_only_pinned(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str], pinned: bool
) -> None:
    extra = f"\n  revision: '{SHA}'\n  trust_remote_code: true"
    if pinned:
        extra += f"\n  code_revisions: {{{CODE_REPO}: '{CODE_SHA}'}}"
    path = _add_entry(
        repo, REMOTE, dim=24, architecture="TinyModel", recipe="vit_pooler", size=28, source_extra=extra
    )
    _serve(fake_hub, REMOTE, REMOTE_CONFIG)
    files = {"configuration_tiny.py": CONFIGURATION.encode(), "modeling_tiny.py": MODELING.encode()}
    fake_hub.add(FakeRepo(repo_id=CODE_REPO, sha=CODE_SHA, files=files))
    code, out, err = _ci(fake_hub, capsys)
    code_fetched = fake_hub.count("GET", f"/{CODE_REPO}/resolve/{CODE_SHA}/modeling_tiny.py")
    if not pinned:
        assert code == 1, out + err
        line = _line_of(path, "hub_id:")
        assert (
            f"{REMOTE}.yaml:{line}: source.hub_id: could not be checked: auto_map loads code from "
            f"{CODE_REPO}, which is not pinned" in err
        )
        assert fake_hub.count(contains=CODE_REPO) == 0  # no remote code was even downloaded
    else:
        assert code == 0, out + err
        assert code_fetched == 1
        assert fake_hub.count(contains=f"/{CODE_REPO}/resolve/main") == 0
        observed = _lock(repo, "checks.json")[REMOTE]["tiers"]["config"]["outputs"]["cls"]["observed"]
        assert observed == [24]


def test_weights_tier_runs_remote_code_from_another_repository_at_its_pin(
    repo: Path,
    fake_hub: FakeHub,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import torch
    import transformers
    from safetensors.torch import save_file

    extra = (
        f"\n  revision: '{SHA}'\n  trust_remote_code: true\n  code_revisions: {{{CODE_REPO}: '{CODE_SHA}'}}"
    )
    _add_entry(
        repo, REMOTE, dim=24, architecture="TinyModel", recipe="vit_pooler", size=28, source_extra=extra
    )
    weights = tmp_path / "model.safetensors"
    save_file({"patches.weight": torch.randn(24, 3, 14, 14), "patches.bias": torch.zeros(24)}, str(weights))
    processor = tmp_path / "processor"
    transformers.BitImageProcessor(
        size={"shortest_edge": 28}, crop_size={"height": 28, "width": 28}
    ).save_pretrained(processor)
    files = {
        "config.json": json.dumps(REMOTE_CONFIG).encode(),
        "model.safetensors": weights.read_bytes(),
        "preprocessor_config.json": (processor / "preprocessor_config.json").read_bytes(),
    }
    fake_hub.add(FakeRepo(repo_id=REMOTE, sha=SHA, files=files))
    code_files = {"configuration_tiny.py": CONFIGURATION.encode(), "modeling_tiny.py": MODELING.encode()}
    fake_hub.add(FakeRepo(repo_id=CODE_REPO, sha=CODE_SHA, files=code_files))
    # Without a recorded config the code it loads cannot be planned, so nothing runs.
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    assert main(["verify", REMOTE, "--tier", "weights", "--device", "cpu"]) == 0
    assert "no config.json recorded in lock/hub.json, so the remote code" in capsys.readouterr().out
    assert fake_hub.count(contains=CODE_REPO) == 0
    assert main(["refresh", REMOTE]) == 0
    code = main(["verify", REMOTE, "--tier", "weights", "--device", "cpu"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    record = _lock(repo, "checks.json")[REMOTE]["tiers"]["weights"]
    assert record["outputs"]["cls"] == {"declared": [24], "observed": [24], "match": True}
    assert fake_hub.count("GET", f"/{CODE_REPO}/resolve/{CODE_SHA}/modeling_tiny.py") == 1
    assert fake_hub.count(contains=f"/{CODE_REPO}/resolve/main") == 0


def test_weights_tier_refuses_unpinned_code_of_another_repository(catalog: Any, locks: Any) -> None:
    from generator.verify import Options, plan

    jobs, skipped = plan([catalog.model_map["jinaai/jina-clip-v1"]], locks, Options(tier="weights"))
    assert not jobs
    assert skipped[0].reason.startswith(
        "auto_map loads code from jinaai/jina-clip-implementation, which is not pinned"
    )
    # Code in the model's own repository runs at the entry's pinned revision.
    intern = catalog.model_map["OpenGVLab/InternViT-300M-448px-V2_5"]
    jobs, _ = plan([intern], locks, Options(tier="weights"))
    assert jobs[0].payload["code_revision"] == intern.source.revision


def test_a_config_that_changed_on_the_hub_fails_and_keeps_the_old_records(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    model_id = "facebook/dinov2-small"
    path = repo / "catalog" / "models" / f"{model_id}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # touched by the branch
    changed = dict(
        json.loads((repo / "catalog" / "lock" / "hub.json").read_text())["models"][model_id]["config"]
    )
    changed["hidden_size"] = 768
    _serve(fake_hub, model_id, changed)
    before = {n: (repo / "catalog" / "lock" / n).read_bytes() for n in ("hub.json", "checks.json")}
    code, out, err = _ci(fake_hub, capsys)
    assert code == 1, out + err
    assert "embeddings.0.dim: declared 384, observed 768" in err
    assert {n: (repo / "catalog" / "lock" / n).read_bytes() for n in before} == before


def test_all_checks_every_entry(repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.catalog.load import load_catalog

    models = load_catalog(repo / "catalog").model_map
    code, out, _ = _ci(fake_hub, capsys, "--all", "--report", "all.md")
    assert code == 1  # the local Hub serves none of them
    assert f"{len(models)} entries checked since (every entry)" in out
    declared = [m for m in models.values() if m.status != "checkable"]
    assert out.count(": declared (") == len(declared)
    assert "(every entry)" in (repo / "all.md").read_text(encoding="utf-8")


def test_declared_parameters_far_from_the_built_count_need_a_reason(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _add_entry(repo)
    text = path.read_text(encoding="utf-8").replace(
        "license: apache-2.0", "license: apache-2.0\nparameters: 30000000"
    )
    path.write_text(
        text.replace("facts: [dim, license]", "facts: [dim, license, parameters]"), encoding="utf-8"
    )
    _serve(fake_hub)
    code, out, err = _ci(fake_hub, capsys)
    assert code == 1, out + err
    line = _line_of(path, "parameters: 30000000")
    assert f"{NEW}.yaml:{line}: parameters: declared 30,000,000 is " in err
    assert "say why in parameters_note" in err


def test_the_lock_is_written_only_after_the_report(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report that cannot be written stops the run before the lock changes (issue 18, item 4)."""
    _add_entry(repo)
    _serve(fake_hub)
    before = {n: (repo / "catalog" / "lock" / n).read_bytes() for n in ("hub.json", "checks.json")}
    code, out, err = _ci(fake_hub, capsys, "--report", "no/such/folder/report.md")
    assert code == 1, out + err
    assert "no/such/folder/report.md:1: (file): cannot write the report" in err
    assert "Traceback" not in err and "internal error" not in err
    assert {n: (repo / "catalog" / "lock" / n).read_bytes() for n in before} == before


def test_a_lying_hub_answer_fails_only_its_entry(
    repo: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    """One wrong-typed answer fails its entry with the reason; the other is checked and recorded."""
    liar = "facebook/dinov2-with-registers-base"
    _add_entry(repo)
    _add_entry(repo, liar)
    _serve(fake_hub)
    _serve(fake_hub, liar, sha="e" * 40, info={"downloads": "many"})
    code, out, err = _ci(fake_hub, capsys, "--report", "report.md")
    assert code == 1, out + err
    assert f"{NEW}: passed" in out and f"{liar}: failed" in out
    assert "downloads" in err and "Traceback" not in err
    assert "downloads" in (repo / "report.md").read_text(encoding="utf-8")
    assert NEW in _lock(repo, "hub.json") and liar not in _lock(repo, "hub.json")
    assert NEW in _lock(repo, "checks.json") and liar not in _lock(repo, "checks.json")
