"""Frozen domain values: the site, departments, records and the catalog built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.core.annual_reports import AnnualReport


@dataclass(frozen=True)
class Unit:
    """内设机构."""

    name: str
    duties: str


@dataclass(frozen=True)
class Office:
    """The government information disclosure office (政府信息公开工作机构)."""

    name: str
    address: str
    postal_address: str
    postcode: str
    hours: str
    phone: str
    fax: str
    email: str


@dataclass(frozen=True)
class Deadlines:
    """Time limits in working days (2019 条例 defaults)."""

    proactive: int = 20
    reply: int = 20
    extension: int = 20
    correction: int = 7
    third_party: int = 15


@dataclass(frozen=True)
class SiteInfo:
    name: str
    area_code: str
    site_url: str
    site_code: str
    office: Office
    id_template: str = "{org_code}/{year}-{seq:05d}"
    deadlines: Deadlines = field(default_factory=Deadlines)
    public_numbers: tuple[str, ...] = ()
    kiosk_idle_seconds: int = 120
    kiosk_hot_keywords: tuple[str, ...] = ()
    source: str = "content/site.yml"
    # 依申请公开: the channels the office really accepts, and its online platform if any.
    apply_channels: tuple[str, ...] = ("当面", "邮寄")
    apply_online_url: str = ""
    government_department: str = ""  # the department whose catalog lists the government's own


@dataclass(frozen=True)
class Department:
    id: str  # the folder name under content/departments/
    name: str
    short_name: str
    org_code: str
    head: str
    duties: str
    units: tuple[Unit, ...]
    address: str
    hours: str
    phone: str
    fax: str
    email: str
    postcode: str
    reviewers: tuple[str, ...]
    source: str  # path of department.yml, relative to the working directory
    legacy_ids: str | None = None  # regex of 索引号 kept from an old system (catalog import)


@dataclass(frozen=True)
class Attachment:
    file: str  # as written in the record, relative to the record file
    path: str  # resolved, relative to the content directory (POSIX separators)
    title: str
    size: int  # bytes
    kind: str  # lower-case extension without the dot: pdf, docx, …


@dataclass(frozen=True)
class Record:
    """One catalog entry (front matter + Markdown body), normalised."""

    id: str  # 索引号
    title: str
    category: str
    summary: str
    written: date
    published: date
    department: str  # department id (folder)
    slug: str  # path inside the department folder without ".md", POSIX, may contain "/"
    source: str  # path of the .md file relative to the working directory
    body: str  # Markdown body (unrendered)
    body_line: int  # line number of the first body line in the source file
    doc_number: str | None = None
    topic: str | None = None  # "一级\\二级"
    form: str | None = None
    keywords: tuple[str, ...] = ()
    validity: str = "valid"  # valid | expired | repealed | amended
    effective: date | None = None
    expires: date | None = None
    repealed_by: str | None = None
    interprets: str | None = None
    related: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    channels: tuple[str, ...] = ("website",)
    art20: tuple[int, ...] = ()
    lead_department: str | None = None
    updated: date | None = None
    service: dict[str, Any] | None = None
    project: dict[str, Any] | None = None
    contacts: dict[str, Any] | None = None
    # line and column of each front-matter value, by dotted path ("id", "related[1]"), so that
    # cross-record problems point at the right line; not part of the record's identity.
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def position(self, path: str) -> tuple[int, int]:
        return self.positions.get(path) or self.positions.get(path.split("[")[0]) or (1, 1)

    @property
    def key(self) -> str:
        """Stable identity of the source file: ``<department>/<slug>``."""
        return f"{self.department}/{self.slug}"

    @property
    def year(self) -> int:
        return self.published.year


@dataclass(frozen=True)
class Category:
    id: str
    name: str  # seed name, e.g. 职责、内设机构和内设机构的职责
    short_name: str  # for tiles and tables, e.g. 机构职能
    description: str
    art20: tuple[int, ...]
    block: str | None  # "service" | "project" | "contacts" | None
    column_type: str  # 政府网站发展指引 ColumnType


@dataclass(frozen=True)
class Catalog:
    """Everything a build needs: validated, published records and their context."""

    site: SiteInfo
    departments: dict[str, Department]
    categories: dict[str, Category]
    records: tuple[Record, ...]  # published records, newest first (published desc, id asc)
    today: date
    scheduled: tuple[Record, ...] = ()  # valid but published after today
    art20: dict[int, str] = field(default_factory=dict)  # Art. 20 items (catalog_schema/art20.yml)
    reports: tuple[AnnualReport, ...] = ()  # 年度报告, newest year first (also in ``records``)

    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records}
