"""发文字号 normalisation, with variants taken from real documents."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.content.docnumber import (
    doc_number_year,
    is_recognized_doc_number,
    normalize_doc_number,
)

# Verbatim doc_number values from /work/shared/corpus/policies.jsonl (State Council and
# provincial governments): (original, normalised, recognised, reason).
CORPUS = [
    ("国函〔2023〕98号", "国函〔2023〕98号", True, None),
    ("国办发〔2021〕30号", "国办发〔2021〕30号", True, None),
    ("豫政办 〔2009〕62号", "豫政办〔2009〕62号", True, "删除了空格"),
    ("豫政 〔2022〕9号", "豫政〔2022〕9号", True, "删除了空格"),
    ("豫政办 〔 2021 〕68 号", "豫政办〔2021〕68号", True, "删除了空格"),
    ("省政府令 第57号", "省政府令第57号", True, "删除了空格"),
    ("沪发改价费〔2009〕009号", "沪发改价费〔2009〕9号", True, "去掉了序号前多余的 0"),
    ("沪府办发〔2006〕02号", "沪府办发〔2006〕2号", True, "去掉了序号前多余的 0"),
    ("粤府办〔2002〕1２号", "粤府办〔2002〕12号", True, "把全角数字改为半角数字"),
    ("豫政 第24号", "豫政第24号", False, "删除了空格"),
    # ministries number per year; accepted as recognised (the lead's decision)
    ("国家税务总局公告2015年第41号", "国家税务总局公告2015年第41号", True, None),
    ("交通运输部令2016年第62号", "交通运输部令2016年第62号", True, None),
    ("号市人大公告1996年第40号", "号市人大公告1996年第40号", True, None),
]

# Deviations named in docs/domain.md §3 and common on local government sites.
VARIANTS = [
    (
        "发文字号：晋政办发[2021]99号",
        "晋政办发〔2021〕99号",
        "去掉了“发文字号：”标签、把方括号 [ ] 改为六角括号〔〕",
    ),
    (
        "文号:京政发【２０２４】１号",
        "京政发〔2024〕1号",
        "去掉了“文号:”标签、把全角数字改为半角数字、把方头括号【】改为六角括号〔〕",
    ),
    ("发文字号 国办发〔2024〕1号", "国办发〔2024〕1号", "去掉了“发文字号”标签"),
    ("国办发 〔2024〕 7 号", "国办发〔2024〕7号", "删除了空格"),
    ("国办发\u3000〔2024〕7号", "国办发〔2024〕7号", "删除了空格"),
    (
        "国办发（2024）第007号",
        "国办发〔2024〕7号",
        "把全角圆括号（）改为六角括号〔〕、删除了年份后序号前的“第”、去掉了序号前多余的 0",
    ),
    ("国办发(2024)7号", "国办发〔2024〕7号", "把圆括号 ( ) 改为六角括号〔〕"),
    ("国办发［2024］7号", "国办发〔2024〕7号", "把全角方括号［］改为六角括号〔〕"),
    ("国办发﹝2021﹞30号", "国办发〔2021〕30号", "把小六角括号﹝﹞改为六角括号〔〕"),
    ("国办发〖2021〗30号", "国办发〔2021〕30号", "把空心方头括号〖〗改为六角括号〔〕"),
    ("国办发[2024〕3号", "国办发〔2024〕3号", "把“[〕”改为六角括号〔〕"),
    ("\ufeff国发〔2024〕1号", "国发〔2024〕1号", "删除了不可见字符"),
    ("文号：文号：国发〔2024〕1号", "国发〔2024〕1号", "去掉了“文号：文号：”标签"),
    ("国务院令第０７１１号", "国务院令第711号", "把全角数字改为半角数字、去掉了序号前多余的 0"),
]


@pytest.mark.parametrize(("original", "normalized", "recognized", "reason"), CORPUS)
def test_corpus_doc_numbers(
    original: str, normalized: str, recognized: bool, reason: str | None
) -> None:
    check = normalize_doc_number(original)
    assert (check.normalized, check.recognized, check.reason) == (normalized, recognized, reason)
    assert check.original == original
    assert check.is_canonical is (recognized and reason is None)


@pytest.mark.parametrize(("original", "normalized", "reason"), VARIANTS)
def test_variants_are_repaired(original: str, normalized: str, reason: str) -> None:
    check = normalize_doc_number(original)
    assert (check.normalized, check.reason) == (normalized, reason)
    assert check.recognized and not check.is_canonical


UNRECOGNIZED = [
    ("国办发〔2024〕0号", "number 0"),
    ("国办发〔24〕7号", "two-digit year"),
    ("国办发〔2024〕7", "no 号"),
    ("〔2024〕7号", "no 机关代字"),
    ("Gov〔2024〕7号", "Latin 机关代字"),
    ("发文字号：", "only a label"),
    ("", "empty"),
    ("无", "placeholder"),
]


@pytest.mark.parametrize(("original", "why"), UNRECOGNIZED)
def test_unrecognized(original: str, why: str) -> None:
    check = normalize_doc_number(original)
    assert not check.recognized and not check.is_canonical, why


@pytest.mark.parametrize(
    ("number", "recognized"),
    [
        ("国发〔2024〕1号", True),
        ("山西省人民政府令第123号", True),
        ("国发〔2024〕01号", False),
        ("国发 〔2024〕1号", False),
        ("国务院令第0号", False),
    ],
)
def test_is_recognized_doc_number(number: str, recognized: bool) -> None:
    assert is_recognized_doc_number(number) is recognized


YEARS = [
    ("国函〔2023〕98号", 2023),
    ("晋政办发[2021]99号", 2021),
    ("京政发【２０２４】１号", 2024),
    ("国家税务总局公告2015年第41号", 2015),
    ("山西省人民政府令第123号", None),
    ("国办发〔0024〕1号", None),
    ("", None),
]


@pytest.mark.parametrize(("number", "year"), YEARS)
def test_doc_number_year(number: str, year: int | None) -> None:
    assert doc_number_year(number) == year


@given(
    st.text(
        st.sampled_from("国办发令第号〔〕[]()（）【】 　0０123456789：:文字号\ufeff"), max_size=30
    )
)
def test_normalisation_is_idempotent(s: str) -> None:
    check = normalize_doc_number(s)
    again = normalize_doc_number(check.normalized)
    assert again.normalized == check.normalized
    assert again.reason is None
    assert again.is_canonical is check.recognized


@given(
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),
    st.integers(1949, 2100),
    st.integers(1, 9999),
)
def test_canonical_numbers_are_left_alone(agency: str, year: int, serial: int) -> None:
    number = f"{agency}〔{year}〕{serial}号"
    check = normalize_doc_number(number)
    assert check.is_canonical and check.normalized == number and check.reason is None
    assert doc_number_year(number) == year


def test_ministry_yearly_numbers_are_recognized() -> None:
    for number in ("海关总署公告2015年第41号", "交通运输部令2016年第62号"):
        check = normalize_doc_number(number)
        assert check.recognized and check.is_canonical
