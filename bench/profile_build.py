"""Profile a cold `catalog build` phase by phase with cProfile (findings: docs/performance.md).

    .venv/bin/python bench/profile_build.py --content bench/work/n1000/content --work /tmp/prof

Runs the stages of ``generator.builder.build.build_site`` one after another in this process, as
``publish_catalog`` does them: validation, the Whoosh index, related records (in memory), the
page plan, render and staging write (``stage_site``, its body and page caches under the work
directory), MkDocs, then exports, catalog-browser data and Pagefind (record shards after
MkDocs, as in a cold build).
MkDocs runs as the build runs it (``site_render.render_pages``: two processes from 400 record pages on)
or, with cProfile, as one process under ``python -m cProfile``. ``--warm`` runs the in-process
phases a second time on the same work directory (caches warm, nothing changed). Prints each
phase's wall time and the top functions of both profiles; keeps ``build.prof`` and
``mkdocs.prof`` in the work directory for ``python -m pstats`` or snakeviz.

The peak RSS columns are cumulative (``getrusage``): a phase raised the peak where its number
grows. On Linux a child's peak starts at this process's peak when it was spawned, so the child
column only identifies children that grew beyond that (Pagefind does). The current RSS column
is this process's resident memory after the phase (what it holds while MkDocs runs).
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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.builder.build import release_memory
from generator.builder.mkdocs_run import MKDOCS_SCRIPT, builder_environment
from generator.builder.site_render import render_pages
from generator.builder.staging import stage_site
from generator.content.validate import check_content
from generator.core.settings import Settings
from generator.outputs.browse_data import write_browser_data
from generator.outputs.exports import write_exports
from generator.search.pagefind_index import RecordShards, index_site
from generator.search.related import related_map
from generator.search.whoosh_index import build_index


def current_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


class Phases:
    """Wall time of each phase, and the peak RSS of this process and of its children so far."""

    def __init__(self, profiler: cProfile.Profile | None) -> None:
        self.profiler = profiler
        self.times: list[tuple[str, float, float, float, float]] = []

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
            self.times.append(
                (
                    name,
                    time.perf_counter() - started,
                    current_mb(),
                    peak_mb(resource.RUSAGE_SELF),
                    peak_mb(resource.RUSAGE_CHILDREN),
                )
            )


def run_mkdocs(settings: Settings, site_dir: Path, output: Path | None) -> None:
    """The build's MkDocs step; under cProfile a single process (profiles do not merge)."""
    site_dir.mkdir(parents=True, exist_ok=True)
    if output is None:
        render_pages(settings.mkdocs_config, settings.staging_dir, site_dir)
        return
    script = site_dir.parent / "mkdocs_build.py"
    script.write_text(MKDOCS_SCRIPT, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(output),
        str(script),
        str(settings.mkdocs_config.resolve()),
        str(settings.staging_dir.resolve()),
        str(site_dir.resolve()),
    ]
    subprocess.run(command, env=builder_environment(), check=True, capture_output=True)


def in_process_phases(phases: Phases, settings: Settings, label: str = "") -> Any:
    """Validation to staging tree; returns the catalog and the record bodies."""
    with phases.phase(f"{label}validate (load, schema, checks, catalog)"):
        catalog = check_content(settings).catalog
    assert catalog is not None, "the content has errors: run catalog validate"
    with phases.phase(f"{label}Whoosh index (build_index)"):
        build_index(catalog, settings.index_dir)
    with phases.phase(f"{label}related records (related_map)"):
        related = related_map(catalog)
    with phases.phase(f"{label}plan, render, write staging (stage_site)"):
        staged = stage_site(catalog, settings, related)
    with phases.phase(f"{label}release memory"):
        bodies = staged.bodies
        del staged, related
        release_memory()
    return catalog, bodies


def profile_build(
    content: Path, work: Path, *, profile: bool = True, warm: bool = False
) -> tuple[Phases, Path, Path]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    settings = Settings(
        content_dir=content,
        staging_dir=work / "docs",
        out_dir=work / "site",
        index_dir=work / "search-index",
    )
    profiler = cProfile.Profile() if profile else None
    phases = Phases(profiler)
    catalog, bodies = in_process_phases(phases, settings)
    mkdocs_prof = work / "mkdocs.prof"
    with phases.phase("MkDocs + Material (subprocesses)", profiled=False):
        run_mkdocs(settings, settings.out_dir, mkdocs_prof if profile else None)
    with phases.phase("exports (catalog.json/csv, Atom, sitemap)"):
        write_exports(catalog, settings.out_dir)
    with phases.phase("catalog-browser data"):
        write_browser_data(catalog, settings.out_dir)
    with phases.phase("Pagefind (record shards, then the pages shard)"):
        cache = work / "cache" / "pagefind-shards"
        records = RecordShards(catalog, bodies, cache)
        index_site(catalog, settings.out_dir, bodies=bodies, cache_dir=cache, records=records)
    if warm:
        in_process_phases(phases, settings, "warm: ")
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
    parser.add_argument(
        "--timing-only",
        action="store_true",
        help="phase times without cProfile's overhead, no profiles",
    )
    parser.add_argument(
        "--warm", action="store_true", help="then the in-process phases again with warm caches"
    )
    arguments = parser.parse_args()
    phases, build_prof, mkdocs_prof = profile_build(
        arguments.content.resolve(),
        arguments.work.resolve(),
        profile=not arguments.timing_only,
        warm=arguments.warm,
    )
    total = sum(seconds for _, seconds, *_ in phases.times)
    print(
        f"{'phase':<52} {'seconds':>8} {'share':>6} {'RSS MB':>7} {'self peak MB':>13} "
        f"{'child peak MB':>14}"
    )
    for name, seconds, now, own, children in phases.times:
        print(
            f"{name:<52} {seconds:8.2f} {seconds / total:6.0%} {now:7.0f} {own:13.0f} "
            f"{children:14.0f}"
        )
    print(f"{'total':<52} {total:8.2f}")
    if arguments.timing_only:
        return
    for label, path in (("generator (in-process phases)", build_prof), ("MkDocs", mkdocs_prof)):
        for sort in ("tottime", "cumulative"):
            print(f"\n== {label}: top {arguments.top} by {sort} ==")
            print(top(path, sort, arguments.top))


if __name__ == "__main__":
    main()
