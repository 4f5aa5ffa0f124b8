"""The rules under `catalog import`: reading exports, naming columns and categories, and the
validator's acceptance of a department's old 索引号 (legacy_ids)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.content.schema import default_schema_dir, load_schemas
from generator.content.validate import check_content
from generator.core.settings import REPO_ROOT, Settings
from generator.migrate.fields import (
    ImportMap,
    category_for,
    header_key,
    keywords_from,
    match_columns,
    topic_for,
    validity_for,
)
from generator.migrate.sources import MigrateError, read_source

SCHEMAS = load_schemas(default_schema_dir())
NO_MAP = ImportMap()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(
        "索引号,信息名称\r\n000014349/2020-00001,关于印发《办法》的通知\r\n".encode(encoding)
    )
    table = read_source(path)
    assert table.headers == ("索引号", "信息名称")
    assert table.rows[0].number == 2
    assert table.rows[0].cells["信息名称"] == "关于印发《办法》的通知"


@pytest.mark.parametrize(
    ("data", "count"),
    [
        ([{"title": "a"}, {"title": "b"}], 2),
        ({"articles": [{"title": "a"}], "total": 1}, 1),
        ({"data": {"list": [{"title": "a"}, {"title": "b"}, {"title": "c"}]}}, 3),
    ],
)
def test_json_lists_and_feeds(tmp_path: Path, data: object, count: int) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    table = read_source(path)
    assert [row.number for row in table.rows] == list(range(1, count + 1))
    assert table.row_label == "条"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.json", '{"total": 3}', "找不到记录列表"),
        ("a.json", "[1,", "不是有效的 JSON"),
        ("a.csv", "", "没有数据"),
        ("a.xlsx", "not a zip", "无法读取 Excel 文件"),
        ("a.txt", "x", "不支持的文件类型"),
    ],
)
def test_unreadable_sources_say_why(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MigrateError, match=message):
        read_source(path)


def test_headers_match_their_usual_names() -> None:
    headers = (
        "信息索引号",
        "标　题",
        "发文字号：",
        "生成日期",
        "发布时间",
        "组配分类",
        "is_expired",
    )
    assert match_columns(headers, NO_MAP) == {
        "id": "信息索引号",
        "title": "标　题",
        "doc_number": "发文字号：",
        "written": "生成日期",
        "published": "发布时间",
        "topic": "组配分类",
        "expired_flag": "is_expired",
    }
    mapped = ImportMap(columns={header_key("生成日期"): "published"})
    assert match_columns(("生成日期",), mapped) == {"published": "生成日期"}


@pytest.mark.parametrize(
    ("word", "category"),
    [
        ("政策文件", "policies"),
        ("规范性文件", "policies"),
        ("行政所依据的法律、法规、行政规章和政策", "policies"),
        ("机构职能", "duties"),
        ("办事指南", "services"),
        ("服务承诺", "commitments"),
        ("投诉举报", "supervision"),
        ("为民办实事", "livelihood"),
        ("hot-topics", "hot-topics"),
        ("区政府政策文件", "policies"),
        ("工作动态", None),
        ("", None),
    ],
)
def test_category_words(word: str, category: str | None) -> None:
    assert category_for(word, SCHEMAS.categories, NO_MAP) == category


def test_map_categories_win() -> None:
    mapping = ImportMap(categories={"政策文件": "hot-topics"})
    assert category_for("政策文件", SCHEMAS.categories, mapping) == "hot-topics"


@pytest.mark.parametrize(
    ("word", "topic"),
    [
        ("综合政务/政务公开", "综合政务\\政务公开"),
        ("综合政务\\政务公开", "综合政务\\政务公开"),
        ("政务公开", "综合政务\\政务公开"),  # only one 一级 has it
        ("其他", "其他"),  # the 一级 without 二级
        ("宗教事务", "民族、宗教\\宗教事务"),
        ("不存在", None),
    ],
)
def test_topic_words(word: str, topic: str | None) -> None:
    assert topic_for(word, SCHEMAS.topics, NO_MAP) == topic


def test_validity_and_keywords() -> None:
    assert [validity_for(w, NO_MAP) for w in ("现行有效", "已失效", "废止", "已修订", "?")] == [
        "valid",
        "expired",
        "repealed",
        "amended",
        None,
    ]
    assert keywords_from("教育，招生；学区 教育、") == ["教育", "招生", "学区"]


def _content_with(tmp_path: Path, legacy: str | None, record_id: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", content)
    office = content / "departments" / "office"
    if legacy is not None:
        with (office / "department.yml").open("a", encoding="utf-8") as handle:
            handle.write(f"legacy_ids: '{legacy}'\n")
    record = next(p for p in sorted(office.rglob("*.md")))
    text = record.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("id:"))
    record.write_text(text.replace(old, f'id: "{record_id}"', 1), encoding="utf-8")
    return content


def _id_problems(content: Path) -> list[str]:
    result = check_content(Settings(content_dir=content, today=date(2026, 12, 7), cache_dir=None))
    return [p.message for p in result.problems if p.code == "id-format"]


def test_legacy_ids_keep_old_numbers_valid(tmp_path: Path) -> None:
    content = _content_with(tmp_path, "[0-9]{9}/[0-9]{4}-[0-9]{5}", "000014349/2018-00222")
    assert _id_problems(content) == []


def test_old_numbers_without_legacy_ids_say_how_to_keep_them(tmp_path: Path) -> None:
    content = _content_with(tmp_path, None, "000014349/2018-00222")
    (message,) = _id_problems(content)
    assert "不符合索引号模板" in message and "legacy_ids（旧索引号规则）" in message


def test_legacy_ids_match_the_whole_number(tmp_path: Path) -> None:
    content = _content_with(tmp_path, "[0-9]{9}/", "000014349/2018-00222")
    assert len(_id_problems(content)) == 1


def test_a_broken_legacy_pattern_is_named(tmp_path: Path) -> None:
    content = _content_with(tmp_path, "[0-9", "000014349/2018-00222")
    (message,) = _id_problems(content)
    assert "不是有效的正则表达式" in message


def test_a_services_row_without_a_service_guide_says_what_to_do(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", content)
    source = tmp_path / "export.csv"
    source.write_text(
        "信息名称,发布日期,成文日期,主题分类,内容概述,目录分类\n"
        "青禾区教育局关于学籍证明办理的说明,2025/3/5,2025年3月1日,教育,说明学籍证明的办理方式,办事服务\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["import", str(source), "--department", "edu", "--content", str(content),
               "--dry-run", "--format", "json"],
    )  # fmt: skip
    [skip] = json.loads(result.output)["skipped"]
    assert skip["row"] == 2 and skip["column"] == "目录分类"
    assert "办事指南" in skip["reason"] and "catalog new --category services" in skip["reason"]
