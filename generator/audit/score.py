"""The supervision group's numbers: a score per department and for the site, with the
indicators' arithmetic (any veto fails; otherwise 100 minus deductions, each indicator capped at
its total; below the pass mark fails), and the per-department table of the HTML report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from generator.audit.columns import Column, stale_since
from generator.audit.model import AuditConfig, Finding, Level
from generator.audit.timeliness import is_late
from generator.content.workdays import HolidayCalendar
from generator.core.records import Catalog, Department, Record

VERDICT_ZH = {"veto": "单项否决，不合格", "fail": "不合格", "pass": "合格"}


@dataclass(frozen=True)
class Score:
    score: float
    verdict: str  # veto | fail | pass
    vetoes: int
    deductions: int
    notices: int


@dataclass(frozen=True)
class CategoryRow:
    category: str
    name: str
    monthly: tuple[int, ...]  # records per month, oldest month first
    total: int
    newest: date | None
    stale: bool


@dataclass(frozen=True)
class DepartmentSummary:
    id: str
    name: str
    short_name: str
    score: Score
    records: int
    timely: float | None  # share published within the Art. 26 limit (None: nothing to judge)
    months: tuple[str, ...]  # YYYY-MM, the twelve months up to the check day
    rows: tuple[CategoryRow, ...]
    findings: tuple[Finding, ...]

    @property
    def stale_categories(self) -> list[str]:
        return [r.category for r in self.rows if r.stale]

    @property
    def empty_categories(self) -> list[str]:
        return [r.category for r in self.rows if not r.total]


def score(findings: Iterable[Finding], config: AuditConfig) -> Score:
    findings = list(findings)
    counts = Counter(f.code for f in findings if f.severity is Level.DEDUCTION)
    lost = sum(
        min(rule.cap, rule.points * counts[code])
        for code, rule in config.deductions.items()
        if counts[code]
    )
    value = round(max(0.0, 100 - lost), 1)
    vetoes = sum(f.severity is Level.VETO for f in findings)
    verdict = "veto" if vetoes else ("fail" if value < config.pass_score else "pass")
    notices = sum(f.severity is Level.NOTICE for f in findings)
    return Score(value, verdict, vetoes, sum(counts.values()), notices)


def last_months(on: date, count: int = 12) -> tuple[str, ...]:
    index = on.year * 12 + on.month - 1
    return tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1))


def summarise(
    catalog: Catalog,
    columns: Sequence[Column],
    findings: Sequence[Finding],
    config: AuditConfig,
    calendar: HolidayCalendar,
    on: date,
) -> list[DepartmentSummary]:
    kinds = {c.category: c.kind for c in columns if c.key.startswith("categories/")}
    months = last_months(on)
    by_department: dict[str, list[Record]] = {d: [] for d in catalog.departments}
    for record in catalog.records:
        by_department.setdefault(record.department, []).append(record)
    return [
        _summary(
            department,
            by_department[department.id],
            catalog,
            kinds,
            findings,
            config,
            calendar,
            on,
            months,
        )
        for department in catalog.departments.values()
    ]


def _summary(
    department: Department,
    records: list[Record],
    catalog: Catalog,
    kinds: dict[str | None, str],
    findings: Sequence[Finding],
    config: AuditConfig,
    calendar: HolidayCalendar,
    on: date,
    months: tuple[str, ...],
) -> DepartmentSummary:
    own = tuple(f for f in findings if f.department == department.id)
    rows = []
    for category in catalog.categories.values():
        chosen = [r for r in records if r.category == category.id]
        month_counts = Counter(r.published.strftime("%Y-%m") for r in chosen)
        newest = max((r.published for r in chosen), default=None)
        since = stale_since(kinds.get(category.id, "long"), config, on)
        stale = newest is not None and since is not None and newest < since
        rows.append(
            CategoryRow(
                category.id,
                category.short_name,
                tuple(month_counts[m] for m in months),
                len(chosen),
                newest,
                stale,
            )
        )
    return DepartmentSummary(
        department.id,
        department.name,
        department.short_name,
        score(own, config),
        len(records),
        _timely(records, calendar, catalog.site.deadlines.proactive),
        months,
        tuple(rows),
        own,
    )


def _timely(records: list[Record], calendar: HolidayCalendar, limit: int) -> float | None:
    judged = [late for late in (is_late(r, calendar, limit) for r in records) if late is not None]
    if not judged:
        return None
    return round(1 - sum(judged) / len(judged), 3)
