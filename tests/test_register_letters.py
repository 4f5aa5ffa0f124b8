"""Every state and every outcome of an application has its letter, with basis and remedies."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.settings import REPO_ROOT, Settings
from generator.register.letters import KINDS, LetterError, current_kind, render_letter
from generator.register.model import OUTCOMES, Application, Event
from generator.register.workspace import Workspace, open_workspace

CONTENT = REPO_ROOT / "content"
NAME, CONTACT = "欧阳明珠", "13912345678"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    register = tmp_path_factory.mktemp("letters") / "register"
    return open_workspace(register, Settings(content_dir=CONTENT))


def application(*events: Event) -> Application:
    return Application(
        id="2025-0042",
        body="government",
        channel="邮寄",
        received=date(2025, 9, 26),
        received_basis="签收之日",
        applicant_type="自然人",
        name=NAME,
        contact=CONTACT,
        subject="青禾大道东延段道路工程的建设工程规划许可证",
        form="纸质，邮寄",
        events=events,
    )


def text_of(html: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body))


ARTICLES = {
    "granted": "第三十六条第（二）项",
    "partly_granted": "第三十七条",
    "refused_state_secret": "第十四条",
    "refused_prohibited_by_law": "第十四条",
    "refused_security_stability": "第十四条",
    "refused_third_party": "第十五条",
    "refused_internal_affairs": "第十六条第一款",
    "refused_process_info": "第十六条第二款",
    "refused_enforcement_file": "第十六条第二款",
    "refused_inquiry": "第三十六条第（七）项",
    "unavailable_not_held": "第三十六条第（四）项",
    "unavailable_needs_creation": "第三十八条",
    "unavailable_unclear": "第三十条",
    "rejected_petition": "第三十九条第一款",
    "rejected_repeat": "第三十六条第（六）项",
    "rejected_publication": "第三十九条第二款",
    "rejected_mass_repeat": "第三十五条",
    "rejected_confirmation": "第二十七条",
    "other_no_correction": "第三十条",
    "other_no_fee": "国办函〔2020〕109号",
    "other": "经审查，申请人撤回申请",
}


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_every_outcome_has_its_answer_letter(workspace: Workspace, outcome: str) -> None:
    before = {
        "unavailable_unclear": [
            Event("correction_requested", date(2025, 9, 29)),
            Event("correction_received", date(2025, 10, 9)),
        ],
        "other_no_correction": [Event("correction_requested", date(2025, 9, 29))],
        "other_no_fee": [Event("fee_notice", date(2025, 9, 29), amount="300")],
    }.get(outcome, [])
    answer = Event(
        "answered",
        date(2025, 10, 28),
        outcome=outcome,
        reason="申请人撤回申请" if outcome == "other" else "具体理由",
        party="青禾市自然资源和规划局" if outcome == "unavailable_not_held" else "",
    )
    app = application(*before, answer)
    assert current_kind(app) == "answer"
    letter = render_letter(workspace, app)
    text = text_of(letter.html)
    assert letter.title.startswith("政府信息公开申请")
    assert f"<title>{letter.title}（2025-0042）</title>" in letter.html
    assert ARTICLES[outcome] in text
    assert "六十日内" in text and "行政复议" in text and "六个月内" in text and "行政诉讼" in text
    assert NAME in text and "2025年9月26日" in text and "2025年10月28日" in text
    assert "青禾区人民政府" in text and "0999-86601010" in text
    assert "{" not in text and "None" not in text
    if outcome == "unavailable_not_held":
        assert "由青禾市自然资源和规划局负责公开" in text
    if outcome in ("unavailable_unclear", "other_no_correction"):
        assert "2025年9月29日告知你（单位）补正" in text


def test_each_step_has_its_letter(workspace: Workspace) -> None:
    steps = [
        ("receipt", [], "2025年10月30日前作出答复"),
        ("correction", [Event("correction_requested", date(2025, 9, 29), note="请写明文号",
                              deadline=date(2025, 10, 20))], "请于2025年10月20日前"),
        ("consultation", [Event("consultation_sent", date(2025, 9, 29), party="某置业公司")],
         "15个工作日内"),
        ("extension", [Event("extension_approved", date(2025, 10, 20), days=10,
                             reason="需调取档案")], "答复期限延长10个工作日，本机关将于2025年11月13日前"),
        ("fee", [Event("fee_notice", date(2025, 9, 29), amount="300")], "信息处理费人民币300元"),
    ]  # fmt: skip
    for kind, events, phrase in steps:
        app = application(*events)
        assert current_kind(app) == kind
        letter = render_letter(workspace, app)
        assert letter.title == KINDS[kind][1]
        assert phrase in text_of(letter.html), kind
        assert "@page{size:A4" in letter.html.replace(" ", "")


def test_the_third_party_never_sees_who_applied(workspace: Workspace) -> None:
    app = application(Event("consultation_sent", date(2025, 9, 29), party="某置业公司"))
    text = text_of(render_letter(workspace, app).html)
    assert "某置业公司：" in text
    assert NAME not in text and CONTACT not in text


def test_a_letter_needs_its_step(workspace: Workspace) -> None:
    with pytest.raises(LetterError, match="没有“extension_approved”"):
        render_letter(workspace, application(), "extension")
    escaped = render_letter(workspace, replace(application(), name="<b>张三</b>"))
    assert "&lt;b&gt;张三&lt;/b&gt;" in escaped.html


def test_letter_command_writes_into_the_register(tmp_path: Path) -> None:
    sample = REPO_ROOT / "tests/fixtures/register"
    out = tmp_path / "x.html"
    args = ["requests", "letter", "2025-0012", "--register", str(sample), "--content",
            str(CONTENT), "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "政府信息公开申请答复书（不予公开）" in result.output
    assert "第十六条第二款" in out.read_text(encoding="utf-8")
