"""Check characters of Chinese identifiers: 公民身份号码, 统一社会信用代码, 组织机构代码, cards.

Pure functions, no I/O.  Each ``*_check_char`` takes the body (without the check character) and
raises ``ValueError`` on a malformed body: that is a programming error, not bad content.  The
``is_valid_*`` functions never raise.
"""

from __future__ import annotations

import re
from datetime import date

# GB 11643-1999 公民身份号码 (also the 2023 外国人永久居留身份证, first digit 9).
_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK = "10X98765432"
_RESIDENT_ID = re.compile(r"[1-9][0-9]{16}[0-9X]", re.ASCII)
_OLD_RESIDENT_ID = re.compile(r"[1-9][0-9]{14}", re.ASCII)

# Provincial codes (GB/T 2260), the first two digits of a citizen's number.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)

# GB 32100-2015 统一社会信用代码.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}

# GB 11714-1997 组织机构代码 (the prefix of gov.cn's 索引号, characters 9-17 of a credit code).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE = re.compile(r"([0-9A-Z]{8})-?([0-9X])", re.ASCII)

_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def _birth_date_ok(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if not 1900 <= year <= 2100:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def resident_id_check_char(first17: str) -> str:
    """The 18th character of a 公民身份号码 (MOD 11-2): one of ``10X98765432``."""
    if len(first17) != 17 or not _DIGITS.fullmatch(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(ch) * w for ch, w in zip(first17, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK[total % 11]


def is_valid_resident_id(s: str) -> bool:
    """An 18-character 公民身份号码 or 2023 永居证号码 with a real birth date and check char.

    The first digit is 1-8 for citizens (province code) and 9 for the 外国人永久居留身份证,
    which keeps the birth date in characters 7-14.  A lower-case ``x`` is accepted.
    """
    s = s.upper()
    return (
        _RESIDENT_ID.fullmatch(s) is not None
        and _birth_date_ok(s[6:14])
        and resident_id_check_char(s[:17]) == s[17]
    )


def is_plausible_old_resident_id(s: str) -> bool:
    """A 15-digit first-generation 身份证号码: province code, then a real 19YYMMDD date.

    Old numbers carry no check digit, so this is only plausibility; a 15-digit 工商注册号
    (see :func:`is_valid_registration_number`) passes it too.
    """
    return (
        _OLD_RESIDENT_ID.fullmatch(s) is not None
        and int(s[:2]) in PROVINCE_CODES
        and _birth_date_ok("19" + s[6:12])
    )


def registration_number_check_digit(first14: str) -> str:
    """The 15th digit of a 工商注册号 (GS 15-2006, ISO 7064 MOD 11,10)."""
    if len(first14) != 14 or not _DIGITS.fullmatch(first14):
        raise ValueError(f"expected 14 ASCII digits, got {first14!r}")
    product = 10
    for ch in first14:
        product = (((product + int(ch)) % 10 or 10) * 2) % 11
    return str((11 - product) % 10)


def is_valid_registration_number(s: str) -> bool:
    """A 15-digit 工商行政管理市场主体注册号 with a correct check digit."""
    return (
        len(s) == 15
        and _DIGITS.fullmatch(s) is not None
        and registration_number_check_digit(s[:14]) == s[14]
    )


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015)."""
    if len(first17) != 17 or any(ch not in _CREDIT_VALUE for ch in first17):
        raise ValueError(f"expected 17 characters of {CREDIT_CODE_ALPHABET}, got {first17!r}")
    total = sum(_CREDIT_VALUE[ch] * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(s: str) -> bool:
    """An 18-character 统一社会信用代码 in upper case with a correct check character.

    Letters I, O, S, V and Z never occur.  Lower case is rejected: the code is published as
    written, so callers that want leniency upper-case it first and say so.
    """
    return (
        len(s) == 18
        and all(ch in _CREDIT_VALUE for ch in s)
        and credit_code_check_char(s[:17]) == s[17]
    )


def org_code_check_char(first8: str) -> str:
    """The 9th character of a 组织机构代码 (GB 11714-1997): ``0``-``9`` or ``X``."""
    if not re.fullmatch(r"[0-9A-Z]{8}", first8, re.ASCII):
        raise ValueError(f"expected 8 characters 0-9 or A-Z, got {first8!r}")
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid_org_code(s: str) -> bool:
    """A 组织机构代码, written ``D2143569X`` or ``D2143569-X``, with a correct check char."""
    match = _ORG_CODE.fullmatch(s)
    return match is not None and org_code_check_char(match[1]) == match[2]


def luhn_valid(digits: str) -> bool:
    """The Luhn (ISO/IEC 7812) check used by bank card numbers; at least two ASCII digits."""
    if len(digits) < 2 or not _DIGITS.fullmatch(digits):
        return False
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
