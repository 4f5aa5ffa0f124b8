"""The publish pipeline in both workflow sets: deploy on merge to main, a daily build at 00:10
Beijing time, a dry run when no deploy target is configured, and the pull-request comment that
lists the pages a change adds or modifies (its command run against a real git history)."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.settings import REPO_ROOT
from tests.test_examples import lay_out
from tests.test_workflows import PUBLISH, WORKFLOWS, load, steps

MAKE_TARGETS = set(
    re.findall(r"^([a-z][a-z-]*):", (REPO_ROOT / "Makefile").read_text(), re.MULTILINE)
)


def runs(workflow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


@pytest.mark.parametrize("path", PUBLISH, ids=lambda p: p.parent.parent.name)
def test_publish_on_merge_and_every_day_at_ten_past_midnight(path: Path) -> None:
    workflow = load(path)
    triggers = workflow[True]  # PyYAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"] == [{"cron": "10 16 * * *"}]  # 00:10 Asia/Shanghai
    assert "workflow_dispatch" in triggers
    text = runs(workflow)
    assert "catalog build --out site" in text
    assert "CATALOG_TODAY" not in text and "--today" not in text  # today is Beijing's today


@pytest.mark.parametrize("path", PUBLISH, ids=lambda p: p.parent.parent.name)
def test_deploy_is_chosen_by_repository_variables(path: Path) -> None:
    workflow = load(path)
    guarded = [
        (step.get("if") or job.get("if") or "", step)
        for job in workflow["jobs"].values()
        for step in job["steps"]
    ]
    rsync = [s for cond, s in guarded if "== 'rsync'" in cond and "rsync" in s.get("run", "")]
    assert rsync and "secrets.DEPLOY_SSH_KEY" in str(rsync[0]["env"])
    assert "vars.DEPLOY_TARGET" in str(rsync[0]["env"])
    assert "StrictHostKeyChecking=yes" in rsync[0]["run"]  # known_hosts from a variable
    assert any("== 'pages'" in cond for cond, _ in guarded)
    dry = [s for cond, s in guarded if "!= 'rsync'" in cond and "!= 'pages'" in cond]
    assert dry and "rsync -rln" in dry[-1]["run"] and "不部署" in dry[-1]["run"]
    assert "DEPLOY_METHOD" in path.read_text(encoding="utf-8").split("name:")[0]  # documented


@pytest.mark.parametrize("path", [*WORKFLOWS, *PUBLISH], ids=str)
def test_every_make_target_exists(path: Path) -> None:
    for line in runs(load(path)).splitlines():
        words = shlex.split(line, comments=True)
        for index, word in enumerate(words[:-1]):
            if word == "make":
                assert words[index + 1] in MAKE_TARGETS, line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_pull_requests_get_the_pages_comment(path: Path) -> None:
    workflow = load(path)
    text = runs(workflow)
    assert (
        'catalog pages-changed "origin/$BASE_REF" --preview-url "$PREVIEW_URL" > pages.md' in text
    )
    comment = [s for s in steps(workflow) if "评论" in s.get("name", "")]
    assert comment and comment[0].get("continue-on-error") is True
    assert "pages.md" in str(comment[0])


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_pages_changed_lists_added_and_modified_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "change")
    policy = tmp_path / "content/departments/edu/2025/enrolment-policy.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace("明确", "确定"), encoding="utf-8")
    later = tmp_path / "content/departments/civil/2025/later.md"
    later.write_text(
        "---\nid: 11339901MB22222221/2025-00002\ntitle: 关于2027年低保标准的通知\n"
        'category: policies\nsummary: 公布新标准。\nwritten: "2025-12-01"\n'
        'published: "2027-01-01"\n---\n正文。\n',
        encoding="utf-8",
    )
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "change")
    result = CliRunner().invoke(
        main,
        ["pages-changed", "main", "--preview-url", "https://ci.example/artifacts/7"],
        env={"CATALOG_TODAY": "2026-11-28"},
    )
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")][1:]
    assert rows == [
        "| 新增（2027-01-01 起公开） | 关于2027年低保标准的通知 | `records/civil/2025/later.html` |",
        "| 修改 | 测试区教育局关于做好2025年义务教育阶段招生入学工作的通知 "
        "| `records/edu/2025/enrolment-policy.html` |",
    ]
    assert "[下载 site-preview](https://ci.example/artifacts/7)" in result.stdout
