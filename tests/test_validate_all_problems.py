"""Every problem in one run: `catalog validate` prints, in one report, every defect of a file
whatever failed before it (tests/examples/invalid/all-at-once holds the files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.test_examples import EXAMPLES, lay_out

CASE = EXAMPLES / "invalid" / "all-at-once"


def expected() -> set[tuple[str, int, str]]:
    document = yaml.safe_load((CASE / "expected.yml").read_text(encoding="utf-8"))
    return {(f"content/{p['file']}", p["line"], p["code"]) for p in document["problems"]}


def test_one_report_holds_every_defect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lay_out(CASE, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["validate", "--format", "json"], env={"CATALOG_TODAY": "2026-11-28"}
    )
    assert result.exit_code == 1

    reported = {(p["file"], p["line"], p["code"]) for p in json.loads(result.stdout)["problems"]}
    assert reported == expected()
    per_file: dict[str, set[str]] = {}
    for file, _, code in reported:
        per_file.setdefault(file, set()).add(code)
    # A file with a schema error still has its attachment, id and references checked.
    assert per_file["content/departments/edu/2025/several.md"] >= {
        "schema",
        "missing-attachment",
        "duplicate-id",
        "unknown-reference",
        "broken-link",
        "pii",
        "placeholder",
    }
    assert per_file["content/departments/edu/2025/colon.md"] >= {"yaml-syntax", "schema"}
    assert per_file["content/departments/edu/2025/gbk.md"] == {"encoding", "pii"}


def test_messages_give_the_value_to_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lay_out(CASE, tmp_path)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["validate"], env={"CATALOG_TODAY": "2026-11-28"}).stdout
    for says in (
        "是否应为 policies（政策文件）？",
        "是否应为 edu？",
        "是否应写为 file: files/学区划分表.pdf？",
        '应写为 "2025-05-06"。可运行 catalog fix 自动修正。',
        "中文全角冒号“：”",
        "仍是占位文字“（请填写内容概述）”",
    ):
        assert says in out, says
