"""`catalog import-pages`: saved detail pages of the old site as rows of an export.

Real detail pages (TRS, Hanweb, 开普云, gkmlpt) open with a table of label/value cells: 索引号,
发布机构, 发文字号, 成文日期 …. Each page becomes one row whose headers are those labels, matched
to fields by the same alias table and ``--map`` columns as an export's headers, and whose
本地文件 is the page itself, so its article text becomes the body (without the table).
"""

from __future__ import annotations

from pathlib import Path

from generator.content.load import load_yaml_file
from generator.migrate.body import label_key, metadata_pairs, metadata_table, parse_html
from generator.migrate.fields import KNOWN_LABELS
from generator.migrate.sources import MAX_SOURCE_BYTES, MigrateError, SourceRow, SourceTable

PAGE_SUFFIXES = (".html", ".htm", ".shtml")
BODY_COLUMN = "本地文件"


def read_pages(folder: Path, map_file: Path | None = None) -> SourceTable:
    """One row per saved page; the labels of a map file's ``columns`` count as known labels."""
    if not folder.is_dir():
        raise MigrateError(f"找不到保存网页的文件夹“{folder}”。")
    pages = sorted(
        p for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file()
    )
    if not pages:
        raise MigrateError(f"“{folder}”中没有 .html 页面。请把旧网站的详情页另存到这个文件夹。")
    labels = KNOWN_LABELS | map_labels(map_file)
    rows = []
    headers: dict[str, None] = {}
    names = {}
    for number, page in enumerate(pages, start=1):
        cells = page_cells(page, labels)
        cells[BODY_COLUMN] = page.relative_to(folder).as_posix()
        headers.update(dict.fromkeys(cells))
        rows.append(SourceRow(number, cells))
        names[number] = page.relative_to(folder).as_posix()
    return SourceTable(folder / "(pages)", tuple(headers), tuple(rows), "页", names, labels)


def map_labels(map_file: Path | None) -> frozenset[str]:
    if map_file is None or not map_file.is_file():
        return frozenset()
    located, _ = load_yaml_file(map_file, max_bytes=MAX_SOURCE_BYTES)
    columns = located.data.get("columns") if located is not None else None
    return (
        frozenset(label_key(str(k)) for k in columns) if isinstance(columns, dict) else frozenset()
    )


def page_cells(page: Path, labels: frozenset[str] = KNOWN_LABELS) -> dict[str, str]:
    """The metadata table's label → value, and the page's heading as 标题 when the table has none."""
    if page.stat().st_size > MAX_SOURCE_BYTES:
        return {}
    soup = parse_html(page.read_bytes())
    table = metadata_table(soup, labels)
    cells = dict(metadata_pairs(table)) if table is not None else {}
    if not any(label in cells for label in ("信息名称", "标题", "名称", "文件名称")):
        heading = soup.find(["h1", "h2"]) or soup.find("title")
        if heading is not None:
            cells["标题"] = heading.get_text(" ", strip=True)
    return cells
