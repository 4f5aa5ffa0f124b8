"""Full-text search for the static site: a Pagefind (extended, Chinese segmentation) index.

The generator knows every record's metadata, so it does not re-parse the themed record pages.
It writes one small search document per record into a temporary folder, mirroring the record
page's path (``records/<department>/<slug>.html``), with the filters ``category``,
``department`` and ``year``, the sort key ``date`` and the meta ``title``/``date``/``id``/
``doc_number``/``department`` as ``data-pagefind-*`` attributes.  Built pages outside
``records/`` that carry ``data-pagefind-body`` (the guide) are copied next to them.  Pagefind's
Python API then indexes that folder in one ``add_directory`` call and writes the bundle to
``<site>/pagefind/``.

Why not ``add_custom_record`` per record: pagefind 1.5's Python service reads one reply per
100 ms poll, so it indexes at most ~10 records a second (2,000 records: over three minutes).
"""

from __future__ import annotations

import asyncio
import html
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from pagefind.index import IndexConfig, PagefindIndex

from generator.exports import record_url
from generator.records import Catalog, Record

OUTPUT_DIR = "pagefind"
LANGUAGE = "zh"  # one index for every page, whatever its <html lang>
BODY_MARKER = "data-pagefind-body"
# Built folders that never hold pages to search (records come from the generator instead).
SKIPPED_DIRS = ("records/", "assets/", "search/", OUTPUT_DIR + "/")
# Only text matters to the index: links, images and every attribute are dropped.
TEXT_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "blockquote", "pre", "code", "strong", "em",
}  # fmt: skip


class PagefindError(RuntimeError):
    """Pagefind could not index the site (missing binary, nothing indexed, service error)."""


@dataclass(frozen=True)
class PagefindStats:
    records: int  # search documents written for records
    pages: int  # extra built pages indexed (guide …)
    indexed: int  # pages Pagefind reports in its index
    seconds: float
    output: Path


def markdown_converter() -> markdown.Markdown:
    """Markdown → HTML with raw HTML escaped: the text is indexed, never published from here."""
    converter = markdown.Markdown(extensions=["tables", "sane_lists"])
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def attribute(key: str, value: str) -> str:
    """``key:value`` for a ``data-pagefind-*`` attribute, escaped."""
    return html.escape(f"{key}:{value}", quote=True)


def search_document(catalog: Catalog, record: Record, body_html: str) -> str:
    """The HTML Pagefind indexes for one record (``body_html`` is the rendered body)."""
    e = html.escape
    category = catalog.categories.get(record.category)
    department = catalog.departments.get(record.department)
    category_name = category.short_name if category else record.category
    department_name = department.name if department else record.department
    published = record.published.isoformat()
    hidden = [
        f'<span data-pagefind-filter="{attribute("category", category_name)}"></span>',
        f'<span data-pagefind-filter="{attribute("department", department_name)}"></span>',
        f'<span data-pagefind-filter="{attribute("year", str(record.year))}"></span>',
        f'<span data-pagefind-sort="{attribute("date", published)}"></span>',
        f'<span data-pagefind-meta="{attribute("date", published)}"></span>',
        f'<span data-pagefind-meta="{attribute("id", record.id)}"></span>',
        f'<span data-pagefind-meta="{attribute("department", department_name)}"></span>',
    ]
    if record.doc_number:
        hidden.append(
            f'<span data-pagefind-meta="{attribute("doc_number", record.doc_number)}"></span>'
        )
    details = " ".join(filter(None, [record.id, record.doc_number, department_name,
                                     " ".join(record.keywords)]))  # fmt: skip
    attachments = "".join(f"<li>{e(a.title)}</li>" for a in record.attachments)
    return "\n".join(
        [
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{e(record.title)}</title></head><body>",
            f"<main {BODY_MARKER}>",
            f'<h1 data-pagefind-meta="title">{e(record.title)}</h1>',
            *hidden,
            f"<p>{e(record.summary)}</p>",
            f"<p>{e(details)}</p>",
            body_html,
            f"<ul>{attachments}</ul>" if attachments else "",
            "</main></body></html>",
        ]
    )


def search_documents(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """``(site-relative path, HTML)`` for every published record."""
    converter = markdown_converter()
    for record in catalog.records:
        body_html = nh3.clean(converter.reset().convert(record.body), tags=TEXT_TAGS, attributes={})
        yield record_url(record), search_document(catalog, record, body_html)


def marked_pages(site_dir: Path) -> list[Path]:
    """Built pages outside ``records/`` that ask to be searched (``data-pagefind-body``)."""
    pages = []
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        if relative.startswith(SKIPPED_DIRS):
            continue
        if BODY_MARKER in page.read_text(encoding="utf-8", errors="replace"):
            pages.append(page)
    return pages


def stage_documents(
    documents: Iterable[tuple[str, str]], pages: Iterable[Path], site_dir: Path, stage: Path
) -> tuple[int, int]:
    """Write the search documents and copy the marked pages into ``stage``; return the counts."""
    records = extra = 0
    for relative, text in documents:
        target = stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        records += 1
    for page in pages:
        target = stage / page.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
        extra += 1
    return records, extra


async def run_pagefind(stage: Path, output: Path) -> int:
    """Index ``stage`` with the Pagefind service; write the bundle to ``output``."""
    config: IndexConfig = {"force_language": LANGUAGE, "output_path": str(output)}
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(stage))
        return int(result["page_count"])


def index_site(catalog: Catalog, site_dir: Path) -> PagefindStats:
    """Build ``<site_dir>/pagefind/`` for the published records and the marked pages."""
    site_dir = Path(site_dir).resolve()
    output = site_dir / OUTPUT_DIR
    started = time.perf_counter()
    shutil.rmtree(output, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="pagefind-stage-") as tmp:
        stage = Path(tmp)
        records, pages = stage_documents(
            search_documents(catalog), marked_pages(site_dir), site_dir, stage
        )
        try:
            indexed = asyncio.run(run_pagefind(stage, output))
        except FileNotFoundError as exc:
            raise PagefindError(
                "找不到 Pagefind 程序：请安装 pagefind[extended]（make setup）。"
            ) from exc
        except Exception as exc:  # the service reports its errors as plain Exceptions
            raise PagefindError(f"Pagefind 建立全文索引失败：{exc}") from exc
    if indexed < records + pages or not (output / "pagefind.js").is_file():
        raise PagefindError(
            f"Pagefind 只索引了 {indexed} 个页面，应为 {records + pages} 个（{output}）。"
        )
    return PagefindStats(records, pages, indexed, time.perf_counter() - started, output)
