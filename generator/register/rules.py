"""The order rules of an application's history (条例第三十条至第三十三条), as problems.

The clock (:mod:`generator.register.clock`) relies on them: a history that breaks one is not
counted at all rather than counted wrongly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from generator.core.problems import Problem, error
from generator.register.model import EVENT_KINDS, RECEIPT_BASES, Application, Event

Position = Callable[[tuple[Any, ...]], tuple[int, int]]

# kind → the kind that must come before it, and what the event is called then.
PRECEDED_BY = {
    "correction_received": ("correction_requested", "告知补正"),
    "consultation_answered": ("consultation_sent", "征求第三方意见"),
    "fee_paid": ("fee_notice", "发出收费通知"),
}
# An outcome that only follows a certain event: (event kind, the outcome's short name).
NEEDS_BEFORE = {
    "other_no_correction": ("correction_requested", "逾期不补正"),
    "other_no_fee": ("fee_notice", "逾期未缴费"),
}
ONCE = {
    "correction_requested": "补正只能一次性告知（《条例》第三十条）",
    "extension_approved": "答复期限只能延长一次（《条例》第三十三条）",
    "answered": "一件申请只作一次答复；重复申请请另行登记",
}


def history_problems(app: Application, position: Position, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    for message, where in _messages(app):
        line, column = position(where)
        field = "received_basis（收到日期的确定方式）" if where == ("received_basis",) else None
        if field is None and len(where) > 1:
            field = f"events[{where[1]}]（办理过程）"
        problems.append(error(shown, line, column, "request-history", field, message))
    return problems


def event_refusal(app: Application, event: Event) -> str | None:
    """Why ``event`` may not be added to ``app``'s history, or None."""
    extended = replace(app, events=(*app.events, event))
    messages = [m for m, where in _messages(extended) if where[:2] == ("events", len(app.events))]
    return messages[0] if messages else None


def _messages(app: Application) -> list[tuple[str, tuple[Any, ...]]]:
    found: list[tuple[str, tuple[Any, ...]]] = []
    if app.channel not in RECEIPT_BASES[app.received_basis]:
        fits = "、".join(b for b, channels in RECEIPT_BASES.items() if app.channel in channels)
        found.append(
            (
                f"渠道为“{app.channel}”的申请，收到日期的确定方式应为“{fits}”"
                f"（《条例》第三十一条），实际为“{app.received_basis}”。",
                ("received_basis",),
            )
        )
    seen: dict[str, int] = {}
    previous = app.received
    for i, event in enumerate(app.events):
        where = ("events", i, "date")
        found += [(m, where) for m in _event_messages(app, event, seen, previous)]
        seen[event.kind] = seen.get(event.kind, 0) + 1
        previous = max(previous, event.date)
    return found


def _event_messages(
    app: Application, event: Event, seen: dict[str, int], previous: Any
) -> list[str]:
    messages = []
    if event.date < app.received:
        messages.append(
            f"“{event.label}”的日期 {event.date} 早于收到申请之日 {app.received}。请核对日期。"
        )
    elif event.date < previous:
        messages.append(
            f"“{event.label}”的日期 {event.date} 早于前一事件（{previous}）："
            "办理过程应按时间顺序记录。"
        )
    if seen.get("answered"):
        messages.append(f"申请已经答复，不能再记录“{event.label}”。")
    if event.kind in ONCE and seen.get(event.kind):
        messages.append(f"{ONCE[event.kind]}，不能再记录一次“{event.label}”。")
    before = PRECEDED_BY.get(event.kind)
    if before and seen.get(before[0], 0) <= seen.get(event.kind, 0):
        messages.append(f"“{event.label}”之前应先有“{before[1]}”。")
    needed = NEEDS_BEFORE.get(event.outcome) if event.kind == "answered" else None
    if needed and not seen.get(needed[0]):
        messages.append(f"办理结果为“{needed[1]}”，但之前没有“{EVENT_KINDS[needed[0]]}”。")
    return messages
