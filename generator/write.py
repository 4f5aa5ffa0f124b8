"""Write the staging tree: only changed files are rewritten, stale files are deleted.

Unchanged files keep their mtime, so ``mkdocs serve`` reloads quickly after a small edit.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.pages import AssetSpec


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly these bytes."""
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(target)
    return True


def copy_if_changed(source: Path, target: Path) -> bool:
    same_size = target.is_file() and target.stat().st_size == source.stat().st_size
    if same_size and target.read_bytes() == source.read_bytes():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return True


def existing_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def remove_empty_dirs(root: Path) -> None:
    for directory in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()


def write_staging(
    pages: Mapping[str, str],
    assets: Sequence[AssetSpec],
    content_dir: Path,
    staging_dir: Path,
) -> WriteResult:
    """Make ``staging_dir`` hold exactly ``pages`` (text) and ``assets`` (copied files)."""
    result = WriteResult()
    for path, text in sorted(pages.items()):
        changed = write_if_changed(staging_dir / path, text.encode("utf-8"))
        record_outcome(result, path, changed)
    for asset in assets:
        changed = copy_if_changed(content_dir / asset.source, staging_dir / asset.path)
        record_outcome(result, asset.path, changed)
    wanted = set(pages) | {a.path for a in assets}
    for stale in sorted(existing_files(staging_dir) - wanted):
        (staging_dir / stale).unlink()
        result.deleted.append(stale)
    if staging_dir.is_dir():
        remove_empty_dirs(staging_dir)
    return result


def record_outcome(result: WriteResult, path: str, changed: bool) -> None:
    if changed:
        result.written.append(path)
    else:
        result.unchanged += 1
