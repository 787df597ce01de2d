"""Run jobs in worker processes, each job with a timeout; a crash or hang is that job's failure."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

from generator.verify.plan import Job, Options


class _Worker:
    """A worker process; replaced after any crash or timeout."""

    def __init__(self, env: dict[str, str]) -> None:
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (lives as long as the worker)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator.verify.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env={**os.environ, **env},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")  # EOF: the worker died

    def run(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(payload) + "\n")
            self.proc.stdin.flush()
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            return {"status": "error", "reason": f"timed out after {timeout:g} s"}
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            return {"status": "error", "reason": self._death()}
        try:
            result: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            self.kill()
            return {"status": "error", "reason": f"unreadable worker answer: {line[:200]!r}"}
        return result

    def _death(self) -> str:
        code = self.proc.wait()
        self.log.seek(0)
        tail = [ln for ln in self.log.read().splitlines() if ln.strip()][-1:] or [""]
        if code < 0:
            hint = " (out of memory?)" if code == -9 else ""
            return f"worker killed by signal {-code}{hint}"
        return f"worker exited with code {code}: {tail[0][:200]}"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.proc.kill()
        self.proc.wait()
        self.log.close()

    def close(self) -> None:
        if self.proc.stdin is not None and self.alive():
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def run_jobs(jobs: list[Job], options: Options) -> Iterator[tuple[Job, dict[str, Any]]]:
    """Run jobs on ``options.workers`` worker processes; yield (job, raw result) as they finish.

    The config tier reuses a worker for many jobs (torch is imported once per
    worker); the other tiers start a fresh worker per job, so peak memory and
    crashes belong to one model.
    """
    todo: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        todo.put(job)
    done: queue.Queue[tuple[Job, dict[str, Any]]] = queue.Queue()
    reuse = options.tier == "config"

    def slot() -> None:
        worker: _Worker | None = None
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                break
            if worker is None or not worker.alive():
                worker = _Worker(options.env)
            done.put((job, worker.run(job.payload, options.timeout)))
            if not reuse or not worker.alive():
                worker.close() if worker.alive() else worker.kill()
                worker = None
        if worker is not None:
            worker.close()

    threads = [
        threading.Thread(target=slot, daemon=True) for _ in range(max(1, min(options.workers, len(jobs))))
    ]
    for thread in threads:
        thread.start()
    for _ in jobs:
        yield done.get()
    for thread in threads:
        thread.join()
