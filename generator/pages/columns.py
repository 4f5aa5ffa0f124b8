"""Columns real disclosure sites have beyond the catalog listings: 政府信息公开制度, 政策解读,
订阅与下载, the Chinese 404 page, and the 备注说明 of an empty column.

Pure functions from a ``Catalog`` to ``PageSpec`` values, called from ``plan.plan_pages``.
"""

from __future__ import annotations

from typing import TypedDict

from generator.core.records import Catalog, Category, Department, Record, SiteInfo
from generator.pages.contexts import Link, PageLink, Pager, PageSpec, Row, SiteContext
from generator.pages.listings import plan_listing
from generator.pages.paths import listing_page_path
from generator.pages.record_pages import record_link
from generator.pages.rows import chunk, to_row

RULES_KEYWORD = "政府信息公开制度"  # the 主题词 that puts a record in the 政府信息公开制度 column
RULES_DIR = "rules"
INTERPRETATIONS_DIR = "interpretations"
SUBSCRIBE_PAGE = "subscribe.md"
NOT_FOUND_PAGE = "404.md"
PRINT_PAGE = "print/index.md"


class InterpretationRow(TypedDict):
    row: Row
    policy: Link | None  # the interpreted policy, when it is published


class InterpretationsContext(TypedDict):
    intro: str
    rows: list[InterpretationRow]
    pager: Pager


class Feed(TypedDict):
    title: str
    path: str  # site-relative file


class PrintContext(TypedDict):
    site: SiteInfo
    departments: list[Department]
    today: str


class SubscribeContext(TypedDict):
    site: SiteInfo
    feeds: list[Feed]


def empty_note(site: SiteInfo, category: Category | None, department: Department | None) -> str:
    """The 备注说明 of an empty column: the department's, else the category's, else site.yml's
    default, else a sentence naming the legal basis."""
    notes = site.empty_notes
    configured = (
        (department and notes.departments.get(department.id))
        or (category and notes.categories.get(category.id))
        or notes.default
    )
    if configured:
        return configured
    days = site.deadlines.proactive
    return (
        "本机关目前没有产生属于本栏目的政府信息。依据《中华人民共和国政府信息公开条例》"
        f"第二十条、第二十六条，相关信息形成或者变更后，将自形成或者变更之日起 {days} 个工作日内"
        "在本栏目公开。"
    )


def plan_columns(catalog: Catalog) -> list[PageSpec]:
    return [
        *plan_rules(catalog),
        *plan_interpretations(catalog),
        plan_subscribe(catalog),
        plan_not_found(catalog),
        plan_print_index(catalog),
    ]


def is_rule(record: Record) -> bool:
    return RULES_KEYWORD in record.keywords


def plan_rules(catalog: Catalog) -> list[PageSpec]:
    """政府信息公开制度: the office's own rules (records whose 主题词 name the column)."""
    rows = [to_row(r, catalog.departments) for r in catalog.records if is_rule(r)]
    return plan_listing(
        RULES_DIR,
        rows,
        title="政府信息公开制度",
        intro="本机关政府信息公开工作的制度规定：主动公开、依申请公开、保密审查、"
        "考核评议和责任追究等工作制度。",
        column_type="信息公开制度",
    )


def plan_interpretations(catalog: Catalog) -> list[PageSpec]:
    """政策解读: every interpretation, newest first, each linked to the policy it explains."""
    by_id = catalog.by_id()
    rows = [
        InterpretationRow(
            row=to_row(r, catalog.departments),
            policy=record_link(by_id[r.interprets]) if r.interprets in by_id else None,
        )
        for r in catalog.records
        if r.interprets
    ]
    pages = chunk(rows)  # type: ignore[arg-type]  # chunk slices any sequence
    links = [
        PageLink(number=n, path=listing_page_path(INTERPRETATIONS_DIR, n))
        for n in range(1, len(pages) + 1)
    ]
    intro = "对本级政府及部门制发的政策文件的解读，每条解读均链接到所解读的文件。"
    return [
        PageSpec(
            path=link["path"],
            template="interpretations.md.j2",
            context=InterpretationsContext(  # type: ignore[arg-type]  # a context of this module
                intro=intro,
                rows=page,  # type: ignore[typeddict-item]
                pager=Pager(current=link["number"], pages=links, total_rows=len(rows)),
            ),
            title="政策解读" if link["number"] == 1 else f"政策解读（第 {link['number']} 页）",
            column_name="政策解读",
            column_type="政策解读",
            description=intro,
        )
        for link, page in zip(links, pages, strict=True)
    ]


def plan_subscribe(catalog: Catalog) -> PageSpec:
    """订阅与下载: the feeds and the machine-readable catalog (written by outputs.exports)."""
    feeds = [Feed(title=f"{catalog.site.name}全部主动公开信息", path="feeds/all.xml")]
    feeds += [
        Feed(title=d.name, path=f"feeds/{d.id}.xml")
        for d in sorted(catalog.departments.values(), key=lambda d: d.id)
    ]
    return PageSpec(
        path=SUBSCRIBE_PAGE,
        template="subscribe.md.j2",
        context=SubscribeContext(site=catalog.site, feeds=feeds),  # type: ignore[arg-type]
        title="订阅与下载",
        column_name="订阅与下载",
        column_type="信息公开目录",
        description="订阅政府信息更新（Atom），下载政府信息公开目录（CSV、JSON）和网站地图。",
    )


def plan_not_found(catalog: Catalog) -> PageSpec:
    """The 404 page, in Chinese with the site's header (MkDocs builds 404.md as 404.html)."""
    return PageSpec(
        path=NOT_FOUND_PAGE,
        template="not_found.md.j2",
        context=SiteContext(site=catalog.site, departments=[]),
        title="页面不存在",
        column_name="页面不存在",
        column_type="首页",
        description="您访问的页面不存在或已被移除。",
    )


def plan_print_index(catalog: Catalog) -> PageSpec:
    """打印版: the print editions ``outputs.print_edition`` writes next to this page."""
    return PageSpec(
        path=PRINT_PAGE,
        template="print_index.md.j2",
        context=PrintContext(
            site=catalog.site,
            departments=list(catalog.departments.values()),
            today=catalog.today.isoformat(),
        ),
        title="打印版",
        column_name="打印版",
        column_type="信息公开目录",
        description="信息公告栏和政府信息公开查阅室使用的 A4 打印版政府信息公开目录。",
    )
