"""Which of the build's fast paths are switched off, for measuring what each one saves.

``MMCAT_LIBRARY_PATHS`` (a comma-separated list of module names; the one fast path left is
``fastinline``) makes the build take the library's own path instead of the named fast path.
``scripts/bench_build.py --fast-paths`` builds the site with each one switched off in turn and
prints the share of the build it saves (README, Benchmarks: a fast path stays only while it
saves at least 15 %; ``fastcode`` and ``fastsearch`` saved less and were removed). The
variable is read by each build process (the Chinese pages are built by a child process, which
inherits it).
"""

from __future__ import annotations

import os

VARIABLE = "MMCAT_LIBRARY_PATHS"


def enabled(name: str) -> bool:
    """False when ``name`` is listed in :data:`VARIABLE`."""
    return name not in {part.strip() for part in os.environ.get(VARIABLE, "").split(",")}
