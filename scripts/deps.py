"""The committed dependency locks: how they are made, compared and upgraded.

Three locks in ``requirements/``, all hash-pinned requirement files that ``uv pip sync`` and
``pip install --require-hashes`` both read, resolved for CPython 3.11 on Linux x86_64:

- ``test-cpu.txt``: every extra (site, verify, test) with PyTorch's CPU build: the set the tests ran on;
- ``test-cuda.txt``: the same set with PyPI's CUDA build of torch and the CUDA libraries it pulls in;
- ``site.txt``: what ``mmcat build`` needs (no torch), at the versions of ``test-cpu.txt``.

Each also pins the installer and build tools of ``requirements/tools.in`` (uv, pip, setuptools), so a
fresh ``.venv`` holds nothing the locks do not name.

Usage:
  python scripts/deps.py lock [--upgrade]       re-resolve the three locks (uv pip compile)
  python scripts/deps.py diff OLD NEW           the pins that changed between two lock files
  python scripts/deps.py blame OLD NEW          which upgraded package makes the failing tests fail
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REQUIREMENTS = REPO / "requirements"
TOOLS_IN = REQUIREMENTS / "tools.in"
PLATFORM = ["--python-version", "3.11", "--python-platform", "x86_64-manylinux_2_28"]
# torch's CUDA build on PyPI pulls these in; the CPU build does not.
CUDA_ONLY = re.compile(r"^(nvidia-.*|triton|cuda-.*)$")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def canonical(name: str) -> str:
    """A distribution name as the registries compare it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text: str) -> dict[str, str]:
    """The ``name==version`` pins of a requirement file, by canonical name."""
    pins: dict[str, str] = {}
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


@dataclass(frozen=True)
class Change:
    """One package whose pin differs between two locks (``None``: absent on that side)."""

    name: str
    old: str | None
    new: str | None

    def __str__(self) -> str:
        if self.old is None:
            return f"+ {self.name} {self.new}"
        if self.new is None:
            return f"- {self.name} {self.old}"
        return f"~ {self.name} {self.old} -> {self.new}"


def diff_pins(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """Every package added, removed or moved to another version, sorted by name."""
    names = sorted(set(old) | set(new))
    return [Change(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n)]


def find_culprits(changes: Sequence[Change], fails_with: Callable[[Change], bool]) -> list[Change]:
    """The changes that, applied alone on top of the old set, make the failing tests fail."""
    return [change for change in changes if change.new is not None and fails_with(change)]


# --- making the locks -----------------------------------------------------------------------


def find_links() -> list[str]:
    """Local wheel folders that pip is configured with (where this machine keeps its CPU torch)."""
    configured = os.environ.get("UV_FIND_LINKS") or os.environ.get("PIP_FIND_LINKS")
    if not configured:
        probe = subprocess.run(
            [sys.executable, "-m", "pip", "config", "get", "global.find-links"],
            capture_output=True,
            text=True,
            check=False,
        )
        configured = probe.stdout.strip() if probe.returncode == 0 else ""
    return [part for part in configured.split() if part]


TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def torch_sources(folders: Sequence[str]) -> list[str]:
    """uv arguments that offer PyTorch's CPU build: local wheel folders, else PyTorch's CPU index."""
    args = [arg for folder in folders for arg in ("--find-links", folder)]
    local = any(Path(f.removeprefix("file://")).glob("torch-*+cpu-*.whl") for f in folders)
    if not local:
        index = os.environ.get("MMCAT_TORCH_INDEX", TORCH_CPU_INDEX)
        args += ["--extra-index-url", index, "--index-strategy", "unsafe-best-match"]
    return args


def uv() -> str:
    """The uv of this environment (pinned by the locks), else one on PATH."""
    local = Path(sys.executable).with_name("uv")
    found = str(local) if local.exists() else shutil.which("uv")
    if found is None:
        raise SystemExit("uv is not installed: run ./scripts/test once (it installs the pinned uv)")
    return found


def compile_lock(out: Path, extras: Iterable[str], extra_args: Sequence[str], upgrade: bool) -> None:
    """Resolve pyproject.toml (with ``extras``) and tools.in into the hash-pinned lock ``out``."""
    command = [uv(), "pip", "compile", "pyproject.toml", str(TOOLS_IN.relative_to(REPO))]
    for extra in extras:
        command += ["--extra", extra]
    command += ["--generate-hashes", "--quiet", *PLATFORM, *extra_args, "-o", str(out.relative_to(REPO))]
    command += ["--custom-compile-command", "python scripts/deps.py lock"]
    if upgrade:
        command.append("--upgrade")
    subprocess.run(command, cwd=REPO, check=True)


def without(lock: Path, names: Callable[[str], bool]) -> str:
    """The pins of ``lock`` whose canonical name is not selected by ``names``, as constraints."""
    pins = read_pins(lock.read_text(encoding="utf-8"))
    return "".join(f"{n}=={v}\n" for n, v in sorted(pins.items()) if not names(n))


def lock_all(upgrade: bool) -> None:
    """Re-resolve test-cpu.txt, then test-cuda.txt and site.txt at its versions."""
    cpu = REQUIREMENTS / "test-cpu.txt"
    compile_lock(cpu, ["verify", "test"], torch_sources(find_links()), upgrade)
    # Constraints at a fixed relative path: uv names them in the locks' "via" comments.
    scratch = REPO / "build" / "deps"
    scratch.mkdir(parents=True, exist_ok=True)
    same_as_cpu = scratch / "cpu-without-torch.txt"
    same_as_cpu.write_text(without(cpu, lambda n: n == "torch"), encoding="utf-8")
    # PyPI's torch of the same version is the CUDA build; everything else as in the CPU lock.
    cuda_args = ["-c", str(same_as_cpu.relative_to(REPO))]
    compile_lock(REQUIREMENTS / "test-cuda.txt", ["verify", "test"], cuda_args, False)
    site_at_cpu = scratch / "cpu.txt"
    site_at_cpu.write_text(without(cpu, lambda n: False), encoding="utf-8")
    compile_lock(REQUIREMENTS / "site.txt", [], ["-c", str(site_at_cpu.relative_to(REPO))], False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lock = sub.add_parser("lock", help="re-resolve the three locks")
    lock.add_argument("--upgrade", action="store_true", help="to the newest versions the ranges allow")
    for name in ("diff", "blame"):
        cmd = sub.add_parser(name)
        cmd.add_argument("old", type=Path)
        cmd.add_argument("new", type=Path)
    sub.choices["blame"].add_argument(
        "--check", default="pytest", help="the check that failed: pytest (its failed tests) or a command line"
    )
    args = parser.parse_args(argv)
    if args.command == "lock":
        lock_all(args.upgrade)
        return 0
    old = read_pins(args.old.read_text(encoding="utf-8"))
    new = read_pins(args.new.read_text(encoding="utf-8"))
    changes = diff_pins(old, new)
    if args.command == "diff":
        print("\n".join(map(str, changes)) if changes else "no pin changed")
        return 0
    # The venv is about to hold other sets than the one install-deps recorded: make it sync next time.
    (Path(sys.prefix) / "mmcat-deps").unlink(missing_ok=True)
    if _fails_with(args.old, None, args.check):
        print("the failing tests fail on the old lock too: the upgrade is not what broke them")
        return 1
    culprits = find_culprits(changes, lambda change: _fails_with(args.old, change, args.check))
    for change in culprits:
        print(f"the upgrade of {change.name} ({change.old} -> {change.new}) makes the failing tests fail")
    if not culprits:
        print("no single upgraded package makes the failing tests fail alone (a combination does)")
    return 1 if culprits else 0


def _fails_with(old_lock: Path, change: Change | None, check: str) -> bool:
    """Sync the old lock, move one package (if any) to its new version, run the check that failed."""
    python = sys.executable
    base = [uv(), "pip", "sync", "--python", python, "--no-build-isolation", *torch_sources(find_links())]
    base += [str(old_lock), "requirements/project.txt"]
    subprocess.run(base, cwd=REPO, check=True)
    if change is not None:
        pin = f"{change.name}=={change.new}"
        subprocess.run([uv(), "pip", "install", "--python", python, "--no-deps", pin], cwd=REPO, check=True)
    if check == "pytest":
        command = [python, "-m", "pytest", "-q", "--last-failed", "--last-failed-no-failures", "none", "-x"]
    else:
        command = shlex.split(check)
    return subprocess.run(command, cwd=REPO, check=False).returncode != 0


if __name__ == "__main__":
    sys.exit(main())
