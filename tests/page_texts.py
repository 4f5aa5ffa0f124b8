"""Rendered pages held in memory, for tests (a build writes each page as it is rendered)."""

from __future__ import annotations

from generator.core.records import Catalog
from generator.pages.contexts import PageSpec
from generator.pages.render import PageStream


def render_pages(catalog: Catalog, specs: list[PageSpec]) -> dict[str, str]:
    """Staging path → Markdown text, for every planned page."""
    return dict(PageStream(catalog, specs))
