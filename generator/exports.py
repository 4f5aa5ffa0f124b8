"""Machine-readable exports of the published catalog: JSON, CSV, Atom feeds and the sitemap.

Every function here is deterministic: the same catalog gives the same bytes.  Nothing reads the
clock; feeds use the newest record date as their ``updated`` time.  XML goes through
``xml.etree.ElementTree`` and CSV through ``csv``, never through hand-built strings.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator.pages import attachment_path, record_page_path
from generator.records import Attachment, Catalog, Record

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50
TIMEZONE = "+08:00"  # publication dates are China's calendar days

VALIDITY_ZH = {"valid": "有效", "expired": "失效", "repealed": "废止", "amended": "已修订"}

CSV_COLUMNS = (
    "索引号", "信息名称", "主题分类", "发布机构", "成文日期", "发文字号", "发布日期", "有效性",
    "内容概述", "链接",
)  # fmt: skip
# A cell starting with one of these is a formula in Excel (CSV injection): prefix a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Built pages that are not content: left out of the sitemap.
SITEMAP_SKIP_DIRS = ("assets/", "pagefind/", "search/", "feeds/")
SITEMAP_SKIP_FILES = ("404.html",)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def record_url(record: Record) -> str:
    """The record page's URL relative to the site root (``use_directory_urls: false``)."""
    return record_page_path(record).removesuffix(".md") + ".html"


def attachment_url(attachment: Attachment) -> str:
    """Where the site serves an attachment, relative to the site root."""
    return attachment_path(attachment)


def absolute_url(site_url: str, path: str) -> str:
    """Join a site-relative path to ``site_url``, percent-encoding non-ASCII characters."""
    return site_url.rstrip("/") + "/" + quote(path, safe="/-._~")


def timestamp(day: date) -> str:
    """An RFC 3339 timestamp for midnight in China on ``day``."""
    return f"{day.isoformat()}T00:00:00{TIMEZONE}"


def last_modified(record: Record) -> date:
    return record.updated or record.published


def newest_date(records: Iterable[Record], fallback: date) -> date:
    return max((last_modified(r) for r in records), default=fallback)


# ---------------------------------------------------------------- catalog.json


def record_entry(catalog: Catalog, record: Record) -> dict[str, Any]:
    """One record's public metadata, as it appears in ``catalog.json``."""
    site_url = catalog.site.site_url
    category = catalog.categories.get(record.category)
    department = catalog.departments.get(record.department)
    return {
        "id": record.id,
        "title": record.title,
        "category": record.category,
        "category_name": category.name if category else record.category,
        "department": record.department,
        "department_name": department.name if department else record.department,
        "summary": record.summary,
        "written": record.written.isoformat(),
        "published": record.published.isoformat(),
        "updated": record.updated.isoformat() if record.updated else None,
        "doc_number": record.doc_number,
        "topic": record.topic,
        "validity": record.validity,
        "validity_name": VALIDITY_ZH.get(record.validity, record.validity),
        "keywords": list(record.keywords),
        "url": absolute_url(site_url, record_url(record)),
        "attachments": [
            {
                "title": a.title,
                "url": absolute_url(site_url, attachment_url(a)),
                "size": a.size,
                "kind": a.kind,
            }
            for a in record.attachments
        ],
    }


def catalog_json(catalog: Catalog) -> bytes:
    document = {
        "site": {
            "name": catalog.site.name,
            "url": catalog.site.site_url,
            "site_code": catalog.site.site_code,
        },
        "updated": newest_date(catalog.records, catalog.today).isoformat(),
        "count": len(catalog.records),
        "records": [record_entry(catalog, r) for r in catalog.records],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------- catalog.csv


def defuse_formula(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_row(catalog: Catalog, record: Record) -> list[str]:
    department = catalog.departments.get(record.department)
    cells = [
        record.id,
        record.title,
        record.topic or "",
        department.name if department else record.department,
        record.written.isoformat(),
        record.doc_number or "",
        record.published.isoformat(),
        VALIDITY_ZH.get(record.validity, record.validity),
        record.summary,
        absolute_url(catalog.site.site_url, record_url(record)),
    ]
    return [defuse_formula(cell) for cell in cells]


def catalog_csv(catalog: Catalog) -> bytes:
    """UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it as Chinese text."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(catalog, r) for r in catalog.records)
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------- Atom feeds


def add_text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def atom_entry(catalog: Catalog, record: Record) -> ET.Element:
    url = absolute_url(catalog.site.site_url, record_url(record))
    department = catalog.departments.get(record.department)
    category = catalog.categories.get(record.category)
    entry = ET.Element("entry")
    add_text(entry, "id", url)
    add_text(entry, "title", record.title)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": url})
    add_text(entry, "published", timestamp(record.published))
    add_text(entry, "updated", timestamp(last_modified(record)))
    author = ET.SubElement(entry, "author")
    add_text(author, "name", department.name if department else record.department)
    label = category.name if category else record.category
    ET.SubElement(entry, "category", {"term": record.category, "label": label})
    add_text(entry, "summary", record.summary, type="text")
    return entry


def atom_feed(catalog: Catalog, records: Sequence[Record], title: str, path: str) -> bytes:
    """An Atom feed of the newest ``FEED_SIZE`` of ``records``; ``path`` is the feed's own URL."""
    site_url = catalog.site.site_url
    newest = sorted(records, key=lambda r: (-last_modified(r).toordinal(), r.id))[:FEED_SIZE]
    updated = newest_date(newest, newest_date(catalog.records, catalog.today))
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "zh-CN"})
    add_text(feed, "id", absolute_url(site_url, path))
    add_text(feed, "title", title)
    add_text(feed, "updated", timestamp(updated))
    ET.SubElement(feed, "link", {"rel": "self", "href": absolute_url(site_url, path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "href": absolute_url(site_url, "")})
    author = ET.SubElement(feed, "author")
    add_text(author, "name", catalog.site.name)
    feed.extend(atom_entry(catalog, r) for r in newest)
    return serialize_xml(feed)


def department_feeds(catalog: Catalog) -> dict[str, bytes]:
    """``feeds/<department>.xml`` for every department, including those with no records yet."""
    feeds = {}
    for dept_id, department in sorted(catalog.departments.items()):
        records = [r for r in catalog.records if r.department == dept_id]
        path = f"feeds/{dept_id}.xml"
        title = f"{department.name} · 政府信息主动公开"
        feeds[path] = atom_feed(catalog, records, title, path)
    return feeds


# ---------------------------------------------------------------- sitemap


def built_pages(site_dir: Path) -> list[str]:
    """Site-relative paths of the built HTML pages worth listing, sorted."""
    pages = (p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    return sorted(
        p
        for p in pages
        if not p.startswith(SITEMAP_SKIP_DIRS)
        and not p.startswith("records/")
        and p not in SITEMAP_SKIP_FILES
    )


def sitemap_xml(catalog: Catalog, pages: Sequence[str]) -> bytes:
    """Landing ``pages`` (site-relative) plus every record page with its ``lastmod``."""
    site_url = catalog.site.site_url
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})

    def add_url(path: str, modified: date | None) -> None:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(site_url, path)
        if modified is not None:
            ET.SubElement(url, "lastmod").text = modified.isoformat()

    newest = newest_date(catalog.records, catalog.today)
    for page in pages:
        add_url("" if page == "index.html" else page, newest if page == "index.html" else None)
    for record in catalog.records:
        add_url(record_url(record), last_modified(record))
    return serialize_xml(urlset)


def serialize_xml(root: ET.Element) -> bytes:
    """The root carries its namespace as a plain ``xmlns`` attribute (no global prefix map)."""
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def gzip_bytes(data: bytes) -> bytes:
    """Gzip without a timestamp or file name, so the bytes are reproducible."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as handle:
        handle.write(data)
    return buffer.getvalue()


# ---------------------------------------------------------------- writing


def plan_exports(catalog: Catalog, pages: Sequence[str]) -> dict[str, bytes]:
    """Every export file, site-relative path → bytes (pure)."""
    sitemap = sitemap_xml(catalog, pages)
    return {
        "catalog.json": catalog_json(catalog),
        "catalog.csv": catalog_csv(catalog),
        "feeds/all.xml": atom_feed(
            catalog, catalog.records, f"{catalog.site.name} · 政府信息主动公开", "feeds/all.xml"
        ),
        **department_feeds(catalog),
        # MkDocs writes its own sitemap.xml(.gz) without record dates: both are replaced.
        "sitemap.xml": sitemap,
        "sitemap.xml.gz": gzip_bytes(sitemap),
    }


def write_exports(catalog: Catalog, site_dir: Path) -> list[Path]:
    """Write the exports into a built site directory; return the written paths."""
    site_dir = Path(site_dir)
    written = []
    for relative, data in plan_exports(catalog, built_pages(site_dir)).items():
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written
