"""The render stage: the staging tree as HTML in a fresh site directory, then swapped in.

MkDocs renders every page except the record pages a layout can fill (``layouts.py``), plus
one sample page per kind of record page and one witness page per kind. A layout is used only
when the witness it fills is byte for byte the page MkDocs wrote; a kind without a layout, or
whose witness differs, is rendered by MkDocs, and the build says so in one line
(``BuilderRun.slow_paths``). A warm build renders only the pages whose staging bytes changed
(``incremental.py``) and takes the rest from the site already built.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.builder import layouts
from generator.builder.incremental import (
    CHANGED_BUILDER,
    PartialPlan,
    SiteSources,
    always_rendered,
    current_sources,
    nav_pages,
    plan_partial,
    read_sources,
    write_sources,
)
from generator.builder.layouts import PageKind
from generator.builder.mkdocs_run import (
    SPLIT_MIN_RECORDS,
    BuilderRun,
    SiteBuildError,
    is_record_page,
    link_or_copy,
    move_pages,
    run_mkdocs,
    split_pages,
)
from generator.builder.swap import fresh_site_dir, swap_in
from generator.core.cache import NO_CACHE, CacheFile

# Record pages filled into their kind's layout; False: MkDocs renders every record page.
FILL_RECORD_PAGES = True
# How many times as long a whole cold build takes when MkDocs renders every record page: at
# 1,000 synthetic records 1.3x the CPU (15.1/15.8 s → 20.7/20.0 s; wall 48/58 s → 100/74 s under
# load ~11); at 10,000 the render stage alone takes ~3x (13.0/17.3 s → 36.8/51.7 s,
# docs/performance.md), about +30 s on a ~90 s build.
RECORD_PAGES_BY_MKDOCS_SLOWER = 1.5
SITE_URL = re.compile(r"(?m)^site_url:[ \t]*[^\s#]")


def render_pages(
    config: Path,
    docs_dir: Path,
    new_dir: Path,
    files: Sequence[str] | None = None,
    *,
    split_from: int = SPLIT_MIN_RECORDS,
    nav: Collection[str] | None = None,
    fill: bool | None = None,
) -> BuilderRun:
    """The pages of ``files`` of ``docs_dir`` (all when None) into ``new_dir``; record pages
    from layouts unless ``fill`` (default ``FILL_RECORD_PAGES``) is False."""
    every = files if files is not None else sorted(_files_under(docs_dir))
    use_layouts = FILL_RECORD_PAGES if fill is None else fill
    records = [f for f in every if is_record_page(f)]
    kinds = layouts.read_kinds(docs_dir, records) if use_layouts else {}
    samples = layouts.plan_samples(kinds.values())
    witnesses = layouts.choose_witnesses(docs_dir, kinds)
    witness_pages = set(witnesses.values())
    texts = {path: layouts.sample_source(kind) for kind, path in samples.items()}
    by_mkdocs = [f for f in every if f not in kinds or f in witness_pages]
    run = run_mkdocs(config, docs_dir, new_dir, [*by_mkdocs, *texts], texts,
                     whole=files is None, split_from=split_from, nav=nav)  # fmt: skip
    found = layouts.read_layouts(new_dir, samples)
    layouts.remove_samples(new_dir, samples.values())
    failed = layouts.failed_witnesses(docs_dir, new_dir, witnesses, found)
    usable = {kind: layout for kind, layout in found.items() if kind not in failed}
    missed = layouts.fill_pages(docs_dir, new_dir, kinds, usable)
    slow = slow_path_lines(config, kinds, usable, failed, records, asked=fill is None)
    if more := [page for page in missed if page not in witness_pages]:
        # Markdown outside the subset, or no layout for its kind: MkDocs after all
        extra = [*more, *(f for f in every if always_rendered(f, nav))]
        with tempfile.TemporaryDirectory(prefix=new_dir.name + "_", dir=new_dir.parent) as site:
            again = render_pages(config, docs_dir, Path(site), extra, fill=False, nav=nav,
                                 split_from=split_from)  # fmt: skip
            move_pages(Path(site), new_dir, more, nav)
        run = replace(run, output=run.output + again.output,
                      processes=run.processes + again.processes)  # fmt: skip
    return replace(run, partial=files is not None, filled=len(kinds) - len(missed),
                   slow_paths=slow)  # fmt: skip


def slow_path_lines(
    config: Path,
    kinds: Mapping[str, PageKind],
    usable: Mapping[PageKind, layouts.Layout],
    failed: Mapping[PageKind, str],
    records: Sequence[str],
    *,
    asked: bool,
) -> tuple[str, ...]:
    """One line per reason record pages went to MkDocs though a layout was meant to fill them
    (``asked``: the caller left the choice to ``FILL_RECORD_PAGES``)."""
    if not records:
        return ()
    if not FILL_RECORD_PAGES and asked:
        return (slow_line("site_render.FILL_RECORD_PAGES 设为 False", len(records), records),)
    without = [page for page, kind in kinds.items() if kind not in usable and kind not in failed]
    lines = []
    if without:
        why = (
            "mkdocs.yml 设置了 site_url，页面会写入自身地址"
            if SITE_URL.search(config.read_text(encoding="utf-8"))
            else "主题生成的样本页无法拆成固定部分和字段"
        )
        lines.append(slow_line(why, len(without), records))
    if failed:
        witness = sorted(failed.values())[0]
        pages = sum(1 for kind in kinds.values() if kind in failed)
        why = f"抽查页 {witness} 快速生成的结果与 MkDocs 渲染的不一致"
        lines.append(slow_line(why, pages, records))
    return tuple(lines)


def slow_line(why: str, pages: int, records: Sequence[str]) -> str:
    share = pages / max(1, len(records))
    slower = 1 + (RECORD_PAGES_BY_MKDOCS_SLOWER - 1) * share
    return (
        f"提示：记录页快速生成已关闭（{why}），{pages} 个记录页改由 MkDocs 逐页渲染，"
        f"构建约慢 {slower:.1f} 倍。"
    )


def _files_under(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]


@dataclass(frozen=True)
class SiteRender:
    """What the render stage will do: every page, or (``plan``) only the changed ones."""

    config: Path
    docs_dir: Path
    out_dir: Path
    nav: frozenset[str] | None
    sources: SiteSources
    plan: PartialPlan | None
    sources_file: CacheFile
    full_reason: str = ""  # why a build after an earlier one renders every page ("": it does not)

    @classmethod
    def prepare(
        cls,
        config: Path,
        docs_dir: Path,
        out_dir: Path,
        sources_file: CacheFile = NO_CACHE,
        inputs: Sequence[Path] = (),
        digests: Mapping[str, str] | None = None,
    ) -> SiteRender:
        """``inputs``: what every page depends on besides the config and its own Markdown
        (theme overrides, hooks); ``digests``: the staging files' sha256 if the caller knows
        them (it just wrote them)."""
        sources = current_sources(config, inputs, docs_dir, out_dir, digests)
        nav = nav_pages(config)
        previous = read_sources(sources_file, sources)
        plan = plan_partial(previous, sources, out_dir, nav)
        if plan == "" and sources_file.path is not None and sources_file.path.is_file():
            plan = CHANGED_BUILDER  # the kept sources were made by other inputs
        if isinstance(plan, str):
            return cls(config, docs_dir, out_dir, nav, sources, None, sources_file, plan)
        return cls(config, docs_dir, out_dir, nav, sources, plan, sources_file)

    def leaves_a_core_free(self) -> bool:
        """MkDocs will run in one process: work beside it has the other core."""
        files: Iterable[str] = self.plan.render if self.plan else self.sources.files
        return FILL_RECORD_PAGES or len(split_pages(list(files), nav=self.nav)) == 1

    def render(self, new_dir: Path) -> BuilderRun:
        """All pages, or with a plan only the changed ones (everything again if that fails)."""
        reason = self.full_reason
        if self.plan is not None:
            try:
                run = render_pages(self.config, self.docs_dir, new_dir, self.plan.render,
                                   nav=self.nav)  # fmt: skip
            except SiteBuildError as exc:  # a page the partial tree lacked: build it all
                shutil.rmtree(new_dir)
                new_dir.mkdir()
                reason = f"只生成变化页面时 MkDocs 失败：{str(exc).splitlines()[0][:120]}"
            else:
                for path in self.plan.reuse:
                    if not (new_dir / path).exists():
                        link_or_copy(self.out_dir / path, new_dir / path)
                return run
        run = render_pages(self.config, self.docs_dir, new_dir, nav=self.nav)
        if not reason:
            return run
        line = f"提示：本次不能增量构建（{reason}），全部页面重新生成，耗时与首次构建相当。"
        return replace(run, slow_paths=(*run.slow_paths, line))

    def swap_in(self, new_dir: Path) -> None:
        """``new_dir`` becomes the site; its sources are recorded once it is in place."""
        self.sources_file.remove()
        swap_in(new_dir, self.out_dir)
        write_sources(self.sources_file, self.sources)


def build_site_dir(
    config: Path,
    docs_dir: Path,
    out_dir: Path,
    sources_file: CacheFile = NO_CACHE,
    inputs: Sequence[Path] = (),
) -> BuilderRun:
    """The render stage alone: the staging tree rendered and swapped in as ``out_dir``."""
    site = SiteRender.prepare(config, docs_dir, out_dir, sources_file, inputs)
    with fresh_site_dir(out_dir) as new_dir:
        run = site.render(new_dir)
        site.swap_in(new_dir)
    return run
