"""Annual reports: ``content/reports/<year>/<body>.yml`` → checked ``AnnualReport`` values.

Each file goes through the same hardened loader and JSON Schema translation as every other
content file; its Markdown sections through the body checks. Cross-report and catalog checks
(balance, carry-over, 表二 against the catalog, deadlines) are in ``report_checks``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from generator.content import checks
from generator.content.load import Located, display_path, dotted, parse_yaml, read_text
from generator.content.schema import Schemas, property_titles
from generator.content.schema_problems import schema_problems
from generator.core.annual_reports import (
    GOVERNMENT,
    OVERVIEW_PARTS,
    SECTIONS,
    TABLE3_KEYS,
    TABLE4_GROUPS,
    AnnualReport,
    Table2,
)
from generator.core.problems import Problem, error
from generator.core.records import Department, Record, SiteInfo
from generator.core.settings import Settings

REPORTS_DIR = "reports"
REPORT_CATEGORY = "supervision"  # 条例第五章“监督和保障”: Art. 49–50 are where reports belong
REPORT_TOPIC = "综合政务\\政务公开"
_YEAR = re.compile(r"^[0-9]{4}$", re.ASCII)
_ID_LINE = re.compile(r"""^id:[ \t]*(["']?)([0-9A-Za-z][0-9A-Za-z._/-]*)\1""", re.MULTILINE)
MARKDOWN_FIELDS = (
    *(("overview", key) for key in ("summary", *(k for k, _ in OVERVIEW_PARTS))),
    ("problems",),
    ("other",),
)


@dataclass(frozen=True)
class ReportSchema:
    validator: Draft202012Validator
    titles: dict[str, str]  # dotted path → Chinese title

    def label(self, path: str) -> str:
        title = self.titles.get(path)
        return f"{path}（{title}）" if title else path


def load_report_schema(schema_dir: Path) -> ReportSchema:
    raw = json.loads((schema_dir / "report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(raw)
    return ReportSchema(Draft202012Validator(raw), dict(property_titles(raw)))


def report_files(content: Path) -> list[Path]:
    """Every file under ``content/reports/<year>/`` (wrong names are reported, not skipped)."""
    folder = content / REPORTS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for year in folder.iterdir() for p in _children(year))


def report_ids(content: Path) -> list[str]:
    """The 索引号 written in every report file (they share the catalog's numbering)."""
    ids = []
    for path in report_files(content):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as stream:  # the id is at the top; a huge file is not read
                head = stream.read(64 * 1024).decode("utf-8", errors="replace")
            match = _ID_LINE.search(head)
            if match:
                ids.append(match[2])
    return ids


def _children(path: Path) -> list[Path]:
    return sorted(path.iterdir()) if path.is_dir() and not path.is_symlink() else [path]


def body_department(body: str, site: SiteInfo) -> str:
    """The department whose catalog lists the report: itself, or the government's own."""
    return site.government_department if body == GOVERNMENT else body


def body_name(body: str, site: SiteInfo, departments: Mapping[str, Department]) -> str:
    return site.name if body == GOVERNMENT else departments[body].name


def load_reports(
    content: Path,
    schemas: Schemas,
    settings: Settings,
    site: SiteInfo | None,
    departments: Mapping[str, Department],
) -> tuple[list[AnnualReport], list[Problem]]:
    reports: list[AnnualReport] = []
    problems: list[Problem] = []
    files = report_files(content)
    if not files or site is None:
        return reports, problems
    schema = load_report_schema(settings.schema_dir)
    for path in files:
        report, found = check_report_file(path, schema, schemas, settings, site, departments)
        problems += found
        if report is not None:
            reports.append(report)
    return reports, problems


def path_problems(
    path: Path, shown: str, site: SiteInfo, departments: Mapping[str, Department]
) -> list[Problem]:
    """``<year>/<body>.yml``: a four-digit year folder, ``government`` or a department id."""
    bodies = "、".join([GOVERNMENT, *departments])
    if path.is_symlink():
        return [
            error(
                shown,
                1,
                1,
                "symlink",
                None,
                f"年度报告文件“{path.name}”是符号链接，请改为文件本身。",
            )
        ]
    if path.suffix != ".yml" or not _YEAR.match(path.parent.name):
        return [
            error(
                shown,
                1,
                1,
                "schema",
                None,
                f"年度报告应放在 content/reports/<年度>/<主体>.yml，实际为 {shown}。"
                f"年度为四位数字，主体为 {bodies} 之一。请移动或改名，"
                "或用 `catalog new-report --year 年度 --body 主体` 生成。",
            )
        ]
    body = path.stem
    if body != GOVERNMENT and body not in departments:
        return [
            error(
                shown,
                1,
                1,
                "unknown-reference",
                None,
                f"年度报告的主体“{body}”（文件名）不是 government（本级政府）也不是已有的部门目录。"
                f"应为 {bodies} 之一，请把文件改名为其中之一。",
            )
        ]
    if body == GOVERNMENT and site.government_department not in departments:
        return [
            error(
                shown,
                1,
                1,
                "unknown-reference",
                None,
                f"本级政府的年度报告要列入本级政府的目录，但 {site.source} 的 government_department"
                f"（本级政府信息所在部门）“{site.government_department}”不是已有的部门目录。"
                "请在 site.yml 中写 government_department: 区政府办公室的部门目录名（例如 office）。",
            )
        ]
    return []


def check_report_file(
    path: Path,
    schema: ReportSchema,
    schemas: Schemas,
    settings: Settings,
    site: SiteInfo,
    departments: Mapping[str, Department],
) -> tuple[AnnualReport | None, list[Problem]]:
    shown = display_path(path)
    problems = path_problems(path, shown, site, departments)
    if problems:
        return None, problems
    source = read_text(path, max_bytes=settings.max_file_bytes, shown=shown)
    if source.text is None:
        return None, source.problems
    located, problems = parse_yaml(source.text, shown)
    problems = source.problems + problems
    if located is None:
        return None, problems
    if not isinstance(located.data, dict):
        message = "文件内容应是“键: 值”形式的映射，实际为空或不是映射。"
        return None, [*problems, error(shown, 1, 1, "schema", None, message)]
    problems += schema_problems(schema.validator, located, shown, schema.titles)
    problems += published_date(located, shown)
    allowed = checks.allowed_numbers(site)
    problems += checks.pii_in_values(located, shown, allowed, "report", schemas)
    problems += markdown_problems(located, source.text, shown, allowed, path, settings.content_dir)
    if any(p.is_error for p in problems):
        return None, problems
    return to_report(located, path, shown, site, departments), problems


def published_date(located: Located, shown: str) -> list[Problem]:
    value = located.data.get("published")
    if not isinstance(value, str) or checks.parse_date(value) is not None:
        return []
    label = "published（发布日期）"
    return [
        checks._date_problem(value, label, shown, located.position(("published",)), "published")
    ]


def markdown_problems(
    located: Located, text: str, shown: str, allowed: frozenset[str], path: Path, content: Path
) -> list[Problem]:
    """The Markdown sections are published like record bodies: the same checks apply."""
    lines = text.splitlines()
    problems = []
    for field_path in MARKDOWN_FIELDS:
        value = _get(located.data, field_path)
        if not isinstance(value, str):
            continue
        line = located.position(field_path)[0]
        first = line + 1 if _is_block(lines, line) else line
        problems += checks.body(value, first, shown, allowed, path, content, "report")
    return problems


def _is_block(lines: list[str], line: int) -> bool:
    """A ``|`` or ``>`` block scalar starts on the line after its indicator."""
    if not 1 <= line <= len(lines):
        return False
    return bool(re.search(r"[|>][-+0-9]*\s*(#.*)?$", lines[line - 1]))


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def to_report(
    located: Located,
    path: Path,
    shown: str,
    site: SiteInfo,
    departments: Mapping[str, Department],
) -> AnnualReport:
    data = located.data
    body = path.stem
    overview = data["overview"]
    table2 = data["table2"]
    return AnnualReport(
        year=int(path.parent.name),
        body=body,
        body_name=body_name(body, site, departments),
        published=checks.parse_date(data["published"]) or date.min,
        record_id=data["id"],
        department=body_department(body, site),
        overview_intro=str(overview.get("summary", "")).strip(),
        overview=tuple((key, str(overview[key]).strip()) for key, _ in OVERVIEW_PARTS),
        problems=data["problems"].strip(),
        other=data["other"].strip(),
        table2=Table2(
            rules=tuple(table2["rules"]),
            normative=tuple(table2["normative"]),
            licensing=table2["licensing"],
            penalty=table2["penalty"],
            enforcement=table2["enforcement"],
            fees=Decimal(str(table2["fees"])),
        ),
        table3=tuple((key, tuple(data["table3"][key])) for key in TABLE3_KEYS),
        table4=tuple((key, tuple(data["table4"][key])) for key, _ in TABLE4_GROUPS),
        source=shown,
        positions={dotted(p) or "": v for p, v in located.values.items()},
    )


def report_markdown(report: AnnualReport) -> str:
    """The report's text as one Markdown document: the catalog record's body (search, feeds)."""
    parts = [f"## {SECTIONS[0]}", *([report.overview_intro] if report.overview_intro else [])]
    for (_, text), (_, label) in zip(report.overview, OVERVIEW_PARTS, strict=True):
        parts += [f"### {label}", text]
    parts += [f"## {SECTIONS[4]}", report.problems, f"## {SECTIONS[5]}", report.other]
    return "\n\n".join(parts) + "\n"


def report_record(report: AnnualReport) -> Record:
    """The report as an entry of its body's catalog: its own 索引号, listed, searched, in feeds."""
    return Record(
        id=report.record_id,
        title=report.title,
        category=REPORT_CATEGORY,
        summary=(
            f"{report.body_name}{report.year}年政府信息公开工作总体情况、主动公开和依申请公开"
            "统计、行政复议和行政诉讼情况、存在的主要问题及改进情况。"
        ),
        written=report.published,
        published=report.published,
        department=report.department,
        slug=report_slug(report),
        source=report.source,
        body=report_markdown(report),
        body_line=1,
        topic=REPORT_TOPIC,
        keywords=("政府信息公开", "年度报告", str(report.year)),
        positions={"id": report.position("id"), "published": report.position("published")},
    )


def report_slug(report: AnnualReport) -> str:
    """``annual-report/2025`` in the department's folder; the government's, listed in its
    department's catalog beside that department's own, is ``annual-report/2025-government``."""
    suffix = f"-{GOVERNMENT}" if report.body == GOVERNMENT else ""
    return f"annual-report/{report.year}{suffix}"
