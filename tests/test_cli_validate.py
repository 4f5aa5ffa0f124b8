"""`catalog validate` as a user runs it: output formats, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.test_examples import EXAMPLES, lay_out


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"CATALOG_TODAY": "2026-11-28", "PATH": "/usr/bin:/bin"},
        check=False,
    )


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    lay_out(EXAMPLES / "invalid" / "pii", tmp_path)
    return tmp_path


def test_clean_tree_exits_zero(tmp_path: Path) -> None:
    lay_out(None, tmp_path)
    result = run(["validate", "content"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 个错误，0 个警告" in result.stdout


def test_text_format_names_file_line_field_and_fix(broken: Path) -> None:
    result = run(["validate", "content"], broken)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = next(x for x in result.stdout.splitlines() if "[pii] summary" in x)
    assert line.startswith("content/departments/edu/2025/pii.md:5:10: 错误 [pii] summary:")
    assert "内容概述" in line and "11010519491231002X" not in result.stdout
    assert result.stdout.rstrip().endswith("请按上面的提示逐条修改后重新检查。")


def test_json_shape(broken: Path) -> None:
    result = run(["validate", "content", "--format", "json"], broken)
    document = json.loads(result.stdout)
    assert set(document) == {"records", "errors", "warnings", "problems"}
    assert document["records"] == 4 and document["errors"] == 3 and document["warnings"] == 0
    problem = document["problems"][0]
    assert set(problem) == {"file", "line", "column", "severity", "code", "field", "message"}
    assert problem["file"] == "content/departments/edu/2025/pii.md"
    assert problem["severity"] == "error"


def test_github_annotations(broken: Path) -> None:
    result = run(["validate", "content", "--format", "github"], broken)
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=content/departments/edu/2025/pii.md,line=5,col=10,title=")
    assert "content/departments/edu/2025/pii.md:5:10: 错误" in result.stdout  # readable too


def test_junit(broken: Path) -> None:
    result = run(["validate", "content", "--format", "junit"], broken)
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    failures = root.findall(".//failure")
    assert len(failures) == 1 and "pii.md" in root.find(".//testcase").get("name", "")


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    lay_out(EXAMPLES / "invalid" / "timeliness", tmp_path)
    assert run(["validate", "content"], tmp_path).returncode == 0
    assert run(["validate", "content", "--strict"], tmp_path).returncode == 1


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    assert run(["validate", "no-such-dir"], tmp_path).returncode == 2
    assert run(["validate", "--format", "xml"], tmp_path).returncode == 2
