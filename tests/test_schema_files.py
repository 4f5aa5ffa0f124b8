"""The files in catalog_schema/: valid schemas, Chinese help everywhere, consistent vocabularies."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.content.schema import SCHEMA_KINDS, Schemas, default_schema_dir, load_schemas
from generator.core.records import Deadlines, SiteInfo

SCHEMA_DIR = default_schema_dir()
SCHEMAS: Schemas = load_schemas(SCHEMA_DIR)
RAW = {
    kind: json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    for kind in SCHEMA_KINDS
}
CJK = re.compile(r"[\u4e00-\u9fff]")

# domain.md §3, the gov.cn 主题分类 table, copied verbatim (一级 | 二级, "none" = no 二级).
DOMAIN_TOPICS = """
| 国务院组织机构 | 国务院，国务院办公厅，国务院组成部门，国务院直属特设机构，国务院直属机构，国务院办事机构，国务院直属事业单位，国务院部委管理的国家局，国务院议事协调机构，其他 |
| 综合政务 | 政务公开，政务督查，应急管理，电子政务，文秘工作，保密工作，信访，参事、文史，其他 |
| 国民经济管理、国有资产监管 | 宏观经济，经济体制改革，统计，物价，国有资产监管，重大建设项目，其他 |
| 财政、金融、审计 | 财政，税务，银行，货币（含外汇），证券，保险，社会信用体系建设，审计，其他 |
| 国土资源、能源 | 土地，矿产，水资源，海洋，煤炭，石油与天然气，电力，其他 |
| 农业、林业、水利 | 农业、畜牧业、渔业，林业，水利，其他 |
| 工业、交通 | 机械制造与重工业，轻工纺织，化工，国防工业，航天、航空，信息产业（含电信），公路，水运，铁路，民航，邮政，其他 |
| 商贸、海关、旅游 | 对外经贸合作，国内贸易（含供销），海关，检验、检疫，旅游，其他 |
| 市场监管、安全生产监管 | 工商，质量监督，标准，食品药品监管，安全生产监管，其他 |
| 城乡建设、环境保护 | 城市规划，城乡建设（含住房），环境监测、保护与治理，节能与资源综合利用，气象、水文、测绘、地震，其他 |
| 科技、教育 | 科技，教育，知识产权，其他 |
| 文化、广电、新闻出版 | 文化，文物，新闻出版，广播、电影、电视，其他 |
| 卫生、体育 | 卫生，医药管理，体育，其他 |
| 人口与计划生育、妇女儿童工作 | 人口与计划生育，妇女儿童，其他 |
| 劳动、人事、监察 | 劳动就业，社会保障，人事工作，军转安置，监察，纠正行业不正之风，其他 |
| 公安、安全、司法 | 公安，国家安全，司法，其他 |
| 民政、扶贫、救灾 | 减灾救灾，优抚安置，社会福利，行政区划与地名，社团管理，扶贫，其他 |
| 民族、宗教 | 民族事务，宗教事务 |
| 对外事务 | 外交、外事，国际条约、国际组织，其他 |
| 港澳台侨工作 | 港澳工作，对台工作，侨务工作 |
| 国防 | 国防建设，国防动员 |
| 其他 | none |
"""

# domain.md §2: id → seed name, in seed order.
DOMAIN_CATEGORIES = {
    "duties": "职责、内设机构和内设机构的职责",
    "policies": "行政所依据的法律、法规、行政规章和政策",
    "services": "办事的条件、程序、过程、时限和结果",
    "livelihood": "为民办实事项目及执行情况",
    "public-interest": "涉及公众利益的行政执行情况",
    "rights-affecting": "直接影响公民、法人或其他组织权益的行政执行事项",
    "commitments": "便民措施，服务承诺",
    "supervision": "监督办法、违法违纪的投诉责任追究",
    "hot-topics": "群众关心的其他热点问题",
}


def _domain_topics() -> dict[str, tuple[str, ...]]:
    rows = [line.strip().strip("|").split("|") for line in DOMAIN_TOPICS.strip().splitlines()]
    return {
        first.strip(): () if second.strip() == "none" else tuple(second.strip().split("，"))
        for first, second in rows
    }


def _properties(schema: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every declared (path, subschema) at any depth; ``if`` conditions declare nothing."""
    if isinstance(schema, list):
        for item in schema:
            yield from _properties(item, path)
    elif isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties":
                for name, sub in value.items():
                    yield f"{path}{name}", sub
                    yield from _properties(sub, f"{path}{name}.")
            elif key != "if":
                yield from _properties(value, path)


def _holds_a_date(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_a_date(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_a_date(v) for v in value)
    return isinstance(value, date)


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_is_valid_2020_12(kind: str) -> None:
    assert RAW[kind]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(RAW[kind])


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_every_property_has_a_chinese_title_and_description(kind: str) -> None:
    found = list(_properties(RAW[kind]))
    missing = [
        path
        for path, sub in found
        if not CJK.search(sub.get("title", "")) or not CJK.search(sub.get("description", ""))
    ]
    assert len(found) >= 15
    assert missing == []


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_objects_reject_unknown_keys(kind: str) -> None:
    objects = [RAW[kind]] + [sub for _, sub in _properties(RAW[kind]) if "properties" in sub]
    objects += [
        sub["items"]
        for _, sub in _properties(RAW[kind])
        if isinstance(sub.get("items"), dict) and "properties" in sub["items"]
    ]
    assert all(obj.get("additionalProperties") is False for obj in objects)


def test_category_ids_equal_the_record_enum_in_seed_order() -> None:
    enum = RAW["record"]["properties"]["category"]["enum"]
    assert list(SCHEMAS.categories) == enum == list(DOMAIN_CATEGORIES)


def test_category_names_are_the_seed_names() -> None:
    assert {c.id: c.name for c in SCHEMAS.categories.values()} == DOMAIN_CATEGORIES


def test_category_labels_and_defaults() -> None:
    for category in SCHEMAS.categories.values():
        assert 4 <= len(category.short_name) <= 6, category.id
        assert CJK.search(category.description), category.id
        assert set(category.art20) <= set(SCHEMAS.art20), category.id
        assert category.column_type, category.id
    short_names = [c.short_name for c in SCHEMAS.categories.values()]
    assert len(set(short_names)) == len(short_names)


def test_category_blocks_match_the_schema_conditions() -> None:
    required = {
        rule["if"]["properties"]["category"]["const"]: rule["then"]["required"]
        for rule in RAW["record"]["allOf"]
    }
    blocks = {c.id: [c.block] for c in SCHEMAS.categories.values() if c.block}
    assert (
        blocks
        == required
        == {
            "services": ["service"],
            "livelihood": ["project"],
            "supervision": ["contacts"],
        }
    )


def test_topics_match_domain_table() -> None:
    assert SCHEMAS.topics == _domain_topics()
    assert list(SCHEMAS.topics) == list(_domain_topics())


def test_art20_has_the_fifteen_items_and_art21_the_county_items() -> None:
    assert list(SCHEMAS.art20) == list(range(1, 16))
    assert SCHEMAS.art20[7] == "财政预算、决算信息"
    assert list(SCHEMAS.art21.values()) == [
        "市政建设",
        "公共服务",
        "公益事业",
        "土地征收",
        "房屋征收",
        "治安管理",
        "社会救助",
    ]


@pytest.mark.parametrize("name", ["categories.yml", "art20.yml", "topics.yml", "holidays.yml"])
def test_yaml_dates_are_quoted_strings(name: str) -> None:
    text = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert not _holds_a_date(yaml.load(text, Loader=yaml.CSafeLoader))


def test_site_defaults_match_the_record_model() -> None:
    props = RAW["site"]["properties"]
    deadlines = {name: sub["default"] for name, sub in props["deadlines"]["properties"].items()}
    assert deadlines == vars(Deadlines())
    fields = {f.name: f.default for f in dataclasses.fields(SiteInfo)}
    assert props["id_template"]["default"] == fields["id_template"]
    assert props["kiosk"]["properties"]["idle_seconds"]["default"] == fields["kiosk_idle_seconds"]


def test_field_titles() -> None:
    titles = SCHEMAS.field_titles
    assert titles["published"] == "发布日期"
    assert titles["service.steps"] == "办理流程"
    assert titles["office.phone"] == "联系电话"
    assert titles["attachments.title"] == "附件名称"
    assert titles["units.duties"] == "内设机构职责"
    assert SCHEMAS.field_label("published") == "published（发布日期）"
    assert SCHEMAS.field_label("attachments.0.file") == "attachments.0.file（附件文件）"
    assert SCHEMAS.field_label("name", "site") == "name（网站名称）"
    assert SCHEMAS.field_label("name", "department") == "name（部门名称）"
    assert SCHEMAS.field_label("no_such_key") == "no_such_key"


RECORD = {
    "id": "11410105MB1234567X/2024-00001",
    "title": "关于2024年义务教育招生工作的通知",
    "category": "policies",
    "summary": "明确2024年义务教育阶段招生范围、报名时间和所需材料。",
    "written": "2024-03-01",
    "published": "2024-03-05",
}
DEPARTMENT = {
    "name": "郑州市金水区教育局",
    "short_name": "区教育局",
    "org_code": "11410105MB1234567X",
    "head": "张三",
    "duties": "负责全区教育工作。",
    "address": "郑州市金水区××路1号",
    "hours": "周一至周五 9:00—17:00",
    "phone": "0371-12345678",
    "email": "jyj@example.gov.cn",
    "postcode": "450000",
}
SITE = {
    "name": "郑州市金水区人民政府",
    "area_code": "410105",
    "site_url": "https://www.example.gov.cn/",
    "site_code": "4101050001",
    "office": {
        "name": "郑州市金水区人民政府办公室",
        "address": "郑州市金水区××路1号",
        "postcode": "450000",
        "hours": "周一至周五 9:00—17:00",
        "phone": "0371-12345678",
        "email": "xxgk@example.gov.cn",
    },
}
BASE = {"record": RECORD, "department": DEPARTMENT, "site": SITE}

# (kind, changes to the valid base document, expected (path, validator) of every error)
CASES: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    ("record", {}, set()),
    ("record", {"written": "2024-3-1"}, {("written", "pattern")}),
    ("record", {"written": "２０２４-03-01"}, {("written", "pattern")}),
    ("record", {"published": 20240305}, {("published", "type")}),
    ("record", {"category": "news"}, {("category", "enum")}),
    ("record", {"titel": "x"}, {("", "additionalProperties")}),
    ("record", {"title": ""}, {("title", "minLength")}),
    ("record", {"summary": "字" * 301}, {("summary", "maxLength")}),
    ("record", {"topic": "综合政务\\政务公开"}, set()),
    ("record", {"topic": "其他"}, set()),
    ("record", {"topic": "综合政务/政务公开 "}, {("topic", "pattern")}),
    ("record", {"keywords": ["招生"] * 2}, {("keywords", "uniqueItems")}),
    ("record", {"keywords": ["字" * 31]}, {("keywords.0", "maxLength")}),
    ("record", {"art20": [7, 16]}, {("art20.1", "maximum")}),
    ("record", {"channels": ["website", "wechat"]}, {("channels.1", "enum")}),
    ("record", {"attachments": [{"file": "a.pdf"}]}, {("attachments.0", "required")}),
    ("record", {"related": ["a b"]}, {("related.0", "pattern")}),
    ("record", {"category": "services"}, {("", "required")}),
    ("record", {"category": "services", "service": {"steps": ["网上报名"]}}, set()),
    (
        "record",
        {"category": "livelihood", "project": {"progress": 101}},
        {("project.progress", "maximum")},
    ),
    ("record", {"category": "supervision"}, {("", "required")}),
    ("record", {"service": {"phone": "12"}}, {("service.phone", "pattern")}),
    (
        "record",
        {"pii_exemptions": [{"value": "13800000000", "reason": "值班电话"}]},
        {("pii_exemptions.0", "required")},
    ),
    ("department", {}, set()),
    ("department", {"org_code": "11410105MB1234567I"}, {("org_code", "pattern")}),
    ("department", {"postcode": 450000}, {("postcode", "type")}),
    ("department", {"reviewers": ["@zhangsan"]}, {("reviewers.0", "pattern")}),
    (
        "department",
        {"units": [{"name": "办公室", "duties": "日常运转", "head": "李四"}]},
        {("units.0", "additionalProperties")},
    ),
    ("site", {}, set()),
    ("site", {"site_url": "http://www.example.gov.cn/"}, {("site_url", "pattern")}),
    ("site", {"site_code": "410105"}, {("site_code", "pattern")}),
    ("site", {"kiosk": {"idle_seconds": 5}}, {("kiosk.idle_seconds", "minimum")}),
    ("site", {"deadlines": {"reply": 0}}, {("deadlines.reply", "minimum")}),
    ("site", {"id_template": "{org_code}/{year}"}, {("id_template", "pattern")}),
    ("site", {"office": {"name": "办公室"}}, {("office", "required")}),
]


@pytest.mark.parametrize(("kind", "changes", "expected"), CASES)
def test_schema_cases(kind: str, changes: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    validator = getattr(SCHEMAS, kind)
    errors = validator.iter_errors(BASE[kind] | changes)
    found = {(".".join(str(p) for p in e.absolute_path), str(e.validator)) for e in errors}
    assert found == expected
