"""What a long build shows while it runs: each phase as it starts and ends.

On a terminal (and not in CI) a live line per phase (rich): a spinner, the phase, a bar against
the time the same phase took in the last build (the estimate, kept in
``build/cache/phase-seconds.json``) and the elapsed time. Elsewhere (CI, a pipe, a log file)
one plain line per finished phase with its duration. ``catalog build --quiet`` shows neither;
``catalog validate`` shows its one phase likewise on trees of ``LARGE_TREE`` records or more.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Protocol

from rich.console import Console
from rich.progress import (
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress_bar import ProgressBar
from rich.text import Text

from generator.core.cache import write_atomically

# The build's phase names (builder.build) as the editor reads them.
LABELS = {
    "validation": "校验内容",
    "Whoosh index: forked, or written here for large catalogs": "启动站内检索索引",
    "related records": "计算相关信息",
    "staging (plan, render, write)": "生成页面源文件",
    "render: MkDocs and record pages from layouts": "生成网页",
    "exports, catalog-browser data": "导出数据和目录检索",
    "waiting for the Whoosh index, reading it back": "等待站内检索索引",
    "Pagefind": "生成静态检索索引",
    "kiosk bundle": "生成信息屏包",
    "swap": "替换网站目录",
}


class PhaseListener(Protocol):
    def started(self, name: str) -> None: ...

    def finished(self, name: str, seconds: float) -> None: ...

    def close(self) -> None: ...


def label(name: str) -> str:
    return LABELS.get(name, name)


class PlainPhases:
    """One line per finished phase: for CI logs and output that is not a terminal."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def started(self, name: str) -> None:
        return None

    def finished(self, name: str, seconds: float) -> None:
        print(f"{label(name)}：{seconds:.1f} 秒", file=self.stream, flush=True)

    def close(self) -> None:
        return None


class EstimateBar(ProgressColumn):
    """A bar of the elapsed time against the estimate; a pulsing bar without an estimate."""

    def render(self, task: Task) -> ProgressBar:
        estimate = task.fields.get("estimate")
        if task.finished or not estimate:
            return ProgressBar(total=None if not task.finished else 1.0,
                               completed=1.0 if task.finished else 0.0, width=30)  # fmt: skip
        elapsed = task.elapsed or 0.0
        return ProgressBar(total=float(estimate), completed=min(elapsed, estimate), width=30)


class EstimateText(ProgressColumn):
    def render(self, task: Task) -> Text:
        estimate = task.fields.get("estimate")
        return Text(f"上次 {estimate:.0f} 秒" if estimate else "", style="progress.remaining")


class LivePhases:
    """Live lines on a terminal; the durations are kept as the next build's estimates."""

    def __init__(self, estimates: Path | None, stream: IO[str]) -> None:
        self.path = estimates
        self.previous = read_estimates(estimates)
        self.seconds: dict[str, float] = {}
        self.tasks: dict[str, TaskID] = {}
        self.progress = Progress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description}"),
            EstimateBar(),
            TimeElapsedColumn(),
            EstimateText(),
            console=Console(file=stream),
            transient=False,
        )
        self.progress.start()

    def started(self, name: str) -> None:
        self.tasks[name] = self.progress.add_task(
            label(name), total=1.0, estimate=self.previous.get(name)
        )

    def finished(self, name: str, seconds: float) -> None:
        self.seconds[name] = round(seconds, 2)
        if name in self.tasks:
            self.progress.update(self.tasks[name], completed=1.0)
            self.progress.stop_task(self.tasks[name])

    def close(self) -> None:
        self.progress.stop()
        if self.path is not None and self.seconds:
            data = json.dumps({**self.previous, **self.seconds}, ensure_ascii=False, indent=1)
            write_atomically(self.path, data.encode("utf-8"))


def read_estimates(path: Path | None) -> dict[str, float]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {str(k): float(v) for k, v in loaded.items() if isinstance(v, (int, float))}


def on_terminal(stream: IO[str]) -> bool:
    """A person watching: a terminal, and not a CI runner (which may fake one)."""
    return stream.isatty() and os.environ.get("CI", "") in ("", "0", "false")


LARGE_TREE = 1_000  # record files from which `catalog validate` shows its progress


def large_tree(content_dir: Path) -> bool:
    """At least ``LARGE_TREE`` Markdown files under ``content_dir`` (counting stops there)."""
    return any(count >= LARGE_TREE for count, _ in enumerate(content_dir.rglob("*.md"), 1))


def phase_listener(quiet: bool, estimates: Path | None) -> PhaseListener | None:
    """What ``catalog build`` shows on stderr: nothing (``--quiet``), live lines, or plain lines."""
    if quiet:
        return None
    if on_terminal(sys.stderr):
        return LivePhases(estimates, sys.stderr)
    return PlainPhases(sys.stderr)
