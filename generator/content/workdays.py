"""Working days (工作日) from the official holiday data in ``catalog_schema/holidays.yml``.

Pure functions over a frozen calendar.  Outside the data's coverage every question raises
:class:`OutOfCoverage`: a deadline is never computed from a guessed year (fail closed).
Counting excludes the start day: 20 working days after 2026-09-25 is 2026-10-29.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

ONE_DAY = timedelta(days=1)


class OutOfCoverage(ValueError):
    """A date the holiday data does not cover; callers show 待定 or a ``calendar-coverage``
    problem instead of a deadline."""

    def __init__(self, day: date, start: date, end: date) -> None:
        super().__init__(
            f"{day.isoformat()} 超出节假日数据的覆盖范围（{start.isoformat()} 至 "
            f"{end.isoformat()}），无法计算工作日。请在 catalog_schema/holidays.yml 中补充该年的"
            "国务院办公厅放假安排。"
        )
        self.day = day
        self.start = start
        self.end = end


@dataclass(frozen=True)
class HolidayNotice:
    """The State Council notice that fixed one year's holidays (e.g. 国办发明电〔2025〕7号)."""

    year: int
    source: str
    title: str
    issued: date
    amended_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class HolidayCalendar:
    coverage_start: date
    coverage_end: date
    holidays: frozenset[date]  # days off, weekends inside a break included
    workdays: frozenset[date]  # make-up working days (调休上班) on a Saturday or Sunday
    notices: tuple[HolidayNotice, ...] = ()
    # Every working day inside the coverage, ascending: counting becomes two bisections.
    _working: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.coverage_start > self.coverage_end:
            raise ValueError("coverage.start 晚于 coverage.end")
        both = sorted(self.holidays & self.workdays)
        if both:
            raise ValueError(f"{both[0].isoformat()} 同时列为放假日和调休上班日")
        working = tuple(d for d in _days(self.coverage_start, self.coverage_end) if self._works(d))
        object.__setattr__(self, "_working", working)

    def covers(self, d: date) -> bool:
        return self.coverage_start <= d <= self.coverage_end

    def is_workday(self, d: date) -> bool:
        self._require(d)
        return self._works(d)

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted)."""
        self._require(start)
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        if n == 0:
            return start
        index = bisect_right(self._working, start) + n - 1
        if index >= len(self._working):
            raise OutOfCoverage(self.coverage_end + ONE_DAY, self.coverage_start, self.coverage_end)
        return self._working[index]

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days d with a < d ≤ b (0 when b ≤ a)."""
        self._require(a)
        self._require(b)
        return max(0, bisect_right(self._working, b) - bisect_right(self._working, a))

    def notice_for(self, year: int) -> HolidayNotice | None:
        return next((n for n in self.notices if n.year == year), None)

    def _works(self, d: date) -> bool:
        return d in self.workdays or (d.weekday() < 5 and d not in self.holidays)

    def _require(self, d: date) -> None:
        if not self.covers(d):
            raise OutOfCoverage(d, self.coverage_start, self.coverage_end)


def parse_holiday_calendar(data: Mapping[str, Any]) -> HolidayCalendar:
    """Build the calendar from parsed ``holidays.yml``; malformed data raises ``ValueError``."""
    coverage = data["coverage"]
    years = [_parse_year(entry) for entry in data["years"]]
    numbers = [notice.year for notice, _, _ in years]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"holidays.yml 的 years 中有重复的年份：{numbers}")
    return HolidayCalendar(
        coverage_start=_parse_date(coverage["start"], "coverage.start"),
        coverage_end=_parse_date(coverage["end"], "coverage.end"),
        holidays=frozenset(d for _, off, _ in years for d in off),
        workdays=frozenset(d for _, _, on in years for d in on),
        notices=tuple(notice for notice, _, _ in years),
    )


def _parse_year(entry: Mapping[str, Any]) -> tuple[HolidayNotice, list[date], list[date]]:
    year = int(entry["year"])
    where = f"years[{year}]"
    notice = HolidayNotice(
        year=year,
        source=str(entry["source"]),
        title=str(entry["title"]),
        issued=_parse_date(entry["issued"], f"{where}.issued"),
        amended_by=tuple(str(a["source"]) for a in entry.get("amended_by", ())),
    )
    off = [d for item in entry["holidays"] for d in _parse_holiday(item, f"{where}.holidays")]
    on = [_parse_date(item, f"{where}.workdays") for item in entry["workdays"]]
    weekdays = [d.isoformat() for d in on if d.weekday() < 5]
    if weekdays:
        raise ValueError(f"{where}.workdays 中的 {weekdays} 不是周六或周日，不是调休上班日")
    return notice, off, on


def _parse_holiday(item: object, where: str) -> list[date]:
    if not isinstance(item, Mapping):
        return [_parse_date(item, where)]
    first = _parse_date(item["from"], f"{where}.from")
    last = _parse_date(item["to"], f"{where}.to")
    if first > last:
        raise ValueError(f"{where} 的 from {first} 晚于 to {last}")
    return list(_days(first, last))


def _parse_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        message = f"holidays.yml 的 {where} 应为 YYYY-MM-DD 日期，实际为 {value!r}"
        raise ValueError(message) from None


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += ONE_DAY
