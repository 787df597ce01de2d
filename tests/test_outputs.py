"""Output ownership (issue 18 item 1) and the atomic site swap (item 6).

No command removes or overwrites anything it does not own: output folders that are the
project, above it, project data, a file, or a non-empty folder the tool did not create are
refused with ``path:1: (output): why``, exit 1, and nothing in the project changes.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from generator.outputs import MARKER
from generator.site.engine.publish import build_lock, builds_dir, prepare, publish
from tests.conftest import copy_project, run_mmcat


def snapshot(root: Path) -> dict[str, str]:
    """Every path below ``root`` with a digest of its content (folders and links too)."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = "link:" + os.readlink(path)
        elif path.is_dir():
            found[key] = "dir"
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:  # a FIFO or socket (another test's hostile input nearby): opening it would block
            found[key] = f"special:{stat.S_IFMT(path.lstat().st_mode):o}"
    return found


@pytest.fixture
def guarded(tmp_path: Path) -> Path:
    """A scratch project with a .git folder, an uncommitted file and a foreign folder, in a folder
    of its own beside a sibling project: ``guarded.parent`` is this test's, so a snapshot of it sees
    a command that writes above the project, and no other test's files."""
    project = copy_project(tmp_path / "project")
    (tmp_path / "sibling").mkdir()
    (tmp_path / "sibling" / "keep.txt").write_text("another project\n", encoding="utf-8")
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (project / "notes.txt").write_text("uncommitted work\n", encoding="utf-8")
    (project / "mine").mkdir()
    (project / "mine" / "keep.txt").write_text("the user's\n", encoding="utf-8")
    return project


REFUSED = [
    (".", "project folder"),
    ("..", "project folder"),
    ("catalog", "project data"),
    ("docs", "project data"),
    ("catalog/models", "project data"),
    (".git", "project data"),
    ("notes.txt", "is a file"),
    ("mine", "did not create"),
]


@pytest.mark.parametrize(("target", "why"), REFUSED, ids=[t for t, _ in REFUSED])
@pytest.mark.parametrize("command", ["build --site-dir", "export --out"])
def test_output_folder_refused(guarded: Path, command: str, target: str, why: str) -> None:
    before = snapshot(guarded.parent)
    result = run_mmcat(*command.split(), target, cwd=guarded)
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert ": (output): " in result.err and why in result.err, result.err
    assert snapshot(guarded.parent) == before


def test_folder_of_another_project_refused(guarded: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    (other / ".git").mkdir(parents=True)
    before = snapshot(other)
    result = run_mmcat("export", "--out", str(other), cwd=guarded)
    assert result.code == 1 and "holds project data" in result.err, result.err
    assert snapshot(other) == before


def test_export_marks_the_folder_it_creates_and_writes_it_again(guarded: Path) -> None:
    assert run_mmcat("export", "--out", "exports", cwd=guarded).code == 0
    assert (guarded / "exports" / MARKER).is_file()
    assert (guarded / "exports" / "models.json").is_file()
    result = run_mmcat("export", "--out", "exports", "--format", "csv", cwd=guarded)
    assert result.code == 0, result.err


@pytest.mark.parametrize("report", ["catalog/report.md", "docs", "generator/x.md"])
def test_ci_report_into_project_data_refused(guarded: Path, report: str) -> None:
    before = snapshot(guarded)
    result = run_mmcat("ci", "--report", report, "--since", "HEAD", cwd=guarded)
    assert result.code == 1 and ": (output): " in result.err, result.err
    assert snapshot(guarded) == before


def test_verify_shard_into_project_data_refused(guarded: Path) -> None:
    before = snapshot(guarded)
    result = run_mmcat("verify", "--out", "catalog/models/x.json", "facebook/dinov2-small", cwd=guarded)
    assert result.code == 1 and ": (output): " in result.err, result.err
    assert snapshot(guarded) == before


BAD_IDS = [
    "../x",
    "a/../../x",
    "..",
    "a/b/c",
    "a/b\nc",
    "a/b\x00",
    "a/-b",
    "a/b.",
    "a/b--c",
    "a/" + "b" * 95,
    "a",
]


@pytest.mark.parametrize("model_id", BAD_IDS, ids=[repr(i) for i in BAD_IDS])
def test_new_validates_the_id_before_any_path(guarded: Path, model_id: str) -> None:
    before = snapshot(guarded.parent)
    result = run_mmcat("new", model_id, cwd=guarded)
    assert result.code == 2, result.out + result.err
    assert "not a Hugging Face id" in result.err and "Traceback" not in result.err
    assert snapshot(guarded.parent) == before


def test_new_writes_atomically(guarded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails (a full disk) leaves no 0-byte entry that would block the retry."""
    import os as os_module

    def full_disk(fd: int, *args: object, **kwargs: object) -> object:
        os.close(fd)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os_module, "fdopen", full_disk)
    assert run_mmcat("new", "some-org/some-model", cwd=guarded).code == 1
    folder = guarded / "catalog" / "models" / "some-org"
    assert not folder.exists() or not list(folder.iterdir())
    monkeypatch.undo()
    assert run_mmcat("new", "some-org/some-model", cwd=guarded).code == 0


# --- the site swap (item 6), on tiny folders: the mechanism, not MkDocs ---


def _build(site: Path, root: Path, text: str) -> Path:
    with build_lock(root / "build"):
        tmp = prepare(site, root, legacy=False)
        (tmp / "index.html").write_text(text, encoding="utf-8")
        (tmp / "sub").mkdir()
        (tmp / "sub" / "page.html").write_text(text, encoding="utf-8")
        return publish(tmp, site)


def test_site_swap_is_atomic_and_readable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site.engine import publish as publishing

    monkeypatch.setattr(publishing, "GRACE", 1.0)  # builds retired less than 1 s ago are kept
    root = tmp_path / "project"
    root.mkdir()
    site = root / "site"
    _build(site, root, "0")
    seen: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append((site / "index.html").read_text(encoding="utf-8"))
            except OSError:
                seen.append("MISSING")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(1, 150):
            _build(site, root, str(n))
    finally:
        stop.set()
        reader.join()
    assert len(seen) > 100 and "MISSING" not in seen
    assert (site / "index.html").read_text(encoding="utf-8") == "149"
    time.sleep(1.1)  # a build after the grace time removes all but the previous one
    _build(site, root, "150")
    assert site.is_symlink()
    kept = [p.name for p in builds_dir(site).iterdir() if p.name not in (MARKER, ".lock")]
    assert len(kept) == 2  # the new build and the previous one (a reader may be in it)
    for path in [site.resolve(), *site.resolve().rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_interrupted_build_is_cleaned_by_the_next(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    site = root / "site"
    _build(site, root, "first")
    with build_lock(root / "build"):
        left = prepare(site, root, legacy=False)  # then the build is killed
        (left / "half.html").write_text("half", encoding="utf-8")
    assert left.exists()
    _build(site, root, "second")
    assert not left.exists()
    assert (site / "index.html").read_text(encoding="utf-8") == "second"


def test_old_site_folder_is_replaced_by_the_link(tmp_path: Path) -> None:
    """A site/ built by the earlier scheme (a real, marked folder) becomes the link."""
    root = tmp_path / "project"
    site = root / "site"
    site.mkdir(parents=True)
    (site / MARKER).write_text("x", encoding="utf-8")
    (site / "index.html").write_text("old", encoding="utf-8")
    _build(site, root, "new")
    assert site.is_symlink() and (site / "index.html").read_text(encoding="utf-8") == "new"


def test_link_the_tool_did_not_make_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("keep", encoding="utf-8")
    (root / "site").symlink_to(mine)
    with pytest.raises(Exception, match="did not create"):
        _build(root / "site", root, "x")
    assert (mine / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_every_command_help_says_what_it_writes(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import COMMANDS, build_parser

    for name in COMMANDS:
        with pytest.raises(SystemExit):
            build_parser().parse_args([name, "--help"])
        text = capsys.readouterr().out
        assert "Writes:" in text and "is refused" in " ".join(text.split()), name


def test_two_builds_at_once_both_succeed_one_after_the_other(tmp_path: Path) -> None:
    """Issue 18 item 6: concurrent builds of one project take turns on the build lock."""
    import subprocess
    import sys

    from tests.conftest import REPO, small_project

    root = small_project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator.cli", "build", "--force"]
    runs = [
        subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [(run.wait(timeout=600), *run.communicate()) for run in runs]
    for code, out, err in results:
        assert code == 0, out + err
    site = root / "site"
    assert site.is_symlink() and (site / "index.html").is_file()
    builds = [p.name for p in builds_dir(site).iterdir() if p.name not in (MARKER, ".lock")]
    assert len(builds) <= 2 and not [n for n in builds if n.startswith(".")]  # no half-made folder left
