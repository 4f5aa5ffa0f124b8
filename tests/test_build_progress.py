"""What ``catalog build`` shows while it runs: one plain line per phase when stderr is not a
terminal, live lines with last build's durations as estimates on a terminal, nothing with
``--quiet``."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.builder.progress import LABELS, LivePhases, PlainPhases, phase_listener
from generator.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "site"
PHASES = (
    "校验内容",
    "计算相关信息",
    "生成页面源文件",
    "生成网页",
    "生成静态检索索引",
    "替换网站目录",
)


def build(root: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[int, str]:
    root.mkdir()
    monkeypatch.chdir(root)  # build/ (staging, caches) and site/ land here
    shutil.copytree(FIXTURE, root / "content")
    arguments = ["build", "--content", "content", "--today", "2024-07-01", *extra]
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    return result.exit_code, result.stderr


def test_not_a_terminal_one_line_per_phase_and_quiet_prints_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stderr = build(tmp_path / "plain", monkeypatch)
    assert code == 0, stderr
    lines = [line for line in stderr.splitlines() if line.endswith(" 秒")]
    assert [line.split("：")[0] for line in lines if line.split("：")[0] in PHASES] == list(PHASES)
    assert all(float(line.rsplit("：", 1)[1].removesuffix(" 秒")) >= 0 for line in lines)
    code, stderr = build(tmp_path / "quiet", monkeypatch, "--quiet")
    assert code == 0, stderr
    assert not any(line.split("：")[0] in LABELS.values() for line in stderr.splitlines())


def test_a_terminal_shows_live_lines_and_keeps_the_durations_as_estimates(
    tmp_path: Path,
) -> None:
    estimates = tmp_path / "phase-seconds.json"
    first = LivePhases(estimates, io.StringIO())
    first.started("validation")
    first.finished("validation", 3.25)
    first.close()
    assert json.loads(estimates.read_text(encoding="utf-8")) == {"validation": 3.25}
    shown = io.StringIO()
    second = LivePhases(estimates, shown)
    assert second.previous == {"validation": 3.25}
    second.started("validation")
    second.finished("validation", 1.0)
    second.close()
    assert "校验内容" in shown.getvalue() and "上次 3 秒" in shown.getvalue()
    assert json.loads(estimates.read_text(encoding="utf-8")) == {"validation": 1.0}


def test_the_listener_follows_quiet_and_the_terminal() -> None:
    assert phase_listener(True, None) is None
    assert isinstance(phase_listener(False, None), PlainPhases)  # pytest's stderr is no terminal


def test_validate_shows_its_phase_on_large_trees_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    small = CliRunner().invoke(main, ["validate", str(FIXTURE), "--today", "2024-07-01"])
    assert "校验内容：" not in small.output
    monkeypatch.setattr("generator.builder.progress.LARGE_TREE", 5)
    large = CliRunner().invoke(main, ["validate", str(FIXTURE), "--today", "2024-07-01"])
    assert large.exit_code == small.exit_code
    assert [line for line in large.stderr.splitlines() if line.startswith("校验内容：")]
    quiet = CliRunner().invoke(main, ["validate", str(FIXTURE), "--today", "2024-07-01", "--quiet"])
    assert "校验内容：" not in quiet.output and quiet.stdout == small.stdout
