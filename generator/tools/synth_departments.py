"""The departments of a synthetic tree: one profile per ``department.yml`` of the base content,
with the 机关代字, title words and topics of the sample district's departments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Profile:
    """What the generator needs to know about one department."""

    id: str
    name: str
    org_code: str
    doc_code: str  # 机关代字 without the kind: 青禾教 → 青禾教发〔2024〕3号
    words: tuple[str, ...]  # title words that send a document to this department
    topics: tuple[str, ...]
    address: str
    hours: str
    phone: str
    email: str
    attachments: tuple[str, ...] = ()  # file names in departments/<id>/files/


# The sample district's departments (content/departments/*); an unknown department gets a
# neutral profile, so the generator keeps working when the sample changes.
KNOWN_PROFILES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "office": (
        "青禾政办",
        ("政务公开", "信息公开", "督查", "应急", "表彰", "通报", "办公"),
        ("综合政务\\政务公开", "综合政务\\政务督查", "综合政务\\应急管理", "综合政务\\其他"),
    ),
    "drc": (
        "青禾发改",
        ("发展改革", "投资", "价格", "项目", "能源", "产业", "经济", "改革", "营商"),
        (
            "国民经济管理、国有资产监管\\宏观经济",
            "国民经济管理、国有资产监管\\经济体制改革",
            "国民经济管理、国有资产监管\\物价",
            "国民经济管理、国有资产监管\\重大建设项目",
        ),
    ),
    "edu": (
        "青禾教",
        ("教育", "学校", "招生", "学生", "教师", "高校", "幼儿园", "学前"),
        ("科技、教育\\教育",),
    ),
    "health": (
        "青禾卫健",
        ("卫生", "医疗", "医院", "健康", "疾病", "疫情", "药品", "中医", "医保"),
        ("卫生、体育\\卫生", "卫生、体育\\医药管理"),
    ),
    "housing": (
        "青禾建",
        ("住房", "建设", "建筑", "城乡", "房地产", "物业", "棚户", "工程", "城市"),
        ("城乡建设、环境保护\\城乡建设（含住房）", "城乡建设、环境保护\\城市规划"),
    ),
    "hrss": (
        "青禾人社",
        ("人力资源", "就业", "社会保险", "养老保险", "工资", "人才", "劳动", "职称"),
        ("劳动、人事、监察\\劳动就业", "劳动、人事、监察\\社会保障", "劳动、人事、监察\\人事工作"),
    ),
    "market": (
        "青禾市监",
        ("市场监", "食品", "质量", "商标", "知识产权", "消费", "特种设备", "计量"),
        (
            "市场监管、安全生产监管\\工商",
            "市场监管、安全生产监管\\质量监督",
            "市场监管、安全生产监管\\食品药品监管",
        ),
    ),
    "civil-affairs": (
        "青禾民",
        ("民政", "救助", "养老服务", "殡葬", "婚姻", "慈善", "低保", "残疾人", "老龄", "儿童"),
        ("民政、扶贫、救灾\\社会福利", "民政、扶贫、救灾\\减灾救灾", "民政、扶贫、救灾\\社团管理"),
    ),
    "street-east": (
        "青禾东街",
        ("街道", "社区", "村", "乡镇"),
        ("综合政务\\其他", "民政、扶贫、救灾\\社会福利"),
    ),
}


def load_profiles(base_dir: Path) -> tuple[Profile, ...]:
    """A profile per ``departments/*/department.yml`` under ``base_dir``, sorted by id."""
    profiles = []
    for path in sorted((base_dir / "departments").glob("*/department.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        dept_id = path.parent.name
        doc_code, words, topics = KNOWN_PROFILES.get(
            dept_id, (str(data["name"])[:4], (), ("综合政务\\其他",))
        )
        files = sorted(p.name for p in path.parent.glob("*/files/*") if p.is_file())
        profiles.append(
            Profile(
                id=dept_id,
                name=str(data["name"]),
                org_code=str(data["org_code"]),
                doc_code=doc_code,
                words=words,
                topics=topics,
                address=str(data["address"]),
                hours=str(data["hours"]),
                phone=str(data["phone"]),
                email=str(data["email"]),
                attachments=tuple(files),
            )
        )
    return tuple(profiles)


def base_files(base_dir: Path, profiles: Sequence[Profile]) -> list[tuple[Path, str]]:
    """(source, target) pairs copied as they are: site.yml, guide.md, department.yml, files."""
    pairs = [(base_dir / "site.yml", "site.yml")]
    if (base_dir / "guide.md").is_file():
        pairs.append((base_dir / "guide.md", "guide.md"))
    for profile in profiles:
        folder = base_dir / "departments" / profile.id
        pairs.append((folder / "department.yml", f"departments/{profile.id}/department.yml"))
        for source in sorted(p for p in folder.glob("*/files/*") if p.is_file()):
            pairs.append((source, f"departments/{profile.id}/files/{source.name}"))
    return pairs
