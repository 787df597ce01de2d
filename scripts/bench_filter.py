"""Benchmark the home table in a real browser at N models: keystroke time, DOM size, page load.

Builds a throw-away project (the real catalogue plus N copies of the GME entry, as
``scripts/bench_build.py`` does), serves its site on a local port and drives Debian's chromium
(``/usr/bin/chromium``) with Playwright for Python. With ``--baseline REF`` the same project is
also built with the generator, docs and ``mkdocs.yml`` of git revision REF (``git archive``) and
both sites are measured in the same run, one after the other, so their ratio is taken at the
same machine speed.

Figures, for each site:

* keystroke: the text filter gets several words typed one key at a time, each then deleted with
  Backspace (every key is one ``input`` event). Inside the page, listeners on ``document`` take
  ``performance.now()`` when the event starts (capture phase, before the table's own handler),
  when the table's handler has returned (bubble phase), and after the next frame has been
  painted (a message posted from a ``requestAnimationFrame`` callback runs after that frame's
  style, layout and paint): "handler" and "to next frame" per key. "wall" is the time Playwright
  measures from sending a key until the page has painted its frame (the driver's round trip
  included). Median and 90th percentile of each.
* the number of elements in the home page's DOM after the table's script ran, and the bytes of
  the home page's HTML;
* page load: a fresh browser context (no cache) opens the home page; the time until the
  ``load`` event, and until the filter form is shown (the table's script has finished), from
  ``performance.now()`` (navigation start) in the page; median of ``--loads`` loads.

Usage: .venv/bin/python scripts/bench_filter.py [-n 1000] [--baseline h19e2b] [--loads 5]
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.testing.synthetic import make_copies_catalog

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Typed one key at a time, each word then deleted key by key: narrowing and widening the table.
WORDS = ("siglip", "gme qwen", "bench/gme-05", "视觉", "apache")
GOALS = {"keystroke": 100.0, "load": 1000.0}

# Installed before the page's scripts run: times every input event of the home filters.
PROBE = """
(() => {
  const rec = window.__mmcatKeys = [];
  let start = null;
  document.addEventListener("input", () => { start = performance.now(); }, true);
  document.addEventListener("input", () => {
    const t0 = start, t1 = performance.now();
    const entry = { handler: t1 - t0, frame: null };
    rec.push(entry);
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { entry.frame = performance.now() - t0; };
      channel.port2.postMessage(0);
    });
  }, false);
})();
"""


def build_site(root: Path, code: Path | None) -> Path:
    """``mmcat build`` in ``root``; with ``code``, the generator package imported from there."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build"], cwd=root, env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.exit(f"mmcat build failed in {root}:\n{proc.stdout}{proc.stderr}")
    print(f"  built {root.name} in {time.perf_counter() - start:.1f} s", flush=True)
    return root / "site"


def make_project(root: Path, n: int, code: Path) -> None:
    """The catalogue with N copies of the GME entry, and the docs and mkdocs.yml found in ``code``."""
    root.mkdir()
    make_copies_catalog(root, n, REPO / "catalog")
    shutil.copytree(code / "docs", root / "docs")
    shutil.copy(code / "mkdocs.yml", root / "mkdocs.yml")


def export_revision(ref: str, into: Path) -> Path:
    """The generator, docs and mkdocs.yml of git revision ``ref``, written to ``into``."""
    into.mkdir()
    archive = subprocess.run(
        ["git", "archive", ref, "generator", "docs", "mkdocs.yml"], cwd=REPO, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """``site`` over HTTP on a free local port: its base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def measure_keys(browser: Any, url: str) -> dict[str, Any]:
    """Type :data:`WORDS` into the text filter; per-key timings, DOM size, rows shown."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(PROBE)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_selector("#mmcat-filters:not([hidden])")
    elements = page.evaluate("document.getElementsByTagName('*').length")
    rows = page.evaluate("document.querySelectorAll('article table tbody tr').length")
    count = page.locator("#mmcat-filters .mmcat-count").inner_text()
    box = page.locator("#mmcat-filters input[name=q]")
    box.click()
    walls: list[float] = []
    done = 0

    def key(name: str) -> None:
        nonlocal done
        start = time.perf_counter()
        page.keyboard.press(name) if len(name) > 1 else page.keyboard.insert_text(name)
        done += 1
        page.wait_for_function(
            f"window.__mmcatKeys.length >= {done} && window.__mmcatKeys[{done - 1}].frame !== null",
            polling="raf",
        )
        walls.append((time.perf_counter() - start) * 1000)

    for word in WORDS:
        for char in word:
            key(char)
        for _ in word:
            key("Backspace")
    records = page.evaluate("window.__mmcatKeys")
    context.close()
    return {
        "handler": [r["handler"] for r in records],
        "frame": [r["frame"] for r in records],
        "wall": walls,
        "elements": elements,
        "rows": rows,
        "count": count,
    }


LOAD_PROBE = """
(() => {
  const watch = new MutationObserver(() => {
    const form = document.getElementById("mmcat-filters");
    if (form && !form.hidden) { window.__mmcatShown = performance.now(); watch.disconnect(); }
  });
  watch.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["hidden"] });
})();
"""


def measure_loads(browser: Any, url: str, loads: int) -> tuple[list[float], list[float]]:
    """:func:`measure_load` ``loads`` times (first one untimed, to warm the server and the disk)."""
    load_ms, shown_ms = [], []
    for i in range(loads + 1):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(LOAD_PROBE)
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_selector("#mmcat-filters:not([hidden])")
        load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        shown = page.evaluate("window.__mmcatShown")
        context.close()
        if i:
            load_ms.append(float(load))
            shown_ms.append(float(shown))
    return load_ms, shown_ms


def report(
    label: str, site: Path, keys: dict[str, Any], loads: tuple[list[float], list[float]]
) -> dict[str, float]:
    """Print one site's figures; return the headline ones."""
    html = (site / "index.html").stat().st_size
    print(f"{label}: {keys['count']}; {keys['rows']} rows in the DOM, {keys['elements']} DOM elements")
    print(f"  home page HTML {html / 1024:.0f} KiB")
    figures = {"html": html, "elements": keys["elements"]}
    for what in ("handler", "frame", "wall"):
        values = keys[what]
        med, p90 = statistics.median(values), percentile(values, 90)
        figures[what] = med
        verdict = "ok" if med <= GOALS["keystroke"] else "over"
        goal = f"  goal median <= {GOALS['keystroke']:g} ms: {verdict}" if what == "frame" else ""
        print(f"  keystroke {what:13s} median {med:7.1f} ms  p90 {p90:7.1f} ms  ({len(values)} keys){goal}")
    load_ms, shown_ms = loads
    for what, values in (("load event", load_ms), ("filters shown", shown_ms)):
        med = statistics.median(values)
        figures[what] = med
        verdict = "ok" if med <= GOALS["load"] else "over"
        each = ", ".join(f"{v:.0f}" for v in values)
        print(
            f"  home page {what:13s} median {med:7.1f} ms  ({each})  goal <= {GOALS['load']:g} ms: {verdict}"
        )
    return figures


def machine_load() -> str:
    """The 1-minute load average and the CPU count."""
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the home table's filter in chromium.")
    parser.add_argument(
        "-n", "--models", type=int, default=1000, help="copies of the GME entry (default: 1000)"
    )
    parser.add_argument("--baseline", metavar="REF", help="also measure the site built by git revision REF")
    parser.add_argument("--loads", type=int, default=5, help="timed page loads per site (default: 5)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    print(f"{args.models} copies of the GME entry + the real catalogue; {machine_load()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sites = []
        if args.baseline:
            code = export_revision(args.baseline, root / "baseline-code")
            make_project(root / "baseline", args.models, code)
            sites.append((f"baseline {args.baseline}", build_site(root / "baseline", code)))
        make_project(root / "current", args.models, REPO)
        sites.append(("this tree", build_site(root / "current", None)))
        results = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
            )
            for label, site in sites:
                with serve(site) as base:
                    keys = measure_keys(browser, base + "/")
                    loads = measure_loads(browser, base + "/", args.loads)
                results[label] = report(label, site, keys, loads)
                print(f"  ({machine_load()})", flush=True)
            browser.close()
        if len(results) == 2:
            old, new = results.values()
            ratios = ", ".join(
                f"{what} x{new[what] / old[what]:.2f}"
                for what in ("frame", "handler", "wall", "load event", "filters shown", "elements", "html")
            )
            print(f"this tree / baseline: {ratios}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
