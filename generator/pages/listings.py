"""Listing pages: the three index pages, paginated listings by category, department and year,
and the items of Art. 20 of the Regulations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from generator.core.records import Catalog, Category, Department, Record
from generator.pages.contexts import (
    Art20Context,
    Art20Item,
    IndexContext,
    ListingContext,
    PageLink,
    Pager,
    PageSpec,
    Row,
)
from generator.pages.paths import department_dir, listing_page_path
from generator.pages.rows import category_tiles, chunk, department_tiles, to_row, year_tiles

CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_numeral(number: int) -> str:
    if number <= 10:
        return CHINESE_NUMERALS[number - 1]
    return "十" + CHINESE_NUMERALS[number - 11]


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
