"""`catalog audit` as people and CI run it: formats, exit codes, the sample district."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli import main
from tests.audit_tree import Tree, make_tree
from tests.test_workflows import catalog_commands, steps

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tree:
    monkeypatch.chdir(tmp_path)
    return make_tree(tmp_path)


def audit(*args: str) -> Result:
    return CliRunner().invoke(main, ["audit", *args])


def test_clean_tree_exits_0_with_a_text_summary(tree: Tree) -> None:
    result = audit("--on", "2025-06-16")
    assert result.exit_code == 0, result.output
    assert "结论：无单项否决项；全站 100 分，合格" in result.stdout
    assert "broken-link" in result.stdout  # the site was not built: said, not hidden


def test_a_veto_exits_1_and_json_says_so(tree: Tree) -> None:
    tree.record("old", "hot-topics", date(2025, 3, 3), written=date(2025, 3, 3))
    tree.commit(date(2025, 6, 12))
    result = audit("--on", "2025-06-16", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["veto"] is True
    assert [f["code"] for f in document["findings"]] == ["backdated"]
    assert document["departments"][0]["id"] == "edu"


def test_html_report_is_one_offline_file(tree: Tree, tmp_path: Path) -> None:
    tree.record("late", "hot-topics", date(2025, 6, 10), written=date(2025, 4, 1))
    tree.commit(date(2025, 6, 10))
    out = tmp_path / "reports" / "audit.html"
    result = audit("--on", "2025-06-16", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg ") == 2  # the scores and the department's months
    assert "<script" not in html
    references = re.findall(r'(?:src|href)="([^"#][^"]*)"', html)
    assert references == []  # nothing outside the file (links inside it are #anchors)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "超过主动公开时限" in html and "青禾区教育局" in html


def test_html_report_is_reproducible(tree: Tree, tmp_path: Path) -> None:
    first = audit("--on", "2025-06-16", "--format", "html").stdout
    second = audit("--on", "2025-06-16", "--format", "html").stdout
    assert first == second


def test_missing_content_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = audit("--content", str(tmp_path / "nowhere"))
    assert result.exit_code == 2


def test_content_without_site_yml_exits_2(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = audit("--content", str(tmp_path / "content"))
    assert result.exit_code == 2
    assert "site.yml" in result.stderr


def test_the_sample_district_audits_with_no_veto(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample content in this repository, a week after its newest record."""
    monkeypatch.chdir(REPO_ROOT)
    result = audit("--on", "2026-10-29", "--format", "json", "--site", "/nonexistent")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["veto"] is False
    assert {d["verdict"] for d in document["departments"]} == {"pass"}
    assert document["verdict"] == "pass"


AUDIT_WORKFLOWS = [
    REPO_ROOT / ".github/workflows/audit.yml",
    REPO_ROOT / ".gitea/workflows/audit.yml",
]


@pytest.mark.parametrize("path", AUDIT_WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_weekly_workflow_runs_the_audit_with_full_history(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = workflow[True]  # PyYAML reads the key `on` as True
    assert triggers["schedule"] == [{"cron": "0 1 * * 1"}] and "workflow_dispatch" in triggers
    uses = {step["uses"].split("@")[0]: step for step in steps(workflow) if "uses" in step}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0  # first commit of every record
    commands = [c for s in steps(workflow) for c in catalog_commands(s.get("run", ""))]
    assert ("build", ["--out"]) in commands
    for command, options in commands:
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert all(option in result.output for option in options), (command, options)
    script = "\n".join(s.get("run", "") for s in steps(workflow))
    for fmt, suffix in (("json", "json"), ("html", "html"), ("text", "txt")):
        assert f"catalog audit --site site --format {fmt} --out audit.{suffix}" in script
    assert "issue" in script


def test_links_of_a_really_built_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture site built by `catalog build` has no broken link; losing an attachment
    gives exactly one finding, on the record page that links to it."""
    from generator.builder.build import build_site
    from generator.core.settings import Settings

    fixture = REPO_ROOT / "tests" / "fixtures" / "site"
    settings = Settings(content_dir=fixture, staging_dir=tmp_path / "build/docs",
                        out_dir=tmp_path / "site", index_dir=tmp_path / "build/index",
                        today=date(2024, 7, 1), cache_dir=None)  # fmt: skip
    assert build_site(settings).built
    monkeypatch.chdir(REPO_ROOT)
    args = ("--content", str(fixture), "--on", "2024-07-01", "--format", "json")
    before = json.loads(audit(*args, "--site", str(settings.out_dir)).stdout)
    assert [f for f in before["findings"] if f["code"] == "broken-link"] == []
    assert not any("broken-link" in note for note in before["notes"])
    (settings.out_dir / "files/office/policies/files/measures-2024.pdf").unlink()
    after = json.loads(audit(*args, "--site", str(settings.out_dir)).stdout)
    [broken] = [f for f in after["findings"] if f["code"] == "broken-link"]
    assert broken["record"] == "records/office/policies/measures-2024.html"
    assert broken["department"] == "office" and "measures-2024.pdf" in broken["message"]
    assert not [f for f in after["findings"] if f["code"] == "expired-valid"]
    # an expired record whose page lost its 有效性 mark (an overridden template, say)
    page = settings.out_dir / "records/edu/notice-2022.html"
    html = page.read_text(encoding="utf-8")
    assert "validity-banner" in html
    page.write_text(html.replace("失效", "有效"), encoding="utf-8")
    marks = json.loads(audit(*args, "--site", str(settings.out_dir)).stdout)
    [unmarked] = [f for f in marks["findings"] if f["code"] == "expired-valid"]
    assert unmarked["record"] == "11339901MB1C0475XN/2022-00007" and "失效" in unmarked["message"]
