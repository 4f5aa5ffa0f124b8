"""`catalog codeowners`: one CODEOWNERS for GitHub and Gitea/Forgejo from the departments' reviewers."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.core.settings import REPO_ROOT
from generator.workflow.codeowners import DepartmentOwners, codeowners_text
from tests.test_examples import lay_out


def catalog(*args: str) -> Result:
    return CliRunner().invoke(main, ["codeowners", *args])


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rules(text: str) -> list[tuple[str, list[str]]]:
    return [
        (line.split()[0], line.split()[1:])
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def gitea_owners(text: str, path: str) -> list[str]:
    """Gitea: every rule is a Go regexp anchored at both ends ("\\\\" unescaped first)."""
    owners: list[str] = []
    for pattern, handles in rules(text):
        if re.fullmatch(pattern.replace("\\\\", "\\"), path):
            owners = handles
    return owners


def github_owners(text: str, path: str) -> list[str]:
    """GitHub: gitignore-style paths; a leading "/" anchors, a trailing "/" means the folder."""
    owners: list[str] = []
    for pattern, handles in rules(text):
        anchored = pattern.lstrip("/")
        if (pattern.endswith("/") and path.startswith(anchored)) or fnmatch.fnmatchcase(
            path, anchored
        ):
            owners = handles  # the last matching rule wins
    return owners


def test_writes_rules_for_both_forges(tree: Path) -> None:
    result = catalog()
    assert result.exit_code == 0, result.output
    text = (tree / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/content/departments/edu/ @edu-reviewer\n" in text
    assert "content/departments/edu/.* @edu-reviewer\n" in text
    assert "# 测试区教育局（edu）" in text
    # civil has no reviewers: a comment says so, and no rule is written.
    assert "content/departments/civil/department.yml 没有填写 reviewers" in text
    assert [p for p, _ in rules(text)] == [
        "/content/departments/edu/",
        "content/departments/edu/.*",
    ]
    for owners in (github_owners, gitea_owners):
        assert owners(text, "content/departments/edu/2025/files/入学登记表.pdf") == [
            "@edu-reviewer"
        ]
        assert owners(text, "content/departments/civil/2025/dibao.md") == []
        assert owners(text, "content/site.yml") == []


def test_departments_do_not_leak_into_each_other() -> None:
    text = codeowners_text(
        "content",
        [
            DepartmentOwners("edu", "教育局", ("a",)),
            DepartmentOwners("edu-2", "第二教育局", ("b", "c")),
        ],
    )
    for owners in (github_owners, gitea_owners):
        assert owners(text, "content/departments/edu/x.md") == ["@a"]
        assert owners(text, "content/departments/edu-2/x.md") == ["@b", "@c"]
        assert owners(text, "content/departments/edux/x.md") == []


def test_special_characters_in_the_content_path_are_escaped() -> None:
    text = codeowners_text("my content.d", [DepartmentOwners("edu", "教育局", ("a",))])
    assert "/my\\ content.d/departments/edu/ @a" in text
    assert "my\\ content\\\\.d/departments/edu/.* @a" in text


def test_check_reports_stale_file(tree: Path) -> None:
    assert catalog("--check").exit_code == 1  # no file yet
    assert catalog().exit_code == 0
    assert catalog("--check").exit_code == 0
    assert "无变化" in catalog().output
    department = tree / "content/departments/civil/department.yml"
    department.write_text(
        department.read_text(encoding="utf-8") + "reviewers: [civil-a]\n", encoding="utf-8"
    )
    stale = catalog("--check")
    assert stale.exit_code == 1 and "已过期" in stale.output
    assert catalog().exit_code == 0
    assert "content/departments/civil/.* @civil-a" in (tree / "CODEOWNERS").read_text(
        encoding="utf-8"
    )


def test_output_option_and_invalid_handles(tree: Path) -> None:
    department = tree / "content/departments/civil/department.yml"
    department.write_text(
        department.read_text(encoding="utf-8") + 'reviewers: ["@bad", ok-one]\n', encoding="utf-8"
    )
    assert catalog("--output", ".gitea/CODEOWNERS").exit_code == 0  # the folder is created
    assert "/content/departments/civil/ @ok-one\n" in (tree / ".gitea/CODEOWNERS").read_text(
        encoding="utf-8"
    )


def test_repository_codeowners_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """The committed CODEOWNERS matches content/ (CI runs the same check)."""
    monkeypatch.chdir(REPO_ROOT)
    result = catalog("--check")
    assert result.exit_code == 0, result.output
