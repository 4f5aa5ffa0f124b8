"""Builders of hostile content: a clean tree to spoil, record files, and measured validation.

Everything is generated in the test's temporary folder, so the suite commits no large files.
"""

from __future__ import annotations

import shutil
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from generator.content.validate import ValidationResult, check_content
from generator.core.settings import Settings

BASE = Path(__file__).parent.parent / "examples" / "base"
TODAY = date(2026, 11, 28)
RECORD = "departments/edu/2025/hostile.md"
# A valid record of departments/edu (written as YAML lines, so tests can spoil any of them).
FRONT = {
    "id": "11339901MB1111111F/2025-00009",
    "title": "测试区教育局关于对抗性测试的通知",
    "category": "policies",
    "summary": "用于检验校验器对恶意输入的处理。",
    "written": '"2025-04-01"',
    "published": '"2025-04-08"',
}
BODY_LINE = len(FRONT) + 3  # "---", the fields, "---", then the body
SECONDS = 10.0  # the bound per file; the cases normally take well under 1 s
PEAK_BYTES = 256 * 1024 * 1024  # Python allocations while checking one hostile tree

T = TypeVar("T")


@dataclass(frozen=True)
class Tree:
    """A content tree under ``root`` (the working directory of the test)."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    def write(self, relative: str, data: bytes | str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def link(self, relative: str, target: Path | str) -> Path:
        """A symlink at ``relative`` pointing to ``target`` (kept as given: may dangle)."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
        return path

    def settings(self, **changes: Any) -> Settings:
        defaults: dict[str, Any] = {
            "content_dir": Path("content"),
            "staging_dir": self.root / "build" / "docs",
            "index_dir": self.root / "build" / "search-index",
            "out_dir": self.root / "site",
            "today": TODAY,
        }
        return replace(Settings(), **{**defaults, **changes})

    def check(self) -> ValidationResult:
        return check_content(self.settings())


def make_tree(root: Path) -> Tree:
    shutil.copytree(BASE, root / "content")
    return Tree(root)


def record(body: str = "正文。\n", **fields: str | None) -> str:
    """A record file; each keyword replaces or adds one front-matter line, written as given
    (``None`` drops the line). The body starts on line ``BODY_LINE`` unless fields are added."""
    lines = {**FRONT, **fields}
    front = "".join(f"{key}: {value}\n" for key, value in lines.items() if value is not None)
    return f"---\n{front}---\n{body}"


def line_of(text: str | bytes, needle: str) -> int:
    """1-based line of the first occurrence of ``needle``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return text[: text.index(needle)].count("\n") + 1


def nested_list(depth: int, indent: int) -> str:
    return "".join(" " * (indent * level) + "- 项目\n" for level in range(depth))


def nested_yaml_list(depth: int) -> str:
    """``depth`` levels of block sequences, each item holding the next."""
    return "".join("  " * level + "-\n" for level in range(depth))


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": each anchor lists the previous one nine times."""
    lines = ['lol0: &a0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"lol{level}: &a{level} [{refs}]")
    return "\n".join(lines)


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_bytes: int


def measured(action: Callable[[], T]) -> tuple[T, Measured]:
    """Run ``action`` and report its wall time and its peak of Python allocations."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        value = action()
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, Measured(seconds, peak)
