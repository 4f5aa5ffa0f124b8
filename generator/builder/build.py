"""``catalog build``: validate → plan → render → staging → MkDocs → exports/search → swap."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

from generator.builder.site import SiteBuildError, SiteStep, build_site_dir, die_with_parent
from generator.builder.staging import (
    WriteResult,
    finish_staging,
    intact_pages,
    read_stamps,
    stamp,
    write_if_changed,
    write_pages,
    write_stamps,
)
from generator.core.problems import Problem
from generator.core.records import Catalog
from generator.core.settings import REPO_ROOT, Settings
from generator.kiosk.bundle import (
    kiosk_config_path,
    kiosk_config_text,
    kiosk_stream,
    plan_kiosk_pages,
    write_bundle,
)
from generator.kiosk.routes import write_attachment_images
from generator.outputs.browse_data import write_browser_data
from generator.outputs.exports import write_exports
from generator.outputs.print_edition import write_print_editions
from generator.pages.plan import plan_assets, plan_pages
from generator.pages.render import SiteRendering
from generator.search.pagefind_index import RecordShards, index_site
from generator.search.related import related_map
from generator.search.whoosh_index import build_index

CatalogStep = Callable[[Catalog, Path], object]
# Run on the freshly built site directory before it is swapped in.
SITE_STEPS: tuple[CatalogStep, ...] = (write_exports, write_browser_data, index_site)


@dataclass
class BuildResult:
    problems: list[Problem]
    record_count: int = 0  # files checked
    published: int = 0  # records on the site
    built: bool = False
    staged: WriteResult | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.built and not any(p.is_error for p in self.problems)


def read_optional(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig") if path.is_file() else ""


def read_guide(content_dir: Path) -> str:
    """``content/guide.md``: optional free-text sections of the 政府信息公开指南."""
    return read_optional(content_dir / "guide.md")


@dataclass(frozen=True)
class Staged:
    written: WriteResult
    bodies: dict[str, str]  # record id → body HTML, reused by the Pagefind step


def stage_site(
    catalog: Catalog, settings: Settings, related: Mapping[str, Sequence[str]] | None = None
) -> Staged:
    """Write the staging Markdown tree for ``catalog``; keep the rendered record bodies.

    Pages whose key (``render.page_key``) is that of the page still in the staging tree are not
    rendered nor written again (not for the kiosk, whose pages are rewritten after rendering).
    """
    specs = plan_pages(
        catalog,
        read_guide(settings.content_dir),
        related,
        read_optional(REPO_ROOT / "CONTRIBUTING.md"),
    )
    if settings.kiosk:
        specs += plan_kiosk_pages(catalog, settings.content_dir)
    stamps_file = cache_dir(settings) / "staging-pages.marshal"
    stamps = {} if settings.kiosk else intact_pages(settings.staging_dir, read_stamps(stamps_file))
    fresh = {page: s.key for page, s in stamps.items()}
    rendering = SiteRendering(catalog, specs, cache_dir(settings) / "bodies.marshal", fresh)
    pages = kiosk_stream(catalog, rendering) if settings.kiosk else iter(rendering)
    stamps_file.unlink(missing_ok=True)  # rewritten below, once the tree is what it says
    written = WriteResult()
    write_pages(written, pages, settings.staging_dir)  # each page written as it is rendered
    rendered_now = written.digests.keys()
    kept = {page: stamps[page].digest for page in rendering.page_keys.keys() - rendered_now}
    finish_staging(written, plan_assets(catalog), settings.content_dir, settings.staging_dir, kept)
    if not settings.kiosk:
        new_stamps = {
            page: stamps[page]
            if page in kept
            else stamp(settings.staging_dir / page, key, written.digests[page])
            for page, key in rendering.page_keys.items()
        }
        write_stamps(stamps_file, new_stamps)
    return Staged(written, rendering.bodies)


def stage_catalog(
    catalog: Catalog, settings: Settings, related: Mapping[str, Sequence[str]] | None = None
) -> WriteResult:
    """Write the staging Markdown tree for ``catalog`` (also used by the live-reload hook)."""
    return stage_site(catalog, settings, related).written


# Up to this many records the index is written by a forked child beside the build; above, by
# this process before it renders (at 100,000 records the child held 1.3 GB of its own while the
# parent staged 100,000 pages: 5.5 GB for the process tree, over the 4 GB target).
FORK_MAX_RECORDS = 50_000


class IndexJob:
    """The Whoosh index, updated beside the rest of the build.

    At 10,000 records a full index is tens of seconds of one core, work that depends on nothing
    but the validated catalog. A child process forked after validation writes it while this
    process renders pages and MkDocs and Pagefind run; :meth:`wait` (a site step, so before the
    swap) joins it and raises if it failed: a build whose index failed replaces nothing. When the
    process already runs other threads (``catalog serve --watch`` rebuilds in a thread), forking
    is not safe, and above ``FORK_MAX_RECORDS`` the memory would not fit: then the index is
    written in this process, before the pages.
    """

    def __init__(self, catalog: Catalog, index_dir: Path) -> None:
        self.index_dir = index_dir
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

    def wait(self, _site_dir: Path | None = None) -> None:
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

    def cancel(self) -> None:
        """Stop the child (the build failed elsewhere); the index keeps its last generation."""
        process, self.process = self.process, None
        if process is not None and process.is_alive():
            process.kill()
            process.join()


class IndexBuildError(SiteBuildError):
    """The Whoosh index could not be written (``output``: the child's error)."""


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


def cache_dir(settings: Settings) -> Path:
    """Build caches next to the staging tree: ``build/cache`` (kiosk: ``build/kiosk/cache``)."""
    return settings.staging_dir.parent / "cache"


def builder_inputs(settings: Settings) -> list[Path]:
    """Besides the config and each page's Markdown, what every built page depends on."""
    return [
        settings.mkdocs_config,
        settings.overrides_dir,
        REPO_ROOT / "generator/builder/mkdocs_hook.py",
    ]


def builder_config(catalog: Catalog, settings: Settings) -> Path:
    """``mkdocs.yml``, or for a kiosk build the derived config written next to the staging tree."""
    if not settings.kiosk:
        return settings.mkdocs_config
    path = kiosk_config_path(settings.staging_dir)
    text = kiosk_config_text(settings.mkdocs_config, settings.overrides_dir, catalog.site)
    write_if_changed(path, text.encode("utf-8"))
    return path


def bind(step: CatalogStep, catalog: Catalog) -> SiteStep:
    return lambda site_dir: step(catalog, site_dir)


def bind_steps(
    steps: Sequence[CatalogStep], catalog: Catalog, records: RecordShards
) -> list[SiteStep]:
    """The site steps on the new site; Pagefind's record shards are the job ``records``."""
    bound = []
    for step in steps:
        if step is index_site:
            step = partial(
                index_site, bodies=records.bodies, cache_dir=records.cache_dir, records=records
            )
        bound.append(bind(step, catalog))
    return bound


class Timeline:
    """When and how long each phase of a build ran, printed with ``CATALOG_TIMINGS=1``
    (docs/performance.md): phases overlap, so the times are start offsets and durations."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: list[tuple[str, float, float]] = []

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        begun = time.perf_counter()
        try:
            yield
        finally:
            self.marks.append((name, begun - self.started, time.perf_counter() - begun))

    def timed(self, name: str, step: SiteStep) -> SiteStep:
        def run(site_dir: Path) -> object:
            with self.phase(name):
                return step(site_dir)

        return run

    def report(self) -> str:
        lines = [f"  {at:7.2f} s  +{took:6.2f} s  {name}" for name, at, took in self.marks]
        total = time.perf_counter() - self.started
        return "\n".join(["各阶段耗时（开始时刻、用时）：", *lines, f"  共 {total:.2f} 秒"])


def timings_wanted() -> bool:
    return os.environ.get("CATALOG_TIMINGS", "") not in ("", "0")


def is_bundle(step: CatalogStep) -> bool:
    return isinstance(step, partial) and step.func is write_bundle


def release_memory() -> None:
    """Give the memory of freed objects back to the system before MkDocs and Pagefind start."""
    gc.collect()
    libc = ctypes.CDLL(None) if sys.platform == "linux" else None
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


def publish_catalog(
    catalog: Catalog,
    settings: Settings,
    steps: Sequence[CatalogStep] | None = None,
    timeline: Timeline | None = None,
) -> BuildResult:
    """Stage, build and swap in the site of an already validated catalog.

    Three things share the cores: the Whoosh index (a forked child from the start), the page
    work in this process (related records, staging, MkDocs, filling record pages from shells,
    exports) and Pagefind's record shards (from the staging on a warm build, beside MkDocs on a
    cold one, in two processes once the build only waits for them).
    """
    notes: list[str] = []
    chosen = list(steps) if steps is not None else list(SITE_STEPS)
    if settings.kiosk:  # the bundle: the index and the launcher travel with the kiosk site
        images = partial(
            write_attachment_images, cache_dir=cache_dir(settings) / "attachment-pages"
        )
        chosen += [images, partial(write_bundle, index_dir=settings.index_dir)]
    elif steps is None:  # print editions for the notice board and the reading room
        chosen.append(partial(write_print_editions, cache_dir=cache_dir(settings) / "print"))
    timeline = timeline or Timeline()
    with timeline.phase("Whoosh index: forked, or written here for large catalogs"):
        index = IndexJob(catalog, settings.index_dir)
    try:
        with timeline.phase("related records"):
            related = related_map(catalog, cache_dir=cache_dir(settings))
        with timeline.phase("staging (plan, render, write)"):
            staged = stage_site(catalog, settings, related)
        del related
        records = RecordShards(catalog, staged.bodies, cache_dir(settings) / "pagefind")
        manifest = cache_dir(settings) / "site-manifest.json"
        if index_site in chosen and manifest.is_file():  # a warm build: its shards start now
            records.start()
        release_memory()
        steps_on_site = bind_steps(chosen, catalog, records)
        # The index is complete before Pagefind adds its second process (memory), before the
        # kiosk bundle copies the index, and before any swap.
        at = next(
            (i for i, step in enumerate(chosen) if step is index_site or is_bundle(step)),
            len(steps_on_site),
        )
        steps_on_site.insert(at, index.wait)
        names = [getattr(getattr(s, "func", s), "__name__", "step") for s in chosen]
        names.insert(at, "waiting for the Whoosh index")
        steps_on_site = [timeline.timed(n, s) for n, s in zip(names, steps_on_site, strict=True)]
        with timeline.phase("MkDocs, the steps above, swap"):
            run = build_site_dir(
                builder_config(catalog, settings),
                settings.staging_dir,
                settings.out_dir,
                steps_on_site,
                manifest=manifest,
                inputs=builder_inputs(settings),
                digests=staged.written.digests,
                beside=records.start if index_site in chosen else None,
            )
    finally:
        index.cancel()
    if run.partial:
        notes.append("增量构建：只重新生成了内容有变化的页面。")
    if timings_wanted():
        notes.append(timeline.report())
    return BuildResult(
        [], published=len(catalog.records), built=True, staged=staged.written, notes=notes
    )


def build_site(settings: Settings, steps: Sequence[CatalogStep] | None = None) -> BuildResult:
    """Validate the content; refuse on errors; otherwise build and publish the site."""
    from generator.content.validate import check_content

    timeline = Timeline()
    with timeline.phase("validation"):
        checked = check_content(settings)
    if not checked.ok or checked.catalog is None:
        return BuildResult(checked.problems, checked.record_count)
    result = publish_catalog(checked.catalog, settings, steps, timeline)
    result.problems = checked.problems
    result.record_count = checked.record_count
    return result
