"""The page plan: which staging Markdown pages a catalog needs, each with a typed context.

Pure functions from a ``Catalog`` to ``PageSpec`` values; ``render.py`` turns them into text.
Paths are POSIX paths inside the staging ``docs_dir``; links between pages are computed from
these paths by the renderer, never guessed by templates.

``plan_pages`` lists every page kind in site order.  The site-wide pages (home, guide, apply,
supervision, contributing) are planned here; listings in ``listings.py``, record pages in
``record_pages.py``.  A new page kind goes in its own module, built from ``contexts``, ``paths``
and ``rows`` (never from this module, which imports them all), and gets its line in
``plan_pages``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.content.catalog import example_id
from generator.core.records import Catalog
from generator.pages.contexts import (
    GuideContext,
    HomeContext,
    Link,
    MarkdownContext,
    MetaRow,
    MountContext,
    PageSpec,
    RecordContacts,
    Row,
    SiteContext,
    SupervisionContext,
)
from generator.pages.listings import (
    plan_art20,
    plan_category_listings,
    plan_department_listings,
    plan_indexes,
    plan_year_listings,
)
from generator.pages.paths import attachment_path, record_page_path
from generator.pages.record_pages import plan_record_pages
from generator.pages.reports import plan_reports_index, with_report_pages
from generator.pages.rows import category_tiles, department_tiles, to_row, year_tiles
from generator.pages.statistics import plan_statistics

LATEST_ON_HOME = 10


@dataclass(frozen=True)
class AssetSpec:
    """A file copied verbatim into the staging tree (attachments)."""

    path: str  # inside the staging docs_dir
    source: str  # relative to the content directory


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
    rows = [to_row(r, catalog.departments) for r in catalog.records]
    statistics = plan_statistics(catalog)
    return [
        plan_home(catalog, rows),
        plan_guide(catalog, guide_markdown),
        *plan_static_pages(catalog),
        plan_reports_index(catalog, statistics=bool(statistics)),
        *statistics,
        plan_supervision(catalog),
        *plan_art20(catalog),
        *plan_indexes(catalog),
        *plan_category_listings(catalog),
        *plan_department_listings(catalog),
        *plan_year_listings(catalog),
        *with_report_pages(plan_record_pages(catalog, related), catalog),
        *plan_contributing(contributing_markdown),
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
