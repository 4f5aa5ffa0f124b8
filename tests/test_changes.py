"""`catalog validate --changed-since REF` in a temporary git repository."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.core.problems import error
from generator.workflow.changes import ChangesError, changed_files, only_changed
from tests.test_examples import EXAMPLES, lay_out

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
RECORD = "content/departments/edu/2025/enrolment-policy.md"
OTHER = "content/departments/civil/2025/dibao.md"
CIVIL_ID = "11339901MB22222221/2025-00001"  # the id of OTHER


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def validate(*args: str) -> Result:
    return CliRunner().invoke(
        main,
        ["validate", "--format", "json", *args, "content"],
        env={"CATALOG_TODAY": "2026-11-28"},
    )


def reported(result: Result) -> set[tuple[str, str]]:
    return {(p["file"], p["code"]) for p in json.loads(result.stdout)["problems"]}


def break_summary(path: Path) -> None:
    """Put a mobile number into the summary: a `pii` error on line 5."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[index] = "summary: 咨询电话 13800138000。"
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The clean example tree on `main` with one broken record, then a branch `work`."""
    lay_out(None, tmp_path)
    break_summary(tmp_path / OTHER)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "work")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_full_run_sees_the_old_problem(repo: Path) -> None:
    assert reported(validate()) == {(OTHER, "pii")}


def test_nothing_changed_nothing_reported(repo: Path) -> None:
    result = validate("--changed-since", "main")
    assert result.exit_code == 0
    assert reported(result) == set()
    assert json.loads(result.stdout)["records"] == 3


@pytest.mark.parametrize("state", ["committed", "staged", "unstaged"])
def test_only_changed_files_are_reported(repo: Path, state: str) -> None:
    break_summary(repo / RECORD)
    if state != "unstaged":
        git(repo, "add", RECORD)
    if state == "committed":
        git(repo, "commit", "-q", "-m", "change")
    result = validate("--changed-since", "main")
    assert result.exit_code == 1
    assert reported(result) == {(RECORD, "pii")}


def test_untracked_file_with_chinese_name(repo: Path) -> None:
    new = repo / "content/departments/edu/2025/招生公告.md"
    new.write_text((repo / RECORD).read_text(encoding="utf-8"), encoding="utf-8")
    result = validate("--changed-since", "main")
    # The copy repeats the id of RECORD and sorts after it, so the duplicate is reported on it.
    assert reported(result) == {("content/departments/edu/2025/招生公告.md", "duplicate-id")}


def test_copied_record_keeps_duplicate_id_visible(repo: Path) -> None:
    copy = repo / "content/departments/edu/2025/aaa-copy.md"  # sorts before the original
    copy.write_text((repo / RECORD).read_text(encoding="utf-8"), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "copy")
    result = validate("--changed-since", "main")
    assert result.exit_code == 1
    assert reported(result) == {(RECORD, "duplicate-id")}
    assert "aaa-copy.md" in json.loads(result.stdout)["problems"][0]["message"]


def test_cross_record_checks_still_see_the_whole_catalog(repo: Path) -> None:
    target = repo / "content/departments/edu/2025/enrolment-explained.md"
    text = target.read_text(encoding="utf-8")
    related = "\ninterprets:"
    assert related in text
    target.write_text(
        text.replace(related, f'\nrelated: ["{CIVIL_ID}", "{CIVIL_ID}9"]{related}'),
        encoding="utf-8",
    )
    result = validate("--changed-since", "main")
    # The id in the unchanged civil department resolves; the made-up one does not.
    assert reported(result) == {(target.relative_to(repo).as_posix(), "unknown-reference")}
    assert "2025-000019" in result.stdout


def test_not_a_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = validate("--changed-since", "main")
    assert result.exit_code == 2
    assert "不在 git 仓库中" in result.output


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=/tmp/x", ""])
def test_unknown_ref_is_a_usage_error(repo: Path, ref: str) -> None:
    result = validate("--changed-since", ref)
    assert result.exit_code == 2
    assert "git" in result.output


def test_changed_files_are_absolute_and_resolved(repo: Path) -> None:
    (repo / "note.txt").write_text("x", encoding="utf-8")
    assert changed_files("main", repo / "content") == frozenset({(repo / "note.txt").resolve()})
    with pytest.raises(ChangesError):
        changed_files("main~5", repo)


def test_only_changed_filters_by_file_and_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    a = error("content/a.md", 1, 1, "pii", None, "…")
    b = error("content/b.md", 1, 1, "duplicate-id", "id", "与 content/a.md 第 2 行的……相同")
    c = error("content/c.md", 1, 1, "schema", None, "…")
    assert only_changed([a, b, c], frozenset({(tmp_path / "content/a.md").resolve()})) == [a, b]
    assert only_changed([a, b, c], frozenset()) == []


def test_example_cases_are_untouched() -> None:
    assert (EXAMPLES / "base" / RECORD.removeprefix("content/")).is_file()


def test_pre_commit_form_reports_staged_changes(repo: Path) -> None:
    """The pre-commit hook runs `--changed-since HEAD`: staged edits are what it must see."""
    break_summary(repo / RECORD)
    git(repo, "add", RECORD)
    assert reported(validate("--changed-since", "HEAD")) == {(RECORD, "pii")}
    git(repo, "commit", "-q", "-m", "change")
    assert reported(validate("--changed-since", "HEAD")) == set()


def test_workflow_formats_with_changed_since(repo: Path) -> None:
    """The pull-request workflows: GitHub annotations and JUnit, narrowed to the changed files."""
    break_summary(repo / RECORD)
    env = {"CATALOG_TODAY": "2026-11-28"}
    github = CliRunner().invoke(
        main, ["validate", "--format", "github", "--changed-since", "main"], env=env
    )
    assert github.exit_code == 1
    annotations = [line for line in github.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and annotations[0].startswith(f"::error file={RECORD},line=")
    junit = CliRunner().invoke(
        main, ["validate", "--format", "junit", "--changed-since", "main"], env=env
    )
    assert junit.stdout.count("<testcase ") == 1 and RECORD in junit.stdout
