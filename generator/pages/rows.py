"""Table rows and tiles: how records, categories, departments and years appear in listings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from generator.core.records import Catalog, Category, Department, Record
from generator.pages.contexts import CategoryTile, DepartmentTile, Row, YearTile
from generator.pages.paths import category_index_path, department_dir, record_page_path

K = TypeVar("K")

PAGE_SIZE = 100

VALIDITY_ZH = {"valid": "有效", "expired": "失效", "repealed": "废止", "amended": "已修订"}


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


def count_by(keys: Iterable[K]) -> dict[K, int]:
    counts: dict[K, int] = defaultdict(int)
    for key in keys:
        counts[key] += 1
    return dict(counts)
