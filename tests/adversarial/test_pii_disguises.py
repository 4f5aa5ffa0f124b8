"""Personal numbers in disguise are caught; government numbers are not personal.

Generators write a number the way Word, PDF copies, HTML and Markdown let it hide (line breaks,
dashes, dots, thin spaces, tabs, soft hyphens, zero-width characters, character references,
backslash escapes, percent escapes, glued to a file name) and the legitimate numbers government
documents are full of (amounts, 纳税人识别号, labelled reference numbers, 统一社会信用代码, 文号).
The corpus test reads real government texts and expects no match at all.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.content.identifiers import (
    credit_code_check_char,
    is_plausible_old_resident_id,
    is_valid_resident_id,
    luhn_valid,
    org_code_check_char,
)
from generator.content.pii import find_pii
from generator.tools.synth_corpus import default_corpus_dir
from tests.adversarial.hostile import BODY_LINE, RECORD, Tree, record
from tests.test_pii import FILLER, bank_cards, mobiles, resident_ids

# shared/ beside the checkout, as CI lays it out (CATALOG_CORPUS for a checkout elsewhere)
CORPUS = Path(os.environ.get("CATALOG_CORPUS", default_corpus_dir()))
CORPUS_EVERY = 5  # every fifth line: ~20,000 texts, a few seconds

# Between two groups of three or more digits a visible separator; anywhere an invisible one.
VISIBLE = ["\u2013", "\u2010", "\u2011", "\u2212", ".", "\u00b7", "\u2009", "\u202f", "\t",
           " ", "-", "\uff0d", "\u3000", "&ndash;", "&#8211;", "&nbsp;", "&thinsp;", "\\-",
           "\\.", " - "]  # fmt: skip
INVISIBLE = ["\n", "\n   ", "\n> ", "\r\n", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060",
             "\ufeff", "&shy;", "&#173;", "&#x200B;"]  # fmt: skip
NUMBERS = st.one_of(resident_ids(), mobiles(), bank_cards())


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    """(the text as written, the number's digits)."""
    number = draw(NUMBERS)
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=4)))
    groups = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    visible = all(len(g) >= 3 for g in groups) and draw(st.booleans())
    pieces = []
    for index, group in enumerate(groups):
        if index:
            pieces.append(draw(st.sampled_from(VISIBLE if visible else INVISIBLE)))
        if draw(st.integers(0, 5)) == 0:  # one digit as a character reference or percent escape
            at = draw(st.integers(0, len(group) - 1))
            escapes = [f"&#{ord(group[at])};", f"&#x{ord(group[at]):x};"]
            escape = draw(st.sampled_from(escapes + [f"%3{group[at]}"] * group[at].isdigit()))
            group = group[:at] + escape + group[at + 1 :]
        pieces.append(group)
    return "".join(pieces), number.upper()


@settings(max_examples=400, deadline=None)
@given(disguised(), FILLER, FILLER, st.sampled_from(["", "wangfang", "file-", "附件/"]))
def test_a_disguised_number_is_found_where_it_was_written(
    written: tuple[str, str], before: str, after: str, glued: str
) -> None:
    number_text, digits = written
    text = f"{before}{glued}{number_text}{'.pdf' if glued else ''}{after}"
    [match] = find_pii(text)
    assert match.digits == digits
    assert text[match.start : match.end] == number_text


def region(draw: st.DrawFn) -> str:
    return f"{draw(st.integers(110000, 659999))}"


@st.composite
def government_numbers(draw: st.DrawFn) -> str:
    """A number a public document legitimately holds, written with its usual context."""
    kind = draw(st.integers(0, 5))
    if kind == 0:  # an amount of eleven digits
        amount = f"1{draw(st.integers(3, 9))}{draw(st.integers(0, 999_999_999)):09d}"
        unit = draw(st.sampled_from(["元", "万元", "亿元", " 元", ".50元"]))
        return draw(st.sampled_from(["预算支出", "合计", "总投资"])) + amount + unit
    if kind == 1:  # an old 15-digit 纳税人识别号: region and 组织机构代码, labelled or not
        body = f"{draw(st.integers(10_000_000, 99_999_999))}"
        check = org_code_check_char(body)
        assume(check != "X")
        label = draw(st.sampled_from(["", "纳税人识别号：", "税号"]))
        return f"{label}{region(draw)}{body}{check}"
    if kind == 2:  # a labelled reference number of 16 to 19 digits
        length = draw(st.integers(16, 19))
        digits = draw(st.sampled_from("34569")) + "".join(
            draw(st.lists(st.sampled_from("0123456789"), min_size=length - 1, max_size=length - 1))
        )
        return draw(st.sampled_from(["编号：", "文号", "受理编号", "统一社会信用代码："])) + digits
    if kind == 3:  # an unlabelled reference number that is not UnionPay
        length = draw(st.integers(16, 19))
        first = draw(st.sampled_from(["3", "4", "5", "60", "61", "63", "69", "9"]))
        rest = "".join(
            draw(st.lists(st.sampled_from("0123456789"), min_size=length, max_size=length))
        )
        digits = (first + rest)[:length]
        assume(not (len(digits) == 18 and is_valid_resident_id(digits)))
        return "业务流水号" + digits
    if kind == 4:  # a 统一社会信用代码 with letters
        first17 = f"91{region(draw)}" + draw(
            st.from_regex(r"MA[0-9A-HJ-NP-RT-UW-Y]{7}", fullmatch=True)
        )
        return "统一社会信用代码" + first17 + credit_code_check_char(first17)
    year = draw(st.integers(1990, 2030))
    return (
        f"青政发〔{year}〕{draw(st.integers(1, 300))}号，{year}-{draw(st.integers(1, 12)):02d}-01"
    )


@settings(max_examples=600, deadline=None)
@given(government_numbers(), FILLER)
def test_government_numbers_are_not_personal(text: str, filler: str) -> None:
    assert find_pii(filler + text + "。") == []


def test_taxpayer_numbers_are_not_old_ids() -> None:
    """The 15-digit numbers that looked like first-generation IDs: region + 组织机构代码."""
    found = 0
    for serial in range(10_000_000, 10_300_000, 97):
        body = str(serial)
        check = org_code_check_char(body)
        number = f"110105{body}{check}"
        if check != "X" and is_plausible_old_resident_id(number):
            found += 1
            assert find_pii(number) == [], number
    assert found > 20


def test_unlabelled_reference_numbers_rarely_look_like_cards() -> None:
    """Of 16–19-digit numbers starting 3/4/5/6/9 only Luhn-valid UnionPay ones (62) remain."""
    flagged = total = 0
    draw = random.Random(20)
    for _ in range(20_000):
        length = draw.randint(16, 19)
        digits = draw.choice("34569") + "".join(draw.choices("0123456789", k=length - 1))
        if len(digits) == 18 and is_valid_resident_id(digits):
            continue
        total += 1
        if find_pii(digits):
            flagged += 1
            assert digits.startswith("62") and luhn_valid(digits)
    assert flagged / total < 0.005


def corpus_texts() -> Iterator[str]:
    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    for path in sorted(CORPUS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                if number % CORPUS_EVERY == 0:
                    yield from strings(json.loads(line))


def test_no_false_positive_in_the_corpus() -> None:
    assert CORPUS.is_dir(), (
        f"语料缺失（CI 应把 shared/ 放在仓库旁，或用 CATALOG_CORPUS 指定）：{CORPUS}"
    )
    texts = list(corpus_texts())
    assert len(texts) > 10_000
    assert [(t[:40], m) for t in texts for m in find_pii(t)] == []


def test_disguises_through_validate_point_at_the_source(tree: Tree) -> None:
    body = "正文第一行。\n联系电话&#49;38\u00ad0013\u20138000。\n![王芳13912345678](files/a.png)\n"
    wrapped = "|\n  联系电话1380013\n  8000，身份证110105\n  19491231002X"
    tree.write(RECORD, record(body=body, summary=wrapped))
    found = sorted((p.field or "", p.line, p.message[:40]) for p in tree.check().problems
                   if p.code == "pii")  # fmt: skip
    fields = [(field, line) for field, line, _ in found]
    wrapped_lines = 3  # the summary block's lines after the first push the body down
    body_start = BODY_LINE + wrapped_lines
    assert fields == [("body", body_start + 1), ("body", body_start + 2), ("summary", 5),
                      ("summary", 5)], found  # fmt: skip
