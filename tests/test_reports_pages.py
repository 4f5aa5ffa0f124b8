"""The 年度报告 column, the report pages, the statistics page and the table downloads."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from generator.content.validate import check_content
from generator.core.annual_reports import GOVERNMENT, TABLE3_ROWS
from generator.core.records import Catalog
from generator.core.settings import REPO_ROOT, Settings
from generator.outputs.report_tables import plan_report_tables, report_csv, report_xlsx
from generator.pages.plan import PageSpec, plan_pages, record_page_path
from generator.pages.statistics import plan_statistics
from tests.page_texts import render_pages

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    checked = check_content(
        Settings(content_dir=REPO_ROOT / "content", today=date(2026, 11, 28), cache_dir=None)
    )
    assert checked.catalog is not None
    return checked.catalog


@pytest.fixture(scope="module")
def specs(catalog: Catalog) -> dict[str, PageSpec]:
    return {spec.path: spec for spec in plan_pages(catalog)}


@pytest.fixture(scope="module")
def pages(catalog: Catalog, specs: dict[str, PageSpec]) -> dict[str, str]:
    chosen = [s for s in specs.values() if s.template.startswith(("report", "statistics"))]
    return render_pages(catalog, chosen)


def government(catalog: Catalog, year: int = 2025):  # type: ignore[no-untyped-def]
    return next(r for r in catalog.reports if (r.year, r.body) == (year, GOVERNMENT))


def test_the_column_lists_every_report_newest_year_first(
    catalog: Catalog, pages: dict[str, str]
) -> None:
    page = pages["reports.md"]
    assert "栏目正在建设中" not in page
    assert page.index("## 2025 年度") < page.index("## 2024 年度")
    for report in catalog.reports:
        assert report.title in page
        assert (
            f"{report.year}/{report.body}.csv" in page
            and f"{report.year}/{report.body}.xlsx" in page
        )
    first_2025 = page.split("## 2025 年度")[1].split("<tbody>")[1]
    assert first_2025.index("青禾区人民政府2025年") < first_2025.index("青禾区教育局2025年")
    assert 'href="statistics.html"' in page


def test_a_report_page_replaces_its_record_page(
    catalog: Catalog, specs: dict[str, PageSpec]
) -> None:
    by_id = catalog.by_id()
    for report in catalog.reports:
        spec = specs[record_page_path(by_id[report.record_id])]
        assert spec.template == "report.md.j2"
    assert sum(s.template == "record.md.j2" for s in specs.values()) == len(catalog.records) - len(
        catalog.reports
    )


def test_the_report_page_has_the_national_layout(catalog: Catalog, pages: dict[str, str]) -> None:
    report = government(catalog)
    page = pages[record_page_path(catalog.by_id()[report.record_id])]
    headings = re.findall(r"^## (.+)$", page, re.M)
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert re.findall(r"^<h3>(.+)</h3>$", page, re.M) == [
        "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障",
    ]  # fmt: skip
    assert '<th scope="rowgroup" rowspan="22">三、本年度办理结果</th>' in page
    assert '<th scope="rowgroup" rowspan="8">（三）不予公开</th>' in page
    assert '<th colspan="7" scope="colgroup">申请人情况</th>' in page
    assert '<th colspan="5" scope="colgroup">法人或其他组织</th>' in page
    assert '<th colspan="10" scope="colgroup">行政诉讼</th>' in page
    for row in TABLE3_ROWS:
        assert row.label in page
    rows = re.findall(r"<tr>(?:<th[^>]*>[^<]*</th>)+((?:<td>[\d,]+</td>){7})</tr>", page)
    numbers = [[int(n) for n in re.findall(r"<td>([\d,]+)</td>", r)] for r in rows]
    assert numbers == [list(cells) for _, cells in report.table3]
    assert "发布机构</th><td>青禾区人民政府</td>" in page
    assert "社会评议" in page  # the government's 监督保障 text


def test_the_report_body_feeds_search(catalog: Catalog, specs: dict[str, PageSpec]) -> None:
    from generator.pages.render import PageStream

    report = government(catalog)
    spec = specs[record_page_path(catalog.by_id()[report.record_id])]
    rendering = PageStream(catalog, [spec])
    list(rendering)
    assert "社会评议" in rendering.bodies[report.record_id]


def chart_values(svg: str) -> list[list[str]]:
    """The numbers printed on the bars, per series (``serie-N`` groups), in drawing order."""
    root = ElementTree.fromstring(svg)
    series: dict[int, list[str]] = {}
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        number = next((int(c[6:]) for c in classes if re.fullmatch(r"serie-\d+", c)), None)
        if number is None:
            continue
        series[number] = [
            "".join(node.itertext())
            for node in group.iter(f"{SVG}text")
            if "value" in (node.get("class") or "").split()
        ]
    return [series[n] for n in sorted(series)]


def test_statistics_charts_carry_the_numbers_of_their_tables(catalog: Catalog) -> None:
    (spec,) = plan_statistics(catalog)
    charts = spec.context["charts"]  # type: ignore[typeddict-item]
    assert [c["id"] for c in charts] == [
        "requests", "outcomes", "decisions", "publications", "timeliness",
    ]  # fmt: skip
    for chart in charts:
        svg = str(chart["svg"])
        assert "<script" not in svg and "http://pygal.org" not in svg
        by_series = [
            [values[i] for _, values in chart["rows"]] for i in range(len(chart["columns"]))
        ]
        assert chart_values(svg) == by_series, chart["id"]
    requests = charts[0]
    totals_2025 = dict(requests["rows"])["2025年"]
    new_2025 = sum(r.row("new")[-1] for r in catalog.reports if r.year == 2025)
    assert totals_2025[0] == f"{new_2025:,}"


def test_statistics_page_is_the_same_every_build(catalog: Catalog) -> None:
    first, second = plan_statistics(catalog), plan_statistics(catalog)
    assert first == second
    assert 'id="chart-requests"' in str(first[0].context["charts"][0]["svg"])  # type: ignore[typeddict-item]


def test_csv_download_has_a_bom_and_the_numbers(catalog: Catalog) -> None:
    report = government(catalog)
    data = report_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    by_name = {row[0]: row[1:] for row in rows if row}
    for row in TABLE3_ROWS:
        assert [int(n) for n in by_name[row.name]] == list(report.row(row.key))
    assert by_name["行政复议"] == ["2", "1", "0", "1", "4"]
    assert by_name["第二十条第（一）项"] == ["行政规范性文件", "0", "0", "1"]


def test_xlsx_download_opens_with_the_same_numbers(catalog: Catalog) -> None:
    report = government(catalog)
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book.sheetnames == ["表二", "表三", "表四"]
    sheet = {row[0]: row[1:] for row in book["表三"].iter_rows(min_row=3, values_only=True)}
    for row in TABLE3_ROWS:
        assert list(sheet[row.name]) == list(report.row(row.key))
    table4 = {row[0]: row[1:] for row in book["表四"].iter_rows(min_row=3, values_only=True)}
    assert list(table4["行政诉讼·未经复议直接起诉"]) == [1, 0, 0, 1, 2]
    assert report_xlsx(report) == report_xlsx(report)  # reproducible bytes


def test_every_published_report_has_both_downloads(catalog: Catalog) -> None:
    files = plan_report_tables(catalog)
    assert len(files) == 2 * len(catalog.reports)
    assert "reports/2025/government.csv" in files and "reports/2024/market.xlsx" in files
