"""Profile a cold `catalog build` phase by phase with cProfile (findings: docs/performance.md).

    .venv/bin/python bench/profile_build.py --content bench/work/n1000/content --work /tmp/prof

Runs the stages of ``generator.build.build_site`` one after another in this process (validation,
page plan, render, staging write, exports, browser data, Pagefind), the MkDocs builder as the
same subprocess the build uses but under ``python -m cProfile``, and a full Whoosh index. Prints
each phase's wall time and the top functions of both profiles; keeps ``build.prof`` and
``mkdocs.prof`` in the work directory for ``python -m pstats`` or snakeviz.

The peak RSS columns are cumulative (``getrusage``): a phase raised the peak where its number
grows. On Linux a child's peak starts at this process's peak when it was spawned, so the child
column only identifies children that grew beyond that (Pagefind does).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.build import SITE_STEPS, read_guide
from generator.pages import plan_assets, plan_pages
from generator.render import render_pages
from generator.search_index import CatalogSearcher, build_index
from generator.settings import Settings
from generator.site import MKDOCS_SCRIPT, builder_environment
from generator.validate import check_content
from generator.write import write_staging


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


class Phases:
    """Wall time of each phase, and the peak RSS of this process and of its children so far."""

    def __init__(self, profiler: cProfile.Profile | None) -> None:
        self.profiler = profiler
        self.times: list[tuple[str, float, float, float]] = []

    @contextmanager
    def phase(self, name: str, profiled: bool = True) -> Any:
        print(f"… {name}", file=sys.stderr, flush=True)
        profiler = self.profiler if profiled else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        try:
            yield
        finally:
            if profiler:
                profiler.disable()
            self.times.append((name, time.perf_counter() - started,
                               peak_mb(resource.RUSAGE_SELF), peak_mb(resource.RUSAGE_CHILDREN)))


def run_mkdocs(settings: Settings, site_dir: Path, output: Path | None) -> None:
    script = site_dir.parent / "mkdocs_build.py"
    script.write_text(MKDOCS_SCRIPT, encoding="utf-8")
    profiling = ["-m", "cProfile", "-o", str(output)] if output else []
    command = [sys.executable, *profiling, str(script), str(settings.mkdocs_config.resolve()),
               str(settings.staging_dir.resolve()), str(site_dir.resolve())]
    subprocess.run(command, env=builder_environment(), check=True, capture_output=True)


def profile_build(content: Path, work: Path, *, profile: bool = True) -> tuple[Phases, Path, Path]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    settings = Settings(content_dir=content, staging_dir=work / "docs", out_dir=work / "site",
                        index_dir=work / "search-index")
    profiler = cProfile.Profile() if profile else None
    phases = Phases(profiler)
    with phases.phase("validate (load, schema, checks, catalog)"):
        catalog = check_content(settings).catalog
    # generator.build.index_catalog, in its two parts
    with phases.phase("Whoosh full index (build_index)"):
        build_index(catalog, settings.index_dir, full=True)
    with phases.phase("related records (CatalogSearcher.related)"), \
            CatalogSearcher(settings.index_dir) as searcher:
        related = {record.id: searcher.related(record, 5) for record in catalog.records}
    with phases.phase("plan pages"):
        specs = plan_pages(catalog, read_guide(content), related)
    with phases.phase("render pages (Jinja2 → Markdown)"):
        pages = render_pages(catalog, specs)
    with phases.phase("write staging tree"):
        write_staging(pages, plan_assets(catalog), content, settings.staging_dir)
    mkdocs_prof = work / "mkdocs.prof"
    with phases.phase("MkDocs + Material (subprocess)", profiled=False):
        run_mkdocs(settings, settings.out_dir, mkdocs_prof if profile else None)
    steps: tuple[Callable[..., object], ...] = SITE_STEPS
    for step in steps:
        with phases.phase(f"{step.__module__}.{step.__name__}"):
            step(catalog, settings.out_dir)
    build_prof = work / "build.prof"
    if profiler:
        profiler.dump_stats(build_prof)
    return phases, build_prof, mkdocs_prof


def top(profile: Path, sort: str, limit: int) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(str(profile), stream=stream)
    stats.strip_dirs().sort_stats(sort).print_stats(limit)
    lines = stream.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(lines[start:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("build/profile"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--timing-only", action="store_true",
                        help="phase times without cProfile's overhead, no profiles")
    arguments = parser.parse_args()
    phases, build_prof, mkdocs_prof = profile_build(
        arguments.content.resolve(), arguments.work.resolve(), profile=not arguments.timing_only)
    total = sum(seconds for _, seconds, _, _ in phases.times)
    print(f"{'phase':<48} {'seconds':>8} {'share':>6} {'self peak MB':>13} {'child peak MB':>14}")
    for name, seconds, own, children in phases.times:
        print(f"{name:<48} {seconds:8.2f} {seconds / total:6.0%} {own:13.0f} {children:14.0f}")
    print(f"{'total':<48} {total:8.2f}")
    if arguments.timing_only:
        return
    for label, path in (("generator (in-process phases)", build_prof), ("MkDocs", mkdocs_prof)):
        for sort in ("tottime", "cumulative"):
            print(f"\n== {label}: top {arguments.top} by {sort} ==")
            print(top(path, sort, arguments.top))


if __name__ == "__main__":
    main()
