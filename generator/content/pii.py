"""Find personal numbers in free text: 身份证号码, 手机号码, 银行卡号.

The scan works on the original text so offsets point into what the editor wrote.  A *run* is a
maximal sequence of digit groups joined by single spaces or hyphens (ASCII or full-width).  Within
a run the leftmost-longest sequence of up to six consecutive groups that forms a personal number
wins, so ``138 0013 8000`` is one mobile number and ``2024-03-15 13800138000`` still yields the
mobile after the date.  Groups of one or two digits belong to dates, not to written-out numbers
(except a leading ``86`` and a card's last group).  A run glued to a decimal point cannot start
or end a match there; one glued to Latin letters can (``wangfang13912345678.pdf``), unless the
letters and digits together are a 统一社会信用代码.

The scan reads the text as the reader sees it (``pii_fold``: character references, invisible
characters, escapes, line breaks and odd separators between digits folded) and reports offsets in
the source.  Context settles the ambiguous cases: an amount of 11 digits (followed by 元, 万元, 亿元) and a
number labelled 纳税人识别号, 编号, 文号 or 统一社会信用代码 are not personal; a bank card that is not
UnionPay (62) counts only after a banking word (卡, 账号, 银行…); a 15-digit number whose last nine
digits are an 组织机构代码 is an old 纳税人识别号, not a first-generation ID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from generator.content.identifiers import (
    is_plausible_old_resident_id,
    is_valid_credit_code,
    is_valid_org_code,
    is_valid_registration_number,
    is_valid_resident_id,
    luhn_valid,
)
from generator.content.pii_fold import fold

KIND_ZH = {"resident-id": "居民身份证号码", "mobile": "手机号码", "bank-card": "银行卡号"}

_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ＋", "0123456789XX+")
_DIGIT = "0-9\uff10-\uff19"
_SEPARATORS = " \u00a0\u3000\\-\uff0d"  # space, no-break space, 全角空格, hyphen, 全角连字符
_RUN = re.compile(f"[{_DIGIT}]+(?:[{_SEPARATORS}][{_DIGIT}]+)*[XxＸｘ]?")
_SEPARATOR = re.compile(f"[{_SEPARATORS}]")
_ALNUM_TOKEN = re.compile("[0-9A-Za-z]+")
_AMOUNT_AFTER = re.compile(r"(?:[.．][0-9]+)?\s*(?:[千万亿]?元|[万亿])")
_AMOUNT_BEFORE = re.compile(r"(?:[¥￥]|RMB|人民币)\s*$")
_LABEL_BEFORE = re.compile(
    r"(?:纳税人识别号|识别号|编号|文号|统一社会信用代码|信用代码|注册号|登记号|索引号|批准号|许可证号)"
    r"(?:码|为|是)?\s*[:：]?\s*$"
)
_PERSONAL_LABEL = re.compile("身份|手机|电话|卡")
_BANK_WORDS = re.compile("卡|账号|帐号|账户|帐户|银行|开户|card", re.IGNORECASE)
_CONTEXT = 16  # characters before a number where its label or a banking word is looked for
_DECIMAL_POINTS = ".．"
_MOBILE = re.compile(r"(?:0086|86)?(1[3-9][0-9]{9})", re.ASCII)
_NUMBER_PREFIX = re.compile(r"\s*\+\s*86")

_MIN_DIGITS = 11  # the shortest number looked for (a mobile without prefix)
_MAX_DIGITS = 19  # the longest (a bank card)
_LENGTHS = frozenset({11, 13, 15, 16, 17, 18, 19})  # mobile (+86), IDs, cards
_MAX_GROUPS = 6  # e.g. "+86 138 0013 8000", "6222 0202 0000 0000 000"


@dataclass(frozen=True)
class PiiMatch:
    """One personal number; ``start``/``end`` index the original text."""

    kind: str  # "resident-id" | "mobile" | "bank-card"
    start: int
    end: int
    digits: str  # normalised: ASCII digits (and a final "X"), mobile without +86
    masked: str

    @property
    def kind_zh(self) -> str:
        return KIND_ZH[self.kind]


def normalize_number(s: str) -> str:
    """ASCII digits of a phone, ID or card number; a final X kept, a +86/0086 prefix dropped."""
    s = s.translate(_FULLWIDTH).strip()
    s = _NUMBER_PREFIX.sub("", s, count=1) if _NUMBER_PREFIX.match(s) else s
    digits = "".join(ch for ch in s if "0" <= ch <= "9")
    if s[-1:] in ("X", "x") and len(digits) == 17:
        return digits + "X"
    mobile = _MOBILE.fullmatch(digits)
    return mobile[1] if mobile else digits


def mask_number(kind: str, digits: str) -> str:
    """Keep the first 3 and last 4 characters (last 2 for a mobile); star the rest."""
    tail = 2 if kind == "mobile" else 4
    return digits[:3] + "*" * (len(digits) - 3 - tail) + digits[-tail:]


def classify_number(digits: str, *, single_group: bool) -> tuple[str, str] | None:
    """``(kind, digits without prefix)`` if ``digits`` is a personal number, else ``None``.

    A 15-digit first-generation ID has no check digit, so it counts only when written as one
    unbroken group and when it is not a valid 工商注册号.
    """
    if len(digits) == 18 and is_valid_resident_id(digits):
        return "resident-id", digits
    if (
        len(digits) == 15
        and single_group
        and is_plausible_old_resident_id(digits)
        and not is_valid_registration_number(digits)
        and not is_valid_org_code(digits[6:])
    ):
        return "resident-id", digits
    mobile = _MOBILE.fullmatch(digits)
    if mobile:
        return "mobile", mobile[1]
    if 16 <= len(digits) <= _MAX_DIGITS and _looks_like_card(digits):
        return "bank-card", digits
    return None


def _looks_like_card(digits: str) -> bool:
    """Luhn-valid with an issuer prefix banks use (ISO/IEC 7812 MII 3-6 and 9, Mastercard 2)."""
    issuer = digits[0] in "34569" or 2221 <= int(digits[:4]) <= 2720
    return (
        issuer and luhn_valid(digits) and not (len(digits) == 18 and is_valid_credit_code(digits))
    )


@dataclass(frozen=True)
class _Run:
    digits: list[str]  # the digit groups, normalised to ASCII
    starts: list[int]  # offset of each group in the text
    x_end: int | None  # end offset of a trailing X after the last group, if any
    open_left: bool  # the first group may start a match
    open_right: bool  # the last group (or its X) may end a match

    def end(self, j: int) -> int:
        return self.starts[j] + len(self.digits[j])


def _glued_at(text: str, at: int, beyond: int) -> bool:
    """Does ``text[at]`` glue a number to its neighbour: a decimal point?

    ``beyond`` is the next index away from the number (where a decimal point's digit would be).
    """
    if not 0 <= at < len(text):
        return False
    return text[at] in _DECIMAL_POINTS and 0 <= beyond < len(text) and text[beyond].isdigit()


def _read_run(text: str, match: re.Match[str]) -> _Run:
    start, end = match.span()
    has_x = text[end - 1] in "XxＸｘ"
    digits = _SEPARATOR.split(text[start : end - 1 if has_x else end].translate(_FULLWIDTH))
    starts = list(accumulate((len(d) + 1 for d in digits[:-1]), initial=start))
    return _Run(
        digits=digits,
        starts=starts,
        x_end=end if has_x else None,
        open_left=not _glued_at(text, start - 1, start - 2),
        open_right=not _glued_at(text, end, end + 1),
    )


class _Hit(NamedTuple):
    kind: str
    start: int
    end: int
    digits: str
    next_group: int  # the first group after the number


def _hits_in_run(text: str, run: _Run) -> list[_Hit]:
    """Leftmost-longest personal numbers made of consecutive groups of the run."""
    reach = _window_lengths(run.digits)
    found: list[_Hit] = []
    i = 0 if run.open_left else 1
    while i < len(run.digits):
        hit = _longest_from(text, run, i) if reach[i] >= _MIN_DIGITS else None
        if hit:
            found.append(hit)
        i = hit.next_group if hit else i + 1
    return found


def _window_lengths(groups: list[str]) -> list[int]:
    """For each group, the digits in it and the next ``_MAX_GROUPS - 1`` groups (+1 for an X)."""
    prefix = list(accumulate(map(len, groups), initial=0))
    last = len(groups)
    return [prefix[min(i + _MAX_GROUPS, last)] - prefix[i] + 1 for i in range(last)]


def _longest_from(text: str, run: _Run, i: int) -> _Hit | None:
    """The longest personal number starting at group ``i``, and the group after it.

    Groups shorter than 3 digits occur in dates (``2024-03-15``), not in written-out personal
    numbers, except a leading ``86`` country code and the tail of a card number.
    """
    first = run.digits[i]
    if (first[0] == "0" and not first.startswith("0086")) or (len(first) < 3 and first != "86"):
        return None
    best: _Hit | None = None
    joined = ""
    last = len(run.digits) - 1
    for j in range(i, min(last + 1, i + _MAX_GROUPS)):
        joined += run.digits[j]
        short_tail = j > i and len(run.digits[j]) < 3
        if len(joined) > _MAX_DIGITS:
            break
        digits, end = joined, run.end(j)
        if j == last:  # the run's own end: glued to a letter, or to its trailing X
            if not run.open_right:
                break
            if run.x_end is not None:
                digits, end = joined + "X", run.x_end
        kind = classify_number(digits, single_group=i == j) if len(digits) in _LENGTHS else None
        if (
            kind
            and (len(first) >= 3 or kind[0] == "mobile")
            and (not short_tail or kind[0] == "bank-card")
        ):
            start = _with_plus(text, run.starts[i], kind, digits)
            best = _Hit(kind[0], start, end, kind[1], j + 1)
        if short_tail:
            break
    return best


def _with_plus(text: str, start: int, kind: tuple[str, str], digits: str) -> int:
    """Include a "+" written before an international mobile prefix."""
    if kind[0] == "mobile" and digits != kind[1] and start and text[start - 1] in "+＋":
        return start - 1
    return start


def find_pii(text: str, allowed: frozenset[str] = frozenset()) -> list[PiiMatch]:
    """Personal numbers in ``text`` in order of position, except those in ``allowed``.

    ``allowed`` holds strings already passed through :func:`normalize_number`.  The offsets
    index ``text``; the scan reads its folded form (see the module docstring).
    """
    folded = fold(text)
    shown = folded.text
    found = []
    for match in _RUN.finditer(shown):
        if match.end() - match.start() < _MIN_DIGITS:
            continue
        for hit in _hits_in_run(shown, _read_run(shown, match)):
            if hit.digits in allowed or not _personal_in_context(shown, hit):
                continue
            start, end = folded.source_span(hit.start, hit.end)
            found.append(
                PiiMatch(hit.kind, start, end, hit.digits, mask_number(hit.kind, hit.digits))
            )
    return found


def _personal_in_context(text: str, hit: _Hit) -> bool:
    """False for an amount, a labelled government number, a code, or a card without a bank."""
    before = text[max(0, hit.start - _CONTEXT) : hit.start]
    amount = _AMOUNT_AFTER.match(text, hit.end) or _AMOUNT_BEFORE.search(before)
    if amount and hit.kind == "mobile":  # 100 亿元 is a budget; an ID's checksum is no amount
        return False
    label = _LABEL_BEFORE.search(before)
    if label and not _PERSONAL_LABEL.search(before[: label.start()][-4:] + label[0]):
        return False
    token = _ALNUM_TOKEN.search(text, max(0, hit.start - 17))
    while token and token.start() <= hit.start:
        code = token[0]
        if (
            token.end() >= hit.end
            and len(code) == 18
            and not code[:17].isdigit()  # 17 digits and X: an ID first, privacy first
            and is_valid_credit_code(code)
        ):
            return False
        token = _ALNUM_TOKEN.search(text, token.end())
    if hit.kind == "bank-card" and not hit.digits.startswith("62"):
        return bool(_BANK_WORDS.search(before))
    return True
