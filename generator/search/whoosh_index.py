"""The offline Whoosh index on disk: generations, the one writer's lock, full and incremental
builds, the atomic swap.  Layout of ``index_dir``::

    CURRENT              name of the generation in use (replaced atomically)
    write.lock           held by the one writer (flock)
    v8-<stamp>-<pid>-…/  one Whoosh index per generation (v8: ``SCHEMA_VERSION``); the current
                         one and the previous one are kept (a server may still be reading it)

A writer never touches the generation in use: it copies it (incremental) or starts empty
(full), commits, then swaps ``CURRENT``.  A record that left the catalog makes the build full: a
Whoosh delete is a tombstone that keeps the record's stored fields and terms (suggestions offer
them, the kiosk bundle copies them), and the fast writer is quicker than merging the segments.  A crash leaves ``CURRENT`` pointing at a whole index.

What a record becomes is in ``whoosh_schema``, the fast writer of a full build in
``whoosh_segments``, searching in ``whoosh_search``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import create_in, exists_in, open_dir

from generator.core.records import Catalog, Record
from generator.search.whoosh_schema import (
    SCHEMA_VERSION,
    catalog_schema,
    record_document,
    record_hash,
)
from generator.search.whoosh_segments import write_segments

FULL_BATCH = 20_000  # records per segment of a full build (bounds the in-memory postings)
_GENERATION = re.compile(r"v\d+-\d+-\d+-\d+")


class LockError(Exception):
    """Another process is writing the index."""

    def __init__(self, lock_path: Path) -> None:
        super().__init__(
            f"搜索索引正由另一个进程写入（锁文件 {lock_path}）。请等它完成后再运行 catalog index；"
            "如果确认没有其他进程在运行，可以重试。"
        )


class IndexMissingError(Exception):
    """No usable index in the directory."""

    def __init__(self, index_dir: Path) -> None:
        super().__init__(f"{index_dir} 中还没有搜索索引。请先运行 catalog index 或 catalog build。")


# ---------------------------------------------------------------- generations, lock, swap


@dataclass(frozen=True)
class IndexStats:
    generation: str
    full: bool
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0


def read_current(index_dir: Path) -> str | None:
    """The generation in use, or None when there is no complete index of this schema version.

    A generation of another version is never opened: its pickled schema may name field classes
    that have moved since (unpickling it raises)."""
    name = _pointed(index_dir)
    if name is None or not name.startswith(f"v{SCHEMA_VERSION}-"):
        return None
    return name if exists_in(str(index_dir / name)) else None


def _pointed(index_dir: Path) -> str | None:
    """The generation ``CURRENT`` names, whatever its version."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return name if _GENERATION.fullmatch(name) else None


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time; the OS releases the lock if the writer dies."""
    path = index_dir / "write.lock"
    with open(path, "a+b") as handle:
        if not _try_lock(handle.fileno()):
            raise LockError(path)
        try:
            yield
        finally:
            _unlock(handle.fileno())


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _new_generation(index_dir: Path) -> Path:
    return index_dir / f"v{SCHEMA_VERSION}-{time.time_ns()}-{os.getpid()}-{threading.get_ident()}"


def _switch_current(index_dir: Path, generation: str) -> None:
    temporary = index_dir / "CURRENT.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(generation + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, index_dir / "CURRENT")


def _remove_stale(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.iterdir():
        if path.is_dir() and _GENERATION.fullmatch(path.name) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- building


def build_index(catalog: Catalog, index_dir: Path | str, *, full: bool = False) -> IndexStats:
    """Index the catalog's published records: only what changed, or everything with ``full``.

    Raises ``LockError`` when another writer holds the index.
    """
    started = time.perf_counter()
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    records = {r.id: r for r in catalog.records}
    with write_lock(root):
        pointed, previous = _pointed(root), read_current(root)
        if full or previous is None:
            stats = _write_full(root, records)
        else:
            stats = _write_changes(root, previous, records)
        # a server may still read the previous generation, unless it holds a withdrawn record
        _remove_stale(root, {stats.generation} | (set() if stats.deleted else {pointed or ""}))
    return IndexStats(**{**stats.__dict__, "seconds": round(time.perf_counter() - started, 3)})


def _write_full(root: Path, records: Mapping[str, Record]) -> IndexStats:
    target = _new_generation(root)
    target.mkdir()
    documents = map(record_document, records.values())
    write_segments(target, catalog_schema(), documents, batch=FULL_BATCH)
    _switch_current(root, target.name)
    return IndexStats(target.name, full=True, added=len(records))


def _write_changes(root: Path, previous: str, records: Mapping[str, Record]) -> IndexStats:
    with open_dir(str(root / previous)).searcher() as searcher:
        indexed = {f["id"]: f["hash"] for f in searcher.reader().all_stored_fields()}
    changed = [r for i, r in records.items() if indexed.get(i) != record_hash(r)]
    removed = sorted(indexed.keys() - records.keys())
    added = sum(r.id not in indexed for r in changed)
    unchanged = len(records) - len(changed)
    if not changed and not removed:
        return IndexStats(previous, full=False, unchanged=unchanged)
    if removed:  # a delete is a tombstone (its terms and stored fields stay): write afresh
        stats = _write_full(root, records)
        return IndexStats(
            stats.generation, True, added, len(changed) - added, len(removed), unchanged
        )
    target = _new_generation(root)
    shutil.copytree(root / previous, target)
    writer = open_dir(str(target)).writer()
    try:
        for record in changed:
            writer.update_document(**record_document(record))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    _switch_current(root, target.name)
    return IndexStats(target.name, False, added, len(changed) - added, 0, unchanged)


# ---------------------------------------------------------------- the build's read-back check


def index_mismatch(catalog: Catalog, index_dir: Path) -> str | None:
    """Why the index in use does not hold ``catalog`` (Chinese), or None when it does: Whoosh's
    own reader counts the documents and finds one record by its id (the first id, so the same
    record each time) with every stored field as ``record_document`` gives it."""
    generation = read_current(index_dir)
    if generation is None:
        return "索引目录里没有可用的索引"
    with open_dir(str(index_dir / generation)).searcher() as searcher:
        if searcher.doc_count() != len(catalog.records):
            return f"索引里有 {searcher.doc_count()} 条记录，应为 {len(catalog.records)} 条"
        if not catalog.records:
            return None
        record = min(catalog.records, key=lambda r: r.id)
        expected = {
            name: value
            for name, value in record_document(record).items()
            if searcher.schema[name].stored
        }
        found = searcher.document(id=record.id)
    if found != expected:
        return f"读回的记录 {record.id} 与写入的不一致"
    return None


def write_with_whoosh(catalog: Catalog, index_dir: Path) -> IndexStats:
    """A new generation of the whole index written by Whoosh's own writer (slower than
    ``write_segments``): the build's fallback when the index it wrote does not read back."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    with write_lock(root):
        previous = read_current(root)
        target = _new_generation(root)
        target.mkdir()
        writer = create_in(str(target), catalog_schema()).writer()
        try:
            for record in catalog.records:
                writer.add_document(**record_document(record))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        _switch_current(root, target.name)
        _remove_stale(root, {target.name, previous or ""})
    return IndexStats(target.name, full=True, added=len(catalog.records))
