"""The statutory clock of the register: hand-checked vectors and properties of its rules."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.schema import default_schema_dir, load_schemas
from generator.core.records import Deadlines
from generator.register.clock import ANSWERED, AWAITING_CORRECTION, CONSULTING, schedule
from generator.register.model import Application, Event
from generator.register.rules import event_refusal

CALENDAR = load_schemas(default_schema_dir()).calendar
LIMITS = Deadlines()


def application(received: date, *events: Event, channel: str = "当面") -> Application:
    basis = "当面提交之日" if channel == "当面" else "双方确认之日"
    return Application(
        id=f"{received.year}-0001",
        body="government",
        channel=channel,
        received=received,
        received_basis=basis,
        applicant_type="自然人",
        name="",
        contact="",
        subject="某项信息",
        events=events,
    )


def due(app: Application) -> date | None:
    return schedule(app, CALENDAR, LIMITS).due


def test_national_day_2025_by_hand() -> None:
    """Received in person on Friday 2025-09-26 (国办发明电〔2024〕12号: 10-01…10-08 off, Sunday
    09-28 and Saturday 10-11 worked). Working days after it: 09-28 (1), 09-29, 09-30 (3),
    10-09, 10-10, 10-11 (6), 10-13…10-17 (11), 10-20…10-24 (16), 10-27, 28, 29, 30 (20)."""
    plan = schedule(application(date(2025, 9, 26)), CALENDAR, LIMITS)
    assert plan.due == date(2025, 10, 30)
    assert plan.correction_by == date(2025, 10, 13)  # the 7th: 09-28 … 10-11, 10-13
    assert "第 20 个工作日" in plan.reason


def test_extension_adds_twenty_working_days() -> None:
    extended = application(
        date(2025, 9, 26), Event("extension_approved", date(2025, 10, 20), reason="档案")
    )
    assert due(extended) == date(2025, 11, 27)


def test_a_late_extension_is_pointed_out() -> None:
    late = application(
        date(2025, 9, 26), Event("extension_approved", date(2025, 10, 31), reason="档案")
    )
    plan = schedule(late, CALENDAR, LIMITS)
    assert "晚于原答复期限 2025-10-30" in plan.reason
    assert plan.due == date(2025, 11, 27)


def test_outside_the_holiday_data_the_date_is_unknown() -> None:
    plan = schedule(application(date(2026, 12, 10)), CALENDAR, LIMITS)
    assert plan.due is None and plan.unknown
    assert "期限待定" in plan.reason and "holidays.yml" in plan.reason


def test_waiting_states() -> None:
    asked = Event("correction_requested", date(2025, 3, 5), deadline=date(2025, 3, 20))
    plan = schedule(application(date(2025, 3, 3), asked), CALENDAR, LIMITS)
    assert (plan.status, plan.due, plan.kind) == (
        AWAITING_CORRECTION,
        date(2025, 3, 20),
        "correction",
    )
    sent = Event("consultation_sent", date(2025, 3, 5), party="某公司")
    plan = schedule(application(date(2025, 3, 3), sent), CALENDAR, LIMITS)
    # not answered yet: counted as if the third party used its full 15 working days
    assert plan.status == CONSULTING
    assert plan.due == CALENDAR.add_workdays(date(2025, 3, 3), 35)
    answered = Event("answered", date(2025, 3, 10), outcome="granted")
    assert schedule(application(date(2025, 3, 3), answered), CALENDAR, LIMITS).status == ANSWERED


DAYS_2019_2026 = st.dates(min_value=date(2019, 1, 2), max_value=date(2026, 6, 30))


@settings(max_examples=200, deadline=None)
@given(received=DAYS_2019_2026, asked_after=st.integers(1, 7), gap=st.integers(0, 60))
def test_a_correction_restarts_the_clock(received: date, asked_after: int, gap: int) -> None:
    asked = CALENDAR.add_workdays(received, asked_after)
    corrected = asked + timedelta(days=gap)
    app = application(
        received,
        Event("correction_requested", asked),
        Event("correction_received", corrected),
    )
    # the answer is due 20 working days after the corrected application, whatever came before
    assert due(app) == CALENDAR.add_workdays(corrected, 20)


@settings(max_examples=200, deadline=None)
@given(received=DAYS_2019_2026, sent_after=st.integers(0, 19), took=st.integers(0, 40))
def test_third_party_time_is_not_counted(received: date, sent_after: int, took: int) -> None:
    sent = CALENDAR.add_workdays(received, sent_after)
    answered = sent + timedelta(days=took)
    app = application(
        received,
        Event("consultation_sent", sent, party="某公司"),
        Event("consultation_answered", answered),
    )
    end = min(answered, CALENDAR.add_workdays(sent, 15))  # never more than its 15 days
    not_counted = CALENDAR.workdays_between(sent, end)
    result = due(app)
    assert result is not None
    assert CALENDAR.workdays_between(received, result) - not_counted == 20
    assert not_counted <= 15
    assert result >= CALENDAR.add_workdays(received, 20)


@settings(max_examples=100, deadline=None)
@given(received=DAYS_2019_2026, first=st.integers(1, 20), second=st.integers(1, 20))
def test_one_extension_only(received: date, first: int, second: int) -> None:
    on = CALENDAR.add_workdays(received, 10)
    once = application(received, Event("extension_approved", on, days=first, reason="复杂"))
    assert due(once) == CALENDAR.add_workdays(received, 20 + first)
    again = Event("extension_approved", on, days=second, reason="还要延")
    refusal = event_refusal(once, again)
    assert refusal is not None and "只能延长一次" in refusal
    # even a file edited by hand with two extensions gets only the first one
    twice = application(received, *once.events, again)
    assert due(twice) == CALENDAR.add_workdays(received, 20 + first)


@settings(max_examples=100, deadline=None)
@given(received=DAYS_2019_2026)
def test_due_is_never_earlier_than_twenty_working_days(received: date) -> None:
    result = due(application(received))
    assert result is not None
    assert CALENDAR.workdays_between(received, result) == 20
    assert CALENDAR.is_workday(result)


def test_history_rules() -> None:
    app = application(date(2025, 3, 3))
    early = Event("answered", date(2025, 3, 1), outcome="granted")
    assert "早于收到申请之日" in (event_refusal(app, early) or "")
    orphan = Event("correction_received", date(2025, 3, 5))
    assert "之前应先有“告知补正”" in (event_refusal(app, orphan) or "")
    no_correction = Event("answered", date(2025, 3, 5), outcome="other_no_correction")
    assert "告知补正" in (event_refusal(app, no_correction) or "")
    closed = application(date(2025, 3, 3), Event("answered", date(2025, 3, 4), outcome="granted"))
    assert "已经答复" in (event_refusal(closed, Event("fee_notice", date(2025, 3, 5))) or "")
    asked = application(date(2025, 3, 3), Event("correction_requested", date(2025, 3, 4)))
    assert "一次性告知" in (
        event_refusal(asked, Event("correction_requested", date(2025, 3, 6))) or ""
    )


def test_an_answer_says_whether_it_kept_the_limit() -> None:
    on_time = application(
        date(2025, 9, 26), Event("answered", date(2025, 10, 30), outcome="granted")
    )
    assert "已答复（期限 2025-10-30，按期）" in schedule(on_time, CALENDAR, LIMITS).reason
    late = application(date(2025, 9, 26), Event("answered", date(2025, 11, 3), outcome="granted"))
    assert "已答复（期限 2025-10-30，逾期 2 个工作日）" in schedule(late, CALENDAR, LIMITS).reason
    consulted = application(
        date(2025, 9, 26),
        Event("consultation_sent", date(2025, 9, 29), party="某公司"),
        Event("answered", date(2025, 11, 3), outcome="refused_third_party"),
    )  # the third party never answered: its 15 working days are not counted
    assert "按期" in schedule(consulted, CALENDAR, LIMITS).reason
