"""Working days: the repository's holiday data against chinesecalendar, vectors and properties."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import chinese_calendar
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.content.schema import default_schema_dir
from generator.content.workdays import HolidayCalendar, OutOfCoverage, parse_holiday_calendar

HOLIDAYS_YML = default_schema_dir() / "holidays.yml"


def _load() -> Any:
    return yaml.load(HOLIDAYS_YML.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


CALENDAR = parse_holiday_calendar(_load())


def _every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_coverage_is_2019_to_2026() -> None:
    assert (CALENDAR.coverage_start, CALENDAR.coverage_end) == (
        date(2019, 1, 1),
        date(2026, 12, 31),
    )


def test_every_covered_day_agrees_with_chinesecalendar() -> None:
    days = _every_day(CALENDAR.coverage_start, CALENDAR.coverage_end)
    disagree = [d for d in days if CALENDAR.is_workday(d) != chinese_calendar.is_workday(d)]
    assert len(days) == 2922
    assert disagree == []


def test_every_covered_year_names_its_notice() -> None:
    years = range(CALENDAR.coverage_start.year, CALENDAR.coverage_end.year + 1)
    for year in years:
        notice = CALENDAR.notice_for(year)
        assert notice is not None, year
        assert notice.source.startswith("国办发明电〔") and notice.source.endswith("号")
        assert f"{year}年" in notice.title
        assert notice.issued < date(year, 1, 1)
    sources = {notice.year: notice.source for notice in CALENDAR.notices}
    assert sources[2019] == "国办发明电〔2018〕15号"
    assert sources[2022] == "国办发明电〔2021〕11号"
    assert CALENDAR.notice_for(2027) is None


ADD_VECTORS = [
    # (start, n, expected, why)
    (date(2026, 9, 25), 20, date(2026, 10, 29), "domain.md: start is a holiday, not counted"),
    (date(2026, 9, 25), 0, date(2026, 9, 25), "zero working days"),
    (date(2026, 9, 30), 1, date(2026, 10, 8), "National Day 10-01..10-07"),
    (date(2026, 10, 9), 1, date(2026, 10, 10), "Saturday 10-10 is a make-up workday"),
    (date(2026, 2, 12), 2, date(2026, 2, 14), "Saturday 02-14 is a make-up workday"),
    (date(2026, 2, 12), 3, date(2026, 2, 24), "Spring Festival 02-15..02-23"),
    (date(2024, 2, 9), 1, date(2024, 2, 18), "除夕 2024 worked; Sunday 02-18 make-up"),
    (date(2025, 9, 26), 1, date(2025, 9, 28), "Sunday 09-28 is a make-up workday"),
    (date(2025, 9, 30), 1, date(2025, 10, 9), "National Day and Mid-autumn 10-01..10-08"),
    (date(2020, 1, 23), 1, date(2020, 2, 3), "2020 Spring Festival extended to 02-02"),
    (date(2022, 12, 30), 1, date(2023, 1, 3), "元旦 2022-12-31..2023-01-02 crosses the year"),
    (date(2019, 12, 31), 1, date(2020, 1, 2), "元旦 2020 is one day"),
]


@pytest.mark.parametrize(("start", "n", "expected", "why"), ADD_VECTORS)
def test_add_workdays(start: date, n: int, expected: date, why: str) -> None:
    assert CALENDAR.add_workdays(start, n) == expected, why


BETWEEN_VECTORS = [
    # (a, b, expected working days d with a < d <= b)
    (date(2026, 9, 25), date(2026, 10, 29), 20),
    (date(2026, 2, 13), date(2026, 2, 28), 6),
    (date(2025, 9, 30), date(2025, 10, 12), 3),
    (date(2024, 2, 9), date(2024, 2, 18), 1),
    (date(2026, 3, 2), date(2026, 3, 2), 0),
    (date(2026, 3, 9), date(2026, 3, 2), 0),
]


@pytest.mark.parametrize(("a", "b", "expected"), BETWEEN_VECTORS)
def test_workdays_between(a: date, b: date, expected: int) -> None:
    assert CALENDAR.workdays_between(a, b) == expected


DAY_VECTORS = [
    (date(2020, 2, 1), False, "Saturday first set as make-up day, then made a holiday"),
    (date(2024, 2, 18), True, "Sunday make-up workday"),
    (date(2024, 2, 16), False, "Friday inside the Spring Festival break"),
    (date(2026, 3, 7), False, "ordinary Saturday"),
    (date(2026, 3, 9), True, "ordinary Monday"),
]


@pytest.mark.parametrize(("day", "expected", "why"), DAY_VECTORS)
def test_is_workday(day: date, expected: bool, why: str) -> None:
    assert CALENDAR.is_workday(day) is expected, why


@pytest.mark.parametrize(
    "call",
    [
        lambda: CALENDAR.is_workday(date(2027, 1, 4)),
        lambda: CALENDAR.is_workday(date(2018, 12, 31)),
        lambda: CALENDAR.add_workdays(date(2026, 12, 28), 5),
        lambda: CALENDAR.add_workdays(date(2027, 1, 4), 1),
        lambda: CALENDAR.workdays_between(date(2026, 12, 1), date(2027, 1, 10)),
        lambda: CALENDAR.workdays_between(date(2018, 12, 1), date(2019, 1, 10)),
    ],
)
def test_out_of_coverage_fails_closed(call: Any) -> None:
    with pytest.raises(OutOfCoverage, match="超出节假日数据的覆盖范围"):
        call()


def test_covers() -> None:
    assert CALENDAR.covers(date(2019, 1, 1)) and CALENDAR.covers(date(2026, 12, 31))
    assert not CALENDAR.covers(date(2018, 12, 31)) and not CALENDAR.covers(date(2027, 1, 1))


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        CALENDAR.add_workdays(date(2026, 3, 2), -1)


covered_days = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 6, 30))


@given(covered_days, st.integers(min_value=0, max_value=100))
def test_between_inverts_add(a: date, n: int) -> None:
    end = CALENDAR.add_workdays(a, n)
    assert CALENDAR.workdays_between(a, end) == n
    assert n == 0 or CALENDAR.is_workday(end)


@given(covered_days, covered_days, covered_days)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    a, b, c = sorted((a, b, c))
    total = CALENDAR.workdays_between(a, b) + CALENDAR.workdays_between(b, c)
    assert CALENDAR.workdays_between(a, c) == total


def _data(**year: Any) -> dict[str, Any]:
    entry = {
        "year": 2030,
        "source": "国办发明电〔2029〕1号",
        "title": "国务院办公厅关于2030年部分节假日安排的通知",
        "issued": "2029-11-01",
        "holidays": ["2030-01-01"],
        "workdays": [],
    }
    return {"coverage": {"start": "2030-01-01", "end": "2030-12-31"}, "years": [entry | year]}


def test_minimal_data_parses_ranges_and_single_days() -> None:
    calendar = parse_holiday_calendar(
        _data(
            holidays=["2030-01-01", {"from": "2030-02-02", "to": "2030-02-08"}],
            workdays=["2030-01-26"],
        )
    )
    assert isinstance(calendar, HolidayCalendar)
    assert not calendar.is_workday(date(2030, 1, 1))
    assert not calendar.is_workday(date(2030, 2, 4))
    assert calendar.is_workday(date(2030, 1, 26))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_data(workdays=["2030-01-02"]), "不是周六或周日"),
        (_data(holidays=["2030-01-05"], workdays=["2030-01-05"]), "同时列为放假日和调休上班日"),
        (_data(holidays=[{"from": "2030-02-08", "to": "2030-02-02"}]), "晚于"),
        (_data(holidays=["2030-02-30"]), "应为 YYYY-MM-DD 日期"),
        ({**_data(), "years": _data()["years"] * 2}, "重复的年份"),
        ({**_data(), "coverage": {"start": "2030-12-31", "end": "2030-01-01"}}, "晚于"),
    ],
)
def test_malformed_data_is_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_holiday_calendar(data)
