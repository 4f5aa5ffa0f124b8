"""The 年度报告 column: the list of reports and one page per report in the national layout.

A report's page takes the place of its catalog record's page (same path, ``records/…``), so the
record's links from listings, feeds, search and the kiosk all lead to the report itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TypedDict

from generator.core.annual_reports import (
    GOVERNMENT,
    OVERVIEW_PARTS,
    SECTIONS,
    TABLE2_DECISION_ROWS,
    TABLE2_DOCUMENT_ROWS,
    TABLE2_FEE,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    AnnualReport,
)
from generator.core.records import Catalog, Record, SiteInfo
from generator.pages.contexts import Link, MetaRow, PageSpec
from generator.pages.paths import record_page_path
from generator.pages.record_pages import record_meta

STATISTICS_PAGE = "statistics.md"


def download_path(report: AnnualReport, kind: str) -> str:
    """``reports/2025/edu.csv``: the report's tables, written beside the site's exports."""
    return f"reports/{report.year}/{report.body}.{kind}"


class Cell(TypedDict):
    text: str
    rowspan: int
    colspan: int


class TableRow(TypedDict):
    headers: list[Cell]  # the row's label cells (th scope=row)
    numbers: list[str]


class Section(TypedDict):
    key: str  # which Markdown of the report (overview.proactive, problems …)
    heading: str
    level: int  # 2 for 一…六, 3 for the parts of 一


class ReportEntry(TypedDict):
    year: int
    body: str
    body_name: str
    title: str
    published: str
    record_id: str
    path: str
    csv: str
    xlsx: str


class ReportYear(TypedDict):
    year: int
    reports: list[ReportEntry]


class ReportsContext(TypedDict):
    site: SiteInfo
    years: list[ReportYear]
    statistics: Link | None


class ReportContext(TypedDict):
    record: Record
    report: AnnualReport
    meta: list[MetaRow]
    sections: list[Section]  # rendered from Markdown by the renderer (sections_html)
    table2: list[TableRow]
    table3_columns: list[str]
    table3: list[TableRow]
    table4: list[str]
    csv: str
    xlsx: str
    listing: Link


def cell(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text=text, rowspan=rowspan, colspan=colspan)


def amount(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def table2_rows(report: AnnualReport) -> list[TableRow]:
    """表二 as printed: (一)项 three counts, (五)(六)项 decisions, (八)项 the fees."""
    t2 = report.table2
    documents = {"rules": t2.rules, "normative": t2.normative}
    rows = [
        TableRow(headers=[cell(label)], numbers=[amount(n) for n in documents[key]])
        for key, label in TABLE2_DOCUMENT_ROWS
    ]
    decisions = {"licensing": t2.licensing, "penalty": t2.penalty, "enforcement": t2.enforcement}
    rows += [
        TableRow(headers=[cell(label)], numbers=[amount(decisions[key])])
        for key, label, _ in TABLE2_DECISION_ROWS
    ]
    rows.append(TableRow(headers=[cell(TABLE2_FEE[1])], numbers=[f"{t2.fees:,}"]))
    return rows


def table3_rows(report: AnnualReport) -> list[TableRow]:
    """Label cells with the national rowspans: 三 spans its 22 result rows, each block its items."""
    values = dict(report.table3)
    result_rows = sum(1 for row in TABLE3_ROWS if row.group)
    block_sizes: dict[str, int] = defaultdict(int)
    for row in TABLE3_ROWS:
        if row.number:
            block_sizes[row.group] += 1
    rows, seen = [], set()
    for row in TABLE3_ROWS:
        headers: list[Cell] = []
        if not row.group:
            headers.append(cell(row.label, colspan=3))
        else:
            if "三" not in seen:
                seen.add("三")
                headers.append(cell("三、本年度办理结果", rowspan=result_rows))
            if not row.number:
                headers.append(cell(row.label, colspan=2))
            else:
                if row.group not in seen:
                    seen.add(row.group)
                    headers.append(cell(row.group, rowspan=block_sizes[row.group]))
                headers.append(cell(f"{row.number}.{row.label}"))
        rows.append(TableRow(headers=headers, numbers=[amount(n) for n in values[row.key]]))
    return rows


def report_sections() -> list[Section]:
    sections = [Section(key="overview.summary", heading=SECTIONS[0], level=2)]
    sections += [
        Section(key=f"overview.{key}", heading=label, level=3) for key, label in OVERVIEW_PARTS
    ]
    return sections


def report_markdown_parts(report: AnnualReport) -> dict[str, str]:
    """Section key → its Markdown (what the renderer turns into ``sections_html``)."""
    parts = {"overview.summary": report.overview_intro}
    parts.update({f"overview.{key}": text for key, text in report.overview})
    parts.update({"problems": report.problems, "other": report.other})
    return parts


def report_entry(report: AnnualReport, record: Record) -> ReportEntry:
    return ReportEntry(
        year=report.year,
        body=report.body,
        body_name=report.body_name,
        title=report.title,
        published=report.published.isoformat(),
        record_id=report.record_id,
        path=record_page_path(record),
        csv=download_path(report, "csv"),
        xlsx=download_path(report, "xlsx"),
    )


def report_records(catalog: Catalog) -> list[tuple[AnnualReport, Record]]:
    by_id = catalog.by_id()
    return [(r, by_id[r.record_id]) for r in catalog.reports if r.record_id in by_id]


def plan_reports_index(catalog: Catalog, statistics: bool) -> PageSpec:
    """年度报告: newest year first; in each year the government's report, then departments."""
    by_year: dict[int, list[ReportEntry]] = defaultdict(list)
    for report, record in report_records(catalog):
        by_year[report.year].append(report_entry(report, record))
    years = [
        ReportYear(year=year, reports=sorted(entries, key=_body_order))
        for year, entries in sorted(by_year.items(), reverse=True)
    ]
    context = ReportsContext(
        site=catalog.site,
        years=years,
        statistics=Link(title="政府信息公开统计", path=STATISTICS_PAGE) if statistics else None,
    )
    return PageSpec(
        path="reports.md",
        template="reports.md.j2",
        context=context,  # type: ignore[arg-type]  # one of pages.PageContext
        title="政府信息公开工作年度报告",
        column_name="政府信息公开年报",
        column_type="信息公开年报",
        description=f"{catalog.site.name}及各部门政府信息公开工作年度报告，按年度和发布机关排列。",
    )


def _body_order(entry: ReportEntry) -> tuple[bool, str]:
    return (entry["body"] != GOVERNMENT, entry["body"])


def plan_report_page(report: AnnualReport, record: Record, catalog: Catalog) -> PageSpec:
    department = catalog.departments[record.department]
    category = catalog.categories[record.category]
    context = ReportContext(
        record=record,
        report=report,
        meta=[
            MetaRow(
                label=m["label"], value=report.body_name if m["label"] == "发布机构" else m["value"]
            )
            for m in record_meta(record, department, category)
        ],
        sections=report_sections(),
        table2=table2_rows(report),
        table3_columns=list(TABLE3_COLUMNS),
        table3=table3_rows(report),
        table4=[amount(n) for _, cells in report.table4 for n in cells],
        csv=download_path(report, "csv"),
        xlsx=download_path(report, "xlsx"),
        listing=Link(title="政府信息公开工作年度报告", path="reports.md"),
    )
    return PageSpec(
        path=record_page_path(record),
        template="report.md.j2",
        context=context,  # type: ignore[arg-type]  # one of pages.PageContext
        title=record.title,
        column_name="政府信息公开年报",
        column_type="信息公开年报",
        description=record.summary,
        keywords=record.keywords,
        pub_date=record.published.isoformat(),
        content_source=report.body_name,
        toc=True,
    )


def plan_report_pages(catalog: Catalog) -> dict[str, PageSpec]:
    """Record page path → the report page that replaces it."""
    pages = (plan_report_page(r, record, catalog) for r, record in report_records(catalog))
    return {page.path: page for page in pages}


def with_report_pages(specs: Iterable[PageSpec], catalog: Catalog) -> list[PageSpec]:
    """The record pages, each report's record page replaced by the report in national layout."""
    reports = plan_report_pages(catalog) if catalog.reports else {}
    return [reports.get(spec.path, spec) for spec in specs]
