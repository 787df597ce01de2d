"""The command line: help texts, exit codes, documentation of every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.catalog.schema import zh_spacing_error
from generator.cli import COMMANDS, build_parser, main
from tests.conftest import REPO, run_mmcat, run_mmcat_process


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_an_example_and_is_documented(command: str) -> None:
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert f"example: mmcat {command}" in sub.format_help()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`mmcat {command}" in readme
    assert f"`mmcat {command}" in (REPO / "README.zh.md").read_text(encoding="utf-8")


def test_check_passes_on_the_real_catalogue() -> None:
    # In a fresh process, through the module entry point, as the console script runs it.
    result = run_mmcat_process("check", cwd=REPO)
    assert result.code == 0, result.err
    assert result.out.startswith("ok: ")


def test_usage_error_exits_2(tmp_path: Path) -> None:
    assert run_mmcat("frobnicate", cwd=tmp_path).code == 2
    assert run_mmcat("build", "--no-such-flag", cwd=tmp_path).code == 2


def test_missing_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    result = run_mmcat("--catalog", "nowhere", "check", cwd=tmp_path)
    assert result.code == 1
    assert "nowhere:1: (file): catalogue folder not found" in result.err
    assert "Traceback" not in result.err


def test_schema_files_are_up_to_date() -> None:
    result = run_mmcat("schema", "--check", cwd=REPO)
    assert result.code == 0, result.err


def test_schema_drift_is_caught(project: Path) -> None:
    schema = project / "catalog" / "schema" / "model.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"dim"', '"dimension"'), encoding="utf-8")
    result = run_mmcat("check", cwd=project)
    assert result.code == 1
    assert "catalog/schema/model.schema.json:1: (file): out of date" in result.err
    assert run_mmcat("schema", cwd=project).code == 0
    assert run_mmcat("check", cwd=project).code == 0


def test_new_scaffolds_an_entry_that_check_rejects_until_filled(project: Path) -> None:
    result = run_mmcat("new", "some-org/some-model", cwd=project)
    assert result.code == 0, result.err
    path = project / "catalog" / "models" / "some-org" / "some-model.yaml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schema/model.schema.json"
    )
    zh = yaml.safe_load(path.read_text(encoding="utf-8"))["summary"]["zh"]
    assert f"  zh: {zh}\n" in path.read_text(encoding="utf-8")  # one line, never folded
    assert zh_spacing_error(zh) is None
    check = run_mmcat("check", cwd=project)
    assert check.code == 1
    assert "catalog/models/some-org/some-model.yaml:" in check.err
    assert run_mmcat("new", "some-org/some-model", cwd=project).code == 1  # never overwrites
    assert run_mmcat("new", "not-an-id", cwd=project).code == 2


def test_new_prefills_from_the_hub_lock(project: Path) -> None:
    # A recorded config (here CLIP's) gives the architecture and the projection dims to start from.
    (project / "catalog" / "models" / "openai" / "clip-vit-base-patch32.yaml").unlink()
    assert run_mmcat("new", "openai/clip-vit-base-patch32", cwd=project).code == 0
    text = (project / "catalog" / "models" / "openai" / "clip-vit-base-patch32.yaml").read_text(
        encoding="utf-8"
    )
    assert "architecture: CLIPModel" in text
    assert "dim: 512, recipe: clip_image" in text


def test_a_bad_shard_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["verify", "--shard", "4/3"])
    assert exc.value.code == 2
    assert "need 1 <= K <= N" in capsys.readouterr().err


def test_an_internal_error_is_a_bug_report_not_a_usage_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.catalog.load

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(generator.catalog.load, "load_catalog", broken)
    monkeypatch.chdir(project)
    assert main(["verify", "facebook/dinov2-small"]) == 1
    err = capsys.readouterr().err
    assert "mmcat verify: internal error: RuntimeError" in err
    assert "re-run with --debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["--debug", "verify", "facebook/dinov2-small"])


def test_a_refused_file_operation_is_the_path_and_the_reason(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = project / "catalog" / "lock" / "checks.json"
    lock.unlink()
    lock.mkdir()  # a folder where a file should be
    monkeypatch.chdir(project)
    assert main(["verify", "facebook/dinov2-small"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("catalog/lock/checks.json: "), err
    assert "internal error" not in err and "Traceback" not in err
    with pytest.raises(IsADirectoryError):
        main(["--debug", "verify", "facebook/dinov2-small"])


def test_verify_never_imports_torch_in_the_parent_process(project: Path) -> None:
    code = (
        "import sys; from generator.cli import main; "
        "code = main(['verify', 'facebook/dinov2-small', '--device', 'auto']); "
        "print('torch' in sys.modules, code)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.stdout.strip().splitlines()[-1] == "False 0", proc.stdout + proc.stderr
