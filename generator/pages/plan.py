"""The page plan: which staging Markdown pages a catalog needs, each with a typed context.

Pure functions from a ``Catalog`` to ``PageSpec`` values; ``render.py`` turns them into text.
Paths are POSIX paths inside the staging ``docs_dir``; links between pages are computed from
these paths by the renderer, never guessed by templates.
"""

from __future__ import annotations

import posixpath
import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypedDict, TypeVar

from generator.content.catalog import example_id
from generator.core.records import Attachment, Catalog, Category, Department, Record, SiteInfo

K = TypeVar("K")

PAGE_SIZE = 100
LATEST_ON_HOME = 10
RELATED_LIMIT = 6

VALIDITY_ZH = {"valid": "有效", "expired": "失效", "repealed": "废止", "amended": "已修订"}
CHANNELS_ZH = {
    "website": "政府网站",
    "gazette": "政府公报",
    "reading-room": "政府信息公开查阅室",
    "notice-board": "信息公告栏",
    "screen": "电子信息屏",
    "service-center": "政务服务中心",
    "press": "新闻发布会",
}
PROJECT_STATUS_ZH = {"planned": "计划中", "in-progress": "实施中", "done": "已完成"}
# 条例第二十条 items, short labels (the full text is in catalog_schema, domain.md §1).
CHINESE_NUMERALS = "一二三四五六七八九十"


# ---------------------------------------------------------------- contexts (template data)


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


@dataclass(frozen=True)
class AssetSpec:
    """A file copied verbatim into the staging tree (attachments)."""

    path: str  # inside the staging docs_dir
    source: str  # relative to the content directory


# ---------------------------------------------------------------- paths


def record_page_path(record: Record) -> str:
    return f"records/{record.department}/{record.slug}.md"


def attachment_path(attachment: Attachment) -> str:
    """``files/`` mirrors ``content/departments/`` (same URL as ``exports.attachment_url``)."""
    return "files/" + attachment.path.removeprefix("departments/")


def listing_page_path(directory: str, number: int) -> str:
    return f"{directory}/index.md" if number == 1 else f"{directory}/page-{number}.md"


# ---------------------------------------------------------------- small value helpers


def format_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size / 1024, 0.1):.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def chinese_numeral(number: int) -> str:
    if number <= 10:
        return CHINESE_NUMERALS[number - 1]
    return "十" + CHINESE_NUMERALS[number - 11]


def topic_label(topic: str | None) -> str:
    return " › ".join(topic.split("\\")) if topic else ""


def to_row(record: Record, departments: Mapping[str, Department]) -> Row:
    return Row(
        id=record.id,
        title=record.title,
        department=departments[record.department].name,
        published=record.published.isoformat(),
        doc_number=record.doc_number or "",
        validity=VALIDITY_ZH.get(record.validity, record.validity),
        validity_code=record.validity,
        path=record_page_path(record),
    )


def chunk(items: Sequence[Row], size: int = PAGE_SIZE) -> list[list[Row]]:
    """Split rows into pages; an empty listing still has one (empty) page."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


ID_FIELDS_ZH = {
    "org_code": "发布机构的统一社会信用代码（或组织机构代码）",
    "year": "信息成文（生成）的年份，四位数字",
    "seq": "同一机构同一年内的顺序号",
    "area_code": "行政区划代码",
    "department": "部门代码",
}


def id_template_parts(template: str) -> list[MetaRow]:
    """Explain each placeholder of the 索引号 template, in the order written."""
    parts = []
    for _, name, spec, _ in string.Formatter().parse(template):
        if not name:
            continue
        width = f"，{int(spec[1:-1])} 位，不足补零" if spec and spec[1:-1].isdigit() else ""
        label = "{" + name + (":" + spec if spec else "") + "}"
        parts.append(MetaRow(label=label, value=ID_FIELDS_ZH.get(name, name) + width))
    return parts


# ---------------------------------------------------------------- tiles


def category_index_path(category: Category) -> str:
    return f"categories/{category.id}/index.md"


def category_tiles(
    catalog: Catalog, path: Callable[[Category], str] = category_index_path
) -> list[CategoryTile]:
    """One tile per category; ``path`` gives the page a tile links to (the kiosk has its own)."""
    counts = count_by(r.category for r in catalog.records)
    return [
        CategoryTile(
            id=c.id,
            name=c.name,
            short_name=c.short_name,
            description=c.description,
            count=counts.get(c.id, 0),
            path=path(c),
        )
        for c in catalog.categories.values()
    ]


def department_tiles(catalog: Catalog) -> list[DepartmentTile]:
    counts = count_by(r.department for r in catalog.records)
    return [
        DepartmentTile(
            id=d.id, name=d.name, count=counts.get(d.id, 0), path=department_dir(d) + "/index.md"
        )
        for d in catalog.departments.values()
    ]


def year_tiles(catalog: Catalog) -> list[YearTile]:
    counts = count_by(r.year for r in catalog.records)
    return [
        YearTile(year=y, count=counts[y], path=f"years/{y}/index.md")
        for y in sorted(counts, reverse=True)
    ]


def department_dir(department: Department) -> str:
    return f"departments/{department.id}"


def count_by(keys: Iterable[K]) -> dict[K, int]:
    counts: dict[K, int] = defaultdict(int)
    for key in keys:
        counts[key] += 1
    return dict(counts)


# ---------------------------------------------------------------- the plan


def plan_pages(
    catalog: Catalog,
    guide_markdown: str = "",
    related: Mapping[str, Sequence[str]] | None = None,
    contributing_markdown: str = "",
) -> list[PageSpec]:
    """Every staging page of the site, in a stable order.

    ``related`` maps a record id to the ids of its related records (the build takes them from
    the Whoosh index); without it, explicit links and the newest same-department records are used.
    """
    from generator.pages.columns import plan_columns  # columns builds on this module

    rows = [to_row(r, catalog.departments) for r in catalog.records]
    return [
        plan_home(catalog, rows),
        plan_guide(catalog, guide_markdown),
        *plan_static_pages(catalog),
        plan_supervision(catalog),
        *plan_art20(catalog),
        *plan_indexes(catalog),
        *plan_category_listings(catalog),
        *plan_department_listings(catalog),
        *plan_year_listings(catalog),
        *plan_record_pages(catalog, related),
        *plan_contributing(contributing_markdown),
        *plan_columns(catalog),
    ]


def plan_contributing(markdown: str) -> list[PageSpec]:
    """编辑投稿指南: the repository's CONTRIBUTING.md as a page for department editors."""
    if not markdown:
        return []
    return [
        PageSpec(
            path="contribute.md",
            template="contribute.md.j2",
            context=MarkdownContext(markdown=markdown),
            title="部门编辑投稿指南",
            column_name="投稿指南",
            column_type="信息公开指南",
            description="各部门编辑提交、校验和发布政府信息公开目录记录的步骤与常见错误。",
            toc=True,
        )
    ]


def plan_assets(catalog: Catalog) -> list[AssetSpec]:
    return [
        AssetSpec(path=attachment_path(a), source=a.path)
        for r in catalog.records
        for a in r.attachments
    ]


def plan_home(catalog: Catalog, rows: list[Row]) -> PageSpec:
    site = catalog.site
    links = [
        Link(title="政府信息公开指南", path="guide.md"),
        Link(title="政府信息公开目录检索", path="browse.md"),
        Link(title="依申请公开", path="apply.md"),
        Link(title="监督保障", path="supervision.md"),
        Link(title="政府信息公开年度报告", path="reports.md"),
        Link(title="法定主动公开内容", path="art20.md"),
        Link(title="全文检索", path="search.md"),
    ]
    context = HomeContext(
        site=site,
        categories=category_tiles(catalog),
        latest=rows[:LATEST_ON_HOME],
        departments=department_tiles(catalog),
        years=year_tiles(catalog),
        total=len(rows),
        links=links,
    )
    return PageSpec(
        path="index.md",
        template="home.md.j2",
        context=context,
        title=f"{site.name}政府信息公开",
        column_name="首页",
        column_type="首页",
        description=f"{site.name}政府信息主动公开目录、政府信息公开指南和依申请公开渠道。",
    )


def plan_guide(catalog: Catalog, guide_markdown: str) -> PageSpec:
    site = catalog.site
    first = next(iter(catalog.departments.values()), None)
    context = GuideContext(
        site=site,
        categories=category_tiles(catalog),
        departments=department_tiles(catalog),
        id_template=site.id_template,
        id_parts=id_template_parts(site.id_template),
        id_example=example_id(
            site.id_template,
            org_code=first.org_code if first else "（统一社会信用代码）",
            year=2024,
            area_code=site.area_code,
            department=first.id if first else "",
        ),
        guide_markdown=guide_markdown,
    )
    return PageSpec(
        path="guide.md",
        template="guide.md.j2",
        context=context,
        title="政府信息公开指南",
        column_name="政府信息公开指南",
        column_type="信息公开指南",
        description=f"{site.name}政府信息公开指南：分类和编排体系、获取方式、工作机构和依申请公开程序。",
        toc=True,
        searchable=True,
    )


def plan_static_pages(catalog: Catalog) -> list[PageSpec]:
    site_context = SiteContext(site=catalog.site, departments=list(catalog.departments.values()))
    return [
        PageSpec(
            path="apply.md",
            template="apply.md.j2",
            context=site_context,
            title="依申请公开",
            column_name="依申请公开",
            column_type="依法申请公开",
            description="申请渠道、申请内容、办理时限和政府信息公开申请表。",
            toc=True,
            searchable=True,
        ),
        PageSpec(
            path="apply-form.md",
            template="apply_form.md.j2",
            context=site_context,
            title="政府信息公开申请表",
            column_name="依申请公开",
            column_type="依法申请公开",
            description="可打印的政府信息公开申请表。",
        ),
        PageSpec(
            path="reports.md",
            template="reports.md.j2",
            context=site_context,
            title="政府信息公开工作年度报告",
            column_name="政府信息公开年报",
            column_type="信息公开年报",
            description="政府信息公开工作年度报告。",
        ),
        PageSpec(
            path="browse.md",
            template="browse.md.j2",
            context=MountContext(data_src="assets/catalog-browser.json"),
            title="政府信息公开目录检索",
            column_name="目录检索",
            column_type="信息公开目录",
            description="按分类、部门、年份、主题和有效性筛选政府信息公开目录。",
        ),
        PageSpec(
            path="search.md",
            template="search.md.j2",
            context=MountContext(data_src="pagefind/"),
            title="全文检索",
            column_name="全文检索",
            column_type="信息公开目录",
            description="政府信息全文检索。",
        ),
    ]


def plan_supervision(catalog: Catalog) -> PageSpec:
    records = [r for r in catalog.records if r.category == "supervision"]
    contacts = [
        RecordContacts(
            title=r.title,
            department=catalog.departments[r.department].name,
            path=record_page_path(r),
            contacts=r.contacts,
        )
        for r in records
        if r.contacts
    ]
    context = SupervisionContext(
        site=catalog.site,
        rows=[to_row(r, catalog.departments) for r in records],
        contacts=contacts,
    )
    return PageSpec(
        path="supervision.md",
        template="supervision.md.j2",
        context=context,
        title="监督保障",
        column_name="监督保障",
        column_type="咨询投诉",
        description="政府信息公开工作的监督、投诉举报和救济渠道。",
        toc=True,
    )


ART20_LATEST = 5


def plan_art20(catalog: Catalog) -> list[PageSpec]:
    """法定主动公开内容: an overview of the 15 items of Art. 20 with the newest records of each,
    and one paginated listing per item (the overview stays small at any catalog size)."""
    by_item: dict[int, list[Row]] = defaultdict(list)
    for record in catalog.records:
        for number in record.art20 or default_art20(record, catalog.categories):
            by_item[number].append(to_row(record, catalog.departments))
    items = [
        Art20Item(
            number=n,
            label=f"第（{chinese_numeral(n)}）项",
            name=name,
            latest=by_item[n][:ART20_LATEST],
            count=len(by_item[n]),
            path=listing_page_path(f"art20/{n}", 1),
        )
        for n, name in sorted(catalog.art20.items())
    ]
    listings = [
        page
        for item in items
        for page in plan_listing(
            f"art20/{item['number']}",
            by_item[item["number"]],
            title=f"条例第二十条{item['label']}：{item['name']}",
            intro=f"《中华人民共和国政府信息公开条例》第二十条{item['label']}规定应当主动公开的政府信息。",
            column_type="信息公开目录",
        )
    ]
    return [
        PageSpec(
            path="art20.md",
            template="art20.md.j2",
            context=Art20Context(items=items),
            title="法定主动公开内容",
            column_name="法定主动公开内容",
            column_type="信息公开目录",
            description="按《中华人民共和国政府信息公开条例》第二十条所列事项浏览主动公开的政府信息。",
            toc=True,
        ),
        *listings,
    ]


def default_art20(record: Record, categories: Mapping[str, Category]) -> tuple[int, ...]:
    category = categories.get(record.category)
    return category.art20 if category else ()


INDEX_PAGES = (
    ("categories", "分类目录", "按目录分类浏览主动公开的政府信息。"),
    ("departments", "部门信息公开", "各部门主动公开的政府信息和机构概况。"),
    ("years", "按年份浏览", "按发布年份浏览主动公开的政府信息。"),
)


def plan_indexes(catalog: Catalog) -> list[PageSpec]:
    """The landing pages of the three listings: categories, departments, years."""
    return [
        PageSpec(
            path=f"{kind}/index.md",
            template="index.md.j2",
            context=IndexContext(
                kind=kind,
                intro=intro,
                categories=category_tiles(catalog),
                departments=department_tiles(catalog),
                years=year_tiles(catalog),
            ),
            title=title,
            column_name=title,
            column_type="信息公开目录",
            description=intro,
        )
        for kind, title, intro in INDEX_PAGES
    ]


def plan_listing(
    directory: str,
    rows: Sequence[Row],
    *,
    title: str,
    intro: str,
    column_type: str,
    department: Department | None = None,
    category: Category | None = None,
) -> list[PageSpec]:
    """One listing, paginated at ``PAGE_SIZE`` rows: ``index.md``, ``page-2.md``, …"""
    pages = chunk(rows)
    links = [
        PageLink(number=n, path=listing_page_path(directory, n)) for n in range(1, len(pages) + 1)
    ]
    return [
        PageSpec(
            path=link["path"],
            template="listing.md.j2",
            context=ListingContext(
                intro=intro,
                rows=page,
                pager=Pager(current=link["number"], pages=links, total_rows=len(rows)),
                department=department,
                category=category,
            ),
            title=title if link["number"] == 1 else f"{title}（第 {link['number']} 页）",
            column_name=title,
            column_type=column_type,
            description=intro,
        )
        for link, page in zip(links, pages, strict=True)
    ]


def plan_category_listings(catalog: Catalog) -> list[PageSpec]:
    by_category = group_rows(catalog, lambda r: r.category)
    return [
        page
        for category in catalog.categories.values()
        for page in plan_listing(
            f"categories/{category.id}",
            by_category.get(category.id, []),
            title=category.name,
            intro=category.description,
            column_type=category.column_type,
            category=category,
        )
    ]


def plan_department_listings(catalog: Catalog) -> list[PageSpec]:
    by_department = group_rows(catalog, lambda r: r.department)
    return [
        page
        for department in catalog.departments.values()
        for page in plan_listing(
            department_dir(department),
            by_department.get(department.id, []),
            title=department.name,
            intro=f"{department.name}主动公开的政府信息和机构概况。",
            column_type="机构职能",
            department=department,
        )
    ]


def plan_year_listings(catalog: Catalog) -> list[PageSpec]:
    by_year = group_rows(catalog, lambda r: str(r.year))
    return [
        page
        for year, rows in sorted(by_year.items(), reverse=True)
        for page in plan_listing(
            f"years/{year}",
            rows,
            title=f"{year} 年主动公开的政府信息",
            intro=f"{year} 年发布的政府信息，按发布日期从新到旧排列。",
            column_type="信息公开目录",
        )
    ]


def group_rows(catalog: Catalog, key: Any) -> dict[str, list[Row]]:
    """Rows grouped by ``key(record)``; each group keeps the catalog order (newest first)."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for record in catalog.records:
        groups[key(record)].append(to_row(record, catalog.departments))
    return dict(groups)


# ---------------------------------------------------------------- record pages


def plan_record_pages(
    catalog: Catalog, related: Mapping[str, Sequence[str]] | None = None
) -> list[PageSpec]:
    by_id = catalog.by_id()
    interpretations: dict[str, list[Record]] = defaultdict(list)
    for record in catalog.records:
        if record.interprets:
            interpretations[record.interprets].append(record)
    by_department: dict[str, list[Record]] = defaultdict(list)
    for record in catalog.records:
        by_department[record.department].append(record)
    return [
        plan_record_page(
            record,
            catalog,
            interpretations=interpretations.get(record.id, []),
            by_id=by_id,
            related=related_records(
                record,
                by_id,
                by_department[record.department],
                related.get(record.id, ()) if related else (),
            ),
        )
        for record in catalog.records
    ]


def related_records(
    record: Record,
    by_id: Mapping[str, Record],
    same_department: Sequence[Record],
    similar: Sequence[str] = (),
) -> list[Record]:
    """Explicit ``related`` ids, then ``similar`` ones (more-like-this from the search index),
    then the newest records of the same department, up to ``RELATED_LIMIT``."""
    chosen = [by_id[i] for i in (*record.related, *similar) if i in by_id]
    shown = {record.id, record.interprets}  # the policy link is shown in its own block
    result: list[Record] = []
    for candidate in chain(chosen, same_department):
        if len(result) == RELATED_LIMIT:  # a department has thousands of records: stop early
            break
        if candidate.id not in shown and candidate.interprets != record.id:
            shown.add(candidate.id)
            result.append(candidate)
    return result


def record_link(record: Record) -> Link:
    return Link(title=record.title, path=record_page_path(record))


def optional_link(record_id: str | None, by_id: Mapping[str, Record]) -> Link | None:
    target = by_id.get(record_id) if record_id else None
    return record_link(target) if target else None


def channel_names(channels: Iterable[str]) -> str:
    return "、".join(CHANNELS_ZH.get(c, c) for c in channels)


def record_meta(record: Record, department: Department, category: Category) -> list[MetaRow]:
    rows = [
        ("索引号", record.id),
        ("主题分类", topic_label(record.topic)),
        ("目录分类", category.name),
        ("发布机构", department.name),
        ("成文日期", record.written.isoformat()),
        ("发文字号", record.doc_number or ""),
        ("发布日期", record.published.isoformat()),
        ("有效性", VALIDITY_ZH.get(record.validity, record.validity)),
        ("公开方式", f"主动公开（{channel_names(record.channels)}）"),
        ("信息名称", record.title),
        ("主题词", "、".join(record.keywords)),
        ("公文种类", record.form or ""),
        ("施行日期", record.effective.isoformat() if record.effective else ""),
        ("失效日期", record.expires.isoformat() if record.expires else ""),
        ("变更日期", record.updated.isoformat() if record.updated else ""),
    ]
    always = {"索引号", "主题分类", "发布机构", "成文日期", "发文字号", "发布日期", "有效性"}
    always.add("公开方式")
    return [MetaRow(label=k, value=v) for k, v in rows if v or k in always]


def plan_record_page(
    record: Record,
    catalog: Catalog,
    *,
    interpretations: Sequence[Record],
    related: Sequence[Record],
    by_id: Mapping[str, Record] | None = None,
) -> PageSpec:
    """``by_id`` is ``catalog.by_id()``, passed in so it is not built again for every page."""
    if by_id is None:
        by_id = catalog.by_id() if record.interprets or record.repealed_by else {}
    department = catalog.departments[record.department]
    category = catalog.categories[record.category]
    context = RecordContext(
        record=record,
        department=department,
        category=category,
        meta=record_meta(record, department, category),
        attachments=[
            AttachmentRow(
                title=a.title,
                kind=a.kind.upper(),
                size=format_size(a.size),
                path=attachment_path(a),
            )
            for a in record.attachments
        ],
        interprets=optional_link(record.interprets, by_id),
        interpretations=[record_link(r) for r in interpretations],
        repealed_by=optional_link(record.repealed_by, by_id),
        related=[record_link(r) for r in related],
        validity=VALIDITY_ZH.get(record.validity, record.validity),
        service=record.service,
        project=record.project,
        contacts=record.contacts,
        project_status=PROJECT_STATUS_ZH.get(str((record.project or {}).get("status", "")), ""),
        listing=Link(title=category.name, path=f"categories/{category.id}/index.md"),
    )
    return PageSpec(
        path=record_page_path(record),
        template="record.md.j2",
        context=context,
        title=record.title,
        column_name=category.short_name,
        column_type=category.column_type,
        description=record.summary,
        keywords=record.keywords,
        pub_date=record.published.isoformat(),
        content_source=department.name,
        toc=True,
    )


def page_dir(path: str) -> str:
    return posixpath.dirname(path)
