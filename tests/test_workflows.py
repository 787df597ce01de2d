"""The GitHub workflows call commands that exist, with options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from generator.cli import build_parser
from scripts.gpu_runtime import build_parser as gpu_runtime_parser
from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _run_lines(path: Path) -> list[str]:
    """Each shell line of the workflow's ``run:`` steps, continuation lines joined."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = []
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            script = step.get("run", "").replace("\\\n", " ")
            lines += [line.strip() for line in script.splitlines() if line.strip()]
    return lines


def _argv(line: str, program: str) -> list[str]:
    """The arguments after ``program`` in ``line``, with expressions and variables as plain words."""
    line = re.sub(r"\$\{\{[^}]*\}\}", "1", line)  # e.g. ${{ matrix.shard }}
    line = re.sub(r"\$\(?[A-Za-z_]+\)?", "X", line)
    words = shlex.split(line.split("||")[0])
    start = next(i for i, w in enumerate(words) if w.endswith(program))
    return words[start + 1 :]


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_commands_exist(path: Path) -> None:
    lines = _run_lines(path)
    assert lines, "a workflow without commands"
    for line in lines:
        if "mmcat " in line:
            build_parser().parse_args(_argv(line, "mmcat"))  # SystemExit on an unknown command or option
        if "scripts/gpu_runtime.py" in line:
            gpu_runtime_parser().parse_args(_argv(line, "scripts/gpu_runtime.py"))
        for script in re.findall(r"\./scripts/[\w.-]+", line):
            assert (REPO / script).is_file(), script


def test_the_pull_request_workflow_runs_mmcat_ci() -> None:
    lines = _run_lines(REPO / ".github" / "workflows" / "pr.yml")
    assert any(line.startswith(".venv/bin/mmcat ci ") for line in lines)
    assert "./scripts/test" in lines
