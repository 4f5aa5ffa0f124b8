"""The exports' JSON and XML writers give the bytes of ``json`` and ``ElementTree``.

The oracle below is the serialisation the exports used before (``json.dumps(indent=1)``,
``ET.indent`` + ``ET.tostring``), applied to the same values; hostile text (markup characters,
quotes, control characters, empty and blank strings, private-use and astral characters) goes
through both.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.records import Attachment, Catalog, Record
from generator.outputs.exports import (
    ATOM_NS,
    FEED_SIZE,
    SITEMAP_NS,
    absolute_url,
    catalog_csv,
    gzip_bytes,
    indented_json,
    last_modified,
    newest_date,
    plan_exports,
    record_entry,
    record_url,
    robots_txt,
    timestamp,
)
from tests.catalog_factory import DEPARTMENTS, SITE, catalog, department, record, small_catalog

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# ---------------------------------------------------------------- the oracle


def oracle_json(cat: Catalog) -> bytes:
    document = {
        "site": {"name": cat.site.name, "url": cat.site.site_url, "site_code": cat.site.site_code},
        "updated": newest_date(cat.records, cat.today).isoformat(),
        "count": len(cat.records),
        "records": [record_entry(cat, r) for r in cat.records],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def add_text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def serialize(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def oracle_entry(cat: Catalog, record: Record) -> ET.Element:
    url = absolute_url(cat.site.site_url, record_url(record))
    department = cat.departments.get(record.department)
    category = cat.categories.get(record.category)
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


def oracle_feed(cat: Catalog, records: Sequence[Record], title: str, path: str) -> bytes:
    site_url = cat.site.site_url
    newest = sorted(records, key=lambda r: (-last_modified(r).toordinal(), r.id))[:FEED_SIZE]
    updated = newest_date(newest, newest_date(cat.records, cat.today))
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "zh-CN"})
    add_text(feed, "id", absolute_url(site_url, path))
    add_text(feed, "title", title)
    add_text(feed, "updated", timestamp(updated))
    ET.SubElement(feed, "link", {"rel": "self", "href": absolute_url(site_url, path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "href": absolute_url(site_url, "")})
    author = ET.SubElement(feed, "author")
    add_text(author, "name", cat.site.name)
    feed.extend(oracle_entry(cat, r) for r in newest)
    return serialize(feed)


def oracle_sitemap(cat: Catalog, pages: Sequence[str]) -> bytes:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})

    def add_url(path: str, modified: date | None) -> None:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(cat.site.site_url, path)
        if modified is not None:
            ET.SubElement(url, "lastmod").text = modified.isoformat()

    newest = newest_date(cat.records, cat.today)
    for page in pages:
        add_url("" if page == "index.html" else page, newest if page == "index.html" else None)
    for item in cat.records:
        add_url(record_url(item), last_modified(item))
    return serialize(urlset)


def oracle_exports(cat: Catalog, pages: Sequence[str]) -> dict[str, bytes]:
    feeds = {
        f"feeds/{dept_id}.xml": oracle_feed(
            cat, [r for r in cat.records if r.department == dept_id],
            f"{dept.name} · 政府信息主动公开", f"feeds/{dept_id}.xml",
        )
        for dept_id, dept in sorted(cat.departments.items())
    }  # fmt: skip
    sitemap = oracle_sitemap(cat, pages)
    return {
        "catalog.json": oracle_json(cat),
        "catalog.csv": catalog_csv(cat),
        "feeds/all.xml": oracle_feed(
            cat, cat.records, f"{cat.site.name} · 政府信息主动公开", "feeds/all.xml"
        ),
        **feeds,
        "sitemap.xml": sitemap,
        "sitemap.xml.gz": gzip_bytes(sitemap),
        "robots.txt": robots_txt(cat.site.site_url),
    }


# ---------------------------------------------------------------- hostile values

HOSTILE = (
    "", " ", "\t", "\n", "a & b", "<script>alert(1)</script>", '"quoted" \'single\'', "x\r\ny",
    "&amp; already", "]]>", "\x01\x1f\x7f", "\u2028\u2029", "\ue001私用区", "😀 astral", "\\ back",
    "=SUM(A1)", "  空格  ", "\u00a0nbsp", "a\tb\nc\rd",
)  # fmt: skip
texts = st.sampled_from(HOSTILE) | st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def hostile_catalogs(draw: st.DrawFn) -> Catalog:
    departments = {
        **DEPARTMENTS,
        "odd": replace(department("odd", "青禾区" + draw(texts), "11339901MB0999999X"),
                       name=draw(texts)),
    }  # fmt: skip
    records = []
    for n in range(draw(st.integers(0, 8))):
        published = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 60)))
        attachments = tuple(
            Attachment(file="f.pdf", path=f"departments/edu/{draw(texts)}.pdf",
                       title=draw(texts), size=draw(st.integers(0, 10**9)), kind="pdf")
            for _ in range(draw(st.integers(0, 2)))
        )  # fmt: skip
        records.append(record(
            id=f"11339901MB0123456X/2024-{n:05d}", slug=f"2024/{draw(texts)}-{n}",
            title=draw(texts), summary=draw(texts), published=published,
            department=draw(st.sampled_from(sorted(departments))),
            category=draw(st.sampled_from(["policies", "services"]) | texts),  # unknown: the label
            doc_number=draw(st.none() | texts), topic=draw(st.none() | texts),
            keywords=tuple(draw(st.lists(texts, max_size=3))),
            validity=draw(st.sampled_from(["valid", "repealed", "odd"])),
            updated=draw(st.none() | st.just(published + timedelta(days=3))),
            attachments=attachments,
        ))  # fmt: skip
    urls = [SITE.site_url, "https://a.example/x?y=1&z=<2>", 'https://a.example/\t"q"\r\n']
    site = replace(SITE, name=draw(texts), site_url=draw(st.sampled_from(urls)))
    return catalog(records, site=site, departments=departments)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cat=hostile_catalogs(),
    pages=st.lists(
        st.sampled_from(["index.html", "guide.html", "a&b.html", "<x>.html", "空格 页.html"]),
        max_size=3,
    ),
)
def test_exports_are_the_bytes_of_json_and_elementtree(cat: Catalog, pages: list[str]) -> None:
    assert plan_exports(cat, pages) == oracle_exports(cat, pages)


def test_small_catalog_and_a_full_feed_match_the_oracle() -> None:
    assert plan_exports(small_catalog(), ["index.html"]) == oracle_exports(
        small_catalog(), ["index.html"]
    )
    start = date(2024, 1, 1)
    many = catalog([
        record(id=f"11339901MB0123456X/2024-{n:05d}", slug=f"2024/r{n}",
               published=start + timedelta(days=n % 30))
        for n in range(FEED_SIZE + 20)
    ])  # fmt: skip
    assert plan_exports(many, []) == oracle_exports(many, [])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(texts, inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_indented_json_is_json_dumps_with_indent_1(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)
