"""The work that runs beside the build's stages, as context managers: leaving the block on an
error stops the job, so a failure anywhere leaves nothing running.

- the Whoosh index: a child process forked after validation (or the index written in this
  process when forking is unsafe or the catalog too large), joined before Pagefind adds its
  second process; the index is then read back, and written again by Whoosh's own writer if it
  does not hold what was written;
- Pagefind's record shards: threads that run the Pagefind command, started beside MkDocs.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

from generator.builder.mkdocs_run import SiteBuildError
from generator.builder.processes import die_with_parent
from generator.core.cache import CacheFolder
from generator.core.records import Catalog
from generator.search.pagefind_index import RecordShards
from generator.search.whoosh_index import build_index, index_mismatch, write_with_whoosh

# Up to this many records the index is written by a forked child beside the build; above, by
# this process before it renders (at 100,000 records the child held 1.3 GB of its own while the
# parent staged 100,000 pages: 5.5 GB for the process tree, over the 4 GB target).
FORK_MAX_RECORDS = 50_000
# How many times as long Whoosh's own writer takes as SegmentBuilder for a whole index (1,000
# synthetic records: 3.9 s → 7.7 s of CPU); reading the index back costs 10–30 ms.
WHOOSH_WRITER_SLOWER = 2.0


class IndexBuildError(SiteBuildError):
    """The Whoosh index could not be written (``output``: the child's error)."""


class IndexJob:
    """The Whoosh index, updated beside the rest of the build.

    At 10,000 records a full index is tens of seconds of one core, work that depends on nothing
    but the validated catalog. A child process forked after validation writes it while this
    process renders pages and MkDocs and Pagefind run; :meth:`finish` joins it and raises if it
    failed: a build whose index failed replaces nothing. When the process already runs other
    threads (``catalog serve --watch`` rebuilds in a thread), forking is not safe, and above
    ``FORK_MAX_RECORDS`` the memory would not fit: then the index is written in this process,
    before the pages.
    """

    def __init__(self, catalog: Catalog, index_dir: Path) -> None:
        self.catalog, self.index_dir = catalog, index_dir
        self.process: multiprocessing.process.BaseProcess | None = None
        self.errors: Connection | None = None
        if not self.may_fork(catalog):
            build_index(catalog, index_dir)
            return
        context = multiprocessing.get_context("fork")
        self.errors, sender = context.Pipe(duplex=False)
        self.process = context.Process(
            target=index_child, args=(catalog, index_dir, sender), name="catalog-index"
        )
        self.process.start()
        sender.close()

    @staticmethod
    def may_fork(catalog: Catalog) -> bool:
        """Not beside other threads, nor for catalogs so large that the child's copy of the
        pages it touches and the rest of the build together would pass the memory budget."""
        if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
            return False
        return len(catalog.records) <= FORK_MAX_RECORDS

    def wait(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.join()
        message = ""
        if self.errors is not None:
            try:
                message = self.errors.recv() if self.errors.poll() else ""
            except EOFError:  # closed without a word: it succeeded, or died before it could say
                message = ""
            self.errors.close()
        if process.exitcode != 0:
            raise IndexBuildError(
                f"检索索引（{self.index_dir}）生成失败（退出码 {process.exitcode}），原网站未改动。",
                message,
            )

    def finish(self) -> list[str]:
        """Wait for the index and read it back; a Chinese line if it had to be written again."""
        self.wait()
        wrong = index_mismatch(self.catalog, self.index_dir)
        if wrong is None:
            return []
        write_with_whoosh(self.catalog, self.index_dir)
        return [
            f"提示：检索索引快速写入未通过读回检查（{wrong}），已改用 Whoosh 自带的写入器重写，"
            f"这一步约慢 {WHOOSH_WRITER_SLOWER:.0f} 倍。"
        ]

    def cancel(self) -> None:
        """Stop the child (the build failed elsewhere); the index keeps its last generation."""
        process, self.process = self.process, None
        if process is not None and process.is_alive():
            process.kill()
            process.join()


def index_child(catalog: Catalog, index_dir: Path, errors: Connection) -> None:  # pragma: no cover
    """In the forked child: write the index, report an error as text, exit non-zero on failure."""
    die_with_parent()
    try:
        build_index(catalog, index_dir)
    except BaseException as problem:  # everything goes back to the parent
        errors.send(f"{type(problem).__name__}: {problem}")
        errors.close()
        os._exit(1)
    errors.close()
    os._exit(0)  # no atexit handlers or finalizers of the parent's objects in the child


@contextmanager
def whoosh_index_job(catalog: Catalog, index_dir: Path) -> Iterator[IndexJob]:
    job = IndexJob(catalog, index_dir)
    try:
        yield job
    finally:
        job.cancel()


@contextmanager
def pagefind_record_shards(
    catalog: Catalog, bodies: Mapping[str, str], caches: CacheFolder
) -> Iterator[RecordShards]:
    """The record shards, cached in ``pagefind-shards`` (a temporary folder without caches)."""
    with tempfile.TemporaryDirectory(prefix="pagefind-cache-") as scratch:
        shards = RecordShards(catalog, bodies, caches.folder("pagefind-shards") or Path(scratch))
        try:
            yield shards
        finally:
            shards.cancel()
