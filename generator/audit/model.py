"""Audit values: findings, their severities, the thresholds read from ``site.yml`` (``audit:``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """How an inspection weighs a finding (国办秘函〔2019〕19号: 单项否决, 扣分; ours: 提示)."""

    VETO = "veto"
    DEDUCTION = "deduction"
    NOTICE = "notice"


LEVEL_ZH = {Level.VETO: "单项否决", Level.DEDUCTION: "扣分", Level.NOTICE: "提示"}

# Stable finding codes; README (监督检查) and the weekly workflow refer to them.
CODES = {
    "stale-home": "首页不更新",
    "stale-column": "栏目不更新",
    "empty-column": "空白栏目",
    "backdated": "发布日期早于实际公开（疑似伪造发稿日期）",
    "late-disclosure": "超过主动公开时限",
    "interpretation-late": "政策解读未同步发布",
    "expired-valid": "失效、废止未标注",
    "report-missing": "年度报告未按时发布",
    "guide-stale": "公开指南未随联系方式更新",
    "broken-link": "链接不可用",
}

INSPECTION = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
REGULATION = "《中华人民共和国政府信息公开条例》"
DEVELOPMENT = "国办发〔2017〕47号《政府网站发展指引》"
CATALOG_NOTICE = "国办秘函〔2009〕6号及中国政府网政府信息公开目录有关要求"


@dataclass(frozen=True, order=True)
class Finding:
    """One thing an inspector would mark, with where it is and what to do about it."""

    code: str
    severity: Level
    department: str | None  # department id, None for the site as a whole
    category: str | None  # category id, or a special column ("art20/4")
    record: str | None  # 索引号, or a file/page path when there is no record
    rule: str  # the document and item it comes from
    message: str  # Chinese: what was found and what to do

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "department": self.department,
            "category": self.category,
            "record": self.record,
            "rule": self.rule,
            "message": self.message,
        }


@dataclass(frozen=True)
class Deduction:
    points: float  # per finding
    cap: float  # the most one indicator can cost (the indicators cap each at its total)


DEFAULT_DEDUCTIONS = {
    "stale-column": Deduction(2, 20),
    "empty-column": Deduction(2, 10),
    "backdated": Deduction(5, 20),
    "late-disclosure": Deduction(0.5, 10),
    "interpretation-late": Deduction(1, 5),
    "expired-valid": Deduction(1, 10),
    "report-missing": Deduction(5, 10),
    "guide-stale": Deduction(2, 5),
    "broken-link": Deduction(0.5, 10),
}


@dataclass(frozen=True)
class AuditConfig:
    """Thresholds; the defaults are the inspection indicators' figures (site.yml ``audit:``)."""

    home_days: int = 14  # 首页: nothing new within 2 weeks
    home_warn_days: int = 10  # a notice before the veto (monitoring vendors warn at 10 days)
    news_days: int = 14  # 动态、要闻类栏目: 2 weeks
    notice_months: int = 6  # 通知公告、政策文件类栏目: 6 months
    long_months: int = 12  # 应更新但长期未更新: our reading of 长期
    stale_veto: int = 5  # 动态/要闻 + 通知公告/政策文件 columns not updated, in total
    long_stale_veto: int = 10
    empty_veto: int = 5
    news_columns: tuple[str, ...] = ()  # category ids; default: ColumnType 工作动态
    notice_columns: tuple[str, ...] = ()  # default: ColumnType 政策文件 / 通知公告
    static_columns: tuple[str, ...] = ("duties",)  # 概况类: not expected to change regularly
    interpretation_days: int = 3  # working days between a policy and its interpretation
    needs_interpretation: tuple[str, ...] = ()  # 索引号 of policies that need one
    backdated_days: int | None = None  # working days; None: deadlines.proactive (Art. 26)
    history_baseline: str | None = None  # YYYY-MM-DD: records first committed then or before
    pass_score: float = 60
    deductions: Mapping[str, Deduction] = field(default_factory=lambda: dict(DEFAULT_DEDUCTIONS))


def parse_config(data: Mapping[str, Any] | None) -> AuditConfig:
    """``site.yml``'s ``audit:`` mapping (already schema-checked) → ``AuditConfig``."""
    data = dict(data or {})
    points = dict(DEFAULT_DEDUCTIONS)
    for code, value in (data.pop("deductions", None) or {}).items():
        base = points.get(code, Deduction(1, 10))
        points[code] = Deduction(
            float(value.get("points", base.points)), float(value.get("cap", base.cap))
        )
    known = {f.name for f in fields(AuditConfig)}
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known
    }
    return replace(AuditConfig(), deductions=points, **values)
