"""What the register commands print, as text or JSON; personal data always masked here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.content.pii import find_pii
from generator.content.workdays import HolidayCalendar
from generator.core.records import Deadlines
from generator.register.clock import Schedule, schedule, working_days_left
from generator.register.model import OUTCOMES, Application, Register

_EMAIL = re.compile(r"([^\s@]{1,64})@([^\s@]+)")


def mask_name(name: str) -> str:
    """张三丰 → 张**; an organisation keeps its first two characters."""
    if not name:
        return ""
    keep = 2 if len(name) > 4 else 1
    return name[:keep] + "*" * max(1, len(name) - keep)


def mask_contact(contact: str) -> str:
    """Phones and ID numbers keep a few digits, e-mail its domain, anything else two characters."""
    if not contact:
        return ""
    found = find_pii(contact)
    if found:
        return "；".join(match.masked for match in found)
    email = _EMAIL.search(contact)
    if email:
        return f"{email[1][:1]}***@{email[2]}"
    digits = re.sub(r"\D", "", contact)
    if len(digits) >= 7 and len(digits) >= len(contact.replace(" ", "")) - 2:
        return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]
    return contact[:2] + "***"


@dataclass(frozen=True)
class DueItem:
    app: Application
    schedule: Schedule
    working_days_left: int | None

    today: date

    @property
    def overdue(self) -> bool:
        return self.schedule.due is not None and self.schedule.due < self.today

    def to_json(self) -> dict[str, Any]:
        due = self.schedule.due
        return {
            "id": self.app.id,
            "due": due.isoformat() if due else None,
            "working_days_left": self.working_days_left,
            "overdue": self.overdue,
            "unknown": self.schedule.unknown,
            "kind": self.schedule.kind,
            "status": self.schedule.status,
            "reason": self.schedule.reason,
            "body": self.app.body,
        }


def due_items(
    register: Register, calendar: HolidayCalendar, limits: Deadlines, today: date
) -> list[DueItem]:
    """Open applications, overdue first, then by working days left; unknown dates last."""
    items = []
    for app in register.applications:
        plan = schedule(app, calendar, limits)
        if plan.kind == "closed":
            continue
        left = None
        if plan.due is not None and calendar.covers(today):
            left = working_days_left(calendar, today, plan.due)
        items.append(DueItem(app, plan, left, today))
    return sorted(
        items,
        key=lambda i: (
            i.working_days_left is None,
            i.working_days_left or 0,
            i.schedule.due or today,
        ),
    )


_AFTER_APPLICANT_DEADLINE = {
    "correction": "：申请人逾期未补正，可按“逾期不补正”（other_no_correction）终止办理",
    "fee": "：申请人逾期未缴费，可按“逾期未缴费”（other_no_fee）终止办理",
}


def due_text(items: list[DueItem], today: date) -> str:
    if not items:
        return f"截至 {today}，没有待办的申请。\n"
    lines = [f"截至 {today}，待办申请 {len(items)} 件（按剩余工作日排序）："]
    for item in items:
        due = item.schedule.due
        if due is None:
            when = "期限待定" if item.schedule.unknown else "无期限（等待申请人）"
        elif item.overdue:
            when = f"{due} 已逾期（{-(item.working_days_left or 0)} 个工作日）"
            when += _AFTER_APPLICANT_DEADLINE.get(item.schedule.kind, "")
        elif due == today:
            when = f"{due} 今天到期"
        else:
            when = f"{due} 前，剩余 {item.working_days_left} 个工作日"
        lines.append(f"{item.app.id}  [{item.schedule.status}]  {when}")
        lines += [f"    {step}" for step in item.schedule.steps]
    return "\n".join(lines) + "\n"


def application_json(app: Application, plan: Schedule) -> dict[str, Any]:
    """``show`` and ``new``: the application with masked name and contact, and its clock (the
    subject stays: staff need it, and it is only ever printed to the office's terminal)."""
    return {
        "id": app.id,
        "body": app.body,
        "channel": app.channel,
        "received": app.received.isoformat(),
        "received_basis": app.received_basis,
        "applicant": {
            "type": app.applicant_type,
            "name": mask_name(app.name),
            "contact": mask_contact(app.contact),
        },
        "subject": app.subject,
        "status": plan.status,
        "due": plan.due.isoformat() if plan.due else None,
        "due_kind": plan.kind,
        "unknown": plan.unknown,
        "correction_by": plan.correction_by.isoformat() if plan.correction_by else None,
        "steps": list(plan.steps),
        "events": [
            {"kind": e.kind, "label": e.label, "date": e.date.isoformat(), "outcome": e.outcome}
            for e in app.events
        ],
    }


def application_text(app: Application, plan: Schedule) -> str:
    lines = [
        f"登记号：{app.id}（{app.body}）",
        f"收到：{app.received}，{app.channel}，以{app.received_basis}为准",
        f"申请人：{app.applicant_type}  {mask_name(app.name)}  {mask_contact(app.contact)}",
        f"所需信息：{app.subject}",
        f"状态：{plan.status}",
    ]
    if plan.due:
        lines.append(f"期限：{plan.due}")
    elif plan.unknown:
        lines.append("期限：待定（超出节假日数据覆盖范围）")
    if plan.correction_by:
        lines.append(f"如需补正，须在 {plan.correction_by} 前一次性告知（《条例》第三十条）")
    lines += ["计算过程：", *(f"  {step}" for step in plan.steps)]
    if app.events:
        lines.append("办理过程：")
        for e in app.events:
            outcome = f"：{OUTCOMES[e.outcome][1]}" if e.outcome else ""
            lines.append(f"  {e.date} {e.label}{outcome}")
    return "\n".join(lines) + "\n"
