"""catalog.json, catalog.csv, Atom feeds and sitemap.xml: shape, contents, determinism."""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.outputs.exports import (
    ATOM_NS,
    CSV_COLUMNS,
    FEED_SIZE,
    SITEMAP_NS,
    absolute_url,
    plan_exports,
    write_exports,
)
from tests.catalog_factory import SITE, catalog, record, small_catalog

A = f"{{{ATOM_NS}}}"
S = f"{{{SITEMAP_NS}}}"
BASE = "https://www.qinghe.gov.example/xxgk/"


def built_site(root: Path) -> Path:
    """A stand-in for MkDocs output: a few landing pages plus files the sitemap must skip."""
    pages = ("index.html", "guide.html", "categories/policies/index.html", "404.html",
             "assets/javascripts/x.html", "records/edu/2024/enrolment-notice.html")  # fmt: skip
    for page in pages:
        (root / page).parent.mkdir(parents=True, exist_ok=True)
        (root / page).write_text("<html></html>", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def exports() -> dict[str, bytes]:
    return plan_exports(small_catalog(), ["index.html", "guide.html"])


# ---------------------------------------------------------------- CSV


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_bom_chinese_header_and_one_row_per_record(exports: dict[str, bytes]) -> None:
    data = exports["catalog.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[0][:5] == ["索引号", "信息名称", "主题分类", "目录分类", "发布机构"]
    assert len(rows) == 1 + len(small_catalog().records)
    assert b"\r\n" in data


def test_csv_row_contents(exports: dict[str, bytes]) -> None:
    rows = csv_rows(exports["catalog.csv"])[1:]
    by_id = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows}
    row = by_id["11339901MB0123456X/2024-00001"]
    assert row == {
        "索引号": "11339901MB0123456X/2024-00001",
        "信息名称": "青禾区教育局关于做好2024年义务教育招生工作的通知",
        "主题分类": "科技、教育\\教育",
        "目录分类": "行政所依据的法律、法规、行政规章和政策",
        "发布机构": "青禾区教育局",
        "成文日期": "2024-05-07",
        "发文字号": "青禾教发〔2024〕3号",
        "发布日期": "2024-05-10",
        "有效性": "有效",
        "内容概述": "明确2024年义务教育阶段招生的范围、程序和时间安排。",
        "链接": BASE + "records/edu/2024/enrolment-notice.html",
    }
    repealed = by_id["11339901MB0123456X/2023-00007"]
    assert repealed["有效性"] == "废止"
    # A summary starting with "=" would run as a formula in Excel.
    assert repealed["内容概述"] == "'=SUM(A1) 规范校外培训机构。"


def test_robots_txt_names_the_sitemap_and_keeps_search_results_out(
    exports: dict[str, bytes],
) -> None:
    lines = exports["robots.txt"].decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /xxgk/search.html?" in lines  # the site lives under /xxgk/
    assert lines[-1] == f"Sitemap: {BASE}sitemap.xml"


# ---------------------------------------------------------------- JSON


def test_json_lists_every_published_record_with_its_metadata(exports: dict[str, bytes]) -> None:
    document = json.loads(exports["catalog.json"])
    assert document["site"] == {"name": "青禾区人民政府", "url": BASE, "site_code": "3399010001"}
    assert document["count"] == 5 == len(document["records"])
    assert document["updated"] == "2024-09-02"
    assert [r["published"] for r in document["records"]] == sorted(
        (r["published"] for r in document["records"]), reverse=True
    )
    entry = next(r for r in document["records"] if r["attachments"])
    assert set(entry) == {
        "id", "title", "category", "category_name", "department", "department_name", "summary",
        "written", "published", "updated", "doc_number", "topic", "validity", "validity_name",
        "keywords", "url", "attachments",
    }  # fmt: skip
    assert entry["category"] == "services"
    assert entry["category_name"] == "办事的条件、程序、过程、时限和结果"
    assert entry["department_name"] == "青禾区教育局"
    assert entry["doc_number"] is None
    assert entry["updated"] == "2024-09-02"
    assert entry["url"] == BASE + "records/edu/2024/application-form.html"
    assert entry["attachments"] == [
        {
            "title": "入学申请表",
            "url": BASE + "files/edu/2024/files/%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf",
            "size": 20480,
            "kind": "pdf",
        }
    ]


def test_scheduled_records_are_not_exported() -> None:
    future = record(id="11339901MB0123456X/2025-00001", published=date(2025, 3, 1))
    cat = replace(small_catalog(), scheduled=(future,))
    exported = plan_exports(cat, [])
    assert b"2025-00001" not in b"".join(exported.values())


# ---------------------------------------------------------------- Atom


def parse_feed(data: bytes) -> ET.Element:
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)
    assert root.tag == A + "feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(A + tag) is not None, tag
    return root


def test_feed_entries_are_valid_atom(exports: dict[str, bytes]) -> None:
    root = parse_feed(exports["feeds/all.xml"])
    assert root.findtext(A + "updated") == "2024-09-02T00:00:00+08:00"
    assert root.find(A + "link[@rel='self']").get("href") == BASE + "feeds/all.xml"
    entries = root.findall(A + "entry")
    assert len(entries) == 5
    for entry in entries:
        for tag in ("id", "title", "updated", "published", "summary"):
            assert entry.findtext(A + tag), tag
        assert entry.find(A + "link").get("href") == entry.findtext(A + "id")
        assert entry.findtext(A + "id").startswith(BASE + "records/")
    first = entries[0]
    assert first.findtext(A + "title") == "2024年秋季学期入学申请表下载"
    assert first.findtext(A + "updated") == "2024-09-02T00:00:00+08:00"
    assert first.findtext(A + "published") == "2024-08-20T00:00:00+08:00"
    assert first.find(A + "category").get("term") == "services"
    assert first.findtext(f"{A}author/{A}name") == "青禾区教育局"


def test_feed_holds_the_newest_fifty() -> None:
    start = date(2024, 1, 1)
    records = [
        record(id=f"11339901MB0123456X/2024-{n:05d}", slug=f"2024/r{n}",
               published=start + timedelta(days=n))
        for n in range(1, FEED_SIZE + 11)
    ]  # fmt: skip
    root = parse_feed(plan_exports(catalog(records), [])["feeds/all.xml"])
    entries = root.findall(A + "entry")
    assert len(entries) == FEED_SIZE
    assert entries[0].findtext(A + "published") == "2024-03-01T00:00:00+08:00"
    assert entries[-1].findtext(A + "published") == "2024-01-12T00:00:00+08:00"


def test_one_feed_per_department_including_empty_ones(exports: dict[str, bytes]) -> None:
    assert {p for p in exports if p.startswith("feeds/")} == {
        "feeds/all.xml", "feeds/edu.xml", "feeds/health.xml", "feeds/empty.xml",
    }  # fmt: skip
    health = parse_feed(exports["feeds/health.xml"])
    assert health.findtext(A + "title") == "青禾区卫生健康委员会 · 政府信息主动公开"
    assert len(health.findall(A + "entry")) == 2
    empty = parse_feed(exports["feeds/empty.xml"])
    assert empty.findall(A + "entry") == []
    assert empty.findtext(A + "updated") == "2024-09-02T00:00:00+08:00"


# ---------------------------------------------------------------- sitemap


def test_sitemap_lists_pages_and_records_with_absolute_urls(tmp_path: Path) -> None:
    site = built_site(tmp_path)
    write_exports(small_catalog(), site)
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    urls = {u.findtext(S + "loc"): u.findtext(S + "lastmod") for u in root.findall(S + "url")}
    assert all(loc.startswith(BASE) for loc in urls)
    assert urls[BASE] == "2024-09-02"
    assert urls[BASE + "guide.html"] is None
    assert BASE + "categories/policies/index.html" in urls
    assert BASE + "404.html" not in urls
    assert not any("/assets/" in loc for loc in urls)
    assert urls[BASE + "records/edu/2024/application-form.html"] == "2024-09-02"  # updated
    assert urls[BASE + "records/edu/2023/training-rules.html"] == "2023-03-01"  # published
    assert len(urls) == 3 + 5
    assert (
        gzip.decompress((site / "sitemap.xml.gz").read_bytes())
        == (site / "sitemap.xml").read_bytes()
    )


@pytest.mark.parametrize(
    ("site_url", "path", "expected"),
    [
        ("https://a.example/", "records/edu/x.html", "https://a.example/records/edu/x.html"),
        ("https://a.example/xxgk", "feeds/all.xml", "https://a.example/xxgk/feeds/all.xml"),
        ("https://a.example/", "files/edu/申请表.pdf",
         "https://a.example/files/edu/%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf"),
        ("https://a.example/", "records/a b/x.html", "https://a.example/records/a%20b/x.html"),
    ],
)  # fmt: skip
def test_absolute_url(site_url: str, path: str, expected: str) -> None:
    assert absolute_url(site_url, path) == expected


# ---------------------------------------------------------------- files, determinism


def test_write_exports_is_deterministic(tmp_path: Path) -> None:
    first, second = built_site(tmp_path / "a"), built_site(tmp_path / "b")
    written = write_exports(small_catalog(), first)
    write_exports(small_catalog(), second)
    relative = sorted(p.relative_to(first).as_posix() for p in written)
    assert relative == sorted(
        ["catalog.json", "catalog.csv", "feeds/all.xml", "feeds/edu.xml", "feeds/health.xml",
         "feeds/empty.xml", "robots.txt", "sitemap.xml", "sitemap.xml.gz"]
    )  # fmt: skip
    for path in relative:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path


def test_exports_do_not_depend_on_today() -> None:
    later = replace(small_catalog(), today=date(2030, 1, 1))
    assert plan_exports(small_catalog(), ["index.html"]) == plan_exports(later, ["index.html"])


def test_site_url_is_used_as_given() -> None:
    other = replace(small_catalog(), site=replace(SITE, site_url="https://gk.example.cn"))
    document = json.loads(plan_exports(other, [])["catalog.json"])
    assert document["records"][0]["url"].startswith("https://gk.example.cn/records/")
