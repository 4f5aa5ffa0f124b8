"""Yearly and standing duties: annual reports on time (Art. 49), a guide kept current (Art. 12).

The annual reports live in ``content/reports/<year>/<body>.yml`` with a ``published`` date
(issue #13). Until ``generator/content/reports.py`` exists this module reads just those two
facts itself; ``<body>`` is a department id, or ``government`` for the people's government.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.audit.history import History
from generator.audit.model import REGULATION, Finding, Level
from generator.content.load import load_yaml_file
from generator.core.records import Catalog

GOVERNMENT = "government"
OFFICE_FIELDS = ("name", "address", "postal_address", "postcode", "hours", "phone", "fax", "email")


@dataclass(frozen=True)
class AnnualReport:
    year: int
    body: str
    published: date | None
    source: str


def read_reports(folder: Path) -> list[AnnualReport] | None:
    """Every ``<year>/<body>.yml`` with its ``published`` date; None when there is no folder."""
    if not folder.is_dir():
        return None
    found = []
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]/*.yml")):
        located, _ = load_yaml_file(path, max_bytes=2 * 1024 * 1024)
        data: Mapping[str, Any] = located.data if located is not None else {}
        found.append(
            AnnualReport(
                int(path.parent.name), path.stem, _date(data.get("published")), path.as_posix()
            )
        )
    return found


def due_date(year: int, body: str) -> date:
    """Departments by 31 January, the people's government by 31 March of the next year."""
    return date(year + 1, 3, 31) if body == GOVERNMENT else date(year + 1, 1, 31)


def check_reports(catalog: Catalog, reports: list[AnnualReport], on: date) -> Iterator[Finding]:
    rule = f"{REGULATION} 第四十九条"
    by_key = {(r.year, r.body): r for r in reports}
    bodies = [GOVERNMENT, *catalog.departments]
    first = min((r.year for r in reports), default=on.year - 1)
    for year in range(first, on.year):
        for body in bodies:
            due = due_date(year, body)
            report = by_key.get((year, body))
            name = catalog.site.name if body == GOVERNMENT else catalog.departments[body].name
            department = None if body == GOVERNMENT else body
            where = f"content/reports/{year}/{body}.yml"
            if report is None and on > due:
                yield Finding(
                    "report-missing",
                    Level.DEDUCTION,
                    department,
                    None,
                    where,
                    rule,
                    f"{name}的 {year} 年政府信息公开工作年度报告应在 {due} 前发布，检查日 {on} 仍没有"
                    f"（{where} 不存在）。请尽快编制并发布年度报告。",
                )
            elif report is not None and report.published and report.published > due:
                yield Finding(
                    "report-missing",
                    Level.DEDUCTION,
                    department,
                    None,
                    report.source,
                    rule,
                    f"{report.source}：{name}的 {year} 年年度报告发布于 {report.published}，晚于法定期限"
                    f" {due}。迟发已成事实，请在下一年度按期发布，并在报告“存在的主要问题及改进情况”中说明。",
                )


def check_guide(content: Path, history: History) -> Iterator[Finding]:
    """The guide (指南) must change after the office's contact data in ``site.yml`` changes."""
    guide = content / "guide.md"
    changed = _office_changed(content / "site.yml", history)
    guide_day = history.last_changed(guide) if guide.is_file() else None
    if changed is None or guide_day is None or guide_day >= changed:
        return
    yield Finding(
        "guide-stale",
        Level.DEDUCTION,
        None,
        None,
        "guide.md",
        f"{REGULATION} 第十二条（公开指南应当及时更新）",
        f"site.yml 中公开工作机构（office）的联系方式在 {changed} 改过，但 guide.md（政府信息公开指南）"
        f"最后一次修改是 {guide_day}。请核对指南正文中的机构名称、地址、办公时间和联系电话，更新后提交。",
    )


def _office_changed(site_yml: Path, history: History) -> date | None:
    """The day the office's contact data last differed from the version before (None: never)."""
    last, previous = None, None
    for commit, day in history.changes(site_yml):
        data = history.yaml_at(commit, site_yml)
        office = data.get("office") if isinstance(data, dict) else None
        current = tuple(str((office or {}).get(k, "")) for k in OFFICE_FIELDS)
        if previous is not None and current != previous:
            last = day
        previous = current
    return last


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None
