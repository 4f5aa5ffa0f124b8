"""Check characters of 身份证号码, 统一社会信用代码, 组织机构代码, 注册号 and card numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.content.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    is_plausible_old_resident_id,
    is_valid_credit_code,
    is_valid_org_code,
    is_valid_registration_number,
    is_valid_resident_id,
    luhn_valid,
    org_code_check_char,
    registration_number_check_digit,
    resident_id_check_char,
)

RESIDENT_IDS = [
    ("11010519491231002X", True, "GB 11643-1999 example"),
    ("11010519491231002x", True, "lower-case x is what people type"),
    ("911840198001010013", True, "2023 永居证: 9 + 11 + 840 + birth date, same MOD 11-2"),
    ("110105194912310021", False, "wrong check character"),
    ("110105194913310021", False, "month 13, check character right"),
    ("110105190002290025", False, "1900 was not a leap year"),
    ("110105189912310023", False, "born before 1900"),
    ("010105194912310026", False, "region code starts with 0"),
    ("11010519491231002", False, "17 characters"),
    ("11010519491231002X1", False, "19 characters"),
    ("１１０１０５１９４９１２３１００２Ｘ", False, "full-width digits: normalise first"),
    ("11010519491231002Y", False, "Y is no check character"),
    ("", False, "empty"),
]


@pytest.mark.parametrize(("number", "valid", "why"), RESIDENT_IDS)
def test_is_valid_resident_id(number: str, valid: bool, why: str) -> None:
    assert is_valid_resident_id(number) is valid, why


def test_resident_id_check_char_of_the_standard_example() -> None:
    assert resident_id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize(
    "body", ["1101051949123100", "1101051949123100X", "１１０１０５１９４９１２３１００２"]
)
def test_resident_id_check_char_rejects_malformed_bodies(body: str) -> None:
    with pytest.raises(ValueError):
        resident_id_check_char(body)


@st.composite
def resident_id_bodies(draw: st.DrawFn) -> str:
    region = draw(st.integers(100000, 999999))
    born = draw(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
    sequence = draw(st.integers(0, 999))
    return f"{region}{born:%Y%m%d}{sequence:03d}"


@given(resident_id_bodies(), st.sampled_from("0123456789X"))
def test_exactly_one_check_char_makes_a_resident_id_valid(body: str, last: str) -> None:
    assert is_valid_resident_id(body + last) is (last == resident_id_check_char(body))


OLD_RESIDENT_IDS = [
    ("110105491231002", True, "the GB 11643 example before the 1999 upgrade"),
    ("330106850230123", False, "30 February"),
    ("990106850101123", False, "99 is no province"),
    ("11010519491231", False, "14 digits"),
]


@pytest.mark.parametrize(("number", "plausible", "why"), OLD_RESIDENT_IDS)
def test_is_plausible_old_resident_id(number: str, plausible: bool, why: str) -> None:
    assert is_plausible_old_resident_id(number) is plausible, why


def test_registration_number_of_the_gs15_example() -> None:
    assert registration_number_check_digit("11010800000001") == "6"
    assert is_valid_registration_number("110108000000016")
    assert not is_valid_registration_number("110108000000017")
    assert not is_valid_registration_number("11010800000001X")


CREDIT_CODES = [
    ("11100000000013127D", True, "government body (机关, 1+1) code from the brief, check computed"),
    ("91350100M000100Y43", True, "GB 32100-2015 example"),
    ("913301061000000374", True, "all digits is possible"),
    ("11100000000013127A", False, "wrong check character"),
    ("91350100m000100y43", False, "lower case is not the published form"),
    ("91350100I000100Y43", False, "I is outside the alphabet"),
    ("11100000000013127", False, "17 characters"),
    ("", False, "empty"),
]


@pytest.mark.parametrize(("code", "valid", "why"), CREDIT_CODES)
def test_is_valid_credit_code(code: str, valid: bool, why: str) -> None:
    assert is_valid_credit_code(code) is valid, why


def test_credit_code_check_char() -> None:
    assert credit_code_check_char("11100000000013127") == "D"
    assert credit_code_check_char("91350100M000100Y4") == "3"
    with pytest.raises(ValueError):
        credit_code_check_char("91350100O000100Y4")


@given(
    st.text(CREDIT_CODE_ALPHABET, min_size=17, max_size=17), st.sampled_from(CREDIT_CODE_ALPHABET)
)
def test_exactly_one_check_char_makes_a_credit_code_valid(body: str, last: str) -> None:
    assert is_valid_credit_code(body + last) is (last == credit_code_check_char(body))


ORG_CODES = [
    ("D2143569X", True, "GB 11714-1997 example"),
    ("D2143569-X", True, "written with the hyphen"),
    ("000014349", True, "gov.cn 索引号 prefix"),
    ("000013127", True, "characters 9-17 of 11100000000013127D"),
    ("D21435690", False, "wrong check character"),
    ("D2143569--X", False, "two hyphens"),
]


@pytest.mark.parametrize(("code", "valid", "why"), ORG_CODES)
def test_is_valid_org_code(code: str, valid: bool, why: str) -> None:
    assert is_valid_org_code(code) is valid, why


def test_org_code_check_char() -> None:
    assert org_code_check_char("D2143569") == "X"
    assert org_code_check_char("00001434") == "9"
    with pytest.raises(ValueError):
        org_code_check_char("d2143569")


LUHN = [
    ("4111111111111111", True, "Visa test number"),
    ("79927398713", True, "the textbook example"),
    ("6217000000000000004", True, "19-digit UnionPay layout"),
    ("4111111111111112", False, "last digit changed"),
    ("79927398710", False, "last digit changed"),
    ("0", False, "a single digit is no number"),
    ("", False, "empty"),
    ("4111 1111 1111 1111", False, "separators: normalise first"),
    ("４１１１１１１１１１１１１１１１", False, "full-width: normalise first"),
]


@pytest.mark.parametrize(("digits", "valid", "why"), LUHN)
def test_luhn_valid(digits: str, valid: bool, why: str) -> None:
    assert luhn_valid(digits) is valid, why


@given(st.text("0123456789", min_size=2, max_size=19), st.data())
def test_luhn_catches_every_single_digit_change(digits: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(digits) - 1))
    replacement = data.draw(st.sampled_from("0123456789").filter(lambda d: d != digits[position]))
    changed = digits[:position] + replacement + digits[position + 1 :]
    assert not (luhn_valid(digits) and luhn_valid(changed))
