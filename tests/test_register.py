"""`catalog requests …` on real-looking registers: registering, events, due, show, stats."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.core.settings import REPO_ROOT
from generator.register.model import OUTCOMES
from generator.register.stats import balance_problems, table3_from_register, table3_yaml
from generator.register.store import load_request_schema, read_application, read_register
from generator.register.views import mask_contact, mask_name

SAMPLE = REPO_ROOT / "tests/fixtures/register"
CONTENT = REPO_ROOT / "content"
SCHEMA = load_request_schema(REPO_ROOT / "catalog_schema")

# The lead's numbers for the sample government's 2025 report (body government).
SAMPLE_2025 = {
    "new": [31, 5, 1, 1, 2, 0, 40],
    "carried_over": [2, 1, 0, 0, 0, 0, 3],
    "granted": [14, 3, 1, 0, 1, 0, 19],
    "partly_granted": [3, 1, 0, 0, 0, 0, 4],
    "refused_third_party": [1, 0, 0, 0, 0, 0, 1],
    "refused_internal_affairs": [1, 0, 0, 0, 0, 0, 1],
    "refused_process_info": [1, 0, 0, 0, 0, 0, 1],
    "refused_inquiry": [1, 0, 0, 0, 0, 0, 1],
    "unavailable_not_held": [5, 1, 0, 1, 0, 0, 7],
    "unavailable_needs_creation": [1, 0, 0, 0, 0, 0, 1],
    "unavailable_unclear": [1, 0, 0, 0, 0, 0, 1],
    "rejected_petition": [1, 0, 0, 0, 0, 0, 1],
    "rejected_repeat": [1, 0, 0, 0, 0, 0, 1],
    "other_no_correction": [1, 0, 0, 0, 0, 0, 1],
    "total": [31, 5, 1, 1, 1, 0, 39],
    "carried_forward": [2, 1, 0, 0, 1, 0, 4],
}


def catalog(*args: str, today: str = "2025-12-01") -> Result:
    return CliRunner().invoke(
        main, ["requests", *args, "--content", str(CONTENT)], env={"CATALOG_TODAY": today}
    )


def register_one(register: Path, received: str = "2025-09-26", **extra: str) -> Result:
    options = {
        "--received": received,
        "--channel": "当面",
        "--applicant": "自然人",
        "--subject": "2025年青禾区老旧小区改造项目清单",
        "--name": "欧阳明珠",
        "--contact": "13912345678",
        **extra,
    }
    args = [part for pair in options.items() for part in pair]
    return catalog("new", *args, "--register", str(register), "--format", "json")


def test_new_gives_the_national_day_due_date(tmp_path: Path) -> None:
    result = register_one(tmp_path / "register")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert (shown["id"], shown["due"]) == ("2025-0001", "2025-10-30")
    assert shown["applicant"] == {"type": "自然人", "name": "欧***", "contact": "139******78"}
    text = (tmp_path / "register/2025-0001.yml").read_text(encoding="utf-8")
    assert "欧阳明珠" in text and "13912345678" in text  # the register itself keeps them
    second = register_one(tmp_path / "register")
    assert json.loads(second.output)["id"] == "2025-0002"
    plain = catalog(
        "new",
        "--received",
        "2025-09-26",
        "--channel",
        "邮寄",
        "--applicant",
        "商业企业",
        "--subject",
        "某文件",
        "--register",
        str(tmp_path / "register"),
    )
    assert plain.exit_code == 0, plain.output
    assert plain.output.startswith("已登记 2025-0003，答复期限 2025-10-30。")
    assert "以签收之日为收到申请之日" in plain.output


def test_events_due_and_show(tmp_path: Path) -> None:
    register = tmp_path / "register"
    register_one(register, "2025-09-26")
    register_one(register, "2025-11-03")
    register_one(register, "2025-11-20")
    extended = catalog(
        "event",
        "2025-0002",
        "extension_approved",
        "--date",
        "2025-11-25",
        "--reason",
        "需调取档案",
        "--days",
        "10",
        "--register",
        str(register),
    )
    assert extended.exit_code == 0, extended.output
    again = catalog(
        "event",
        "2025-0002",
        "extension_approved",
        "--date",
        "2025-11-26",
        "--reason",
        "再延",
        "--register",
        str(register),
    )
    assert again.exit_code == 2 and "只能延长一次" in again.output
    answered = catalog(
        "event",
        "2025-0003",
        "answered",
        "--date",
        "2025-11-28",
        "--outcome",
        "granted",
        "--register",
        str(register),
    )
    assert answered.exit_code == 0, answered.output
    due = catalog("due", "--on", "2025-12-01", "--register", str(register), "--format", "json")
    items = json.loads(due.output)
    assert [i["id"] for i in items] == ["2025-0001", "2025-0002"]  # overdue first; 0003 closed
    assert items[0] | {"reason": ""} == items[0] | {
        "due": "2025-10-30",
        "overdue": True,
        "working_days_left": -22,
        "reason": "",
    }
    assert items[1]["overdue"] is False and items[1]["due"] == "2025-12-15"
    assert "延期" in items[1]["reason"]
    text = catalog("due", "--on", "2025-12-01", "--register", str(register)).output
    assert "2025-0001  [办理中]  2025-10-30 已逾期" in text
    shown = json.loads(
        catalog("show", "2025-0002", "--register", str(register), "--format", "json").output
    )
    assert shown["due"] == "2025-12-15" and shown["events"][0]["kind"] == "extension_approved"
    missing = catalog("show", "2025-0099", "--register", str(register))
    assert missing.exit_code == 2 and "没有这个登记号" in missing.output
    for output in (due.output, text, json.dumps(shown, ensure_ascii=False)):
        assert "欧阳明珠" not in output and "13912345678" not in output


def test_future_dates_are_refused(tmp_path: Path) -> None:
    result = register_one(tmp_path / "r", "2025-12-05")
    assert result.exit_code == 2 and "不能登记将来的申请" in result.output


def test_sample_register_is_clean_and_covers_every_outcome() -> None:
    register, problems = read_register(SAMPLE, load_request_schema(REPO_ROOT / "catalog_schema"))
    assert problems == []
    assert len(register.applications) == len(list(SAMPLE.glob("*.yml")))
    outcomes = {a.answer.outcome for a in register.applications if a.answer}
    assert outcomes == set(OUTCOMES)
    kinds = {e.kind for a in register.applications for e in a.events}
    assert {
        "correction_requested",
        "consultation_sent",
        "extension_approved",
        "fee_notice",
        "transferred",
    } <= kinds


def test_stats_reproduce_the_sample_2025_report() -> None:
    table = table3_from_register(SAMPLE, 2025, "government")
    expected = {key: SAMPLE_2025.get(key, [0] * 7) for key in table}
    assert table == expected
    assert balance_problems(table) == []
    text = catalog("stats", "--year", "2025", "--register", str(SAMPLE)).output
    assert text == table3_yaml(table)
    assert "  new:                        [31, 5, 1, 1, 2, 0, 40]   # 一、本年新收" in text
    as_json = json.loads(
        catalog("stats", "--year", "2025", "--register", str(SAMPLE), "--format", "json").output
    )
    assert as_json["table3"] == expected
    # the year before hands exactly its carried-forward row to 2025
    before = table3_from_register(SAMPLE, 2024, "government")
    assert before["carried_forward"] == SAMPLE_2025["carried_over"]
    assert table3_from_register(SAMPLE, 2025, "edu")["new"] == [0] * 7


def test_broken_register_files_are_reported_in_chinese(tmp_path: Path) -> None:
    register = tmp_path / "register"
    register.mkdir()
    shutil.copy(SAMPLE / "2025-0001.yml", register / "2025-0001.yml")
    (register / "2025-0002.yml").write_text(
        "id: 2025-0002\nchannel: 快递\nreceived: '2025-02-30'\nreceived_basis: 签收之日\n"
        "applicant: {type: 自然人}\nsubject: 某文件\n",
        encoding="utf-8",
    )
    result = catalog("stats", "--year", "2025", "--register", str(register))
    assert result.exit_code == 1
    assert "2025-0002.yml:2" in result.output and "channel（申请渠道）" in result.output


def test_register_inside_the_content_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    result = CliRunner().invoke(
        main, ["requests", "due", "--content", str(content), "--register", str(content / "reg")]
    )
    assert result.exit_code == 2
    assert "位于内容目录" in result.output and "绝不能发布" in result.output


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13912345678", "139******78"),
        ("青禾区文昌路 12 号，电话 0999-86612345", "青禾***"),
        ("wang123@mail.example", "w***@mail.example"),
        ("0999-86612345", "099*******45"),
        ("", ""),
    ],
)
def test_contacts_are_masked(value: str, masked: str) -> None:
    assert mask_contact(value) == masked


def test_names_are_masked() -> None:
    assert mask_name("王芳") == "王*"
    assert mask_name("青禾区恒泰建材有限公司") == "青禾*********"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.builds(
            lambda lines: "\n".join(lines),
            st.lists(
                st.sampled_from(
                    [
                        "id: 2025-0001",
                        "channel: 当面",
                        "channel: 微信",
                        "received: '2025-02-30'",
                        "received: 2025-02-03",
                        "received_basis: 签收之日",
                        "received_basis: 当面提交之日",
                        "applicant: {type: 自然人, name: 张三}",
                        "applicant: 自然人",
                        "subject: 某文件",
                        "events: [{kind: answered, date: '2025-02-01', outcome: granted}]",
                        "events: [{kind: extension_approved, date: '2025-02-10'}]",
                        "events:\n- kind: correction_received\n  date: '2025-02-04'",
                        "&a x: *a",
                        "id: !!python/object:os.system x",
                    ]
                ),
                max_size=10,
            ),
        ),
    )
)
def test_any_register_file_gives_an_application_or_problems(tmp_path: Path, text: str) -> None:
    path = tmp_path / "2025-0001.yml"
    path.write_text(text, encoding="utf-8")
    app, problems = read_application(path, SCHEMA)
    assert (app is None) == any(p.is_error for p in problems)
    line_count = text.count("\n") + 2  # the end of the stream may sit on the line after
    assert all(1 <= p.line <= line_count for p in problems)


def test_basis_must_fit_the_channel(tmp_path: Path) -> None:
    text = (SAMPLE / "2025-0001.yml").read_text(encoding="utf-8")
    channel = re.search(r"^channel: (.+)$", text, re.M)
    assert channel is not None
    broken = re.sub(r"^received_basis: .+$", "received_basis: 当面提交之日", text, flags=re.M)
    broken = broken.replace(f"channel: {channel[1]}", "channel: 传真")
    path = tmp_path / "2025-0001.yml"
    path.write_text(broken, encoding="utf-8")
    app, problems = read_application(path, SCHEMA)
    assert app is None
    assert [p.code for p in problems] == ["request-history"]
    assert "渠道为“传真”的申请，收到日期的确定方式应为“双方确认之日”" in problems[0].message
