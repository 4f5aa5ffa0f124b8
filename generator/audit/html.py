"""The supervision group's report: one offline HTML file, charts as static SVG (pygal, no JS).

Printable and attachable to a 整改通知: a summary, every finding with its rule, and one section
per department (records per category and month, timeliness rate, stale and empty columns, open
findings). Nothing in the file refers to another file or to the network.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pygal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pygal.style import Style

from generator.audit.columns import CLASS_ZH
from generator.audit.model import CODES, LEVEL_ZH
from generator.audit.run import AuditReport
from generator.audit.score import VERDICT_ZH, DepartmentSummary

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT = '"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif'
# Dark, distinguishable colours: every bar keeps ≥ 3:1 against the white background.
COLOURS = (
    "#1f4e79",
    "#b03a2e",
    "#1e7145",
    "#7d3c98",
    "#9a5b00",
    "#117a8b",
    "#5d6d7e",
    "#a93263",
    "#4a6b00",
)
CHART_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#222222",
    foreground_strong="#111111",
    foreground_subtle="#555555",
    colors=COLOURS,
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    tooltip_font_family=FONT,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=15,
    opacity="1",
    opacity_hover="1",
)
# pygal writes its configuration into a <script> even with js=[]; the report runs no script.
_STRIP = re.compile(r"<!--.*?-->|<script\b.*?</script>", re.DOTALL)
_CHART_ID = re.compile(r'id="(chart-[0-9a-f-]+)"')


def as_html(report: AuditReport) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("report.html.j2")
    return template.render(
        report=report,
        level_zh={k.value: v for k, v in LEVEL_ZH.items()},
        codes=CODES,
        department_names={d.id: d.name for d in report.departments},
        verdict_zh=VERDICT_ZH,
        class_zh=CLASS_ZH,
        scores_chart=scores_chart(report.departments),
        monthly_charts={d.id: monthly_chart(d, n) for n, d in enumerate(report.departments)},
    )


def scores_chart(departments: Sequence[DepartmentSummary]) -> Markup:
    chart = pygal.HorizontalBar(**_options(height=60 + 32 * len(departments)), show_legend=False)
    chart.x_labels = [d.short_name for d in departments]
    chart.range = (0, 100)
    chart.y_labels = list(range(0, 101, 20))
    chart.add("得分", [d.score.score for d in departments])
    return _svg(chart, "scores", "各部门得分（满分 100）")


def monthly_chart(department: DepartmentSummary, number: int) -> Markup:
    shown = [row for row in department.rows if any(row.monthly)]
    legend_rows = max(1, -(-len(shown) // 4))
    chart = pygal.StackedBar(
        **_options(height=300 + 26 * legend_rows), legend_at_bottom=True, legend_at_bottom_columns=4
    )
    chart.x_labels = [m[2:] for m in department.months]
    top = max([sum(column) for column in zip(*(r.monthly for r in shown), strict=True)] or [0])
    step = max(1, -(-top // 5))
    chart.range = (0, max(1, top))
    chart.y_labels = list(range(0, max(1, top) + step, step))
    for row in shown:
        chart.add(row.name, list(row.monthly))
    if not shown:
        chart.add("无", [0] * len(department.months))
    return _svg(chart, f"monthly-{number}", f"{department.name}近 12 个月每月发布信息数（按分类）")


def _options(*, height: int) -> dict[str, object]:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": CHART_STYLE,
        "width": 760,
        "height": height,
        "explicit_size": False,
        "print_values": False,
        "margin": 12,
    }


def _svg(chart: pygal.graph.graph.Graph, name: str, label: str) -> Markup:
    """pygal's SVG made static and reproducible (no script, random id or comments), labelled."""
    svg = _STRIP.sub("", chart.render(is_unicode=True))
    found = _CHART_ID.search(svg)
    if found:
        svg = svg.replace(found.group(1), f"chart-{name}")
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return Markup(svg)  # pygal escapes its own text; our label is escaped above
