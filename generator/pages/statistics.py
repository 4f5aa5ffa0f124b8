"""统计: the district's 表二/表三 totals per year, each department's publications and their
Art. 26 timeliness, drawn at build time as static SVG (pygal, no scripts) beside tables that
hold the same numbers (the tables are what screen readers and printers read).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypedDict

import yaml
from markupsafe import Markup

from generator.content.schema import default_schema_dir
from generator.content.workdays import HolidayCalendar, OutOfCoverage, parse_holiday_calendar
from generator.core.annual_reports import RESULT_KEYS, AnnualReport
from generator.core.records import Catalog, Record
from generator.pages.contexts import PageSpec
from generator.pages.reports import STATISTICS_PAGE

# The result rows of 表三 grouped as the printed table groups them.
OUTCOME_GROUPS = (
    ("予以公开", ("granted",)),
    ("部分公开", ("partly_granted",)),
    ("不予公开", tuple(k for k in RESULT_KEYS if k.startswith("refused_"))),
    ("无法提供", tuple(k for k in RESULT_KEYS if k.startswith("unavailable_"))),
    ("不予处理", tuple(k for k in RESULT_KEYS if k.startswith("rejected_"))),
    ("其他处理", ("other_no_correction", "other_no_fee", "other")),
)
REQUEST_ROWS = (
    ("本年新收", "new"),
    ("上年结转", "carried_over"),
    ("办理结果总计", "total"),
    ("结转下年度", "carried_forward"),
)
_CHART_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# pygal writes its config as an inline script even with ``js=[]``: the page's CSP would refuse it
# and nothing needs it (no tooltips without pygal's JavaScript).
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


@dataclass(frozen=True)
class Chart:
    """One chart and its table: ``categories`` down the table, one column per series."""

    id: str
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str = "件"
    horizontal: bool = False
    percent: bool = False


class ChartTable(TypedDict):
    id: str
    title: str
    svg: Markup
    category_label: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]


class StatisticsContext(TypedDict):
    years: list[int]
    charts: list[ChartTable]


def plan_statistics(catalog: Catalog) -> list[PageSpec]:
    """The statistics page, when there are reports to count."""
    if not catalog.reports:
        return []
    years = sorted({r.year for r in catalog.reports})
    charts = [
        requests_chart(catalog.reports, years),
        outcomes_chart(catalog.reports, years),
        decisions_chart(catalog.reports, years),
        publications_chart(catalog, years),
        timeliness_chart(catalog, years, holiday_calendar()),
    ]
    context = StatisticsContext(years=years, charts=[chart_table(c) for c in charts])
    return [
        PageSpec(
            path=STATISTICS_PAGE,
            template="statistics.md.j2",
            context=context,  # type: ignore[arg-type]  # one of pages.PageContext
            title="政府信息公开统计",
            column_name="政府信息公开年报",
            column_type="信息公开年报",
            description="历年政府信息公开申请办理、主动公开和发布时效统计，数据来自各年度报告和政府信息公开目录。",
            toc=True,
        )
    ]


def year_reports(reports: Sequence[AnnualReport], year: int) -> list[AnnualReport]:
    return [r for r in reports if r.year == year]


def row_total(reports: Sequence[AnnualReport], keys: Sequence[str]) -> int:
    """The 总计 column of these 表三 rows, summed over the reports (the whole district)."""
    return sum(r.row(key)[-1] for r in reports for key in keys)


def requests_chart(reports: Sequence[AnnualReport], years: list[int]) -> Chart:
    return Chart(
        id="requests",
        title="全区政府信息公开申请办理情况（表三）",
        categories=tuple(f"{y}年" for y in years),
        series=tuple(
            (name, tuple(float(row_total(year_reports(reports, y), (key,))) for y in years))
            for name, key in REQUEST_ROWS
        ),
    )


def outcomes_chart(reports: Sequence[AnnualReport], years: list[int]) -> Chart:
    return Chart(
        id="outcomes",
        title="全区申请办理结果构成（表三）",
        categories=tuple(f"{y}年" for y in years),
        series=tuple(
            (name, tuple(float(row_total(year_reports(reports, y), keys)) for y in years))
            for name, keys in OUTCOME_GROUPS
        ),
    )


def decisions_chart(reports: Sequence[AnnualReport], years: list[int]) -> Chart:
    def total(year: int, field: str) -> float:
        return float(sum(getattr(r.table2, field) for r in year_reports(reports, year)))

    def issued(year: int) -> float:
        return float(sum(r.table2.normative[0] for r in year_reports(reports, year)))

    return Chart(
        id="decisions",
        title="全区主动公开政府信息情况（表二）",
        categories=tuple(f"{y}年" for y in years),
        series=(
            ("行政规范性文件制发", tuple(issued(y) for y in years)),
            ("行政许可决定", tuple(total(y, "licensing") for y in years)),
            ("行政处罚决定", tuple(total(y, "penalty") for y in years)),
            ("行政强制决定", tuple(total(y, "enforcement") for y in years)),
        ),
    )


def publications(catalog: Catalog, year: int) -> dict[str, list[Record]]:
    """Each department's records published in ``year`` (the reports themselves left out)."""
    report_ids = {r.record_id for r in catalog.reports}
    found: dict[str, list[Record]] = defaultdict(list)
    for record in catalog.records:
        if record.published.year == year and record.id not in report_ids:
            found[record.department].append(record)
    return found


def publications_chart(catalog: Catalog, years: list[int]) -> Chart:
    names = tuple(d.name for d in catalog.departments.values())
    counted = {y: publications(catalog, y) for y in years}
    return Chart(
        id="publications",
        title="各部门主动公开政府信息条数（政府信息公开目录）",
        categories=names,
        series=tuple(
            (f"{y}年", tuple(float(len(counted[y].get(d, []))) for d in catalog.departments))
            for y in years
        ),
        unit="条",
        horizontal=True,
    )


def on_time_rate(records: Sequence[Record], calendar: HolidayCalendar, limit: int) -> float:
    """Share (%) published within ``limit`` working days of forming or changing (Art. 26);
    records outside the holiday data are not counted, and no records count as 100 %."""
    measured = on_time = 0
    for record in records:
        start = max(record.written, record.updated or record.written)
        try:
            used = calendar.workdays_between(start, record.published)
        except OutOfCoverage:
            continue
        measured += 1
        on_time += record.published <= start or used <= limit
    return round(100.0 * on_time / measured, 1) if measured else 100.0


def timeliness_chart(catalog: Catalog, years: list[int], calendar: HolidayCalendar) -> Chart:
    limit = catalog.site.deadlines.proactive
    counted = {y: publications(catalog, y) for y in years}
    return Chart(
        id="timeliness",
        title=f"各部门按时发布率（条例第二十六条：{limit} 个工作日内）",
        categories=tuple(d.name for d in catalog.departments.values()),
        series=tuple(
            (
                f"{y}年",
                tuple(
                    on_time_rate(counted[y].get(d, []), calendar, limit)
                    for d in catalog.departments
                ),
            )
            for y in years
        ),
        unit="%",
        horizontal=True,
        percent=True,
    )


@lru_cache(maxsize=1)
def holiday_calendar() -> HolidayCalendar:
    path = default_schema_dir() / "holidays.yml"
    return parse_holiday_calendar(yaml.safe_load(path.read_text(encoding="utf-8")))


def format_value(value: float, chart: Chart) -> str:
    return f"{value:.1f}%" if chart.percent else f"{int(value):,}"


def chart_style() -> Any:
    """pygal's style for our charts (pygal is imported only when a site has reports to draw)."""
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1f2d3d",
        foreground_strong="#1f2d3d",
        foreground_subtle="#5f6b7a",
        font_family='"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif',
        title_font_size=16,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        value_font_size=12,
        colors=("#1d4f91", "#c8102e", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f"),
    )


def render_svg(chart: Chart) -> str:
    """The chart as inline SVG: no script, no outside reference, the same bytes every build."""
    import pygal

    kind = pygal.HorizontalBar if chart.horizontal else pygal.Bar
    rows = len(chart.categories) * len(chart.series) if chart.horizontal else 0
    drawing = kind(
        js=[],
        style=chart_style(),
        width=800,
        height=max(360, 60 + 26 * rows),
        print_values=True,
        print_zeroes=True,
        legend_at_bottom=True,
        disable_xml_declaration=True,
        explicit_size=False,
        truncate_label=-1,
        truncate_legend=-1,
        value_formatter=lambda v: format_value(v, chart),
        range=(0, 100) if chart.percent else None,
        include_x_axis=True,
    )
    drawing.x_labels = list(chart.categories)
    for name, values in chart.series:
        drawing.add(name, list(values))
    svg = str(drawing.render(is_unicode=True))
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    return _CHART_ID.sub(f"chart-{chart.id}", svg)


def chart_table(chart: Chart) -> ChartTable:
    svg = render_svg(chart).replace(
        "<svg ", f'<svg role="img" aria-labelledby="chart-title-{chart.id}" ', 1
    )
    return ChartTable(
        id=chart.id,
        title=chart.title,
        svg=Markup(svg),
        category_label="部门" if chart.horizontal else "年度",
        columns=[f"{name}（{chart.unit}）" for name, _ in chart.series],
        rows=[
            (category, [format_value(values[i], chart) for _, values in chart.series])
            for i, category in enumerate(chart.categories)
        ],
    )
