"""Personal numbers through the whole validator and the CLI, not just ``find_pii``.

Property tests write a valid 身份证号码, 手机号码 or 银行卡号 (full-width digits, spaces, hyphens,
+86) into a record's body or summary: ``check_content`` must report it at its line, and no output
format of ``catalog validate`` may repeat the number. False-positive tests feed what government
documents are full of (文号, dates, credit codes, amounts, published numbers) and expect silence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.content.pii import mask_number
from generator.content.report import FORMATTERS
from tests.adversarial.hostile import BODY_LINE, RECORD, Tree, line_of, make_tree, record
from tests.test_pii import FILLER, bank_cards, mobiles, resident_ids, written

SHOWN = f"content/{RECORD}"
KINDS = {
    "resident-id": ("居民身份证号码", resident_ids()),
    "mobile": ("手机号码", mobiles()),
    "bank-card": ("银行卡号", bank_cards()),
}
PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def shared_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tree]:
    """One tree for all examples (each overwrites the record): copying per example is slow."""
    tree = make_tree(tmp_path_factory.mktemp("pii"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tree.root)
        yield tree


def hidden_part(kind: str, digits: str) -> str:
    """The digits the mask hides (what must never be printed)."""
    masked = mask_number(kind, digits)
    return digits[3 : 3 + masked.count("*")]


def assert_never_printed(output: str, kind: str, number_text: str, digits: str) -> None:
    assert digits not in output
    assert number_text not in output
    assert hidden_part(kind, digits) not in output
    assert mask_number(kind, digits) in output


@pytest.mark.parametrize("kind", sorted(KINDS))
@PROPERTY
@given(data=st.data())
def test_number_in_body_is_reported_masked_in_every_format(
    kind: str, data: st.DataObject, shared_tree: Tree
) -> None:
    kind_zh, numbers = KINDS[kind]
    number_text, digits = data.draw(written(kind, numbers))
    before, after = data.draw(FILLER), data.draw(FILLER)
    body = f"## 联系方式\n\n{before.replace(chr(10), '')}{number_text}{after}\n"
    text = record(body)
    shared_tree.write(RECORD, text)
    result = shared_tree.check()
    found = [p for p in result.problems if p.code == "pii"]
    assert len(found) == 1, result.problems
    assert (found[0].file, found[0].line, found[0].field) == (SHOWN, BODY_LINE + 2, "body")
    assert kind_zh in found[0].message
    for format_problems in FORMATTERS.values():
        output = format_problems(result.problems, result.record_count)
        assert_never_printed(output, kind, number_text, digits)


@pytest.mark.parametrize("kind", ["resident-id", "mobile"])
@PROPERTY
@given(data=st.data())
def test_number_in_summary_is_reported_through_the_cli_json(
    kind: str, data: st.DataObject, shared_tree: Tree
) -> None:
    _, numbers = KINDS[kind]
    number_text, digits = data.draw(written(kind, numbers))
    text = record(summary=f'"办理人{number_text}，已公示。"')
    shared_tree.write(RECORD, text)
    run = CliRunner().invoke(main, ["validate", "content", "--format", "json"])
    assert run.exit_code == 1, run.output
    report = json.loads(run.output)
    [problem] = [p for p in report["problems"] if p["code"] == "pii"]
    assert (problem["file"], problem["line"], problem["field"]) == (
        SHOWN, line_of(text, "summary:"), "summary")  # fmt: skip
    assert_never_printed(run.output, kind, number_text, digits)


def test_many_numbers_are_counted_not_all_listed(tree: Tree) -> None:
    tree.write(RECORD, record("".join(f"联系人{13800138000 + i}。\n" for i in range(500))))
    found = [p for p in tree.check().problems if p.code == "pii"]
    assert len(found) == 21
    assert "另有 480 处" in found[-1].message


# ---------------------------------------------------------------- false positives

NOT_PERSONAL = [
    "根据《青禾区人民政府办公室关于印发……的通知》（青禾政办发〔2024〕13号）执行。",
    "依据国办发[2021]13800138号文件和国办函〔2020〕109号文件。",
    "本办法自2024-03-15起施行，2029年3月14日废止，成文日期20240315。",
    "有效期为2024-03-15 至 2026-03-14，共 731 天。",
    "责任单位统一社会信用代码11330100MB1234567X，另见913301061000000374。",
    "本项目总投资1,380,013,800元，其中财政资金13800138000.00元。",
    "索引号 11339901MB1111111F/2025-00001，原索引号 000014349/2020-00072。",
    "咨询电话：0999-12345678，传真 0999-12345679，市民热线 12345。",
    "全国统一客服 400-800-8888、95588。",
    "第一百三十八条 罚款金额为 13,800,138 元。",
    "面积 138001380 平方米，坐标 113.80013800。",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_ordinary_numbers_are_not_personal(text: str, tree: Tree) -> None:
    tree.write(RECORD, record(f"{text}\n", summary=f'"{text[:100]}"'))
    assert [p for p in tree.check().problems if p.code == "pii"] == []


def test_published_numbers_and_reviewed_exemptions_are_allowed(tree: Tree) -> None:
    site = tree.content / "site.yml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace('"12345"]', '"12345", "139 0000 1234"]'), encoding="utf-8")
    exemption = '\n  - {value: "13700001111", reason: 公开值班手机, reviewed_by: office-head}'
    body = "值班电话 13900001234，\n应急值班 137-0000-1111，\n举报电话 13600002222。\n"
    text = record(body, pii_exemptions=exemption)
    tree.write(RECORD, text)
    found = [p for p in tree.check().problems if p.code == "pii"]
    assert [(p.line, re.findall(r"\d{3}\*+\d+", p.message)) for p in found] == [
        (line_of(text, "13600002222"), ["136******22"])
    ]


def test_exemption_without_reviewer_does_not_count(tree: Tree) -> None:
    exemption = '\n  - {value: "13700001111", reason: 公开值班手机}'
    tree.write(RECORD, record("应急值班 13700001111。\n", pii_exemptions=exemption))
    codes = {p.code for p in tree.check().problems}
    assert {"pii", "schema"} <= codes
