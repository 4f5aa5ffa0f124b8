"""What templates receive: the typed context of each page kind, and ``PageSpec``, one staging
page to render.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from generator.core.records import Category, Department, Record, SiteInfo


class Link(TypedDict):
    title: str
    path: str  # staging path of the target page (or file)


class Row(TypedDict):
    """One line of a catalog table."""

    id: str
    title: str
    department: str
    published: str
    doc_number: str
    validity: str  # Chinese label
    validity_code: str
    path: str


class PageLink(TypedDict):
    number: int
    path: str


class Pager(TypedDict):
    current: int
    pages: list[PageLink]
    total_rows: int


class CategoryTile(TypedDict):
    id: str
    name: str
    short_name: str
    description: str
    count: int
    path: str


class DepartmentTile(TypedDict):
    id: str
    name: str
    count: int
    path: str


class YearTile(TypedDict):
    year: int
    count: int
    path: str


class HomeContext(TypedDict):
    site: SiteInfo
    categories: list[CategoryTile]
    latest: list[Row]
    departments: list[DepartmentTile]
    years: list[YearTile]
    total: int
    links: list[Link]


class ListingContext(TypedDict):
    intro: str
    rows: list[Row]
    pager: Pager
    department: Department | None
    category: Category | None


class IndexContext(TypedDict):
    kind: str  # categories | departments | years
    intro: str
    categories: list[CategoryTile]
    departments: list[DepartmentTile]
    years: list[YearTile]


class MetaRow(TypedDict):
    label: str
    value: str


class AttachmentRow(TypedDict):
    title: str
    kind: str
    size: str
    path: str


class RecordContext(TypedDict):
    record: Record
    department: Department
    category: Category
    meta: list[MetaRow]
    attachments: list[AttachmentRow]
    interprets: Link | None
    interpretations: list[Link]
    repealed_by: Link | None
    related: list[Link]
    validity: str
    service: dict[str, Any] | None
    project: dict[str, Any] | None
    contacts: dict[str, Any] | None
    project_status: str
    listing: Link


class GuideContext(TypedDict):
    site: SiteInfo
    categories: list[CategoryTile]
    departments: list[DepartmentTile]
    id_template: str
    id_parts: list[MetaRow]
    id_example: str
    guide_markdown: str


class SiteContext(TypedDict):
    site: SiteInfo
    departments: list[Department]


class RecordContacts(TypedDict):
    title: str
    department: str
    path: str
    contacts: dict[str, Any]


class SupervisionContext(TypedDict):
    site: SiteInfo
    rows: list[Row]
    contacts: list[RecordContacts]


class MountContext(TypedDict):
    data_src: str


class MarkdownContext(TypedDict):
    markdown: str  # trusted Markdown kept in the repository (not department content)


class Art20Item(TypedDict):
    number: int
    label: str
    name: str
    latest: list[Row]  # the newest few; the item's own paginated listing has them all
    count: int
    path: str  # the item's listing page


class Art20Context(TypedDict):
    items: list[Art20Item]


PageContext = (
    HomeContext
    | ListingContext
    | IndexContext
    | RecordContext
    | GuideContext
    | SiteContext
    | SupervisionContext
    | MountContext
    | MarkdownContext
    | Art20Context
)


@dataclass(frozen=True)
class PageSpec:
    path: str  # inside the staging docs_dir, POSIX, ends in .md
    template: str  # file name in generator/pages/templates/
    context: PageContext
    title: str
    column_name: str  # 政府网站发展指引 ColumnName
    column_type: str  # 政府网站发展指引 ColumnType
    description: str = ""
    keywords: tuple[str, ...] = ()
    pub_date: str = ""  # YYYY-MM-DD for articles
    content_source: str = ""
    toc: bool = False  # keep Material's table of contents on this page
    searchable: bool = False  # a page outside records/ that Pagefind indexes (the guide …)
