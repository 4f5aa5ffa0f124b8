"""Record-level findings: dates that say one thing while git or the calendar says another."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from generator.audit.history import History
from generator.audit.model import DEVELOPMENT, INSPECTION, REGULATION, AuditConfig, Finding, Level
from generator.content.provenance import is_imported
from generator.content.workdays import HolidayCalendar, OutOfCoverage
from generator.core.records import Catalog, Record

VALIDITY_ZH = {"valid": "有效", "expired": "失效", "repealed": "废止", "amended": "已修订"}


def disclosure_start(record: Record) -> date:
    """The day the information was formed or changed (Art. 26 counts from it)."""
    if record.updated is not None and record.updated <= record.published:
        return max(record.written, record.updated)
    return record.written


def working_days(calendar: HolidayCalendar, first: date, last: date) -> int | None:
    try:
        return calendar.workdays_between(first, last)
    except OutOfCoverage:
        return None


def is_late(record: Record, calendar: HolidayCalendar, limit: int) -> bool | None:
    """Published more than ``limit`` working days after forming; None when the calendar cannot say."""
    used = working_days(calendar, disclosure_start(record), record.published)
    return None if used is None else used > limit


def check_late(catalog: Catalog, calendar: HolidayCalendar) -> Iterator[Finding]:
    limit = catalog.site.deadlines.proactive
    for r in catalog.records:
        if not is_late(r, calendar, limit):
            continue
        start = disclosure_start(r)
        used = working_days(calendar, start, r.published)
        yield _finding(
            "late-disclosure",
            Level.DEDUCTION,
            r,
            f"{REGULATION} 第二十六条",
            f"{r.source}：发布日期 {r.published} 距成文或变更日期 {start} 已过 {used} 个工作日，"
            f"超过 {limit} 个工作日的主动公开时限。今后请在信息形成或变更之日起 {limit} 个工作日内发布；"
            "如日期填写有误，请按原件改正 written（成文日期）或 published（发布日期）。",
        )


def check_backdated(
    catalog: Catalog,
    calendar: HolidayCalendar,
    history: History,
    config: AuditConfig,
    cwd: Path,
) -> Iterator[Finding]:
    limit = config.backdated_days or catalog.site.deadlines.proactive
    baseline = date.fromisoformat(config.history_baseline) if config.history_baseline else None
    for r in catalog.records:
        added = history.added(cwd / r.source)
        if added is None or added.imported or (baseline and added.day <= baseline):
            continue
        if is_imported((cwd / r.source).read_text(encoding="utf-8", errors="replace")):
            continue
        used = working_days(calendar, r.published, added.day)
        if used is None or used <= limit:
            continue
        yield _finding(
            "backdated",
            Level.VETO,
            r,
            f"{INSPECTION} 单项否决·严重错误（伪造发稿日期）",
            f"{r.source}：published（发布日期）写的是 {r.published}，但这条记录 {added.day} 才第一次进入"
            f"仓库（提交 {added.commit[:10]}），相差 {used} 个工作日，超过 {limit} 个工作日。网站上的发布日期"
            "必须是本站实际公开的日期。请把 published 改为实际上线日期（晚于成文日期 20 个工作日的，"
            "在审核时说明逾期原因）；确属批量导入的历史信息，请用 catalog import 导入（文件第 2 行带导入标记），或让导入提交带 Catalog-Import: yes 尾注。",
        )


def check_interpretations(
    catalog: Catalog, calendar: HolidayCalendar, config: AuditConfig, on: date
) -> Iterator[Finding]:
    by_id = catalog.by_id()
    days = config.interpretation_days
    rule = "政策解读“三同步”（国办发〔2016〕80号；地方规定不超过 3 个工作日）"
    interpreted: set[str] = set()
    for r in catalog.records:
        policy = by_id.get(r.interprets or "")
        if policy is None:
            continue
        interpreted.add(policy.id)
        used = working_days(calendar, policy.published, r.published)
        if used is None or used <= days:
            continue
        yield _finding(
            "interpretation-late",
            Level.DEDUCTION,
            r,
            rule,
            f"{r.source}：政策解读发布于 {r.published}，所解读的政策 {policy.id}（{policy.source}）"
            f"发布于 {policy.published}，相差 {used} 个工作日，超过 {days} 个工作日。"
            "政策解读应与政策文件同步发布；请今后与文件同日发布解读。",
        )
    for policy_id in config.needs_interpretation:
        policy = by_id.get(policy_id)
        if policy is None or policy_id in interpreted:
            continue
        due = _add(calendar, policy.published, days)
        if due is None or on <= due:
            continue
        yield _finding(
            "interpretation-late",
            Level.DEDUCTION,
            policy,
            rule,
            f"{policy.source}：site.yml 的 audit.needs_interpretation 把这份政策列为需要解读，"
            f"但发布 {days} 个工作日后（{due}）仍没有解读它的记录。请发布政策解读，"
            f"并在解读记录中写 interprets: {policy.id}。",
        )


def check_validity(catalog: Catalog, on: date) -> Iterator[Finding]:
    rule = f"{DEVELOPMENT}（规范性文件修改、废止、失效应在文件页面标注）"
    for r in catalog.records:
        if r.validity == "valid" and r.expires is not None and r.expires < on:
            yield _finding(
                "expired-valid",
                Level.DEDUCTION,
                r,
                rule,
                f"{r.source}：expires（有效期至）为 {r.expires}，已经过期，但 validity（有效性）仍是"
                "“有效”。请改为 validity: expired；如有效期已延长，请改正 expires。",
            )
        if r.validity == "valid" and r.repealed_by:
            yield _finding(
                "expired-valid",
                Level.DEDUCTION,
                r,
                rule,
                f"{r.source}：repealed_by（废止文件索引号）写明本文件已被 {r.repealed_by} 废止或替代，"
                "但 validity（有效性）仍是“有效”。请改为 validity: repealed（废止）或 amended（已修订）。",
            )


def _finding(code: str, level: Level, record: Record, rule: str, message: str) -> Finding:
    return Finding(code, level, record.department, record.category, record.id, rule, message)


def _add(calendar: HolidayCalendar, start: date, days: int) -> date | None:
    try:
        return calendar.add_workdays(start, days)
    except OutOfCoverage:
        return None
