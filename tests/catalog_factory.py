"""Hand-built Catalog values for the export, browser and Pagefind tests."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from generator.core.records import (
    Attachment,
    Catalog,
    Category,
    Department,
    Office,
    Record,
    SiteInfo,
)

CORPUS = Path("/work/shared/corpus/policies.jsonl")

OFFICE = Office(
    name="青禾区人民政府办公室政务公开科",
    address="青禾区人民路1号",
    postal_address="青禾区人民路1号",
    postcode="339900",
    hours="工作日 9:00-12:00，13:30-17:30",
    phone="0000-1234567",
    fax="0000-1234568",
    email="gk@qinghe.gov.example",
)
SITE = SiteInfo(
    name="青禾区人民政府",
    area_code="339901",
    site_url="https://www.qinghe.gov.example/xxgk/",
    site_code="3399010001",
    office=OFFICE,
)
CATEGORY_NAMES = {
    "duties": ("职责、内设机构和内设机构的职责", "机构职能"),
    "policies": ("行政所依据的法律、法规、行政规章和政策", "政策文件"),
    "services": ("办事的条件、程序、过程、时限和结果", "办事服务"),
    "livelihood": ("为民办实事项目及执行情况", "为民办实事"),
    "public-interest": ("涉及公众利益的行政执行情况", "公众利益"),
    "rights-affecting": ("直接影响公民、法人或其他组织权益的行政执行事项", "权益事项"),
    "commitments": ("便民措施，服务承诺", "便民服务"),
    "supervision": ("监督办法、违法违纪的投诉责任追究", "监督"),
    "hot-topics": ("群众关心的其他热点问题", "热点问题"),
}
CATEGORIES = {
    cid: Category(cid, name, short, "", (), None, "xxgk")
    for cid, (name, short) in CATEGORY_NAMES.items()
}
TOPICS = (
    "综合政务\\政务公开", "科技、教育\\教育", "劳动、人事、监察\\社会保障", "卫生、体育\\卫生",
)  # fmt: skip


def department(dept_id: str, name: str, org_code: str) -> Department:
    return Department(
        id=dept_id, name=name, short_name=name[3:], org_code=org_code, head="张三",
        duties="负责本区有关工作。", units=(), address="青禾区人民路1号", hours="工作日",
        phone="0000-1234567", fax="", email="", postcode="339900", reviewers=(),
        source=f"content/departments/{dept_id}/department.yml",
    )  # fmt: skip


DEPARTMENTS = {
    "edu": department("edu", "青禾区教育局", "11339901MB0123456X"),
    "health": department("health", "青禾区卫生健康委员会", "11339901MB0654321Y"),
    "empty": department("empty", "青禾区统计局", "11339901MB0000000Z"),
}


def record(**fields: Any) -> Record:
    """A valid Record; any field can be overridden."""
    published = fields.pop("published", date(2024, 5, 10))
    defaults: dict[str, Any] = {
        "id": "11339901MB0123456X/2024-00001",
        "title": "青禾区教育局关于做好2024年义务教育招生工作的通知",
        "category": "policies",
        "summary": "明确2024年义务教育阶段招生的范围、程序和时间安排。",
        "written": published - timedelta(days=3),
        "published": published,
        "department": "edu",
        "slug": "2024/enrolment-notice",
        "source": "content/departments/edu/2024/enrolment-notice.md",
        "body": "## 一、招生范围\n\n本区户籍适龄儿童。\n",
        "body_line": 12,
        "doc_number": "青禾教发〔2024〕3号",
        "topic": "科技、教育\\教育",
        "keywords": ("招生", "义务教育"),
    }
    defaults.update(fields)
    return Record(**defaults)


def catalog(records: list[Record], **fields: Any) -> Catalog:
    ordered = sorted(records, key=lambda r: (-r.published.toordinal(), r.id))
    return Catalog(
        site=fields.get("site", SITE),
        departments=fields.get("departments", DEPARTMENTS),
        categories=CATEGORIES,
        records=tuple(ordered),
        today=fields.get("today", date(2024, 12, 31)),
    )


def small_catalog() -> Catalog:
    """Five records over two departments, one repealed, one with an attachment and no 文号."""
    attachment = Attachment(
        file="files/申请表.pdf", path="departments/edu/2024/files/申请表.pdf",
        title="入学申请表", size=20480, kind="pdf",
    )  # fmt: skip
    return catalog(
        [
            record(),
            record(
                id="11339901MB0123456X/2023-00007",
                title="青禾区教育局关于校外培训机构管理的办法",
                slug="2023/training-rules",
                published=date(2023, 3, 1),
                validity="repealed",
                doc_number="青禾教发〔2023〕1号",
                summary="=SUM(A1) 规范校外培训机构。",
            ),
            record(
                id="11339901MB0123456X/2024-00002",
                title="2024年秋季学期入学申请表下载",
                category="services",
                slug="2024/application-form",
                doc_number=None,
                published=date(2024, 8, 20),
                updated=date(2024, 9, 2),
                attachments=(attachment,),
                topic=None,
                keywords=(),
            ),
            record(
                id="11339901MB0654321Y/2024-00001",
                title="青禾区卫生健康委员会关于开展爱国卫生月活动的通知",
                department="health",
                slug="2024/patriotic-health-month",
                category="hot-topics",
                published=date(2024, 4, 1),
                doc_number="青禾卫发〔2024〕5号",
                topic="卫生、体育\\卫生",
                summary="部署2024年爱国卫生月活动，动员全社会参与环境整治。",
                body="各街道：\n\n为推进**健康青禾**建设，现就开展爱国卫生月活动通知如下。\n",
            ),
            record(
                id="11339901MB0654321Y/2024-00002",
                title="青禾区卫生健康委员会内设机构及职责",
                department="health",
                slug="2024/units",
                category="duties",
                doc_number=None,
                published=date(2024, 1, 15),
                topic="卫生、体育\\卫生",
                validity="valid",
            ),
        ]
    )


WORDS = (
    "notice", "policy", "plan", "school", "health", "subsidy", "project", "report", "rules",
    "service", "guide", "housing", "water", "road", "budget", "annual", "safety", "food",
)  # fmt: skip


def synthetic_catalog(count: int, *, seed: int = 7, departments: int = 40) -> Catalog:
    """``count`` records with real titles and 文号 from the corpus, spread over departments."""
    rng = random.Random(seed)
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    depts = {
        f"d{i:02d}": department(f"d{i:02d}", f"青禾区第{i}局", f"11339901MB{i:07d}X")
        for i in range(departments)
    }
    serials: dict[tuple[str, int], int] = {}
    records = []
    for n in range(count):
        row = rows[n % len(rows)]
        dept = depts[f"d{rng.randrange(departments):02d}"]
        published = date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        serial = serials[dept.id, published.year] = serials.get((dept.id, published.year), 0) + 1
        slug_words = "-".join(rng.sample(WORDS, 3))
        records.append(
            record(
                id=f"{dept.org_code}/{published.year}-{serial:05d}",
                title=row["title"],
                department=dept.id,
                category=rng.choice(list(CATEGORIES)),
                slug=f"{published.year}/{slug_words}-{serial}",
                published=published,
                doc_number=row["doc_number"],
                topic=rng.choice((*TOPICS, None)),
                validity=rng.choice(("valid",) * 8 + ("expired", "repealed")),
                summary=row["title"][:60],
                body=f"{row['title']}。\n\n" * 20,
            )
        )
    return replace(catalog(records, departments=depts), today=date(2026, 1, 1))
