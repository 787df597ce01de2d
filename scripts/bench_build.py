"""Benchmark the site build on a catalogue of N models, against the build goals.

The project is a throw-away copy of the real catalogue, docs and mkdocs.yml plus copies of the
GME entry, the richest model page (``bench/gme-0001``..., with copies of its lock records), as
many as make N models in all (``-n``, default 1,000; ``--copies`` adds a number of copies
instead). Three figures, each from ``python -m generator.cli`` in a fresh process, as a user
would run it:

1. full build: ``mmcat build`` with no site/ and no build/ folder;
2. no-change rebuild: ``mmcat build`` again, nothing changed;
3. serve edit-to-page: ``mmcat serve`` running, one entry's name edited, seconds until the
   served page shows the new name (polled every 50 ms; several edits, the worst is reported).

Each build figure also gives the CPU seconds of the command and its worker process (user +
system, from ``getrusage``): with 2 cores a full build can take no less wall time than half of
it. Peak memory is the largest sum of the resident memory of the command and all its child
processes, sampled every 50 ms. Each figure is followed by the time of a fixed Python loop
taken just after it ("machine loop"): on a shared machine the same build can take 1.5x as long
from one minute to the next, and the loop shows which figures were taken at the same speed.

The full build is compared with the naive layout of the same Markdown in the same run: one
plain ``mkdocs build`` (both languages one after another, as mkdocs-static-i18n does) whose
navigation lists every model page (a flat nav: every page then carries a link to every model,
O(N²) HTML). The ratio is printed (goal: the build at least 3x faster).

After the builds it prints the site's size (every file, both languages), its page count and
the size of each language's search index (goals: <= 60 MB and <= 3 MB per language).

The fast paths of ``generator/site/`` were measured with ``--fast-paths`` (at 634c201, removed
since with the last fast path; see README, Benchmarks): none saved 15 % of the build.

Usage: .venv/bin/python scripts/bench_build.py [-n 1000 | --copies N] [--runs 1] [--edits 3]
       [--no-serve] [--no-naive]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from generator.testing.synthetic import copy_id, make_copies_catalog

REPO = Path(__file__).resolve().parents[1]
GOALS = {"full build": 20.0, "no-change rebuild": 2.0, "serve edit -> page": 3.0}
SIZE_GOAL_MB, INDEX_GOAL_MB, NAIVE_GOAL = 60.0, 3.0, 3.0


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for p in tree:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


class PeakMemory:
    """Samples the memory of a process tree in a thread until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _tree_rss(self.pid))

    def stop(self) -> float:
        """Stop sampling; the peak in MiB."""
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def _mmcat(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator.cli", *args]


@dataclass
class Figure:
    seconds: float
    peak_mib: float | None = None
    cpu_seconds: float = 0.0


def _children_cpu() -> float:
    """CPU seconds of this process's waited-for descendants so far (a build's worker is waited
    for by the build, so it is counted with it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(root: Path, command: list[str] | None = None, env: dict[str, str] | None = None) -> Figure:
    """Run ``mmcat build`` (or ``command``) in ``root``; its wall time and peak memory."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command or _mmcat("build"), cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
    )
    memory = PeakMemory(proc.pid)
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    peak = memory.stop()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command or ['mmcat build'])} failed:\n{out.decode()[-4000:]}")
    return Figure(elapsed, peak, _children_cpu() - cpu)


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if text in _get(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_latency(root: Path, n: int, edits: int) -> tuple[float, list[float], float]:
    """Start ``mmcat serve``; (start-up seconds, edit-to-page seconds of each edit, peak MiB)."""
    port = _free_port()
    proc = subprocess.Popen(
        _mmcat("serve", "--port", str(port)), cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    memory = PeakMemory(proc.pid)
    model = copy_id(max(1, n // 2))
    url = f"http://127.0.0.1:{port}/models/{model}.html"
    entry = root / "catalog" / "models" / f"{model}.yaml"
    original = entry.read_text(encoding="utf-8")
    try:
        startup = _wait_for(url, "GME-Qwen2-VL-7B", 900)
        if startup is None:
            sys.exit("mmcat serve did not show the page within 900 s")
        latencies = []
        for k in range(1, edits + 1):
            time.sleep(1.5)  # let the watcher settle between edits
            name = f"GME-Qwen2-VL-7B edited {k}"
            entry.write_text(original.replace("name: GME-Qwen2-VL-7B\n", f"name: {name}\n"), encoding="utf-8")
            seen = _wait_for(url, name, 300)
            if seen is None:
                sys.exit(f"edit {k} did not reach the served page within 300 s")
            latencies.append(seen)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        entry.write_text(original, encoding="utf-8")
    return startup, latencies, memory.stop()


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop (best of 3): this machine's speed changes from
    minute to minute, so each figure is printed with it."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        total = 0
        for i in range(3_000_000):
            total += i * i % 7
        best = min(best, time.process_time() - start)
    return best


def _line(what: str, seconds: float, extra: str = "") -> str:
    goal = GOALS[what]
    verdict = "ok" if seconds <= goal else "over"
    ratio = seconds / goal
    return f"{what:20s} {seconds:7.2f} s   goal <= {goal:g} s   x{ratio:5.2f} of goal  {verdict}{extra}"


def naive_config(root: Path) -> Path:
    """``root/naive.yml``: the project's mkdocs.yml with every model page in a flat nav (the naive
    layout; not strict, as no hook of the project runs)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("strict: true\n", "strict: false\n")
    docs = root / "build" / "docs" / "en"
    models = sorted(p.relative_to(docs).as_posix() for p in (docs / "models").rglob("*.md"))
    text += "".join(f"  - '{page[len('models/') : -len('.md')]}': {page}\n" for page in models)
    path = root / "naive.yml"
    path.write_text(text, encoding="utf-8")
    return path


def naive_build(root: Path) -> Figure:
    """Time one plain ``mkdocs build`` of the naive layout (:func:`naive_config`) of the Markdown
    the last ``mmcat build`` rendered into ``root/build/docs``."""
    config = naive_config(root)
    site = root / "naive-site"
    shutil.rmtree(site, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    figure = timed_build(root, command)
    shutil.rmtree(site, ignore_errors=True)
    return figure


def _mb(size: int) -> float:
    return size / 1e6


def site_sizes(site: Path, languages: tuple[str, ...] = ("zh",)) -> list[str]:
    """Lines reporting the size of ``site``, its page count and each language's search index."""
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    pages = sum(1 for p in files if p.suffix == ".html")
    verdict = "ok" if _mb(total) <= SIZE_GOAL_MB else "over"
    lines = [
        f"{'site size':20s} {_mb(total):7.1f} MB  goal <= {SIZE_GOAL_MB:g} MB  {verdict}  "
        f"({len(files)} files, {pages} pages)"
    ]
    for language, folder in (
        ("en", site / "search"),
        *((lang, site / lang / "search") for lang in languages),
    ):
        index = sorted(folder.glob("search_index.*"))
        size = sum(p.stat().st_size for p in index)
        verdict = "ok" if _mb(size) <= INDEX_GOAL_MB else "over"
        names = ", ".join(p.name for p in index)
        lines.append(
            f"{'search index ' + language:20s} {_mb(size):7.2f} MB  goal <= {INDEX_GOAL_MB:g} MB  "
            f"{verdict}  ({names})"
        )
    return lines


def _fresh_build(root: Path, env: dict[str, str] | None = None) -> Figure:
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / "build", ignore_errors=True)
    return timed_build(root, env=env)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the site build against its goals.")
    parser.add_argument(
        "-n",
        "--models",
        type=int,
        default=1000,
        help="models in all: the catalogue's and copies of the GME entry (default: 1000)",
    )
    parser.add_argument(
        "--copies", type=int, help="copies of the GME entry added to the catalogue, instead of -n"
    )
    parser.add_argument("--runs", type=int, default=1, help="repeat full build + rebuild (default 1)")
    parser.add_argument("--edits", type=int, default=3, help="entry edits timed in serve (default 3)")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve figure")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive layout's build")
    args = parser.parse_args()
    entries = len(list((REPO / "catalog" / "models").rglob("*.yaml")))
    copies = args.copies if args.copies is not None else args.models - entries
    if copies < 1:
        parser.error(f"-n must be more than the catalogue's {entries} models")
    print(
        f"{entries + copies} models: the catalogue's {entries} + {copies} copies of the GME entry, "
        f"EN+ZH, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_copies_catalog(root, copies, REPO / "catalog")
        shutil.copytree(REPO / "docs", root / "docs")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        # An untimed build first: the first build on a machine pays for caches (jieba's dictionary,
        # compiled bytecode, the file system's cache of the theme) that every later build finds.
        _fresh_build(root)
        for run in range(1, args.runs + 1):
            shutil.rmtree(root / "site", ignore_errors=True)
            shutil.rmtree(root / "build", ignore_errors=True)
            full = timed_build(root)
            pages = sum(1 for _ in (root / "site").rglob("*.html"))
            again = timed_build(root)
            tag = f" (run {run})" if args.runs > 1 else ""
            speed = f"machine loop {machine_speed():.3f} s"
            extra = f"  CPU {full.cpu_seconds:.1f} s, peak {full.peak_mib:.0f} MiB, {pages} pages, {speed}"
            extra += f", load {_load()}"
            extra += tag
            print(_line("full build", full.seconds, extra))
            extra = f"  CPU {again.cpu_seconds:.1f} s, peak {again.peak_mib:.0f} MiB{tag}, load {_load()}"
            print(_line("no-change rebuild", again.seconds, extra))
            print("\n".join(site_sizes(root / "site")))
            if not args.no_naive:
                naive = naive_build(root)
                ratio = naive.seconds / full.seconds
                verdict = "ok" if ratio >= NAIVE_GOAL else "under"
                cpu_ratio = naive.cpu_seconds / full.cpu_seconds
                print(
                    f"{'naive layout':20s} {naive.seconds:7.2f} s   CPU {naive.cpu_seconds:.1f} s: "
                    f"the build is x{ratio:.2f} faster (CPU time: x{cpu_ratio:.2f} less)  "
                    f"goal >= x{NAIVE_GOAL:g}  "
                    f"{verdict}  machine loop {machine_speed():.3f} s, load {_load()}{tag}"
                )
        if not args.no_serve:
            startup, latencies, peak = serve_latency(root, copies, args.edits)
            each = ", ".join(f"{s:.2f}" for s in latencies)
            note = f"  (worst of {each} s; start-up {startup:.1f} s; machine loop {machine_speed():.3f} s)"
            print(_line("serve edit -> page", max(latencies), note))
            print(f"{'':20s} serve peak {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
