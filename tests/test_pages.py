"""The page plan, rendering, safe Markdown and the staging writer, on the fixture catalog."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.builder.staging import write_staging
from generator.content.validate import check_content
from generator.core.cache import CacheFile
from generator.core.records import Catalog
from generator.core.settings import Settings
from generator.pages.contexts import ListingContext, PageSpec, RecordContext
from generator.pages.markdown_safe import BodyRenderer, record_link_resolver
from generator.pages.paths import record_page_path
from generator.pages.plan import AssetSpec, id_template_parts, plan_assets, plan_pages
from generator.pages.render import (
    BodyCache,
    dump_front_matter,
    escape_markdown,
    page_url,
)
from generator.pages.rows import PAGE_SIZE, category_tiles
from tests.page_texts import render_pages

FIXTURE = Path(__file__).parent / "fixtures" / "site"
TODAY = date(2024, 7, 1)
OFFICE = "11339901MB1C026154"
POLICY_ID = f"{OFFICE}/2024-00012"
INTERPRETATION_ID = f"{OFFICE}/2024-00013"
REPEALED_ID = f"{OFFICE}/2023-00004"
AFTER_MKDOCS = {"assets/catalog-browser.json", "pagefind"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    checked = check_content(Settings(content_dir=FIXTURE, today=TODAY))
    assert [p for p in checked.problems if p.is_error] == []
    assert checked.catalog is not None
    return checked.catalog


@pytest.fixture(scope="module")
def plan(catalog: Catalog) -> dict[str, PageSpec]:
    return {spec.path: spec for spec in plan_pages(catalog)}


def with_many_records(catalog: Catalog, count: int, category: str = "hot-topics") -> Catalog:
    """The fixture catalog plus ``count`` synthetic records of one category, newest first."""
    template = next(r for r in catalog.records if r.category == category)
    extra = [
        replace(
            template,
            id=f"X/{n:05d}",
            slug=f"bulk/{n:05d}",
            published=template.published - timedelta(days=n),
        )
        for n in range(count)
    ]
    records = sorted([*catalog.records, *extra], key=lambda r: (-r.published.toordinal(), r.id))
    return replace(catalog, records=tuple(records))


def listing(plan: list[PageSpec], directory: str) -> list[PageSpec]:
    return [s for s in plan if posixpath.dirname(s.path) == directory]


# ---------------------------------------------------------------- plan


def test_every_published_record_has_exactly_one_page(catalog: Catalog, plan: dict) -> None:
    record_pages = [s for s in plan.values() if s.template == "record.md.j2"]
    assert sorted(s.path for s in record_pages) == sorted(
        record_page_path(r) for r in catalog.records
    )


def test_scheduled_records_are_absent(catalog: Catalog, plan: dict) -> None:
    assert [r.slug for r in catalog.scheduled] == ["future"]
    assert "records/civil-affairs/future.md" not in plan
    texts = render_pages(catalog, list(plan.values()))
    assert not any("定时发布的测试信息" in text for text in texts.values())


def test_landing_pages_exist(plan: dict) -> None:
    expected = {
        "index.md", "guide.md", "browse.md", "search.md", "apply.md", "apply-form.md",
        "supervision.md", "reports.md", "art20.md", "categories/index.md",
        "departments/index.md", "years/index.md", "categories/policies/index.md",
        "departments/edu/index.md", "years/2024/index.md",
    }  # fmt: skip
    assert expected <= set(plan)


def test_listings_are_newest_first(plan: dict) -> None:
    context: ListingContext = plan["categories/policies/index.md"].context  # type: ignore[assignment]
    dates = [row["published"] for row in context["rows"]]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == 4


@pytest.mark.parametrize(
    ("extra", "pages", "last_page_rows"),
    [
        (PAGE_SIZE - 1, 1, PAGE_SIZE),  # the fixture already has one hot-topics record
        (PAGE_SIZE, 2, 1),
        (2 * PAGE_SIZE - 1, 2, PAGE_SIZE),
    ],
)
def test_pagination_boundaries(
    catalog: Catalog, extra: int, pages: int, last_page_rows: int
) -> None:
    bigger = with_many_records(catalog, extra)
    specs = listing(plan_pages(bigger), "categories/hot-topics")
    expected_paths = ["categories/hot-topics/index.md"] + [
        f"categories/hot-topics/page-{n}.md" for n in range(2, pages + 1)
    ]
    assert [s.path for s in specs] == expected_paths
    contexts: list[ListingContext] = [s.context for s in specs]  # type: ignore[misc]
    assert all(len(c["rows"]) <= PAGE_SIZE for c in contexts)
    assert len(contexts[-1]["rows"]) == last_page_rows
    assert [c["pager"]["current"] for c in contexts] == list(range(1, pages + 1))
    all_rows = [row["published"] for c in contexts for row in c["rows"]]
    assert all_rows == sorted(all_rows, reverse=True)


def test_category_tiles_link_through_the_path_function(catalog: Catalog) -> None:
    site = category_tiles(catalog)
    kiosk = category_tiles(catalog, lambda c: f"kiosk/categories/{c.id}/index.md")
    assert [t["path"] for t in site] == [f"categories/{c}/index.md" for c in catalog.categories]
    assert [t["path"] for t in kiosk] == ["kiosk/" + t["path"] for t in site]
    assert [t["count"] for t in kiosk] == [t["count"] for t in site]
    assert sum(t["count"] for t in site) == len(catalog.records)


def test_empty_listing_still_has_one_page(catalog: Catalog) -> None:
    only_policies = replace(
        catalog, records=tuple(r for r in catalog.records if r.category == "policies")
    )
    specs = listing(plan_pages(only_policies), "categories/services")
    assert [s.path for s in specs] == ["categories/services/index.md"]
    assert specs[0].context["rows"] == []  # type: ignore[typeddict-item]


def record_context(plan: dict, catalog: Catalog, record_id: str) -> RecordContext:
    record = catalog.by_id()[record_id]
    return plan[record_page_path(record)].context  # type: ignore[no-any-return]


def test_policy_links_to_its_interpretation_and_back(catalog: Catalog, plan: dict) -> None:
    policy = record_context(plan, catalog, POLICY_ID)
    interpretation = record_context(plan, catalog, INTERPRETATION_ID)
    assert policy["interpretations"] == [
        {"title": "《青禾区政务公开工作办法》政策解读",
         "path": "records/office/policies/interpretation-2024.md"}
    ]  # fmt: skip
    assert interpretation["interprets"] == {
        "title": "青禾区政务公开工作办法",
        "path": "records/office/policies/measures-2024.md",
    }
    assert INTERPRETATION_ID not in {link["title"] for link in policy["related"]}


def test_repealed_record_links_to_its_replacement(catalog: Catalog, plan: dict) -> None:
    repealed = record_context(plan, catalog, REPEALED_ID)
    assert repealed["validity"] == "废止"
    assert repealed["repealed_by"] == {
        "title": "青禾区政务公开工作办法",
        "path": "records/office/policies/measures-2024.md",
    }
    text = render_pages(catalog, [plan["records/office/policies/measures-2023.md"]])
    page = text["records/office/policies/measures-2023.md"]
    assert "本文件废止" in page
    assert 'href="measures-2024.html"' in page


def test_attachments_are_planned_as_assets(catalog: Catalog) -> None:
    assert plan_assets(catalog) == [
        AssetSpec(
            path="files/office/policies/files/measures-2024.pdf",
            source="departments/office/policies/files/measures-2024.pdf",
        )
    ]


def test_every_link_in_every_page_resolves(catalog: Catalog, plan: dict) -> None:
    targets = set(plan) | {a.path for a in plan_assets(catalog)}
    for path, text in render_pages(catalog, list(plan.values())).items():
        for href in re.findall(r'(?:href|src)="([^"]+)"', text):
            if href.startswith(("http://", "https://", "mailto:", "tel:", "#")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), href))
            target = target.split("#")[0]
            if target in AFTER_MKDOCS or target.startswith("assets/"):
                continue  # theme assets, and files the browser and Pagefind steps write
            as_page = re.sub(r"\.html$", ".md", target)
            assert as_page in targets or target in targets, f"{path}: {href}"


def test_meta_front_matter(catalog: Catalog, plan: dict) -> None:
    text = render_pages(catalog, [plan["records/edu/enrollment.md"]])["records/edu/enrollment.md"]
    meta = yaml.safe_load(text.split("---")[1])
    assert (
        meta["gov"]
        | {
            "SiteName": "青禾区人民政府",
            "SiteIDCode": "3399010001",
            "ColumnType": "办事服务",
            "ArticleTitle": "青禾区义务教育阶段新生入学办事指南",
            "PubDate": "2024-05-08 00:00",
            "ContentSource": "青禾区教育局",
            "Keywords": "入学,义务教育",
        }
        == meta["gov"]
    )
    assert meta["hide"] == ["navigation"]


FRONT_MATTER_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(
    title=FRONT_MATTER_TEXT,
    items=st.lists(FRONT_MATTER_TEXT, max_size=3),
    nested=st.dictionaries(st.sampled_from(["a", "b", "SiteName"]), FRONT_MATTER_TEXT),
)
def test_front_matter_reads_back_as_written(title: str, items: list, nested: dict) -> None:
    data = {"title": title, "hide": items, "gov": nested, "tail": "x"}
    text = dump_front_matter(data)
    assert text.startswith("---\n") and text.endswith("\n---\n\n")
    assert yaml.safe_load(text.removeprefix("---\n").removesuffix("---\n\n")) == data


# ---------------------------------------------------------------- values and helpers


@pytest.mark.parametrize(
    ("target", "page", "url"),
    [
        ("index.md", "index.md", "index.html"),
        ("guide.md", "records/edu/enrollment.md", "../../guide.html"),
        ("categories/x/page-2.md", "categories/x/index.md", "page-2.html"),
        ("files/edu/a.pdf", "records/edu/sub/b.md", "../../../files/edu/a.pdf"),
    ],
)
def test_page_url(target: str, page: str, url: str) -> None:
    assert page_url(target, page) == url


def test_escape_markdown() -> None:
    assert escape_markdown("<b>*x*</b> | #") == "&lt;b&gt;\\*x\\*&lt;/b&gt; \\| \\#"


def test_id_template_parts() -> None:
    parts = id_template_parts("{org_code}/{year}-{seq:05d}")
    assert [p["label"] for p in parts] == ["{org_code}", "{year}", "{seq:05d}"]
    assert "5 位" in parts[2]["value"]


# ---------------------------------------------------------------- untrusted bodies

PAGES = {"edu/a": "records/edu/a.md", "hr/b": "records/hr/b.md"}
UNSAFE_BODIES = [
    ("<script>alert(1)</script>", "<script", "&lt;script&gt;"),
    ('<b onclick="x()">hi</b>', "<b ", "&lt;b onclick"),
    ("[x](javascript:alert(1))", "javascript:", ">x</a>"),
    ("[x](JavaScript:alert(1))", "avaScript:", ">x</a>"),
    ("[x](file:///etc/passwd)", "file:", ">x</a>"),
    ("[x](data:text/html,hi)", "data:", ">x</a>"),
    ("![x](http://tracker.example/x.png)", "tracker", '<img alt="x">'),
    ("<!-- 13800000000 -->", "<!--", "&lt;!--"),
    ('text { onclick="x" }', "<p onclick", '{ onclick="x" }'),
    ("<iframe src=x></iframe>", "<iframe", "&lt;iframe"),
    ('--8<-- "mkdocs.yml"', "docs_dir", "--8&lt;--"),
]


@pytest.mark.parametrize(("body", "forbidden", "expected"), UNSAFE_BODIES)
def test_unsafe_body_is_neutralised(body: str, forbidden: str, expected: str) -> None:
    html = BodyRenderer().render(body, record_link_resolver("edu", "records/edu", PAGES))
    assert forbidden not in html
    assert expected in html


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[a](a.md)", '<a href="a.html" rel="noopener noreferrer">a</a>'),
        ("[b](../hr/b.md#s)", '<a href="../hr/b.html#s" rel="noopener noreferrer">b</a>'),
        ("[m](missing.md)", '<a rel="noopener noreferrer">m</a>'),
        ("[f](files/x.pdf)", '<a href="../../files/edu/files/x.pdf" rel="noopener noreferrer">'),
        ("[g](https://www.gov.cn/)", '<a href="https://www.gov.cn/" rel="noopener noreferrer">'),
        ("## 办理流程", '<h3 id="办理流程">办理流程</h3>'),
        ("| a |\n|:-|\n| 1 |", '<td align="left">1</td>'),
    ],
)
def test_body_links_and_headings(body: str, expected: str) -> None:
    html = BodyRenderer().render(body, record_link_resolver("edu", "records/edu", PAGES))
    assert expected in html


def test_renderer_is_reusable_between_bodies() -> None:
    renderer = BodyRenderer()
    resolve = record_link_resolver("edu", "records/edu", PAGES)
    renderer.render("# 同名标题", resolve)
    assert 'id="同名标题"' in renderer.render("# 同名标题", resolve)


# ---------------------------------------------------------------- staging writer


def test_write_staging_skips_unchanged_and_deletes_stale(tmp_path: Path) -> None:
    staging = tmp_path / "docs"
    first = write_staging({"a.md": "A", "d/b.md": "B", "old/c.md": "C"}, [], tmp_path, staging)
    assert sorted(first.written) == ["a.md", "d/b.md", "old/c.md"]
    os.utime(staging / "a.md", (1_000_000, 1_000_000))
    second = write_staging({"a.md": "A", "d/b.md": "B2"}, [], tmp_path, staging)
    assert second.written == ["d/b.md"]
    assert second.unchanged == 1
    assert second.deleted == ["old/c.md"]
    assert (staging / "a.md").stat().st_mtime == 1_000_000
    assert not (staging / "old").exists()
    assert (staging / "d/b.md").read_text(encoding="utf-8") == "B2"


class CountingRenderer(BodyRenderer):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def render(self, body: str, resolve_link: Callable[[str], str | None]) -> str:
        self.calls += 1
        return super().render(body, resolve_link)


def test_body_cache_reuses_a_body_while_its_links_resolve_the_same(tmp_path: Path) -> None:
    path = CacheFile(tmp_path / "bodies.marshal")
    body, where = "见[另一文件](b.md)。", "edu\0records/edu/a.md"
    first = BodyCache(path)
    html = first.render(BodyRenderer(), body, where, lambda url: "b.html")
    first.save()
    renderer = CountingRenderer()
    assert BodyCache(path).render(renderer, body, where, lambda url: "b.html") == html
    assert renderer.calls == 0
    moved = BodyCache(path).render(renderer, body, where, lambda url: "moved/b.html")
    assert 'href="moved/b.html"' in moved
    assert renderer.calls == 1
    assert BodyCache(path).render(renderer, body, "hr\0records/hr/a.md", lambda url: "b.html")
    assert renderer.calls == 2  # another page: another key
