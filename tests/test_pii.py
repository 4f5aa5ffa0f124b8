"""Personal numbers in free text: found however they are written, and nothing else."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from generator.content.identifiers import (
    is_valid_credit_code,
    is_valid_resident_id,
    luhn_valid,
    resident_id_check_char,
)
from generator.content.pii import (
    _AMOUNT_AFTER,
    _LABEL_BEFORE,
    PiiMatch,
    find_pii,
    mask_number,
    normalize_number,
)

# (text, kind, the matched text, normalised digits)
FOUND = [
    ("联系电话13800138000。", "mobile", "13800138000", "13800138000"),
    ("手机：138 0013 8000", "mobile", "138 0013 8000", "13800138000"),
    ("手机：138-0013-8000", "mobile", "138-0013-8000", "13800138000"),
    ("手机：１３８００１３８０００", "mobile", "１３８００１３８０００", "13800138000"),
    ("手机：１３８－００１３－８０００", "mobile", "１３８－００１３－８０００", "13800138000"),
    ("手机：138\u30000013\u30008000", "mobile", "138\u30000013\u30008000", "13800138000"),
    ("请拨打+86 138 0013 8000咨询", "mobile", "+86 138 0013 8000", "13800138000"),
    ("请拨打+8613800138000咨询", "mobile", "+8613800138000", "13800138000"),
    ("请拨打0086-138-0013-8000咨询", "mobile", "0086-138-0013-8000", "13800138000"),
    ("请拨打86 19912345678咨询", "mobile", "86 19912345678", "19912345678"),
    ("2024-03-15 13800138000 张三", "mobile", "13800138000", "13800138000"),
    ("电话：0571-87654321 13800138000", "mobile", "13800138000", "13800138000"),
    ("见file_13800138000.pdf", "mobile", "13800138000", "13800138000"),
    ("证件No.11010519491231002X", "resident-id", "11010519491231002X", "11010519491231002X"),
    ("身份证号11010519491231002X，", "resident-id", "11010519491231002X", "11010519491231002X"),
    ("身份证号11010519491231002x，", "resident-id", "11010519491231002x", "11010519491231002X"),
    (
        "身份证号１１０１０５１９４９１２３１００２Ｘ",
        "resident-id",
        "１１０１０５１９４９１２３１００２Ｘ",
        "11010519491231002X",
    ),
    ("号码110105 19491231 002X。", "resident-id", "110105 19491231 002X", "11010519491231002X"),
    ("永居证911840198001010013", "resident-id", "911840198001010013", "911840198001010013"),
    ("旧证110105491231003。", "resident-id", "110105491231003", "110105491231003"),
    ("卡号6217000000000000004", "bank-card", "6217000000000000004", "6217000000000000004"),
    ("卡号6222 0202 0000 0000 006", "bank-card", "6222 0202 0000 0000 006", "6222020200000000006"),
    ("卡号9558801234567897", "bank-card", "9558801234567897", "9558801234567897"),
    ("卡号4111-1111-1111-1111", "bank-card", "4111-1111-1111-1111", "4111111111111111"),
    ("tel13800138000", "mobile", "13800138000", "13800138000"),
    ("ID11010519491231002X", "resident-id", "11010519491231002X", "11010519491231002X"),
    ("附件wangfang13912345678.pdf", "mobile", "13912345678", "13912345678"),
    ("身份证编号：11010519491231002X", "resident-id", "11010519491231002X", "11010519491231002X"),
    # disguises: the page shows the number whole
    ("电话1380013\n8000", "mobile", "1380013\n8000", "13800138000"),
    ("电话1380013\n   8000", "mobile", "1380013\n   8000", "13800138000"),
    ("电话138\u20130013\u20138000", "mobile", "138\u20130013\u20138000", "13800138000"),
    ("电话138\u20100013\u20108000", "mobile", "138\u20100013\u20108000", "13800138000"),
    ("电话138.0013.8000", "mobile", "138.0013.8000", "13800138000"),
    ("电话138\u20090013\t8000", "mobile", "138\u20090013\t8000", "13800138000"),
    ("电话1380\u00ad0138000", "mobile", "1380\u00ad0138000", "13800138000"),
    ("电话1380\u200b0138000", "mobile", "1380\u200b0138000", "13800138000"),
    ("电话&#49;3800138000。", "mobile", "&#49;3800138000", "13800138000"),
    ("电话&#x31;&#51;800138000", "mobile", "&#x31;&#51;800138000", "13800138000"),
    ("电话138&shy;0013&#8211;8000", "mobile", "138&shy;0013&#8211;8000", "13800138000"),
    ("电话138\\-0013\\-8000", "mobile", "138\\-0013\\-8000", "13800138000"),
    ("见/a/%313800138000.pdf", "mobile", "%313800138000", "13800138000"),
    ("号码110105\n19491231002X", "resident-id", "110105\n19491231002X", "11010519491231002X"),
]


@pytest.mark.parametrize(("text", "kind", "written", "digits"), FOUND)
def test_found(text: str, kind: str, written: str, digits: str) -> None:
    [match] = find_pii(text)
    assert (match.kind, text[match.start : match.end], match.digits) == (kind, written, digits)


NOT_FOUND = [
    ("青禾政办发〔2024〕13号", "文号"),
    ("国办发[2021]13800138号", "文号 with a long number"),
    ("2024-03-15", "date"),
    ("20240315", "compact date"),
    ("2024-03-15 2024-03-16 2024-03-17", "dates separated by spaces"),
    ("第199 2024-03-06", "a number then a date"),
    ("11100000000013127D", "统一社会信用代码"),
    ("91330100MA27XXXX0X、11330100MB1234567X", "统一社会信用代码 with letters"),
    ("913301061000000374", "all-digit 统一社会信用代码 that is Luhn-valid"),
    ("1,380,013,800元", "amount with thousands separators"),
    ("13800138000.00元", "amount with decimals"),
    ("比例为3.13800138000", "decimal fraction"),
    ("11330100MB1234567X/2024-00001", "索引号"),
    ("000014349/2020-00072", "gov.cn 索引号"),
    ("0571-87654321", "landline"),
    ("(0571)87654321", "landline with parentheses"),
    ("12345", "government hotline"),
    ("400-800-8888、95588", "service numbers"),
    ("12345678901234567890", "20 digits"),
    ("213800138000", "12 digits containing a mobile"),
    ("1380013800011010519491231002X", "a mobile glued to an ID"),
    ("预算支出13500000000元", "an amount in 元"),
    ("合计13500000000.50 万元", "an amount in 万元"),
    ("￥13500000000", "an amount after ￥"),
    ("纳税人识别号：110105491231003", "a labelled 纳税人识别号"),
    ("110105491231005", "an old 纳税人识别号: region and 组织机构代码"),
    ("编号：6222020200000000006", "a labelled reference number"),
    ("文号13800138000", "a labelled 文号"),
    ("统一社会信用代码为11010519491231002X", "a labelled code"),
    ("流水号4111111111111111", "a Luhn-valid reference number, not UnionPay, no bank word"),
    ("1234567812340002", "Luhn-valid but no card issuer prefix"),
    ("6222020200000000001", "card layout, Luhn-invalid"),
    ("110108000000016", "15-digit 工商注册号 (GS 15-2006 example)"),
    ("110105 491231 003", "old 15-digit number written in groups"),
    ("330106001001", "统计用区划代码"),
    ("１３８００１３８０００１", "12 full-width digits"),
]


@pytest.mark.parametrize(("text", "why"), NOT_FOUND)
def test_not_found(text: str, why: str) -> None:
    assert find_pii(text) == [], why


def test_several_numbers_in_order() -> None:
    text = "张三，身份证11010519491231002X，手机138 0013 8000，卡号6217000000000000004。"
    assert [m.kind for m in find_pii(text)] == ["resident-id", "mobile", "bank-card"]


def test_allowed_numbers_are_skipped() -> None:
    allowed = frozenset({normalize_number("+86 138-0013-8000")})
    text = "热线138 0013 8000，另一号码13900139000"
    assert [m.digits for m in find_pii(text, allowed)] == ["13900139000"]


def test_allowed_number_still_hides_its_parts() -> None:
    allowed = frozenset({normalize_number("6217 0000 0000 0000 004")})
    assert find_pii("账户6217 0000 0000 0000 004", allowed) == []


NORMALIZED = [
    ("+86 138-0013-8000", "13800138000"),
    ("＋８６１３８００１３８０００", "13800138000"),
    ("0086 13800138000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("0571-87654321", "057187654321"),
    ("12345", "12345"),
    ("11010519491231002x", "11010519491231002X"),
    ("６２１７ ００００", "62170000"),
]


@pytest.mark.parametrize(("raw", "normalized"), NORMALIZED)
def test_normalize_number(raw: str, normalized: str) -> None:
    assert normalize_number(raw) == normalized


MASKED = [
    ("mobile", "13800138000", "138******00"),
    ("resident-id", "11010519491231002X", "110***********002X"),
    ("bank-card", "6217000000000000004", "621************0004"),
]


@pytest.mark.parametrize(("kind", "digits", "masked"), MASKED)
def test_mask_number(kind: str, digits: str, masked: str) -> None:
    assert mask_number(kind, digits) == masked


def test_kind_zh() -> None:
    assert [PiiMatch(k, 0, 1, "", "").kind_zh for k in ("resident-id", "mobile", "bank-card")] == [
        "居民身份证号码",
        "手机号码",
        "银行卡号",
    ]


# ---------------------------------------------------------------- property tests

FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
SEPARATORS = [" ", "-", "\u3000", "－"]
# Chinese filler without digits or Latin letters, so it never joins the number.
FILLER = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("，。：；、（）《》“”\n "),
    ),
    max_size=30,
)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.integers(100000, 999999))
    born = draw(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
    body = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + resident_id_check_char(body)


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    return f"1{draw(st.integers(3, 9))}{draw(st.integers(0, 999_999_999)):09d}"


@st.composite
def bank_cards(draw: st.DrawFn) -> str:
    length = draw(st.integers(16, 19))
    body = "62" + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=length - 3, max_size=length - 3))
    )
    card = next(body + d for d in "0123456789" if luhn_valid(body + d))
    assume(not (len(card) == 18 and (is_valid_credit_code(card) or is_valid_resident_id(card))))
    return card


def grouped(number: str, sizes: tuple[int, ...], separator: str) -> str:
    """``number`` split after the given group sizes, e.g. (3, 4) → 138 0013 8000."""
    parts, at = [], 0
    for size in sizes:
        parts.append(number[at : at + size])
        at += size
    parts.append(number[at:])
    return separator.join(p for p in parts if p)


LAYOUTS = {
    "resident-id": [(), (6, 8), (3, 3, 8), (6, 8, 4)],
    "mobile": [(), (3, 4), (3,), (7,)],
    "bank-card": [(), (4, 4, 4, 4), (6,)],
}
PREFIXES = ["", "+86", "+86 ", "86-", "0086 ", "＋８６"]


@st.composite
def written(draw: st.DrawFn, kind: str, numbers: st.SearchStrategy[str]) -> tuple[str, str]:
    """(the number as an editor might write it, its normalised digits)."""
    number = draw(numbers)
    text = grouped(number, draw(st.sampled_from(LAYOUTS[kind])), draw(st.sampled_from(SEPARATORS)))
    if kind == "resident-id" and draw(st.booleans()):
        text = text.lower()
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    if kind == "mobile":
        text = draw(st.sampled_from(PREFIXES)) + text
    return text, number


@pytest.mark.parametrize(
    ("kind", "numbers"),
    [("resident-id", resident_ids()), ("mobile", mobiles()), ("bank-card", bank_cards())],
)
@given(data=st.data())
def test_embedded_numbers_are_always_found(
    kind: str, numbers: st.SearchStrategy[str], data: st.DataObject
) -> None:
    number_text, digits = data.draw(written(kind, numbers))
    before, after = data.draw(FILLER), data.draw(FILLER)
    # context that makes a number not personal on purpose (tested in tests/adversarial)
    assume(not _AMOUNT_AFTER.match(after) and not _LABEL_BEFORE.search(before))
    text = before + number_text + after
    [match] = find_pii(text)
    assert match.kind == kind
    assert match.digits == digits
    assert text[match.start : match.end] == number_text
    assert digits not in match.masked
    assert digits[3:-4] not in match.masked
    assert find_pii(text, frozenset({normalize_number(number_text)})) == []


@given(st.text(st.sampled_from("0123456789０１２３ Xx-－.+86年月日号〔〕abc中文"), max_size=200))
def test_any_text_gives_consistent_matches(text: str) -> None:
    matches = find_pii(text)
    for earlier, later in pairwise(matches):
        assert earlier.end <= later.start
    for m in matches:
        assert 0 <= m.start < m.end <= len(text)
        assert normalize_number(text[m.start : m.end]) == m.digits
        assert m.digits not in m.masked and len(m.masked) == len(m.digits)
