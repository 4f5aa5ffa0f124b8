"""Run one benchmark step as a subprocess: wall time, peak RSS of its largest process, and the
peak of the whole process tree's RSS sampled from /proc (a build runs MkDocs as a child while
the parent still holds the catalog, so the sum is what the machine must have).

Linux quirk: a child's ``ru_maxrss`` starts at its parent's high-water mark (exec copies the old
address space's peak into the new one), so a child of the benchmark would report at least the
benchmark's own peak. Each step is therefore started by a small wrapper interpreter, which waits
for it with ``wait4`` and reports the step's own ``ru_maxrss`` (inflated by ~10 MB at most).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
SAMPLE_SECONDS = 0.1
WRAPPER = """
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
code = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as report:
    json.dump({"maxrss_kb": usage.ru_maxrss, "returncode": code}, report)
sys.exit(code if code >= 0 else 1)
"""


@dataclass(frozen=True)
class StepRun:
    seconds: float
    peak_rss_mb: float  # ru_maxrss of the child and its waited-for descendants (largest one)
    tree_rss_mb: float | None  # sampled sum over the process tree; None without /proc
    returncode: int
    output: str  # stdout + stderr

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.output.rstrip().splitlines()[-lines:])


def children_of() -> dict[int, list[int]]:
    """ppid → pids of every process visible in /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    tree = children_of()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss_bytes(pid)
        stack.extend(tree.get(pid, ()))
    return total


class TreeSampler:
    """Samples the summed RSS of a process tree until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self.available = Path("/proc/self/statm").exists()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(SAMPLE_SECONDS)


def run_step(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None
) -> StepRun:
    """Run ``command`` to completion and measure it; output goes to ``log`` (or a temp file)."""
    log = log or cwd / ".bench-step.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    report = log.with_suffix(".rusage.json")
    report.unlink(missing_ok=True)
    wrapped = [sys.executable, "-I", "-c", WRAPPER, str(report), *command]
    with open(log, "wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            wrapped, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        with TreeSampler(process.pid) as sampler:
            process.wait()
        seconds = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    tree = sampler.peak / 2**20 if sampler.available else None
    if not report.is_file():  # the wrapper itself failed
        return StepRun(seconds, 0.0, tree, process.returncode or 1, text)
    usage = json.loads(report.read_text(encoding="utf-8"))
    return StepRun(seconds, usage["maxrss_kb"] / 1024, tree, int(usage["returncode"]), text)
