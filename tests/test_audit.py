"""`catalog audit` on a content tree in a git repository built here: each finding code comes from
exactly the situation that should produce it, and from nothing else."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from generator.audit.columns import months_before
from generator.audit.model import Finding, Level
from generator.audit.run import AuditReport, audit
from generator.content.provenance import IMPORT_MARK
from generator.content.validate import check_content
from generator.core.settings import Settings
from tests.audit_tree import EDU, ON, Tree, make_tree

HEALTH = "11339901MB1C0950XA"  # a valid code (the sample district's health commission)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # file names in messages are then content/…, as editors see them


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return make_tree(tmp_path)


def run(tree: Tree, on: date = ON, site: Path | None = None) -> AuditReport:
    settings = Settings(content_dir=tree.content, cache_dir=None)
    return audit(settings, on, site)


def codes(report: AuditReport) -> Counter[str]:
    return Counter(f.code for f in report.findings)


def only(report: AuditReport, code: str) -> list[Finding]:
    assert set(codes(report)) == {code}, [f.message for f in report.findings]
    return list(report.findings)


def test_the_clean_tree_has_no_finding(tree: Tree) -> None:
    assert check_content(Settings(content_dir=tree.content, cache_dir=None, today=ON)).ok
    report = run(tree)
    assert report.findings == ()
    assert not report.veto
    assert report.site.score == 100 and report.site.verdict == "pass"
    assert [d.id for d in report.departments] == ["edu"]
    assert report.departments[0].records == 11 and report.departments[0].timely == 1.0
    # only the built site is missing: git history and the annual reports were read
    assert len(report.notes) == 1 and "broken-link" in report.notes[0]


def test_stale_home_after_two_weeks_without_anything_new(tree: Tree) -> None:
    assert run(tree, date(2025, 6, 20)).findings == ()  # 10 days: fresh
    [warning] = only(run(tree, date(2025, 6, 24)), "stale-home")  # 14 days: a notice
    assert warning.severity is Level.NOTICE and not run(tree, date(2025, 6, 24)).veto
    [finding] = only(run(tree, date(2025, 6, 25)), "stale-home")
    assert finding.severity is Level.VETO
    assert "2025-06-10" in finding.message and finding.department is None


def test_stale_policy_column_after_six_months(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, policies=date(2024, 12, 13))
    assert run(tree, date(2025, 6, 13)).findings == ()  # six months to the day
    [finding] = only(run(tree), "stale-column")
    assert finding.severity is Level.DEDUCTION
    assert finding.category == "policies" and finding.record == "categories/policies"


def test_stale_columns_veto_at_the_configured_count(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, policies=date(2024, 12, 2))
    tree.site_yml("audit:\n  stale_veto: 1\n")
    tree.commit(date(2025, 6, 11))
    [finding] = only(run(tree), "stale-column")
    assert finding.severity is Level.VETO and run(tree).veto


def test_long_stale_columns_are_counted_per_category(tmp_path: Path) -> None:
    old = date(2024, 3, 1)
    tree = make_tree(tmp_path, livelihood=old, public_interest=old, rights_affecting=old)
    found = only(run(tree), "stale-column")
    assert {f.category for f in found} == {"livelihood", "public-interest", "rights-affecting"}
    assert all(f.severity is Level.DEDUCTION for f in found)


def test_empty_category_without_a_note(tree: Tree) -> None:
    tree.remove("commitments")
    tree.commit(date(2025, 6, 11))
    [finding] = only(run(tree), "empty-column")
    assert finding.category == "commitments" and finding.severity is Level.DEDUCTION
    assert "empty_notes" in finding.message


def test_an_empty_category_with_its_note_is_fine(tree: Tree) -> None:
    tree.remove("commitments")
    tree.site_yml("empty_notes:\n  categories:\n    commitments: 本机关暂无对外服务承诺事项。\n")
    tree.commit(date(2025, 6, 11))
    assert run(tree).findings == ()


def test_empty_department_and_special_columns(tree: Tree) -> None:
    other = tree.content / "departments" / "health"
    other.mkdir()
    text = (tree.content / "departments/edu/department.yml").read_text(encoding="utf-8")
    text = text.replace("青禾区教育局", "青禾区卫生健康委员会").replace("区教育局", "区卫健委")
    (other / "department.yml").write_text(text.replace(EDU, HEALTH), "utf-8")
    tree.report(2024, "health", date(2025, 1, 20))
    tree.remove("duties")  # the only record listed under every Art. 20 item
    tree.record("duties", "duties", date(2025, 6, 10), written=date(2025, 6, 6), art20=[2])
    tree.commit(date(2025, 6, 11))
    report = run(tree)
    found = only(report, "empty-column")
    keys = {f.record for f in found}
    assert "departments/health" in keys and "art20/2" not in keys
    assert {"art20/4", "art20/8", "art20/9"} <= keys
    assert len(found) == 1 + len([k for k in keys if k.startswith("art20/")])
    assert all(f.severity is Level.VETO for f in found) and report.veto
    health = next(f for f in found if f.record == "departments/health")
    assert health.department == "health"


def test_a_default_note_covers_every_empty_column(tree: Tree) -> None:
    tree.remove("duties")
    tree.record("duties", "duties", date(2025, 6, 10), written=date(2025, 6, 6), art20=[2])
    tree.site_yml("empty_notes:\n  default: 本栏目暂无应主动公开的政府信息。\n")
    tree.commit(date(2025, 6, 11))
    assert run(tree).findings == ()


def test_backdated_record(tree: Tree) -> None:
    record_id = tree.record("old", "hot-topics", date(2025, 3, 3), written=date(2025, 3, 3))
    tree.commit(date(2025, 6, 12), "补录")
    [finding] = only(run(tree), "backdated")
    assert finding.record == record_id and finding.severity is Level.VETO
    assert "2025-06-12" in finding.message and "Catalog-Import" in finding.message


def test_backdated_within_the_limit_is_not_judged(tree: Tree) -> None:
    # 20 working days after 2025-05-14 is 2025-06-12 (the Dragon Boat holiday is 05-31–06-02)
    tree.record("old", "hot-topics", date(2025, 5, 14), written=date(2025, 5, 14))
    tree.commit(date(2025, 6, 12))
    assert run(tree).findings == ()


def test_imported_records_are_not_judged(tree: Tree) -> None:
    tree.record("old", "hot-topics", date(2025, 3, 3), written=date(2025, 3, 3))
    tree.commit(date(2025, 6, 12), "导入旧目录", trailer="Catalog-Import: yes")
    assert run(tree).findings == ()


def test_records_written_by_catalog_import_are_not_judged(tree: Tree) -> None:
    tree.record("old", "hot-topics", date(2025, 3, 3), written=date(2025, 3, 3))
    path = tree.content / "departments/edu/old.md"
    path.write_text(
        f"---\n{IMPORT_MARK}（来源：旧目录.xlsx）\n{path.read_text()[4:]}", encoding="utf-8"
    )
    tree.commit(date(2025, 6, 12), "导入旧目录")
    assert run(tree).findings == ()
    path.write_text(path.read_text().replace(f"{IMPORT_MARK}（来源：旧目录.xlsx）\n", ""))
    tree.commit(date(2025, 6, 13), "接手维护")
    assert [f.code for f in run(tree).findings] == ["backdated"]


def test_records_before_the_history_baseline_are_not_judged(tree: Tree) -> None:
    tree.record("old", "hot-topics", date(2025, 3, 3), written=date(2025, 3, 3))
    tree.site_yml('audit:\n  history_baseline: "2025-06-12"\n')
    tree.commit(date(2025, 6, 12))
    assert run(tree).findings == ()


def test_a_moved_record_keeps_its_first_commit(tree: Tree) -> None:
    old = tree.content / "departments/edu/hot-topics.md"
    (tree.content / "departments/edu/2025").mkdir()
    tree.git("mv", str(old), str(tree.content / "departments/edu/2025/热点回应.md"))
    tree.commit(date(2025, 6, 13), "整理目录")
    assert run(tree).findings == ()


def test_records_in_the_first_commit_are_not_judged(tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    tree.record("old", "hot-topics", date(2024, 3, 4), written=date(2024, 3, 4))
    tree.git("checkout", "-q", "--orphan", "fresh")
    tree.commit(date(2025, 6, 12), "从旧系统迁入")
    assert run(tree).findings == ()


def test_late_disclosure(tree: Tree) -> None:
    record_id = tree.record("late", "hot-topics", date(2025, 6, 10), written=date(2025, 4, 1))
    tree.commit(date(2025, 6, 10))
    [finding] = only(run(tree), "late-disclosure")
    assert finding.record == record_id and finding.severity is Level.DEDUCTION
    assert run(tree).departments[0].timely == pytest.approx(
        11 / 12, abs=0.001
    )  # rounded to three places


def test_an_update_restarts_the_disclosure_clock(tree: Tree) -> None:
    tree.record("updated", "hot-topics", date(2025, 6, 10), written=date(2025, 1, 6),
                updated=date(2025, 6, 9))  # fmt: skip
    tree.commit(date(2025, 6, 10))
    assert run(tree).findings == ()


def test_interpretation_published_too_late(tree: Tree) -> None:
    policy = tree.record("policy", "policies", date(2025, 6, 3), written=date(2025, 6, 3))
    tree.commit(date(2025, 6, 3))
    late = tree.record("reading", "policies", date(2025, 6, 12), interprets=policy)
    tree.commit(date(2025, 6, 12))
    [finding] = only(run(tree), "interpretation-late")
    assert finding.record == late and policy in finding.message


def test_interpretation_within_three_working_days(tree: Tree) -> None:
    policy = tree.record("policy", "policies", date(2025, 6, 5), written=date(2025, 6, 5))
    tree.record("reading", "policies", date(2025, 6, 10), interprets=policy)
    tree.commit(date(2025, 6, 10))
    assert run(tree).findings == ()


def test_policy_marked_as_needing_an_interpretation(tree: Tree) -> None:
    policy = tree.record("policy", "policies", date(2025, 6, 5), written=date(2025, 6, 5))
    tree.site_yml(f"audit:\n  needs_interpretation: [{policy}]\n")
    tree.commit(date(2025, 6, 5))
    assert run(tree, date(2025, 6, 10)).findings == ()  # still within three working days
    [finding] = only(run(tree), "interpretation-late")
    assert finding.record == policy and "interprets" in finding.message
    tree.record("reading", "policies", date(2025, 6, 16), interprets=policy)
    tree.commit(date(2025, 6, 16))
    assert set(codes(run(tree))) == {"interpretation-late"}  # now late instead of missing
    assert "相差" in run(tree).findings[0].message


def test_expired_but_still_valid(tree: Tree) -> None:
    record_id = tree.record("temporary", "policies", date(2025, 6, 10), expires=date(2025, 6, 15))
    tree.commit(date(2025, 6, 10))
    assert run(tree, date(2025, 6, 15)).findings == ()
    [finding] = only(run(tree), "expired-valid")
    assert finding.record == record_id and "validity: expired" in finding.message


def test_marked_expired_is_fine(tree: Tree) -> None:
    tree.record("temporary", "policies", date(2025, 6, 10), expires=date(2025, 6, 15),
                validity="expired")  # fmt: skip
    tree.commit(date(2025, 6, 10))
    assert run(tree).findings == ()


def test_repealed_but_still_valid(tree: Tree) -> None:
    new = tree.record("new-rules", "policies", date(2025, 6, 10))
    old = tree.record("old-rules", "policies", date(2025, 6, 10), repealed_by=new)
    tree.commit(date(2025, 6, 10))
    [finding] = only(run(tree), "expired-valid")
    assert finding.record == old and new in finding.message


def test_annual_report_missing(tree: Tree) -> None:
    tree.report(2024, "edu", None)
    tree.commit(date(2025, 6, 11))
    [finding] = only(run(tree), "report-missing")
    assert finding.department == "edu" and "2025-01-31" in finding.message


def test_government_report_is_due_in_march(tree: Tree) -> None:
    tree.report(2024, "government", None)
    tree.commit(date(2025, 3, 1))
    assert "report-missing" not in codes(run(tree, date(2025, 3, 31)))
    [finding] = only(run(tree), "report-missing")
    assert finding.department is None and "2025-03-31" in finding.message


def test_annual_report_late(tree: Tree) -> None:
    tree.report(2024, "edu", date(2025, 2, 10))
    tree.commit(date(2025, 6, 11))
    [finding] = only(run(tree), "report-missing")
    assert "2025-02-10" in finding.message and "晚于" in finding.message


def test_guide_older_than_the_office_contacts(tree: Tree) -> None:
    tree.replace_in_site_yml('hours: "工作日 上午9:00—12:00', 'hours: "工作日 上午8:30—12:00')
    tree.commit(date(2025, 5, 6), "办公时间调整")
    [finding] = only(run(tree), "guide-stale")
    assert "2025-05-06" in finding.message and "2025-01-02" in finding.message
    guide = tree.content / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n办公时间已调整。\n", "utf-8")
    tree.commit(date(2025, 5, 7), "指南随之更新")
    assert run(tree).findings == ()


def test_contacts_changed_by_a_merged_pull_request(tree: Tree) -> None:
    main = tree.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    tree.git("checkout", "-q", "-b", "office")
    tree.replace_in_site_yml('hours: "工作日 上午9:00—12:00', 'hours: "工作日 上午8:30—12:00')
    tree.commit(date(2025, 5, 6), "办公时间调整")
    tree.git("checkout", "-q", main)
    tree.git("merge", "-q", "--no-ff", "-m", "合并：办公时间调整", "office", day=date(2025, 5, 8))
    [finding] = only(run(tree), "guide-stale")
    assert "2025-05-08" in finding.message


def test_other_site_yml_changes_do_not_make_the_guide_stale(tree: Tree) -> None:
    tree.site_yml("audit:\n  home_days: 14\n")
    tree.commit(date(2025, 5, 6))
    assert run(tree).findings == ()


def test_broken_links_of_the_built_site(tree: Tree, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "records" / "edu").mkdir(parents=True)
    (site / "files").mkdir()
    (site / "files" / "附件.pdf").write_bytes(b"%PDF-1.4")
    (site / "index.html").write_text(
        '<a href="records/edu/ok.html">ok</a><a href="https://www.gov.cn/">外链</a>'
        '<a href="#main">跳到正文</a><a href="mailto:a@b.example">信箱</a>'
        '<a href="files/%E9%99%84%E4%BB%B6.pdf">附件</a><a href="missing.html">坏</a>',
        "utf-8",
    )
    (site / "records" / "edu" / "ok.html").write_text(
        '<a href="../../index.html">首页</a><img src="../../files/不存在.png" alt="">', "utf-8"
    )
    found = only(run(tree, site=site), "broken-link")
    assert {(f.record, f.department) for f in found} == {
        ("index.html", None),
        ("records/edu/ok.html", "edu"),
    }
    assert all(f.severity is Level.DEDUCTION for f in found)


def test_without_git_the_history_checks_are_skipped_and_said(tree: Tree, tmp_path: Path) -> None:
    tree.record("old", "hot-topics", date(2025, 3, 3), written=date(2025, 3, 3))
    copy = tmp_path / "outside"
    shutil.copytree(tree.content, copy, ignore=shutil.ignore_patterns(".git"))
    shutil.rmtree(tree.repo / ".git")
    report = audit(Settings(content_dir=copy, cache_dir=None), ON, None)
    assert report.findings == ()
    assert any("不在 git 仓库中" in note and "backdated" in note for note in report.notes)


def test_scores_use_the_configured_deductions(tree: Tree) -> None:
    tree.record("late", "hot-topics", date(2025, 6, 10), written=date(2025, 4, 1))
    tree.record("late2", "supervision", date(2025, 6, 10), written=date(2025, 4, 1))
    tree.site_yml("audit:\n  deductions:\n    late-disclosure: {points: 30, cap: 45}\n")
    tree.commit(date(2025, 6, 10))
    report = run(tree)
    assert report.departments[0].score.score == 55
    assert report.departments[0].score.verdict == "fail" and not report.veto


def test_json_is_the_documented_shape(tree: Tree) -> None:
    from generator.audit.report import as_json

    tree.record("old", "hot-topics", date(2025, 3, 3), written=date(2025, 3, 3))
    tree.commit(date(2025, 6, 12))
    document = json.loads(as_json(run(tree)))
    assert document["veto"] is True
    [finding] = document["findings"]
    assert set(finding) == {"code", "severity", "department", "category", "record", "rule",
                            "message"}  # fmt: skip
    assert finding["severity"] == "veto" and finding["department"] == "edu"
    [department] = document["departments"]
    assert department["id"] == "edu" and department["score"] == 100
    assert department["veto"] is True


def test_scheduled_records_committed_early_are_not_backdated(tree: Tree) -> None:
    tree.record("scheduled", "hot-topics", date(2025, 6, 13), written=date(2025, 6, 12))
    tree.commit(date(2025, 6, 11), "定时发布")
    assert run(tree).findings == ()
    assert run(tree, date(2025, 6, 12)).departments[0].records == 11  # not yet published


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 6, 16), 6, date(2024, 12, 16)),
        (date(2025, 1, 15), 12, date(2024, 1, 15)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def test_files_with_errors_are_left_out_and_said(tree: Tree) -> None:
    broken = tree.content / "departments/edu/broken.md"
    broken.write_text("---\nid: x\n---\n正文\n", encoding="utf-8")
    tree.commit(date(2025, 6, 11))
    report = run(tree)
    assert report.findings == ()
    assert any("1 个文件存在错误" in note and "catalog validate" in note for note in report.notes)
