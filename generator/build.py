"""``catalog build``: validate → plan → render → staging → MkDocs → exports/search → swap."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.browser import write_browser_data
from generator.exports import write_exports
from generator.kiosk import (
    kiosk_config_path,
    kiosk_config_text,
    kiosk_pages,
    plan_kiosk_pages,
    write_bundle,
)
from generator.pagefind_index import index_site
from generator.pages import plan_assets, plan_pages
from generator.problems import Problem
from generator.records import Catalog
from generator.render import render_pages
from generator.search_index import CatalogSearcher, build_index
from generator.settings import REPO_ROOT, Settings
from generator.site import SiteStep, build_site_dir
from generator.write import WriteResult, write_if_changed, write_staging

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


def stage_catalog(
    catalog: Catalog, settings: Settings, related: Mapping[str, Sequence[str]] | None = None
) -> WriteResult:
    """Write the staging Markdown tree for ``catalog`` (also used by the live-reload hook)."""
    specs = plan_pages(catalog, read_guide(settings.content_dir), related,
                       read_optional(REPO_ROOT / "CONTRIBUTING.md"))
    if settings.kiosk:
        specs += plan_kiosk_pages(catalog)
    pages = render_pages(catalog, specs)
    if settings.kiosk:
        pages = kiosk_pages(catalog, pages)
    return write_staging(pages, plan_assets(catalog), settings.content_dir, settings.staging_dir)


def index_catalog(catalog: Catalog, index_dir: Path) -> dict[str, list[str]]:
    """Update the Whoosh index (incrementally) and read each record's related records from it."""
    build_index(catalog, index_dir)
    with CatalogSearcher(index_dir) as searcher:
        return {record.id: searcher.related(record, 5) for record in catalog.records}


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


def publish_catalog(
    catalog: Catalog, settings: Settings, steps: Sequence[CatalogStep] | None = None
) -> BuildResult:
    """Stage, build and swap in the site of an already validated catalog."""
    notes: list[str] = []
    chosen = list(steps) if steps is not None else list(SITE_STEPS)
    if settings.kiosk:  # the bundle: the index and the launcher travel with the kiosk site
        chosen.append(partial(write_bundle, index_dir=settings.index_dir))
    related = index_catalog(catalog, settings.index_dir)
    staged = stage_catalog(catalog, settings, related)
    build_site_dir(
        builder_config(catalog, settings),
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
