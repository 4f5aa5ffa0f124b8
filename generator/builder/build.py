"""``catalog build``: validate → related records → staging → render → outputs → swap."""

from __future__ import annotations

import ctypes
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.builder.jobs import pagefind_record_shards, whoosh_index_job
from generator.builder.progress import PhaseListener
from generator.builder.site_render import SiteRender
from generator.builder.staging import WriteResult, stage_site, write_if_changed
from generator.builder.swap import fresh_site_dir
from generator.core.problems import Problem
from generator.core.records import Catalog
from generator.core.settings import REPO_ROOT, Settings
from generator.kiosk.bundle import kiosk_config_path, kiosk_config_text, write_bundle
from generator.outputs.browse_data import write_browser_data
from generator.outputs.exports import write_exports
from generator.outputs.report_tables import write_report_tables
from generator.search.pagefind_index import index_site
from generator.search.related import related_map

SiteFiles = Callable[[Catalog, Path], object]  # writes files into the new site directory


@dataclass(frozen=True)
class Outputs:
    """What a build writes besides the pages and the Whoosh index (tests leave out some)."""

    files: tuple[SiteFiles, ...] = (write_exports, write_report_tables, write_browser_data)
    pagefind: bool = True


PAGES_ONLY = Outputs(files=(), pagefind=False)


@dataclass
class BuildResult:
    problems: list[Problem]
    record_count: int = 0  # files checked
    published: int = 0  # records on the site
    built: bool = False
    staged: WriteResult | None = None
    notes: list[str] = field(default_factory=list)  # printed to stderr, one line each

    @property
    def ok(self) -> bool:
        return self.built and not any(p.is_error for p in self.problems)


def publish_catalog(
    catalog: Catalog,
    settings: Settings,
    outputs: Outputs = Outputs(),
    timeline: Timeline | None = None,
) -> BuildResult:
    """Stage, render and swap in the site of an already validated catalog, stage by stage.

    Beside the stages run the Whoosh index (a forked child from the start) and Pagefind's record
    shards (from the render on); leaving ``beside`` on an error stops both (docs/architecture.md).
    """
    timeline, caches, notes = timeline or Timeline(), settings.caches(), list[str]()
    with ExitStack() as beside:
        with timeline.phase("Whoosh index: forked, or written here for large catalogs"):
            index = beside.enter_context(whoosh_index_job(catalog, settings.index_dir))
        with timeline.phase("related records"):
            related = related_map(catalog, cache_dir=caches.root)
        with timeline.phase("staging (plan, render, write)"):
            staged = stage_site(catalog, settings, related)
        del related
        release_memory()
        site = SiteRender.prepare(builder_config(catalog, settings), settings.staging_dir,
                                  settings.out_dir, caches.file("site-sources"),
                                  builder_inputs(settings), staged.written.digests)  # fmt: skip
        shards = None
        if outputs.pagefind:
            shards = beside.enter_context(pagefind_record_shards(catalog, staged.bodies, caches))
            if site.leaves_a_core_free():
                shards.start()
        with fresh_site_dir(settings.out_dir) as new_dir:
            with timeline.phase("render: MkDocs and record pages from layouts"):
                rendered = site.render(new_dir)
            with timeline.phase("exports, catalog-browser data"):
                for write in outputs.files:
                    write(catalog, new_dir)
            with timeline.phase("waiting for the Whoosh index, reading it back"):
                notes += index.finish()
            if shards is not None:
                with timeline.phase("Pagefind"):
                    index_site(catalog, new_dir, records=shards, cache_dir=shards.cache_dir)
            if settings.kiosk:
                with timeline.phase("kiosk bundle"):
                    write_bundle(catalog, new_dir, index_dir=settings.index_dir)
            with timeline.phase("swap"):
                site.swap_in(new_dir)
    notes += rendered.slow_paths
    notes += ["增量构建：只重新生成了内容有变化的页面。"] if rendered.partial else []
    notes += [timeline.report()] if timings_wanted() else []
    return BuildResult([], published=len(catalog.records), built=True, staged=staged.written,
                       notes=notes)  # fmt: skip


def build_site(
    settings: Settings, outputs: Outputs = Outputs(), listener: PhaseListener | None = None
) -> BuildResult:
    """Validate the content; refuse on errors; otherwise build and publish the site
    (``listener``: told when each phase starts and ends, for the progress display)."""
    from generator.content.validate import check_content

    timeline = Timeline(listener)
    with timeline.phase("validation"):
        checked = check_content(settings)
    if not checked.ok or checked.catalog is None:
        return BuildResult(checked.problems, checked.record_count)
    result = publish_catalog(checked.catalog, settings, outputs, timeline)
    result.problems = checked.problems
    result.record_count = checked.record_count
    return result


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


def release_memory() -> None:
    """Give the memory of freed objects back to the system before MkDocs and Pagefind start."""
    gc.collect()
    libc = ctypes.CDLL(None) if sys.platform == "linux" else None
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


class Timeline:
    """When and how long each phase of a build ran, printed with ``CATALOG_TIMINGS=1``
    (docs/performance.md): phases overlap, so the times are start offsets and durations."""

    def __init__(self, listener: PhaseListener | None = None) -> None:
        self.started = time.perf_counter()
        self.marks: list[tuple[str, float, float]] = []
        self.listener = listener

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        begun = time.perf_counter()
        if self.listener is not None:
            self.listener.started(name)
        try:
            yield
        finally:
            took = time.perf_counter() - begun
            self.marks.append((name, begun - self.started, took))
            if self.listener is not None:
                self.listener.finished(name, took)

    def report(self) -> str:
        lines = [f"  {at:7.2f} s  +{took:6.2f} s  {name}" for name, at, took in self.marks]
        total = time.perf_counter() - self.started
        return "\n".join(["各阶段耗时（开始时刻、用时）：", *lines, f"  共 {total:.2f} 秒"])


def timings_wanted() -> bool:
    return os.environ.get("CATALOG_TIMINGS", "") not in ("", "0")
