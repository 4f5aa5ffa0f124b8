"""``catalog build``: validate → plan → render → staging → MkDocs → exports/search → swap."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.pages import plan_assets, plan_pages
from generator.problems import Problem
from generator.records import Catalog
from generator.render import render_pages
from generator.settings import Settings
from generator.site import SiteStep, build_site_dir
from generator.write import WriteResult, write_staging

# (module, function, what it adds): each is called as function(catalog, site_dir).
SITE_STEPS = (
    ("generator.exports", "write_exports", "目录导出（catalog.json/csv、Atom、sitemap）"),
    ("generator.browser", "write_browser_data", "目录检索数据"),
    ("generator.pagefind_index", "index_site", "Pagefind 全文索引"),
)

CatalogStep = Callable[[Catalog, Path], object]


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


def read_guide(content_dir: Path) -> str:
    """``content/guide.md``: optional free-text sections of the 政府信息公开指南."""
    path = content_dir / "guide.md"
    return path.read_text(encoding="utf-8-sig") if path.is_file() else ""


def stage_catalog(catalog: Catalog, settings: Settings) -> WriteResult:
    """Write the staging Markdown tree for ``catalog`` (also used by the live-reload hook)."""
    pages = render_pages(catalog, plan_pages(catalog, read_guide(settings.content_dir)))
    return write_staging(pages, plan_assets(catalog), settings.content_dir, settings.staging_dir)


def available_steps(notes: list[str]) -> list[CatalogStep]:
    """The site steps whose modules exist; a missing one is noted, not fatal (being written)."""
    steps: list[CatalogStep] = []
    for module_name, function_name, label in SITE_STEPS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            notes.append(f"跳过{label}：模块 {module_name} 尚未提供。")
            continue
        steps.append(getattr(module, function_name))
    return steps


def bind(step: CatalogStep, catalog: Catalog) -> SiteStep:
    return lambda site_dir: step(catalog, site_dir)


def publish_catalog(
    catalog: Catalog, settings: Settings, steps: Sequence[CatalogStep] | None = None
) -> BuildResult:
    """Stage, build and swap in the site of an already validated catalog."""
    notes: list[str] = []
    chosen = list(steps) if steps is not None else available_steps(notes)
    staged = stage_catalog(catalog, settings)
    build_site_dir(
        settings.mkdocs_config,
        settings.staging_dir,
        settings.out_dir,
        [bind(step, catalog) for step in chosen],
    )
    return BuildResult([], published=len(catalog.records), built=True, staged=staged, notes=notes)


def build_site(settings: Settings, steps: Sequence[CatalogStep] | None = None) -> BuildResult:
    """Validate the content; refuse on errors; otherwise build and publish the site."""
    from generator.validate import check_content

    checked = check_content(settings)
    if not checked.ok or checked.catalog is None:
        return BuildResult(checked.problems, checked.record_count)
    result = publish_catalog(checked.catalog, settings, steps)
    result.problems = checked.problems
    result.record_count = checked.record_count
    return result
