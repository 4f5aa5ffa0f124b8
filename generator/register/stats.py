"""表三 (收到和处理政府信息公开申请情况) computed from the register: counts only.

The shape is the one the annual report file uses: each row seven integers, the six applicant
columns in the national order, then 总计.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from generator.register.model import APPLICANT_TYPES, OUTCOMES, Application

# Row key → the report's row text, in the report's order.
ROWS: dict[str, str] = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    **{key: f"三 {group}：{text}" for key, (group, text) in OUTCOMES.items()},
    "total": "三（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

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
