"""The fixes that cannot change meaning (generator/content/normalize.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.content.normalize import (
    clean_text,
    fold_fullwidth,
    normalize_date,
    strip_curly_quotes,
    strip_invisible,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-12-03", "2026-12-03"),
        ("2026-12-3", "2026-12-03"),
        ("2026.12.1", "2026-12-01"),
        ("2025/3/5", "2025-03-05"),
        ("2026年12月3日", "2026-12-03"),
        ("2026 年 12 月 3 日", "2026-12-03"),
        ("２０２６－１２－０８", "2026-12-08"),
        ("“2026-12-08”", "2026-12-08"),
        ("2026-12-08\u200b", "2026-12-08"),
        ("20250305", "2025-03-05"),
        ("2025-03-05 09:30:00", "2025-03-05"),
        ("2025-03-05T09:30:00+08:00", "2025-03-05"),
        ("45721", "2025-03-05"),
        (45721, "2025-03-05"),
        (date(2025, 3, 5), "2025-03-05"),
        ("2025-02-30", None),
        ("2025-13-01", None),
        ("明年三月", None),
        ("123", None),
        (1741104000, "2025-03-05"),  # Unix time of 2025-03-05 00:00 in Beijing (gkmlpt)
        (1741104000000, "2025-03-05"),
        ("1741104000", "2025-03-05"),
        (1741103999, "2025-03-04"),
        (123456789, None),
        (True, None),
        (None, None),
    ],
)
def test_dates_in_every_common_shape(written: object, expected: str | None) -> None:
    assert normalize_date(written) == expected


def test_invisible_characters_go_and_bidi_controls_stay() -> None:
    assert strip_invisible("关于\u200b印发\u00ad通知\ufe0f\U000e0041") == "关于印发通知"
    assert strip_invisible("a\u202eb") == "a\u202eb"


def test_fullwidth_and_quotes() -> None:
    assert fold_fullwidth("ｚｆｘｘｇｋ：１２") == "zfxxgk:12"
    assert strip_curly_quotes("“2026-12-08”") == "2026-12-08"
    assert strip_curly_quotes("“甲”和“乙”") == "“甲”和“乙”"
    assert clean_text(" 关于\u200b做好２０２５年　工作的通知 ") == "关于做好2025年 工作的通知"


@given(st.dates(min_value=date(1960, 1, 1), max_value=date(2100, 12, 31)))
def test_every_real_date_survives_each_shape(day: date) -> None:
    shapes = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
    ]
    assert {normalize_date(shape) for shape in shapes} == {day.isoformat()}


@given(st.text())
def test_never_raises_and_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    normalize_date(text)
