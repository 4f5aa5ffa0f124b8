"""The kiosk's page plan, link rewriting, QR codes, derived MkDocs config and bundle files."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.kiosk.bundle import (
    HOME,
    RECORDS_PER_PAGE,
    SEARCH,
    add_qr_code,
    bundled_index,
    is_outbound,
    kiosk_config_text,
    kiosk_pages,
    launcher_text,
    plan_kiosk_pages,
    policy_text,
    public_url,
    qr_data_uri,
    strip_outbound_links,
)
from generator.pages.paths import record_page_path
from tests.catalog_factory import SITE, catalog, record, small_catalog
from tests.page_texts import render_pages

REPO = Path(__file__).resolve().parent.parent


def test_plan_has_home_search_and_a_page_per_category_and_department() -> None:
    paths = [spec.path for spec in plan_kiosk_pages(small_catalog())]
    assert paths[:2] == [HOME, SEARCH]
    categories = [p for p in paths if re.fullmatch(r"kiosk/categories/[^/]+/index\.md", p)]
    assert len(categories) == 9  # every category, even an empty one, has a landing page
    assert "kiosk/categories/policies/edu/index.md" in paths
    assert "kiosk/categories/hot-topics/health/index.md" in paths
    assert not any(p.startswith("kiosk/categories/policies/health/") for p in paths)
    assert len(paths) == len(set(paths))


def test_record_tiles_are_paginated() -> None:
    many = [
        record(id=f"11339901MB0123456X/2024-{n:05d}", slug=f"2024/r{n}", title=f"通知{n}")
        for n in range(1, RECORDS_PER_PAGE * 2 + 2)
    ]
    specs = plan_kiosk_pages(catalog(many))
    listing = sorted(s.path for s in specs if s.path.startswith("kiosk/categories/policies/edu/"))
    assert listing == [
        "kiosk/categories/policies/edu/index.md",
        "kiosk/categories/policies/edu/page-2.md",
        "kiosk/categories/policies/edu/page-3.md",
    ]
    last = next(s for s in specs if s.path.endswith("page-3.md"))
    assert len(last.context["rows"]) == 1  # type: ignore[typeddict-item]


def test_kiosk_pages_render_with_links_inside_the_site() -> None:
    small = small_catalog()
    pages = render_pages(small, plan_kiosk_pages(small))
    home = pages[HOME]
    assert 'href="categories/policies/index.html"' in home
    assert 'href="search.html?q=' not in home  # the test site has no hot keywords
    with_hot = replace(small, site=replace(SITE, kiosk_hot_keywords=("入学", "低保 补助")))
    home = render_pages(with_hot, plan_kiosk_pages(with_hot))[HOME]
    assert 'href="search.html?q=%E5%85%A5%E5%AD%A6"' in home
    assert "q=%E4%BD%8E%E4%BF%9D%20%E8%A1%A5%E5%8A%A9" in home
    tiles = pages["kiosk/categories/policies/edu/index.md"]
    assert 'href="../../../../records/edu/2024/enrolment-notice.html"' in tiles
    assert "validity-repealed" in tiles
    assert 'data-key="q"' in pages[SEARCH] and 'data-api="../api/search"' in pages[SEARCH]


@pytest.mark.parametrize(
    ("target", "outbound"),
    [
        ("https://zwfw.example.gov.cn/item/1", True),
        ("http://example.org", True),
        ("//cdn.example.org/x.js", True),
        ("mailto:gk@qinghe.gov.example", True),
        ("tel:0999-86601010", True),
        ("javascript:alert(1)", True),
        ("../files/edu/申请表.pdf", True),
        ("../../catalog.csv", True),
        ("feeds/edu.xml", True),
        ("../records/edu/a.html", False),
        ("index.html#第一章-总则", False),
        ("#附件", False),
        ("../categories/", False),
        ("search.html?q=rx", False),
    ],
)
def test_is_outbound(target: str, outbound: bool) -> None:
    assert is_outbound(target) is outbound


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<a href="https://zwfw.example.gov.cn/">网上办事大厅</a>',
            '<span class="kiosk-offline-link">网上办事大厅（https://zwfw.example.gov.cn/）</span>',
        ),
        (
            '<a href="https://zwfw.example.gov.cn/" rel="noopener">https://zwfw.example.gov.cn/</a>',
            '<span class="kiosk-offline-link">https://zwfw.example.gov.cn/</span>',
        ),
        (
            '<a href="mailto:gk@qinghe.gov.example">写信</a>',
            '<span class="kiosk-offline-link">写信（gk@qinghe.gov.example）</span>',
        ),
        (
            '<a href="../../files/edu/a.pdf" download>下载</a>',
            '<span class="kiosk-offline-link">扫码下载</span>',
        ),
        (
            '<a href="files/a.pdf">附件一：申请表</a>',
            '<span class="kiosk-offline-link">附件一：申请表（扫码下载）</span>',
        ),
        (
            '<a href="https://x.example/?a=1&amp;b=2">办理</a>',
            '<span class="kiosk-offline-link">办理（https://x.example/?a=1&amp;b=2）</span>',
        ),
        ('<a href="../records/edu/a.html">通知</a>', '<a href="../records/edu/a.html">通知</a>'),
        ('<a href="#top">顶部</a>', '<a href="#top">顶部</a>'),
    ],
)
def test_strip_outbound_links(html: str, expected: str) -> None:
    assert strip_outbound_links(f"<p>{html}</p>") == f"<p>{expected}</p>"


def test_public_url_joins_the_site_address_and_page_path() -> None:
    assert public_url(SITE, "records/edu/2024/a.md") == (
        "https://www.qinghe.gov.example/xxgk/records/edu/2024/a.html"
    )


def test_qr_code_is_a_local_svg_image() -> None:
    uri = qr_data_uri("https://www.qinghe.gov.example/records/edu/a.html")
    assert uri.startswith("data:image/svg+xml")
    assert uri == qr_data_uri("https://www.qinghe.gov.example/records/edu/a.html")
    assert "http://" not in uri and "https://" not in uri  # only the percent-encoded xmlns


def test_qr_card_goes_under_the_metadata_table() -> None:
    page = (
        '---\ntitle: x\n---\n\n<div class="record-meta">\n<table>\n</table>\n</div>\n\n'
        "## 内容概述\n"
    )
    text = add_qr_code(page, "https://www.qinghe.gov.example/records/a.html")
    assert text.index("record-meta") < text.index("kiosk-qr") < text.index("## 内容概述")
    assert "https://www.qinghe.gov.example/records/a.html</p>" in text
    bare = add_qr_code("---\ntitle: x\n---\n\n正文\n", "https://a.example/b.html")
    assert bare.index("kiosk-qr") < bare.index("正文")


def test_kiosk_pages_put_qr_codes_on_records_and_no_outbound_link_anywhere() -> None:
    linked = replace(
        small_catalog().records[0],
        body="见[办事大厅](https://zwfw.example.gov.cn/)和[附件](files/申请表.pdf)。\n",
    )
    small = replace(small_catalog(), records=(linked, *small_catalog().records[1:]))
    from generator.pages.plan import plan_pages

    pages = kiosk_pages(small, render_pages(small, plan_pages(small) + plan_kiosk_pages(small)))
    for path in (record_page_path(r) for r in small.records):
        assert pages[path].count('class="kiosk-qr"') == 1, path
        assert public_url(small.site, path) in pages[path]
    for path, text in pages.items():
        hrefs = re.findall(r'href="([^"]*)"', text)
        assert [h for h in hrefs if is_outbound(h.replace("&amp;", "&"))] == [], path
    assert "办事大厅（https://zwfw.example.gov.cn/）" in pages[record_page_path(linked)]
    assert "kiosk-qr" not in pages["index.md"]


def test_derived_config_inherits_the_public_one_and_switches_the_kiosk_on() -> None:
    parent = REPO / "mkdocs.yml"
    site = replace(SITE, kiosk_idle_seconds=90)
    config = yaml.safe_load(kiosk_config_text(parent, REPO / "site_overrides", site))
    assert config["INHERIT"] == str(parent)
    assert config["theme"]["custom_dir"] == str(REPO / "site_overrides")
    assert config["hooks"] == []
    assert config["extra"]["kiosk"] is True
    assert config["extra"]["kiosk_idle_seconds"] == 90
    assert config["extra"]["kiosk_countdown_seconds"] >= 20


def test_policy_allows_only_the_local_origin() -> None:
    policy = json.loads(policy_text(8123))
    assert policy["URLBlocklist"] == ["*"]
    assert policy["URLAllowlist"] == ["http://127.0.0.1:8123"]
    assert policy["DownloadRestrictions"] == 3


def test_launcher_is_valid_shell_with_the_port_filled_in() -> None:
    text = launcher_text(8123)
    assert "@PORT@" not in text and "KIOSK_PORT:-8123" in text
    assert "--kiosk" in text and "http://127.0.0.1:$PORT/kiosk/index.html" in text
    subprocess.run(["sh", "-n"], input=text, text=True, check=True)


def test_bundled_index_is_found_only_in_a_bundle(tmp_path: Path) -> None:
    assert bundled_index(tmp_path) is None
    (tmp_path / ".search-index").mkdir()
    assert bundled_index(tmp_path) == tmp_path / ".search-index"


def test_kiosk_staging_tree_is_written_beside_the_public_one(tmp_path: Path) -> None:
    from generator.builder.build import builder_config
    from generator.builder.staging import stage_catalog
    from generator.core.settings import Settings

    settings = Settings(
        content_dir=tmp_path, staging_dir=tmp_path / "kiosk" / "docs", kiosk=True,
        today=date(2024, 12, 31),
    )  # fmt: skip
    small = small_catalog()
    attachment = tmp_path / next(r for r in small.records if r.attachments).attachments[0].path
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4\n")
    written = stage_catalog(small, settings)
    assert HOME in written.written and SEARCH in written.written
    config = builder_config(small, settings)
    assert config == tmp_path / "kiosk" / "mkdocs.yml" and config.is_file()
    assert builder_config(small, replace(settings, kiosk=False)) == settings.mkdocs_config
