"""The issue's done-when: thousands of messy rows import with no validation error, every broken
row is reported, a second run adds nothing, and the built site finds records by old 索引号 and
文号."""

from __future__ import annotations

import json
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.builder.build import build_site
from generator.cli import main
from generator.content.docnumber import normalize_doc_number
from generator.content.normalize import clean_text
from generator.content.validate import check_content
from generator.core.settings import REPO_ROOT, Settings
from generator.search.whoosh_search import search
from tests.import_fixtures import LEGACY_IDS, build_export, write_csv, write_xlsx

TODAY = "2026-12-07"
ROWS = 3000


def run_import(source: Path) -> tuple[dict[str, object], float]:
    started = time.perf_counter()
    result = CliRunner().invoke(
        main,
        ["import", str(source), "--department", "office", "--format", "json"],
        env={"CATALOG_TODAY": TODAY},
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), time.perf_counter() - started


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO_ROOT / "content", tmp_path / "content")
    with (tmp_path / "content/departments/office/department.yml").open("a") as handle:
        handle.write(f"legacy_ids: '{LEGACY_IDS}'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def test_thousands_of_messy_rows(content: Path, tmp_path: Path) -> None:
    export = build_export(ROWS)
    source = write_xlsx(tmp_path / "export.xlsx", export)
    before = len(list((content / "departments").rglob("*.md")))
    first, seconds = run_import(source)
    skipped = {s["row"]: s["column"] for s in first["skipped"]}  # type: ignore[attr-defined]
    assert skipped == export.skips and len(skipped) == 30
    assert all(s["reason"] for s in first["skipped"])  # type: ignore[attr-defined]
    assert (first["read"], first["imported"]) == (ROWS, ROWS - 30)
    result = check_content(Settings(content_dir=content, today=date.fromisoformat(TODAY)))
    assert [p for p in result.problems if p.is_error] == []
    assert result.record_count == before + ROWS - 30
    again, seconds_again = run_import(source)
    assert (again["imported"], again["updated"], again["skipped"]) == (0, 0, first["skipped"])
    print(f"{ROWS} rows: first import {seconds:.1f} s, second {seconds_again:.1f} s")


def test_built_site_finds_records_by_old_id_and_doc_number(content: Path, tmp_path: Path) -> None:
    export = build_export(200)
    run_import(write_csv(tmp_path / "export.csv", export))
    settings = Settings(
        content_dir=content,
        staging_dir=tmp_path / "build/docs",
        index_dir=tmp_path / "build/search-index",
        out_dir=tmp_path / "site",
        today=date.fromisoformat(TODAY),
    )
    built = build_site(settings)
    assert built.built, [p for p in built.problems if p.is_error]
    rows = [r for r in export.rows[:40] if r["索引号"] and r["文号"]][:5]
    assert rows
    for row in rows:
        by_id = search(settings.index_dir, str(row["索引号"]))
        assert [h.id for h in by_id.hits][:1] == [row["索引号"]], row
        number = normalize_doc_number(clean_text(str(row["文号"]))).normalized
        by_number = search(settings.index_dir, number)
        assert row["索引号"] in [h.id for h in by_number.hits], (number, row)
    page = next((settings.out_dir / "records").rglob("*.html"))
    assert page.stat().st_size > 0
