"""MkDocs over (part of) the staging tree, in one process or two.

The builder is a subprocess (MkDocs + Material today; any program that reads ``mkdocs.yml`` can
replace it). MkDocs renders one page after another in one process. With many record pages, a
second process renders every other record page from its own docs dir of hard links (plus the
nav pages, which the nav needs; its copies of them, of the theme assets and of 404.html are
dropped), and its record pages are moved into the first process's site dir. A record page
depends only on its own Markdown, the configuration and the theme, so the merged site is byte
for byte the one-process site (tests/test_build.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Collection, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from generator.builder.incremental import always_rendered
from generator.builder.processes import die_with_parent
from generator.core.site_paths import html_path

# ``mkdocs build`` has no option for docs_dir; load_config takes it as an override, exactly as
# the CLI passes ``--site-dir``. Paths arrive absolute, so the working directory does not matter.
MKDOCS_SCRIPT = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file=sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3],
                     strict=True)
build(config)
"""

SPLIT_MIN_RECORDS = 400  # below this a second MkDocs start (~1.5 s) costs more than it saves


class SiteBuildError(Exception):
    """The site builder failed; ``output`` is what it printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


@dataclass(frozen=True)
class BuilderRun:
    output: str
    partial: bool = False  # only the changed pages were rendered
    processes: int = 1  # builder processes run (side by side, plus any run for missed pages)
    filled: int = 0  # record pages filled into their kind's layout instead of rendered by MkDocs
    slow_paths: tuple[str, ...] = ()  # one Chinese line per fast path that was off or failed


def builder_command(config: Path, docs_dir: Path, site_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        MKDOCS_SCRIPT,
        str(config.resolve()),
        str(docs_dir.resolve()),
        str(site_dir.resolve()),
    ]


def builder_environment() -> dict[str, str]:
    """The caller's environment (``SOURCE_DATE_EPOCH`` passes through) without the 2.0 banner."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}


def run_builder(config: Path, docs_dir: Path, site_dir: Path) -> BuilderRun:
    return run_builders(config, [(docs_dir, site_dir)])


def run_builders(config: Path, jobs: Sequence[tuple[Path, Path]]) -> BuilderRun:
    """One builder process per (docs dir, site dir), all at once; fails if any fails."""
    with ExitStack() as stack:
        started = []
        for docs_dir, site_dir in jobs:
            log = stack.enter_context(tempfile.TemporaryFile())
            process = subprocess.Popen(
                builder_command(config, docs_dir, site_dir),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=builder_environment(),
                preexec_fn=die_with_parent if sys.platform == "linux" else None,
            )
            stack.callback(process.kill)  # a failed sibling or an exception: no orphan writer
            started.append((process, log))
        codes, output = [], ""
        for process, log in started:
            codes.append(process.wait())
            log.seek(0)
            output += log.read().decode("utf-8", "replace")
    failed = [code for code in codes if code != 0]
    if failed:
        raise SiteBuildError(f"MkDocs 构建失败（退出码 {failed[0]}），原网站未改动。", output)
    return BuilderRun(output=output)


def link_or_copy(source: Path, target: Path) -> None:
    """Hard link (nothing writes into a built page in place; steps replace files), else copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def partial_docs(
    docs_dir: Path, render: Sequence[str], into: Path, texts: Mapping[str, str] | None = None
) -> None:
    """A docs dir of ``render``: links to the staging files, or the given ``texts`` (samples)."""
    for staged in render:
        if texts is not None and staged in texts:
            (into / staged).parent.mkdir(parents=True, exist_ok=True)
            (into / staged).write_text(texts[staged], encoding="utf-8")
        else:
            link_or_copy(docs_dir / staged, into / staged)


def is_record_page(staged: str) -> bool:
    return staged.startswith("records/") and staged.endswith(".md")


def split_pages(
    files: Sequence[str],
    min_records: int = SPLIT_MIN_RECORDS,
    nav: Collection[str] | None = None,
) -> list[list[str]]:
    """The staging files each builder process renders: one group, or two when there are at
    least ``min_records`` record pages (the second: every other record page and the nav pages).
    """
    records = sorted(f for f in files if is_record_page(f))
    if len(records) < max(min_records, 2):
        return [list(files)]
    second = set(records[1::2])
    first = [f for f in files if f not in second]
    return [first, [*sorted(second), *(f for f in files if always_rendered(f, nav))]]


def move_pages(
    source: Path, target: Path, staged: Sequence[str], nav: Collection[str] | None = None
) -> None:
    """The built pages of ``staged`` (nav pages excepted) from ``source`` into ``target``."""
    for page in staged:
        if always_rendered(page, nav):
            continue
        built = html_path(page)
        (target / built).parent.mkdir(parents=True, exist_ok=True)
        os.replace(source / built, target / built)


def run_mkdocs(
    config: Path,
    docs_dir: Path,
    new_dir: Path,
    files: Sequence[str],
    texts: Mapping[str, str],
    *,
    whole: bool,
    split_from: int,
    nav: Collection[str] | None,
) -> BuilderRun:
    """MkDocs over ``files`` (those in ``texts`` written from there, the rest linked from
    ``docs_dir``), in two processes when there are many record pages. ``whole``: ``files`` is
    all of ``docs_dir``, which one process then reads in place."""
    groups = split_pages(files, split_from, nav)
    if whole and not texts and len(groups) == 1:
        return run_builder(config, docs_dir, new_dir)
    with ExitStack() as stack:
        jobs = []
        for number, group in enumerate(groups):
            docs = Path(
                stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="partial-docs-", dir=docs_dir.parent)
                )
            )
            partial_docs(docs_dir, group, docs, texts)
            site = (
                new_dir
                if number == 0
                else Path(
                    stack.enter_context(
                        tempfile.TemporaryDirectory(prefix=new_dir.name + "_", dir=new_dir.parent)
                    )
                )
            )
            jobs.append((docs, site))
        run = run_builders(config, jobs)
        for group, (_, site) in zip(groups[1:], jobs[1:], strict=True):
            move_pages(site, new_dir, group, nav)
    return BuilderRun(run.output, processes=len(groups))
