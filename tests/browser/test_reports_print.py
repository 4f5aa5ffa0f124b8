"""Annual reports in Chromium: axe finds nothing serious, and a report prints on A4 with no
table cut (none wider than the paper; 表二 and 表四 on one page each; 表三's header on every page
it spans). Built from the sample district, which has reports for 2024 and 2025."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.builder.build import build_site
from generator.core.settings import REPO_ROOT, Settings
from tests.browser.conftest import DESKTOP, Served, serve
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser

REPORT = "records/office/annual-report/2025-government.html"
PAGES = ["reports.html", REPORT, "records/edu/annual-report/2025.html", "statistics.html"]
# A4 less the print stylesheet's 12 mm side margins, in CSS pixels (96 per inch).
PRINT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The sample district built (with its search index beside the site) and served."""
    root = tmp_path_factory.mktemp("report-site")
    settings = Settings(
        content_dir=REPO_ROOT / "content",
        staging_dir=root / "build" / "docs",
        out_dir=root / "site",
        index_dir=root / "build" / "search-index",
        today=date(2026, 11, 28),
    )
    result = build_site(settings)
    assert result.built, [p.message for p in result.problems if p.is_error]
    yield from serve(settings.out_dir, kiosk=False)


@pytest.fixture(scope="module")
def chromium(sample_site: Served, browser: Browser) -> Browser:
    """The session's Chromium (a second Playwright in one process refuses to start)."""
    return browser


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(locale="zh-CN", viewport=DESKTOP)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )  # a CSP refusal of an inline script shows here; failed loads are checked by address:
    # Material fetches a sitemap.xml beside every <link rel="alternate">, here feeds/sitemap.xml
    opened.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/feeds/sitemap.xml")
            else None
        ),
    )
    yield opened
    context.close()
    assert errors == []


@pytest.mark.parametrize("path", PAGES)
def test_report_pages_have_no_serious_axe_violation(
    sample_site: Served, page: Page, path: str
) -> None:
    page.goto(sample_site.at(path))
    assert blocking_violations(page) == []


def test_statistics_svg_numbers_are_drawn(sample_site: Served, page: Page) -> None:
    page.goto(sample_site.at("statistics.html"))
    drawn = page.locator("#chart-requests text.value").evaluate_all(
        "nodes => nodes.map(n => n.textContent)"
    )
    table = page.locator('table[data-chart="requests"] tbody td').all_inner_texts()
    assert sorted(drawn) == sorted(table) and drawn


@pytest.mark.parametrize("path", [REPORT, "statistics.html"])
def test_no_table_is_wider_than_the_paper(sample_site: Served, page: Page, path: str) -> None:
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.goto(sample_site.at(path))
    too_wide = page.evaluate(
        """(width) => [...document.querySelectorAll('table, svg.pygal-chart')]
            .filter(t => t.getBoundingClientRect().right > width + 1
                      || (t.parentElement.scrollWidth > t.parentElement.clientWidth + 1))
            .map(t => (t.caption ? t.caption.textContent : t.id) + ' '
                      + Math.round(t.getBoundingClientRect().right))""",
        PRINT_WIDTH,
    )
    assert too_wide == []


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def test_report_prints_on_a4_without_cut_tables(
    sample_site: Served, page: Page, tmp_path: Path
) -> None:
    page.goto(sample_site.at(REPORT))
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    if os.environ.get("REPORT_PDF"):  # to look at it: REPORT_PDF=/tmp/report.pdf
        shutil.copy(pdf, os.environ["REPORT_PDF"])
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert "pts (A4)" in info.stdout
    pages = pdf_pages(pdf)
    assert 3 <= len(pages) <= 8, len(pages)
    text = "".join(pages)
    assert "2025年政府信息公开工作年度报告" in text and "统计表下载" not in text
    for caption, last in (
        ("表二 主动公开政府信息情况", "行政事业性收费"),
        ("表四 政府信息公开行政复议、行政诉讼情况", "复议后起诉"),
    ):
        holding = [p for p in pages if caption in p]
        assert len(holding) == 1 and last in holding[0], caption
    rows = (
        "本年新收政府信息公开申请数量",
        "属于国家秘密",
        "本机关不掌握相关政府信息",
        "重复申请",
        "（七）总计",
    )
    table3 = [p for p in pages if any(label in p for label in rows)]
    assert table3 and all("申请人情况" in p for p in table3)  # the header repeats on each page
    for label in ("一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理"):
        assert label.replace("、", "") in text.replace(" ", "").replace("、", ""), label


def test_reports_are_catalog_records_everywhere(sample_site: Served) -> None:
    """Feeds, catalog.json, the sitemap, the Whoosh search and the downloads all have them."""
    from generator.search.whoosh_search import search

    site = sample_site.site
    title = "青禾区人民政府2025年政府信息公开工作年度报告"
    assert title in (site / "feeds/all.xml").read_text(encoding="utf-8")
    assert title in (site / "feeds/office.xml").read_text(encoding="utf-8")
    assert title in (site / "catalog.json").read_text(encoding="utf-8")
    assert "records/office/annual-report/2025-government.html" in (site / "sitemap.xml").read_text(
        encoding="utf-8"
    )
    found = search(site.parent / "build" / "search-index", "年度报告 社会评议", size=20)
    assert title in [hit.title for hit in found.hits]
    assert (site / "reports/2025/government.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (site / "reports/2025/government.xlsx").read_bytes()[:2] == b"PK"


def test_report_pages_reference_no_external_url(sample_site: Served) -> None:
    from tests.test_build import EXTERNAL

    for path in PAGES:
        text = (sample_site.site / path).read_text(encoding="utf-8")
        assert EXTERNAL.findall(text) == [], path
        charts = re.findall(r'<div class="report-chart-svg">(.*?)</svg></div>', text, re.S)
        assert len(charts) == (5 if path == "statistics.html" else 0)
        assert not any("<script" in chart for chart in charts)
