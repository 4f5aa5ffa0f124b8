"""A small hand-made catalog for the search tests (until validate.check_content can load one)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from generator.core.records import Catalog, Category, Department, Office, Record, SiteInfo

OFFICE = Office("区政务公开办", "人民路1号", "人民路1号", "100000", "9:00-17:00", "", "", "")
SITE = SiteInfo("示例区政府信息公开", "110000", "https://example.gov.cn", "bm0100000001", OFFICE)


def department(dept_id: str, name: str) -> Department:
    return Department(
        dept_id, name, name, "000000000", "", "", (), "", "", "", "", "", "", (), "content"
    )


DEPARTMENTS = {
    "gov-office": department("gov-office", "区政府办公室"),
    "edu": department("edu", "区教育局"),
    "housing": department("housing", "区住房和城乡建设局"),
}

CATEGORIES = {
    cid: Category(cid, cid, cid, "", (), None, "信息公开目录")
    for cid in ("duties", "policies", "services", "hot-topics")
}


def record(record_id: str, title: str, **fields: Any) -> Record:
    values: dict[str, Any] = {
        "id": record_id,
        "title": title,
        "category": "policies",
        "summary": "",
        "written": date(2023, 1, 1),
        "published": date(2023, 1, 5),
        "department": "gov-office",
        "slug": record_id.replace("/", "-"),
        "source": f"content/departments/x/{record_id}.md",
        "body": "",
        "body_line": 5,
    }
    values.update(fields)
    return Record(**values)


RECORDS = (
    record(
        "GO/2024-00001",
        "关于做好2024年政府信息公开工作的通知",
        doc_number="示政办发〔2024〕3号",
        category="hot-topics",
        published=date(2024, 3, 1),
        summary="部署本年度政府信息公开重点工作。",
        body="各部门要按照条例要求，做好主动公开工作。",
        keywords=("政务公开", "年度工作"),
    ),
    record(
        "GO/2019-00007",
        "中华人民共和国政府信息公开条例",
        doc_number="国务院令第711号",
        published=date(2019, 4, 15),
        summary="2019年修订的条例全文。",
        body="第一条 为了保障公民、法人和其他组织依法获取政府信息，制定本条例。",
    ),
    record(
        "EDU/2023-00012",
        "区教育局2023年工作总结",
        department="edu",
        category="duties",
        published=date(2023, 12, 28),
        summary="总结全年教育工作。",
        body="全年办理学校建设项目十二个。另按要求推进政府信息公开，完善网站栏目。",
    ),
    record(
        "EDU/2023-00003",
        "关于义务教育招生入学的实施意见",
        doc_number="示教发[2023] 5号",
        department="edu",
        published=date(2023, 4, 10),
        summary="明确义务教育阶段招生范围、入学条件和办理流程。",
        body="适龄儿童按照户籍和居住地就近入学。",
        keywords=("教育", "招生", "入学"),
    ),
    record(
        "EDU/2023-00004",
        "《关于义务教育招生入学的实施意见》政策解读",
        department="edu",
        published=date(2023, 4, 11),
        summary="解读义务教育招生入学政策的主要内容。",
        body="一、起草背景。二、主要内容：就近入学。",
        keywords=("教育", "招生", "政策解读"),
        interprets="EDU/2023-00003",
    ),
    record(
        "HS/2022-00021",
        "城市道路占用挖掘审批办事指南",
        department="housing",
        category="services",
        published=date(2022, 6, 1),
        summary="办理占用、挖掘城市道路许可的条件、材料和时限。",
        body="申请人应当提交申请书和施工方案。",
    ),
    record(
        "HS/2023-00002",
        "城市道路养护计划",
        department="housing",
        category="policies",
        published=date(2023, 2, 1),
        summary="本年度城市道路养护和维修安排。",
        body="对主干道进行养护。",
    ),
)


def catalog(records: tuple[Record, ...] = RECORDS) -> Catalog:
    ordered = tuple(sorted(records, key=lambda r: (-r.published.toordinal(), r.id)))
    return Catalog(SITE, DEPARTMENTS, CATEGORIES, ordered, date(2024, 6, 1))


def changed(records: tuple[Record, ...], record_id: str, **fields: Any) -> tuple[Record, ...]:
    return tuple(replace(r, **fields) if r.id == record_id else r for r in records)
