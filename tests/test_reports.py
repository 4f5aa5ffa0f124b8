"""Annual reports: the sample's numbers, every cross-check on real files, and `catalog new-report`."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.content.load import parse_yaml
from generator.content.report_checks import carry_over, document_counts
from generator.content.validate import check_content
from generator.core.annual_reports import GOVERNMENT, TABLE3_KEYS, TABLE3_ROWS, AnnualReport
from generator.core.problems import Problem
from generator.core.settings import REPO_ROOT, Settings

TODAY = date(2026, 11, 28)
SAMPLE = REPO_ROOT / "content"
GOVERNMENT_2025 = {  # the lead's shared numbers: the register's `stats` gives the same
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


def check(content: Path, today: date = TODAY) -> list[Problem]:
    return check_content(Settings(content_dir=content, today=today, cache_dir=None)).problems


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample district; the working directory is its parent (paths as shown)."""
    shutil.copytree(SAMPLE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def edit(path: Path, pattern: str, replacement: str) -> int:
    """Replace one match of ``pattern`` in the file; the line number it was on."""
    text = path.read_text(encoding="utf-8")
    found = re.search(pattern, text, re.M)
    assert found, pattern
    path.write_text(text[: found.start()] + replacement + text[found.end() :], encoding="utf-8")
    return text.count("\n", 0, found.start()) + 1


def codes(problems: list[Problem]) -> list[tuple[str, int, str]]:
    return [(p.file, p.line, p.code) for p in problems]


def test_sample_reports_load_balanced_and_published() -> None:
    checked = check_content(Settings(content_dir=SAMPLE, today=TODAY, cache_dir=None))
    assert checked.problems == []
    reports = checked.catalog.reports
    assert {(r.year, r.body) for r in reports if r.year == 2024} == {
        (2024, b) for b in (GOVERNMENT, "edu", "civil-affairs", "hrss", "market")
    }
    assert {r.body for r in reports if r.year == 2025} == {GOVERNMENT, *checked.catalog.departments}
    assert [r.year for r in reports] == sorted((r.year for r in reports), reverse=True)
    government = next(r for r in reports if (r.year, r.body) == (2025, GOVERNMENT))
    rows = dict(government.table3)
    for key in TABLE3_KEYS:
        assert list(rows[key]) == GOVERNMENT_2025.get(key, [0] * 7), key
    by_id = checked.catalog.by_id()
    record = by_id[government.record_id]
    assert (record.department, record.category) == ("office", "supervision")
    assert record.title == "青禾区人民政府2025年政府信息公开工作年度报告"
    assert "二、主动公开政府信息情况" not in record.body  # the tables are on the page, not the body
    assert "（五）监督保障" in record.body and "社会评议" in record.body


def test_sample_table2_agrees_with_the_catalog() -> None:
    checked = check_content(Settings(content_dir=SAMPLE, today=TODAY, cache_dir=None))
    records = checked.catalog.records
    assert document_counts(records, "office", 2024, frozenset({"行政规范性文件"})) == (1, 1, 1)
    assert document_counts(records, "edu", 2025, frozenset({"行政规范性文件"})) == (1, 0, 1)
    assert document_counts(records, "edu", 2024, frozenset({"行政规范性文件"})) == (0, 0, 0)


@pytest.mark.parametrize("row", TABLE3_ROWS, ids=lambda row: row.key)
def test_a_changed_number_in_any_table3_row_is_reported_on_its_line(
    content: Path, row: object
) -> None:
    key = row.key  # type: ignore[attr-defined]
    path = content / "reports/2025/government.yml"
    text = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if re.match(rf"  {key}:\s+\[", t))
    text[line - 1] = re.sub(r"\[(\d+)", lambda m: f"[{int(m[1]) + 1}", text[line - 1], count=1)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    found = [p for p in check(content) if p.code == "report-balance"]
    assert ("content/reports/2025/government.yml", line, "report-balance") in codes(found)
    on_line = next(p for p in found if p.line == line)
    assert on_line.field == f"table3.{key}"
    assert row.name in on_line.message  # type: ignore[attr-defined]
    assert "相差 1" in on_line.message


def test_the_equation_names_the_column_and_shows_the_sums(content: Path) -> None:
    path = content / "reports/2025/government.yml"
    line = edit(path, r"^  new:\s+\[31, 5, 1, 1, 2, 0, 40\]", "  new: [33, 5, 1, 1, 2, 0, 42]")
    problems = [p for p in check(content) if p.code == "report-balance"]
    messages = {p.message for p in problems}
    assert all(p.line == line and p.is_error for p in problems)
    assert any("“自然人”列：一 + 二 = 35，三（七）+ 四 = 33，相差 2" in m for m in messages)
    assert any("“总计”列：一 + 二 = 45，三（七）+ 四 = 43，相差 2" in m for m in messages)
    assert len(problems) == 2


def test_result_total_and_table4(content: Path) -> None:
    path = content / "reports/2025/government.yml"
    edit(path, r"^  review:\s+\[2, 1, 0, 1, 4\]", "  review: [2, 1, 0, 1, 5]")
    problems = [p for p in check(content) if p.code == "report-balance"]
    assert [p.field for p in problems] == ["table4.review"]
    assert (
        "表四“行政复议”：结果维持 2 + 结果纠正 1 + 其他结果 0 + 尚未审结 1 = 4"
        in problems[0].message
    )


def test_carry_over_differs_from_last_year(content: Path) -> None:
    # A balanced change of both years' numbers except the link between them.
    path = content / "reports/2025/government.yml"
    edit(
        path, r"^  carried_over:\s+\[2, 1, 0, 0, 0, 0, 3\]", "  carried_over: [3, 1, 0, 0, 0, 0, 4]"
    )
    edit(path, r"^  new:\s+\[31, 5, 1, 1, 2, 0, 40\]", "  new: [30, 5, 1, 1, 2, 0, 39]")
    problems = check(content)
    assert [p.code for p in problems] == ["report-carry-over"]
    message = problems[0].message
    assert "2024 年报告（content/reports/2024/government.yml 第" in message
    assert "“自然人”列本报告 3、上年 2" in message and "[2, 1, 0, 0, 0, 0, 3]" in message


def test_carry_over_needs_last_years_report() -> None:
    checked = check_content(Settings(content_dir=SAMPLE, today=TODAY, cache_dir=None))
    report = next(r for r in checked.catalog.reports if (r.year, r.body) == (2025, "drc"))
    assert carry_over(report, None) == []
    other = dataclasses.replace(
        report,
        table3=tuple((k, (1,) * 7 if k == "carried_forward" else v) for k, v in report.table3),
    )
    assert [p.code for p in carry_over(report, other)] == ["report-carry-over"]


def test_table2_against_the_catalog_is_a_warning(content: Path) -> None:
    path = content / "reports/2025/edu.yml"
    line = edit(path, r"^  normative: \[1, 0, 1\]", "  normative: [2, 0, 1]")
    problems = check(content)
    assert codes(problems) == [("content/reports/2025/edu.yml", line, "report-catalog")]
    assert not problems[0].is_error
    assert "本年制发 1、本年废止 0、现行有效 1" in problems[0].message
    assert "normative: [1, 0, 1]" in problems[0].message


def test_a_record_marked_as_normative_document_changes_the_count(content: Path) -> None:
    edit(
        content / "departments/drc/2025/government-investment-plan-2025.md",
        r"^form: 通知",
        "form: 行政规范性文件",
    )
    problems = check(content)
    assert [(p.file, p.code) for p in problems] == [
        ("content/reports/2025/drc.yml", "report-catalog")
    ]


def test_late_report_and_missing_report(content: Path) -> None:
    late = content / "reports/2025/government.yml"
    line = edit(late, r'^published: "2026-03-24"', 'published: "2026-04-02"')
    (content / "reports/2025/street-east.yml").unlink()
    problems = check(content)
    assert sorted(codes(problems)) == [
        ("content/reports/2025/government.yml", line, "report-deadline"),
        ("content/reports/2025/street-east.yml", 1, "report-missing"),
    ]
    deadline = next(p for p in problems if p.code == "report-deadline")
    assert "2026-03-31" in deadline.message and "晚了 2 天" in deadline.message
    assert all(not p.is_error for p in problems)


def test_missing_only_once_the_deadline_has_passed(content: Path) -> None:
    (content / "reports/2025/government.yml").unlink()
    (content / "reports/2025/edu.yml").unlink()
    assert {p.file for p in check(content, date(2026, 3, 1)) if p.code == "report-missing"} == {
        "content/reports/2025/edu.yml"
    }


def test_schema_problems_name_the_row_in_chinese(content: Path) -> None:
    path = content / "reports/2025/market.yml"
    line = edit(path, r"^  refused_inquiry:\s+\[[^\]]*\]", "  refused_inquiry: [0, 0, 0, 0, 0, 0]")
    problems = check(content)
    found = [p for p in problems if p.code == "schema"]
    assert [(p.line, p.field) for p in found] == [(line, "table3.refused_inquiry")]
    assert "三（三）不予公开 8.属于行政查询事项" in found[0].message


def test_wrong_file_names_are_reported(content: Path) -> None:
    shutil.copy(content / "reports/2025/edu.yml", content / "reports/2025/library.yml")
    (content / "reports/2025/notes.txt").write_text("x", encoding="utf-8")
    problems = check(content)
    assert ("content/reports/2025/library.yml", 1, "unknown-reference") in codes(problems)
    assert ("content/reports/2025/notes.txt", 1, "schema") in codes(problems)


def test_duplicate_report_id_is_caught_with_the_records(content: Path) -> None:
    edu = content / "reports/2025/edu.yml"
    hrss_id = re.search(
        r"^id: (\S+)", (content / "reports/2025/hrss.yml").read_text("utf-8"), re.M
    )[1]
    edit(edu, r"^id: \S+", f"id: {hrss_id}")
    assert "duplicate-id" in {p.code for p in check(content)}


def test_markdown_sections_get_the_body_checks(content: Path) -> None:
    path = content / "reports/2025/drc.yml"
    line = (
        edit(path, r"^  platform: \|\n    ", "  platform: |\n    <script>alert(1)</script>\n\n    ")
        + 1
    )
    problems = check(content)
    assert ("content/reports/2025/drc.yml", line, "unsafe-html") in codes(problems)


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, env={"CATALOG_TODAY": TODAY.isoformat()})
    return result.exit_code, result.stdout, result.stderr


def test_new_report_fills_what_the_catalog_knows(content: Path) -> None:
    code, out, err = run(
        ["new-report", "--year", "2026", "--body", "edu", "--published", "2026-11-28"]
    )
    assert code == 0, err
    path = Path(out.strip())
    assert path == Path("content/reports/2026/edu.yml")
    text = path.read_text(encoding="utf-8")
    located = parse_yaml(text, "new")[0]
    data = located.data
    assert list(data["table3"]) == list(TABLE3_KEYS)
    assert data["table3"]["carried_over"] == [0, 0, 0, 0, 0, 0, 0]  # edu 2025 carried nothing
    assert data["table2"]["normative"] == [0, 0, 1]
    assert data["id"] == "11339901MB1C0475XN/2026-00006"  # after edu's 2026 records and report
    for row in TABLE3_ROWS:  # each row one line, commented with its printed words
        assert re.search(
            rf"^  {row.key}:\s+\[0, 0, 0, 0, 0, 0, 0\]\s+# {re.escape(row.name)}$", text, re.M
        )
    assert check(content) == []


def test_new_report_copies_last_years_carry_forward(content: Path) -> None:
    code, out, err = run(["new-report", "--year", "2026", "--body", "government"])
    assert code == 0, err
    data = parse_yaml(Path(out.strip()).read_text(encoding="utf-8"), "new")[0].data
    assert data["table3"]["carried_over"] == GOVERNMENT_2025["carried_forward"]
    assert data["published"] == TODAY.isoformat()
    assert "考核" in data["overview"]["supervision"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--year", "2025", "--body", "edu"], "已存在"),
        (["--year", "2026", "--body", "library"], "未知主体"),
    ],
)
def test_new_report_usage_errors(content: Path, args: list[str], says: str) -> None:
    code, _, err = run(["new-report", *args])
    assert code == 2 and says in err


def test_report_title_and_slug() -> None:
    checked = check_content(Settings(content_dir=SAMPLE, today=TODAY, cache_dir=None))
    report: AnnualReport = checked.catalog.reports[0]
    assert report.title.endswith(f"{report.year}年政府信息公开工作年度报告")


def test_report_schema_is_documented_and_closed() -> None:
    import json

    from jsonschema import Draft202012Validator

    from tests.test_schema_files import CJK, _properties

    raw = json.loads((REPO_ROOT / "catalog_schema/report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(raw)
    found = list(_properties(raw))
    assert len(found) >= 40
    assert [
        p
        for p, sub in found
        if not (CJK.search(sub.get("title", "")) and CJK.search(sub.get("description", "")))
    ] == []
    objects = [raw] + [sub for _, sub in found if "properties" in sub]
    assert all(obj.get("additionalProperties") is False for obj in objects)
    assert list(raw["properties"]["table3"]["properties"]) == list(TABLE3_KEYS)


def test_catalog_new_does_not_take_a_reports_id(content: Path) -> None:
    reports = {
        re.search(r"^id: (\S+)", p.read_text("utf-8"), re.M)[1]  # type: ignore[index]
        for p in (content / "reports").rglob("*.yml")
    }
    code, out, err = run(
        ["new", "--department", "office", "--category", "policies", "--title", "关于测试的通知"]
    )
    assert code == 0, err
    new_id = re.search(r"^id: \"?([^\"\s]+)", Path(out.strip()).read_text("utf-8"), re.M)[1]  # type: ignore[index]
    assert new_id not in reports
    assert "duplicate-id" not in {p.code for p in check(content)}


@pytest.mark.parametrize("year", [2024, 2025])
def test_sample_government_reports_equal_the_sample_registers_table3(year: int) -> None:
    from generator.register.stats import table3_from_register

    counted = table3_from_register(REPO_ROOT / "tests/fixtures/register", year, GOVERNMENT)
    checked = check_content(Settings(content_dir=SAMPLE, today=TODAY, cache_dir=None))
    report = next(r for r in checked.catalog.reports if (r.year, r.body) == (year, GOVERNMENT))
    assert {key: list(row) for key, row in report.table3} == {
        k: list(v) for k, v in counted.items()
    }


def test_new_report_takes_table3_from_the_register(content: Path) -> None:
    (content / "reports/2025/government.yml").unlink()
    register = REPO_ROOT / "tests/fixtures/register"
    code, out, err = run(
        ["new-report", "--year", "2025", "--body", "government", "--register", str(register)]
    )
    assert code == 0, err
    data = parse_yaml(Path(out.strip()).read_text(encoding="utf-8"), "new")[0].data
    assert data["table3"] == {key: GOVERNMENT_2025.get(key, [0] * 7) for key in TABLE3_KEYS}
    assert [p.code for p in check(content)] == []
