"""Write the staging tree: only changed files are rewritten, stale files are deleted.

Unchanged files keep their mtime, so ``mkdocs serve`` reloads quickly after a small edit. The
result carries the sha256 of every staging file: of pages from the bytes just written, of pages
kept from an earlier build from their ``Stamp`` (the file is not read again).
"""

from __future__ import annotations

import hashlib
import marshal
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.pages.plan import AssetSpec


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # every staging file → sha256


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- stamps of written pages


@dataclass(frozen=True)
class Stamp:
    """What a build wrote to one staging page: its page key, digest, size and mtime."""

    key: str
    digest: str
    size: int
    mtime_ns: int


def stamp(path: Path, key: str, digest: str) -> Stamp:
    status = path.stat()
    return Stamp(key, digest, status.st_size, status.st_mtime_ns)


def intact(path: Path, previous: Stamp) -> bool:
    """The file is still the one stamped (same size and mtime: nobody rewrote it since)."""
    try:
        status = path.stat()
    except OSError:
        return False
    return status.st_size == previous.size and status.st_mtime_ns == previous.mtime_ns


def read_stamps(path: Path) -> dict[str, Stamp]:
    if not path.is_file():
        return {}
    try:
        data = marshal.loads(path.read_bytes())
        return {page: Stamp(*values) for page, values in data.items()}
    except (EOFError, ValueError, TypeError):
        return {}


def write_stamps(path: Path, stamps: Mapping[str, Stamp]) -> None:
    data = {page: (s.key, s.digest, s.size, s.mtime_ns) for page, s in stamps.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(marshal.dumps(data))
    temporary.replace(path)


def intact_pages(staging_dir: Path, stamps: Mapping[str, Stamp]) -> dict[str, Stamp]:
    """The stamped pages still on disk as they were written."""
    return {page: s for page, s in stamps.items() if intact(staging_dir / page, s)}


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
    kept: Mapping[str, str] | None = None,
) -> WriteResult:
    """Make ``staging_dir`` hold exactly ``pages`` (text), ``assets`` (copied files) and ``kept``.

    ``kept`` (staging path → sha256) are pages already on disk from an earlier build, left as
    they are.
    """
    result = WriteResult()
    write_pages(result, sorted(pages.items()), staging_dir)
    return finish_staging(result, assets, content_dir, staging_dir, kept)


def write_pages(result: WriteResult, pages: Iterable[tuple[str, str]], staging_dir: Path) -> None:
    """Write each ``(staging path, text)`` as it comes (a build streams them from the renderer)."""
    for path, text in pages:
        data = text.encode("utf-8")
        changed = write_if_changed(staging_dir / path, data)
        result.digests[path] = sha256(data)
        record_outcome(result, path, changed)


def finish_staging(
    result: WriteResult,
    assets: Sequence[AssetSpec],
    content_dir: Path,
    staging_dir: Path,
    kept: Mapping[str, str] | None = None,
) -> WriteResult:
    """After the pages: the ``kept`` pages' digests, the assets, and nothing else left behind."""
    for path, digest in (kept or {}).items():
        result.digests[path] = digest
        record_outcome(result, path, False)
    for asset in assets:
        changed = copy_if_changed(content_dir / asset.source, staging_dir / asset.path)
        result.digests[asset.path] = sha256((staging_dir / asset.path).read_bytes())
        record_outcome(result, asset.path, changed)
    wanted = set(result.digests)
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
