"""`catalog import` and `catalog import-pages` on the committed exports (tests/fixtures/import),
run as a user runs them: the CLI on a copy of the sample district's content."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.content.body_checks import check_html, check_link_schemes, find_links
from generator.content.load import split_front_matter
from generator.content.validate import check_content
from generator.core.settings import REPO_ROOT, Settings
from generator.migrate.body import html_to_markdown, parse_html
from tests.import_fixtures import FIXTURES, LEGACY_IDS, build_export, laws, write_csv

TODAY = "2026-12-07"
OFFICE = "content/departments/office"


def catalog(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"CATALOG_TODAY": TODAY})


def imported(*args: str) -> dict[str, object]:
    result = catalog(*args, "--department", "office", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    summary: dict[str, object] = json.loads(result.stdout)
    assert result.exit_code == (1 if summary["skipped"] else 0)
    return summary


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample content; the office keeps its old system's 索引号 (legacy_ids)."""
    shutil.copytree(REPO_ROOT / "content", tmp_path / "content")
    with (tmp_path / OFFICE / "department.yml").open("a", encoding="utf-8") as handle:
        handle.write(f"legacy_ids: '{LEGACY_IDS}'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def errors(content: Path) -> list[str]:
    result = check_content(Settings(content_dir=content, today=date.fromisoformat(TODAY)))
    return [f"{p.file}:{p.line} {p.message}" for p in result.problems if p.is_error]


def records(content: Path, marker: str = "catalog import") -> dict[str, dict[str, object]]:
    found = {}
    for path in (content / "departments" / "office").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if marker in text.split("\n", 2)[1]:
            meta = split_front_matter(text, str(path)).meta
            assert meta is not None
            found[str(meta.data["id"])] = dict(meta.data) | {"_path": path, "_text": text}
    return found


def skipped_columns(summary: dict[str, object]) -> dict[int, str]:
    return {s["row"]: s["column"] for s in summary["skipped"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("catalog-gbk.csv", build_export(120).skips),
        ("catalog.xlsx", {n + 1: c for n, c in build_export(120).skips.items()}),
    ],
)
def test_export_imports_every_good_row_and_lists_the_others(
    content: Path, source: str, expected: dict[int, str]
) -> None:
    first = imported("import", str(FIXTURES / source))
    assert first["read"] == 120
    assert skipped_columns(first) == expected
    assert first["imported"] == 120 - len(expected)
    assert errors(content) == []
    again = imported("import", str(FIXTURES / source))
    assert (again["imported"], again["updated"], again["skipped"]) == (0, 0, first["skipped"])
    assert len(records(content)) == 120 - len(expected)


def test_messy_values_are_normalised(content: Path) -> None:
    imported("import", str(FIXTURES / "catalog.xlsx"))
    made = records(content)
    texts = [str(r["title"]) for r in made.values()]
    assert not any("\u200b" in t for t in texts)
    numbers = [str(r["doc_number"]) for r in made.values() if "doc_number" in r]
    assert numbers and all("〔" in n and "[" not in n and "（" not in n for n in numbers)
    assert not any(n.startswith("发文字号") or " " in n for n in numbers)
    assert {r["topic"] for r in made.values() if "topic" in r} == {
        "综合政务\\政务公开",
        "综合政务\\政务督查",
    }
    assert {r["validity"] for r in made.values() if "validity" in r} == {"valid", "expired"}
    assert all(str(r["written"]) <= str(r["published"]) for r in made.values())
    # old numbers are kept; rows that had none continue with the site's template
    assert any(k.startswith("000014349/") for k in made)
    assert any(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{5}", k) for k in made)  # TRS style
    assert any(k.startswith("11339901MB1C026154/") for k in made)  # rows that had none


def test_gkmlpt_feed(content: Path) -> None:
    summary = imported("import", str(FIXTURES / "gkmlpt.json"))
    assert summary["read"] == 120
    assert skipped_columns(summary) == {51: "title", 52: "classify_main_name", 55: "identifier"}
    assert errors(content) == []
    expired = [r for r in records(content).values() if r.get("validity") == "expired"]
    assert expired  # is_expired: true
    assert imported("import", str(FIXTURES / "gkmlpt.json"))["imported"] == 0


def test_saved_pages(content: Path) -> None:
    summary = imported("import-pages", str(FIXTURES / "pages"), "--category", "policies")
    assert (summary["read"], summary["imported"], summary["skipped"]) == (6, 6, [])
    assert errors(content) == []
    made = records(content)
    assert set(made) == {f"000014349/{law['date'][:4]}-{i:05d}" for i, law in enumerate(laws(6), 1)}
    assert {str(r["written"]) for r in made.values()} == {law["date"] for law in laws(6)}
    for record in made.values():
        text = str(record["_text"])
        body = text.split("\n---\n", 1)[1]
        assert record["topic"] == "综合政务\\政务公开"
        assert "索引号" not in body and "发布机构" not in body  # the metadata table stays out
        assert "<" not in body.replace("<https://", "")
        assert "javascript" not in body and "_hmt" not in body and "上一篇" in body
        assert f"# {record['title']}" not in body
        assert "## 第一章" in body or "第一条" in body
    assert (
        imported("import-pages", str(FIXTURES / "pages"), "--category", "policies")["imported"] == 0
    )


def test_page_labels_come_from_the_map_file(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "1.htm").write_text(
        "<html><body><table><tr><th>信息编码</th><td>0142768-8/2024-00031</td>"
        "<th>形成时间</th><td>2024年3月5日</td></tr><tr><th>标题</th><td>关于开展春季"
        "植树活动的通知</td><th>文件编号</th><td>青禾政办〔2024〕3号</td></tr></table>"
        "<div class='content'><p>各街道：现将有关事项通知如下。</p></div></body></html>",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.yml"
    mapping.write_text("columns:\n  信息编码: id\n  形成时间: written\n", encoding="utf-8")
    args = ("import-pages", str(folder), "--category", "hot-topics", "--map", str(mapping))
    assert imported(*args)["imported"] == 1
    record = records(content)["0142768-8/2024-00031"]
    assert (record["written"], record["doc_number"]) == ("2024-03-05", "青禾政办〔2024〕3号")
    assert record["summary"] == "各街道：现将有关事项通知如下。"
    assert "信息编码" not in str(record["_text"]).split("\n---\n", 1)[1]
    assert errors(content) == []


def test_local_pages_become_bodies_and_files_attachments(content: Path) -> None:
    summary = imported("import", str(FIXTURES / "linked" / "catalog.csv"))
    assert (summary["imported"], summary["skipped"]) == (4, [])
    assert errors(content) == []
    with_file = [r for r in records(content).values() if r.get("attachments")]
    assert len(with_file) == 1
    record = with_file[0]
    attachment = record["attachments"][0]  # type: ignore[index]
    assert attachment["title"] == "附件1.pdf"
    assert (Path(record["_path"]).parent / attachment["file"]).is_file()  # type: ignore[arg-type]
    assert "第一条" in str(record["_text"])


def test_dry_run_writes_nothing(content: Path) -> None:
    before = sorted(p.as_posix() for p in content.rglob("*"))
    result = catalog(
        "import", str(FIXTURES / "catalog-gbk.csv"), "--department", "office", "--dry-run"
    )
    assert result.exit_code == 1
    assert "将新建 115 条" in result.stdout and "试运行" in result.stdout
    assert "第 52 行（信息名称）：信息名称为空" in result.stdout
    assert sorted(p.as_posix() for p in content.rglob("*")) == before


def test_old_ids_need_the_departments_pattern(content: Path, tmp_path: Path) -> None:
    department = content / "departments" / "office" / "department.yml"
    department.write_text(
        department.read_text(encoding="utf-8").replace(f"legacy_ids: '{LEGACY_IDS}'\n", ""),
        encoding="utf-8",
    )
    export = build_export(3)
    summary = imported("import", str(write_csv(tmp_path / "three.csv", export)))
    reasons = [s["reason"] for s in summary["skipped"]]  # type: ignore[attr-defined]
    assert summary["imported"] == 1  # the first row has no 索引号: it gets the template's
    assert len(reasons) == 2 and all("legacy_ids" in r for r in reasons)
    assert "不符合索引号模板" in reasons[0]  # 0142768-8/…
    assert "不是本部门的统一社会信用代码" in reasons[1]  # 11441700007280420Y/…
    assert all(s["column"] == "索引号" for s in summary["skipped"])  # type: ignore[attr-defined]


def test_records_made_by_hand_are_never_overwritten(content: Path, tmp_path: Path) -> None:
    export = build_export(2)
    source = write_csv(tmp_path / "two.csv", export)
    imported("import", str(source))
    made = records(content)
    target = next(iter(made.values()))
    path = Path(target["_path"])  # type: ignore[arg-type]
    edited = str(target["_text"]).replace("catalog import", "（编辑已接手）", 1)
    path.write_text(edited, encoding="utf-8")
    summary = imported("import", str(source))
    assert [s["column"] for s in summary["skipped"]] == ["索引号"]  # type: ignore[attr-defined]
    assert "手工维护" in summary["skipped"][0]["reason"]  # type: ignore[index]
    assert path.read_text(encoding="utf-8") == edited


def test_map_file_names_columns_and_categories(content: Path, tmp_path: Path) -> None:
    export = build_export(4)
    for row in export.rows:
        row["目录分类"] = "工作动态"
    source = write_csv(tmp_path / "four.csv", export)
    text = source.read_text(encoding="utf-8-sig").replace("生成日期", "形成时间", 1)
    source.write_text(text, encoding="utf-8-sig")
    plain = imported("import", str(source))
    assert plain["imported"] == 0
    mapping = tmp_path / "map.yml"
    mapping.write_text(
        "columns:\n  形成时间: written\ncategories:\n  工作动态: hot-topics\n", encoding="utf-8"
    )
    summary = imported("import", str(source), "--map", str(mapping))
    assert (summary["imported"], summary["skipped"]) == (4, [])
    assert {r["category"] for r in records(content).values()} == {"hot-topics"}
    assert errors(content) == []


def test_a_bad_map_file_is_a_usage_error(content: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "map.yml"
    mapping.write_text("categories:\n  工作动态: news\n", encoding="utf-8")
    result = catalog(
        "import", str(FIXTURES / "catalog.xlsx"), "--department", "office", "--map", str(mapping)
    )
    assert result.exit_code == 2
    assert "“工作动态: news”的“news”无效" in result.output


def test_unknown_department_and_format_are_usage_errors(content: Path, tmp_path: Path) -> None:
    result = catalog("import", str(FIXTURES / "catalog.xlsx"), "--department", "nope")
    assert result.exit_code == 2 and "未知部门“nope”" in result.output
    other = tmp_path / "old.xls"
    other.write_bytes(b"\xd0\xcf\x11\xe0")
    result = catalog("import", str(other), "--department", "office")
    assert result.exit_code == 2 and "另存为 .xlsx" in result.output


def test_html_is_converted_to_safe_markdown() -> None:
    page = parse_html(
        b"<div><p>a<script>alert(1)</script><style>p{}</style>&lt;script&gt;x&lt;/script&gt;"
        b"<!-- 13800138000 --></p><iframe src='x'></iframe><p><a href='javascript:alert(1)'>"
        b"bad</a> <a href=' JAVASCRIPT:x'>bad2</a> <a href='/old/1.html'>old</a> "
        b"<a href='https://www.gov.cn/'>gov</a><img src='a.png' alt='pic' onerror='x()'></p>"
        b"<ul><li>one</li></ul><table><tr><td>1</td></tr></table></div>"
    )
    markdown = html_to_markdown(page)
    assert "alert" not in markdown and "p{}" not in markdown and "13800138000" not in markdown
    assert "javascript" not in markdown.lower() and "(/old/1.html)" not in markdown
    assert "[gov](https://www.gov.cn/)" in markdown and "pic" in markdown and "- one" in markdown
    assert check_html(markdown, "x.md", 1) == []
    assert check_link_schemes(find_links(markdown, 1), "x.md") == []


def test_ids_differing_only_in_case_are_not_merged(content: Path, tmp_path: Path) -> None:
    export = build_export(3)
    source = write_csv(tmp_path / "a.csv", export)
    imported("import", str(source))
    old = str(export.rows[2]["索引号"])
    assert old.startswith("11441700007280420Y/")
    export.rows[2]["索引号"] = old.replace("Y/", "y/")
    summary = imported("import", str(write_csv(tmp_path / "b.csv", export)))
    (skip,) = summary["skipped"]  # type: ignore[misc]
    assert skip["row"] == 4 and "仅有大小写" in skip["reason"]
    assert old in records(content)
