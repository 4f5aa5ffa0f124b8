"""The audit as text for people, JSON for CI (the HTML report is ``html.py``)."""

from __future__ import annotations

import json
from typing import Any

from generator.audit.model import CODES, LEVEL_ZH
from generator.audit.run import AuditReport
from generator.audit.score import VERDICT_ZH, DepartmentSummary


def as_json(report: AuditReport) -> str:
    document: dict[str, Any] = {
        "on": report.on.isoformat(),
        "site": report.site_name,
        "veto": report.veto,
        "score": report.site.score,
        "verdict": report.site.verdict,
        "findings": [f.as_json() for f in report.findings],
        "departments": [_department_json(d) for d in report.departments],
        "notes": list(report.notes),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _department_json(d: DepartmentSummary) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "score": d.score.score,
        "verdict": d.score.verdict,
        "veto": d.score.verdict == "veto",
        "records": d.records,
        "timely_rate": d.timely,
        "stale_categories": d.stale_categories,
        "empty_categories": d.empty_categories,
        "findings": {
            "veto": d.score.vetoes,
            "deduction": d.score.deductions,
            "notice": d.score.notices,
        },
    }


def as_text(report: AuditReport) -> str:
    lines = [f"{report.site_name} 政府信息公开目录监督检查（检查日 {report.on}）", ""]
    for f in report.findings:
        where = " ".join(x for x in (f.department, f.category, f.record) if x)
        lines.append(f"{LEVEL_ZH[f.severity]} [{f.code}] {CODES[f.code]}：{where}")
        lines.append(f"    {f.message}")
        lines.append(f"    依据：{f.rule}")
    if report.findings:
        lines.append("")
    for note in report.notes:
        lines.append(f"说明：{note}")
    lines.append("")
    lines.append("部门得分：")
    for d in report.departments:
        rate = "—" if d.timely is None else f"{d.timely:.0%}"
        lines.append(
            f"  {d.name}（{d.id}）：{d.score.score:g} 分，{VERDICT_ZH[d.score.verdict]}；"
            f"信息 {d.records} 条，及时率 {rate}"
        )
    s = report.site
    verdict = "存在单项否决项" if report.veto else "无单项否决项"
    lines.append("")
    lines.append(
        f"结论：{verdict}；全站 {s.score:g} 分，{VERDICT_ZH[s.verdict]}（单项否决 {s.vetoes} 项，"
        f"扣分 {s.deductions} 项，提示 {s.notices} 项）。"
    )
    return "\n".join(lines) + "\n"
