"""``mmcat serve``: a live preview that re-renders when the catalogue changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO, run_mmcat, small_project


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return True
        time.sleep(0.5)
    return False


def test_serve_rerenders_when_an_entry_changes(tmp_path: Path) -> None:
    project = small_project(tmp_path)  # three models: the first build comes up sooner
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/models/bench/model-0000.html"  # offline build: .html links
    try:
        assert _wait_for(url, "Bench model 0", 120), "the preview did not come up"
        # The build's hooks apply to the preview too (no <link rel="alternate"> -> no sitemap.xml 404).
        assert '<link rel="alternate"' not in (_get(url) or "")
        entry = project / "catalog" / "models" / "bench" / "model-0000.yaml"
        text = entry.read_text(encoding="utf-8")
        edited = text.replace("name: Bench model 0\n", "name: Bench model 0 edited live\n")
        # MkDocs' LiveReloadServer starts its polling file watcher in a thread of its own, which
        # takes its first look at the files after the page is served: on a loaded machine an edit
        # made before that look is part of what it first sees, and never reported (a race of the
        # preview left open). The edit is made again, with a new time stamp, after
        # 20 s without it; it must then reach the page.
        entry.write_text(edited, encoding="utf-8")
        if not _wait_for(url, "Bench model 0 edited live", 20):
            entry.write_text(edited + "\n", encoding="utf-8")
            assert _wait_for(url, "Bench model 0 edited live", 120), "the change did not reach the preview"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_busy_port_is_a_clean_error_before_any_build(tmp_path: Path) -> None:
    """Issue 18 item 5: a port another server holds gives host:port and the reason, exit 1, at once."""
    root = small_project(tmp_path)
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = run_mmcat("serve", "--port", str(port), cwd=root)
    assert result.code == 1, result.out + result.err
    assert result.err.startswith(f"127.0.0.1:{port}: cannot listen there ("), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert not (root / "build").exists()  # nothing was built for a server that cannot start


def test_a_file_operation_the_machine_refuses_names_its_path(tmp_path: Path) -> None:
    """A folder the build needs that cannot be made (here a file in its place; likewise a read-only
    folder or a full disk) is ``path: reason``, exit 1, not an internal error."""
    root = small_project(tmp_path)
    (root / "build").write_text("not a folder", encoding="utf-8")
    result = run_mmcat("build", cwd=root)
    assert result.code == 1, result.out + result.err
    assert result.err.splitlines()[0].startswith("build"), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert (root / "build").read_text(encoding="utf-8") == "not a folder"
    assert not (root / "site").exists()
