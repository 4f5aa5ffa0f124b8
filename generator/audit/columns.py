"""The site's columns as an inspector sees them: is the home page fresh, is any column stale or
empty without its 备注说明 (国办秘函〔2019〕19号: 网站不更新, 栏目不更新, 空白栏目)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from generator.audit.model import (
    CATALOG_NOTICE,
    INSPECTION,
    AuditConfig,
    Finding,
    Level,
)
from generator.core.records import Catalog, EmptyNotes, Record
from generator.pages.listings import chinese_numeral

NEWS_TYPES = frozenset({"工作动态"})
NOTICE_TYPES = frozenset({"政策文件", "通知公告"})
CLASS_ZH = {
    "news": "动态、要闻类栏目",
    "notice": "通知公告、政策文件类栏目",
    "long": "应定期更新的栏目",
    "static": "概况类栏目",
    "special": "专题栏目",
}


@dataclass(frozen=True)
class Column:
    key: str  # its folder on the site: categories/policies, departments/edu, art20/4
    name: str
    kind: str  # news | notice | long | static | special (how often it must change)
    department: str | None
    category: str | None
    count: int
    newest: date | None
    note: str | None  # the configured 备注说明, when it has one


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for length in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, length))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def site_columns(catalog: Catalog, config: AuditConfig, notes: EmptyNotes) -> list[Column]:
    by_category = _group(catalog.records, lambda r: [r.category])
    by_department = _group(catalog.records, lambda r: [r.department])
    by_item = _group(catalog.records, lambda r: [str(n) for n in r.art20 or _art20(catalog, r)])
    columns = [
        _column(
            f"categories/{c.id}",
            c.name,
            _kind(c.id, c.column_type, config),
            None,
            c.id,
            by_category.get(c.id, ()),
            notes.categories.get(c.id) or notes.default or None,
        )
        for c in catalog.categories.values()
    ]
    columns += [
        _column(
            f"departments/{d.id}",
            d.name,
            "long",
            d.id,
            None,
            by_department.get(d.id, ()),
            notes.departments.get(d.id) or notes.default or None,
        )
        for d in catalog.departments.values()
    ]
    columns += [
        _column(
            f"art20/{n}",
            f"条例第二十条第（{chinese_numeral(n)}）项：{name}",
            "special",
            None,
            f"art20/{n}",
            by_item.get(str(n), ()),
            notes.default or None,
        )
        for n, name in sorted(catalog.art20.items())
    ]
    return columns


def check_home(catalog: Catalog, config: AuditConfig, on: date) -> list[Finding]:
    """Veto after ``home_days``; a notice from ``home_warn_days`` on, as monitoring vendors warn."""
    newest = max((r.published for r in catalog.records), default=None)
    age = (on - newest).days if newest is not None else None
    if age is not None and age <= config.home_warn_days:
        return []
    found = f"最新一条信息发布于 {newest}" if newest else "目录中没有任何已发布的信息"
    if newest is not None and age is not None and age <= config.home_days:
        veto_day = newest + timedelta(days=config.home_days + 1)
        level, what = Level.NOTICE, f"已有 {age} 天没有新信息（{found}）。到 {veto_day} 仍无更新"
        what += "即构成单项否决。请及时发布新的政府信息。"
    else:
        level, what = Level.VETO, f"超过 {config.home_days} 天没有新信息（{found}，检查日 {on}）。"
        what += "检查指标规定监测 2 周首页栏目无信息更新即单项否决。请尽快发布新的政府信息。"
    rule = f"{INSPECTION} 单项否决·网站不更新"
    return [Finding("stale-home", level, None, None, "index.html", rule, f"首页{what}")]


def check_stale(columns: Sequence[Column], config: AuditConfig, on: date) -> list[Finding]:
    short = [c for c in columns if c.count and _short_stale(c, config, on)]
    long = [c for c in columns if c.count and _long_stale(c, config, on)]
    veto = {
        c.key
        for group, limit in ((short, config.stale_veto), (long, config.long_stale_veto))
        if len(group) >= limit
        for c in group
    }
    return [
        Finding(
            "stale-column",
            Level.VETO if c.key in veto else Level.DEDUCTION,
            c.department,
            c.category,
            c.key,
            f"{INSPECTION} 单项否决·栏目不更新",
            f"栏目“{c.name}”（{CLASS_ZH[c.kind]}）最近一次发布是 {c.newest}，{_limit_zh(c, config)}"
            f"没有更新（检查日 {on}）。本次检查共 {len(short)} 个动态、通知公告和政策文件类栏目未按时更新"
            f"（达到 {config.stale_veto} 个即单项否决），{len(long)} 个应更新栏目长期未更新（达到 "
            f"{config.long_stale_veto} 个即单项否决）。请补充发布该栏目的信息。",
        )
        for c in _unique(short + long)
    ]


def check_empty(columns: Sequence[Column], config: AuditConfig) -> list[Finding]:
    empty = [c for c in columns if not c.count and not c.note]
    level = Level.VETO if len(empty) >= config.empty_veto else Level.DEDUCTION
    return [
        Finding(
            "empty-column",
            level,
            c.department,
            c.category,
            c.key,
            f"{INSPECTION} 单项否决·空白栏目；{CATALOG_NOTICE}",
            f"栏目“{c.name}”没有任何信息，也没有配置备注说明。本次检查共 {len(empty)} 个这样的空白栏目"
            f"（达到 {config.empty_veto} 个即单项否决）。确实没有应公开信息的，请在 site.yml 的 "
            f"empty_notes（空栏目备注说明）中{_note_key(c)}写明原因和依据；否则请发布该栏目的信息。",
        )
        for c in empty
    ]


def stale_since(kind: str, config: AuditConfig, on: date) -> date | None:
    """The newest date a column of this kind may show without being stale (None: never)."""
    if kind == "news":
        return on - timedelta(days=config.news_days)
    if kind == "notice":
        return months_before(on, config.notice_months)
    if kind == "long":
        return months_before(on, config.long_months)
    return None


def _short_stale(column: Column, config: AuditConfig, on: date) -> bool:
    since = stale_since(column.kind, config, on) if column.kind in {"news", "notice"} else None
    return since is not None and column.newest is not None and column.newest < since


def _long_stale(column: Column, config: AuditConfig, on: date) -> bool:
    if column.kind not in {"news", "notice", "long"} or column.newest is None:
        return False
    return column.newest < months_before(on, config.long_months)


def _limit_zh(column: Column, config: AuditConfig) -> str:
    if column.kind == "news":
        return f"已超过 {config.news_days} 天"
    if column.kind == "notice":
        return f"已超过 {config.notice_months} 个月"
    return f"已超过 {config.long_months} 个月"


def _note_key(column: Column) -> str:
    if column.kind == "special":
        return "用 default "
    if column.department:
        return f"用 departments 下的 {column.department} "
    return f"用 categories 下的 {column.category} "


def _kind(category: str, column_type: str, config: AuditConfig) -> str:
    if category in config.static_columns:
        return "static"
    if category in config.news_columns or (not config.news_columns and column_type in NEWS_TYPES):
        return "news"
    configured = category in config.notice_columns
    if configured or (not config.notice_columns and column_type in NOTICE_TYPES):
        return "notice"
    return "long"


def _column(
    key: str,
    name: str,
    kind: str,
    department: str | None,
    category: str | None,
    records: Sequence[Record],
    note: str | None,
) -> Column:
    newest = max((r.published for r in records), default=None)
    return Column(key, name, kind, department, category, len(records), newest, note)


def _group(
    records: Iterable[Record], keys: Callable[[Record], Iterable[str]]
) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = {}
    for record in records:
        for key in keys(record):
            groups.setdefault(key, []).append(record)
    return groups


def _art20(catalog: Catalog, record: Record) -> tuple[int, ...]:
    category = catalog.categories.get(record.category)
    return category.art20 if category else ()


def _unique(columns: Iterable[Column]) -> list[Column]:
    return list({c.key: c for c in columns}.values())
