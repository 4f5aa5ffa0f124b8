"""Fixes that cannot change meaning, as pure functions over strings.

One set of rules for the validator's suggestions, `catalog fix` and `catalog import`: a value
copied from a web page, a Word file or an old system's export comes out as the value an editor
would have typed. Each function returns its input unchanged when there is nothing to fix.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from generator.core.settings import SHANGHAI

# Invisible characters that only hide text: zero-width space/joiners, word joiner and invisible
# operators, soft hyphen, combining grapheme joiner, Hangul fillers, variation selectors, BOM and
# tag characters. Bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9) are NOT here: they reorder
# what a reader sees, so they are refused, never silently removed.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u180e\u200b-\u200d\u2060-\u2064\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space, as an IME types them.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULLWIDTH_DIGITS = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}

# Dates as people and exports write them: 2025-3-5, 2025/3/5, 2025.03.05, 2025年3月5日, 20250305.
_DATE_SHAPES = (
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TIME_SUFFIX = re.compile(r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$")
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "＂": "＂", "＇": "＇"}
# Excel's serial day 1 is 1900-01-01 and it counts a 1900-02-29 that never was.
_EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = range(20_000, 80_000)  # 1954-10-03 … 2119-01-10
# Feeds (gkmlpt among them) give Unix time in seconds or milliseconds: 2000-01-01 … 2100-01-01.
UNIX_SECONDS = range(946_656_000, 4_102_416_000)


def strip_invisible(text: str) -> str:
    """``text`` without the invisible characters of ``INVISIBLE`` (bidi controls stay)."""
    return INVISIBLE.sub("", text)


def fold_fullwidth(text: str) -> str:
    """Full-width digits, Latin letters, punctuation and spaces as their ASCII forms."""
    return text.translate(_FULLWIDTH)


def fold_fullwidth_digits(text: str) -> str:
    """Only the full-width digits as ASCII digits (for Chinese text, whose ，：stay)."""
    return text.translate(_FULLWIDTH_DIGITS)


def strip_curly_quotes(text: str) -> str:
    """A scalar wrapped whole in Word's curly (or full-width) quotes, without them."""
    stripped = text.strip()
    opening, inner = stripped[:1], stripped[1:-1]
    closing = _QUOTES.get(opening)
    if len(stripped) >= 2 and closing == stripped[-1] and not {opening, closing} & set(inner):
        return inner.strip()
    return text


def normalize_date(value: object) -> str | None:
    """``YYYY-MM-DD`` for a real date in any common shape, else None.

    Accepts the shapes of ``_DATE_SHAPES`` with full-width digits, invisible characters, curly
    quotes or a trailing time, ``date`` objects and Excel serial day numbers.
    """
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value) or _unix_time(value)
    if not isinstance(value, str):
        return None
    text = fold_fullwidth(strip_curly_quotes(strip_invisible(value))).strip()
    text = _TIME_SUFFIX.sub("", text)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _excel_serial(float(text))
    if re.fullmatch(r"\d{10}|\d{13}", text):
        return _unix_time(int(text))
    for shape in _DATE_SHAPES:
        match = shape.fullmatch(text)
        if match:
            return _real_date(*(int(part) for part in match.groups()))
    return None


def _excel_serial(number: float) -> str | None:
    if int(number) not in EXCEL_SERIALS:
        return None
    return (_EXCEL_EPOCH + timedelta(days=int(number))).isoformat()


def _unix_time(number: float) -> str | None:
    seconds = int(number // 1000) if number >= UNIX_SECONDS.stop else int(number)
    if seconds not in UNIX_SECONDS:
        return None
    return datetime.fromtimestamp(seconds, SHANGHAI).date().isoformat()


def _real_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def clean_text(text: str) -> str:
    """A one-line value (title, name, 索引号) as it should be stored: NFC, no invisible
    characters, full-width digits folded, runs of spaces collapsed, ends trimmed."""
    text = unicodedata.normalize("NFC", strip_invisible(text))
    return re.sub(r"[ \t\u3000]+", " ", fold_fullwidth_digits(text)).strip()


# The subset of ``INVISIBLE`` that web pages and Word put into ordinary text (7 % of titles
# copied from government sites carry a zero-width space): a warning, removed from the output.
# The rest of ``INVISIBLE`` has no business in a record and is an error (both are fixable).
ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060-\u2064\ufeff]")
FIX_HINT = "可运行 catalog fix 自动修正。"
_FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}


FULLWIDTH_ALNUM = re.compile("[０-９Ａ-Ｚａ-ｚ]")


def fold_fullwidth_alnum(text: str) -> str:
    """Full-width digits and Latin letters as ASCII (punctuation such as ，：（） stays)."""
    return text.translate(_FULLWIDTH_ALNUM)


def slips(text: str) -> list[str]:
    """What an IME or a word processor did to a value, in words an editor recognises."""
    found = []
    if strip_curly_quotes(text) != text:
        found.append(f"两端是中文引号{text.strip()[0]}{text.strip()[-1]}而不是英文引号")
    if fold_fullwidth_alnum(text) != text:
        found.append("含全角数字或字母（如“２”“Ａ”）")
    if "\u3000" in text:
        found.append("含全角空格")
    if "：" in text:
        found.append("含全角冒号“：”")
    if INVISIBLE.search(text):
        found.append("含看不见的字符（如零宽空格）")
    return found
