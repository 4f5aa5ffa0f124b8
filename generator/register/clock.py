"""The statutory clock of one application, in working days (条例第三十条至第三十三条).

Pure: an application, the holiday calendar and the site's time limits give a :class:`Schedule`
whose ``steps`` say how the date was reached. Outside the calendar's coverage the date is
unknown (待定), never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from generator.content.workdays import HolidayCalendar, OutOfCoverage
from generator.core.records import Deadlines
from generator.register.model import Application, Event

FEE_PAYMENT_DAYS = 20  # 政府信息公开信息处理费管理办法（国办函〔2020〕109号）

OPEN = "办理中"
AWAITING_CORRECTION = "待补正"
CONSULTING = "征求第三方意见中"
AWAITING_FEE = "待缴费"
ANSWERED = "已答复"


@dataclass(frozen=True)
class Schedule:
    status: str
    due: date | None  # the next date someone must act by; None: closed, waiting, or unknown
    kind: str  # "answer" | "correction" (the applicant's) | "fee" (the applicant's) | "closed"
    steps: tuple[str, ...]  # how ``due`` was computed, in order
    correction_by: date | None = None  # last day to ask for a correction, while still possible
    unknown: bool = False  # a date fell outside the holiday data

    @property
    def reason(self) -> str:
        return "；".join(self.steps)


@dataclass
class _Clock:
    start: date
    extension: int = 0
    paused: frozenset[date] = frozenset()  # working days not counted
    correction: Event | None = None
    consultation: Event | None = None
    fee: Event | None = None


def schedule(app: Application, calendar: HolidayCalendar, limits: Deadlines) -> Schedule:
    try:
        return _schedule(app, calendar, limits)
    except OutOfCoverage as exc:
        return Schedule(OPEN, None, "answer", (f"期限待定：{exc}",), unknown=True)


def _schedule(app: Application, calendar: HolidayCalendar, limits: Deadlines) -> Schedule:
    clock = _Clock(app.received)
    steps = [
        f"{app.received} 收到申请（{app.channel}，以{app.received_basis}为收到申请之日，"
        "《条例》第三十一条；当日不计）"
    ]
    for event in app.events:
        if event.kind == "answered":
            steps.append(f"{event.date} 已答复{_timeliness(clock, event.date, calendar, limits)}")
            return Schedule(ANSWERED, None, "closed", tuple(steps))
        steps += _apply(clock, event, calendar, limits)
    return _open_schedule(app, clock, steps, calendar, limits)


def _apply(clock: _Clock, event: Event, calendar: HolidayCalendar, limits: Deadlines) -> list[str]:
    kind, day = event.kind, event.date
    if kind == "correction_requested":
        clock.correction = event
        return [f"{day} 告知补正：答复期限暂停，自收到补正之日起重新计算（第三十条）"]
    if kind == "correction_received":
        clock.start, clock.paused, clock.correction = day, frozenset(), None
        return [f"{day} 收到补正：答复期限自此重新计算，之前的时间不再计算（第三十条）"]
    if kind == "consultation_sent":
        clock.consultation = event
        return []
    if kind == "consultation_answered" and clock.consultation is not None:
        return [_pause_consultation(clock, calendar, limits, answered=day)]
    if kind == "extension_approved" and not clock.extension:
        original = calendar.add_workdays(clock.start, limits.reply + len(clock.paused))
        clock.extension = event.days or limits.extension
        late = f"（晚于原答复期限 {original}：延期应在期限届满前决定）" if day > original else ""
        return [f"{day} 批准延期：延长 {clock.extension} 个工作日（第三十三条）{late}"]
    if kind == "fee_notice":
        clock.fee = event
        return []
    if kind == "fee_paid" and clock.fee is not None:
        fee, clock.fee = clock.fee, None
        return [_pause(clock, calendar, fee.date, day, "发出收费通知至缴费", "国办函〔2020〕109号")]
    return []


def _pause_consultation(
    clock: _Clock, calendar: HolidayCalendar, limits: Deadlines, answered: date | None
) -> str:
    sent, clock.consultation = clock.consultation, None
    assert sent is not None
    limit = calendar.add_workdays(sent.date, limits.third_party)
    end = min(answered, limit) if answered else limit
    what = "征求第三方意见" + ("" if answered else f"（尚未答复，按其答复期限 {limit} 计）")
    return _pause(clock, calendar, sent.date, end, what, "第三十二条、第三十三条")


def _pause(
    clock: _Clock, calendar: HolidayCalendar, first: date, last: date, what: str, basis: str
) -> str:
    days = _working_days(calendar, first, last)
    clock.paused = clock.paused | {d for d in days if d > clock.start}
    return f"{first} 至 {last} {what}：{len(days)} 个工作日不计入答复期限（{basis}）"


def _timeliness(clock: _Clock, day: date, calendar: HolidayCalendar, limits: Deadlines) -> str:
    """Whether an answer kept the limit that ran when it was given (none while waiting)."""
    if clock.correction is not None or clock.fee is not None:
        return ""
    paused = clock.paused
    if clock.consultation is not None:
        limit = calendar.add_workdays(clock.consultation.date, limits.third_party)
        paused = paused | _working_days(calendar, clock.consultation.date, min(day, limit))
    due = calendar.add_workdays(clock.start, limits.reply + clock.extension + len(paused))
    late = calendar.workdays_between(due, day)
    return f"（期限 {due}，逾期 {late} 个工作日）" if day > due else f"（期限 {due}，按期）"


def _working_days(calendar: HolidayCalendar, first: date, last: date) -> frozenset[date]:
    days = (first + timedelta(days=i) for i in range(1, (last - first).days + 1))
    return frozenset(d for d in days if calendar.is_workday(d))


def _open_schedule(
    app: Application, clock: _Clock, steps: list[str], calendar: HolidayCalendar, limits: Deadlines
) -> Schedule:
    if clock.correction is not None:
        asked = clock.correction
        wait = (
            f"等待申请人补正（补正期限 {asked.deadline}）" if asked.deadline else "等待申请人补正"
        )
        return Schedule(AWAITING_CORRECTION, asked.deadline, "correction", (*steps, wait))
    if clock.fee is not None:
        last = calendar.add_workdays(clock.fee.date, FEE_PAYMENT_DAYS)
        wait = f"等待申请人缴费：应在 {last} 前缴纳，逾期视为放弃申请（国办函〔2020〕109号）"
        return Schedule(AWAITING_FEE, last, "fee", (*steps, wait))
    status = OPEN
    if clock.consultation is not None:
        status = CONSULTING
        steps.append(_pause_consultation(clock, calendar, limits, answered=None))
    total = limits.reply + clock.extension + len(clock.paused)
    due = calendar.add_workdays(clock.start, total)
    parts = [f"答复期限 {limits.reply}"]
    parts += [f"延期 {clock.extension}"] if clock.extension else []
    parts += [f"不计入的 {len(clock.paused)}"] if clock.paused else []
    steps.append(f"自 {clock.start} 起第 {total} 个工作日（{' + '.join(parts)}）：{due}")
    correction_by = None
    if clock.start == app.received and not any(
        e.kind == "correction_requested" for e in app.events
    ):
        correction_by = calendar.add_workdays(app.received, limits.correction)
    return Schedule(status, due, "answer", tuple(steps), correction_by)


def working_days_left(calendar: HolidayCalendar, today: date, due: date) -> int:
    """Working days from ``today`` (not counted) to ``due``; negative when overdue."""
    if due >= today:
        return calendar.workdays_between(today, due)
    return -calendar.workdays_between(due, today)
