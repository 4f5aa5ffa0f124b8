"""表三 (收到和处理政府信息公开申请情况) computed from the register: counts only.

The shape is the one the annual report file uses: each row seven integers, the six applicant
columns in the national order, then 总计.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from generator.register.model import APPLICANT_TYPES, OUTCOMES, Application

# Row key → the comment the annual report file gives it (the lead's shape, word for word).
ROWS: dict[str, str] = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三（一）予以公开",
    "partly_granted": "三（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "refused_state_secret": "三（三）不予公开 1.属于国家秘密",
    "refused_prohibited_by_law": "  2.其他法律行政法规禁止公开",
    "refused_security_stability": "  3.危及“三安全一稳定”",
    "refused_third_party": "  4.保护第三方合法权益",
    "refused_internal_affairs": "  5.属于三类内部事务信息",
    "refused_process_info": "  6.属于四类过程性信息",
    "refused_enforcement_file": "  7.属于行政执法案卷",
    "refused_inquiry": "  8.属于行政查询事项",
    "unavailable_not_held": "三（四）无法提供 1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "  2.没有现成信息需要另行制作",
    "unavailable_unclear": "  3.补正后申请内容仍不明确",
    "rejected_petition": "三（五）不予处理 1.信访举报投诉类申请",
    "rejected_repeat": "  2.重复申请",
    "rejected_publication": "  3.要求提供公开出版物",
    "rejected_mass_repeat": "  4.无正当理由大量反复申请",
    "rejected_confirmation": "  5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": (
        "三（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    ),
    "other_no_fee": ("  2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "other": "  3.其他",
    "total": "三（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
assert list(ROWS)[2:-2] == list(OUTCOMES)

Table3 = dict[str, list[int]]


def table3(applications: Iterable[Application], year: int, body: str = "government") -> Table3:
    """Per row, counts per applicant column plus 总计.

    一 received in ``year``; 二 received before it and not answered on 31 Dec of the year
    before; the result rows: answered in ``year``; 四 received by 31 Dec and not answered then.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    counts = {key: [0] * len(APPLICANT_TYPES) for key in ROWS}
    for app in applications:
        if app.body != body:
            continue
        column = APPLICANT_TYPES.index(app.applicant_type)
        answer = app.answer
        if first <= app.received <= last:
            counts["new"][column] += 1
        if app.received < first and not app.answered_by(first - timedelta(days=1)):
            counts["carried_over"][column] += 1
        if answer is not None and first <= answer.date <= last:
            counts[answer.outcome][column] += 1
            counts["total"][column] += 1
        if app.received <= last and not app.answered_by(last):
            counts["carried_forward"][column] += 1
    return {key: [*row, sum(row)] for key, row in counts.items()}


def table3_from_register(register_dir: Path, year: int, body: str) -> dict[str, list[int]]:
    """表三 of ``body`` for ``year`` from the register directory, for ``catalog new-report``.

    Files with errors are left out of the counts; ``catalog requests stats`` lists them.
    """
    from generator.core.settings import REPO_ROOT
    from generator.register.store import load_request_schema, read_register

    register, _ = read_register(register_dir, load_request_schema(REPO_ROOT / "catalog_schema"))
    return table3(register.applications, year, body)


def table3_yaml(table: Table3) -> str:
    """The ``table3:`` block exactly as the annual report file writes it, one row a line."""
    width = max(len(key) for key in ROWS) + 2
    lines = ["table3:                       # 表三 收到和处理政府信息公开申请情况"]
    for key, title in ROWS.items():
        values = ", ".join(str(n) for n in table[key])
        lines.append(f"  {(key + ':').ljust(width)}[{values}]   # {title}")
    return "\n".join(lines) + "\n"


def balance_problems(table: Table3) -> list[str]:
    """The 勾稽关系 of 表三, per column: 一 + 二 = 三（七） + 四; （七） = the sum of the results."""
    found = []
    for i, column in enumerate([*APPLICANT_TYPES, "总计"]):
        left = table["new"][i] + table["carried_over"][i]
        right = table["total"][i] + table["carried_forward"][i]
        if left != right:
            found.append(f"{column}列：一 + 二 = {left}，三（七） + 四 = {right}")
        results = sum(table[key][i] for key in OUTCOMES)
        if results != table["total"][i]:
            found.append(f"{column}列：各办理结果之和 {results} ≠ 三（七） {table['total'][i]}")
    return found
