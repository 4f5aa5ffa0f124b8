"""Read an old system's export (.xlsx, .csv, .json) into numbered rows of header → value.

Nothing here interprets a value: the rows keep what the file holds (strings, numbers, dates,
nested JSON), so that every rule of meaning lives in one place (``fields.py``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

MAX_SOURCE_BYTES = 200 * 1024 * 1024
# Feeds wrap their list in an object; gkmlpt answers {"articles": [...], "total": N}.
_LIST_KEYS = ("articles", "data", "list", "rows", "records", "items", "result", "results")


class MigrateError(Exception):
    """A source, map or option the user has to change; the message is Chinese."""


@dataclass(frozen=True)
class SourceRow:
    number: int  # as the user finds it: the spreadsheet row, or the item's place in a JSON list
    cells: dict[str, Any]  # header as written → value as read


@dataclass(frozen=True)
class SourceTable:
    path: Path
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    row_label: str  # how row numbers are counted, for messages: 行, 条 or 页
    names: dict[int, str] = field(default_factory=dict)  # row → file, for saved pages
    labels: frozenset[str] = frozenset()  # metadata-table labels beyond the built-in ones


def read_source(path: Path) -> SourceTable:
    if not path.is_file():
        raise MigrateError(f"找不到要导入的文件“{path}”。")
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise MigrateError(f"“{path}”超过 {MAX_SOURCE_BYTES // 1024 // 1024} MB，请分批导出。")
    kind = path.suffix.lower()
    if kind == ".xlsx":
        return _read_xlsx(path)
    if kind == ".csv":
        return _table(path, list(csv.reader(io.StringIO(decode_export(path.read_bytes(), path)))))
    if kind == ".json":
        return _read_json(path)
    raise MigrateError(
        f"不支持的文件类型“{path.suffix}”：请导出为 .xlsx、.csv 或 .json（.xls 请先另存为 .xlsx）。"
    )


def decode_export(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, which Excel writes)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MigrateError(f"“{path}”既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为 UTF-8 后重试。")


def _read_xlsx(path: Path) -> SourceTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise MigrateError(f"无法读取 Excel 文件“{path}”：{exc}") from None
    try:
        sheet = book.worksheets[0]
        rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _table(path, rows)


def _cell(value: Any) -> Any:
    # A date cell comes back as a datetime at midnight: the day is what the export meant.
    return value.date() if isinstance(value, datetime) else value


def _table(path: Path, rows: list[list[Any]]) -> SourceTable:
    """The header is the first row with two cells or more (a title line above it is common);
    empty rows are skipped but keep their number."""
    start = next((i for i, row in enumerate(rows) if sum(_filled(v) for v in row) >= 2), None)
    if start is None:
        raise MigrateError(f"“{path}”中没有数据。")
    headers = [str(v).strip() if v is not None else "" for v in rows[start]]
    table = []
    for index in range(start + 1, len(rows)):
        row = rows[index]
        if not any(_filled(v) for v in row):
            continue
        cells = {h: v for h, v in zip(headers, row, strict=False) if h}
        table.append(SourceRow(index + 1, cells))
    return SourceTable(path, tuple(h for h in headers if h), tuple(table), "行")


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _read_json(path: Path) -> SourceTable:
    try:
        data = json.loads(decode_export(path.read_bytes(), path))
    except json.JSONDecodeError as exc:
        raise MigrateError(f"“{path}”不是有效的 JSON：第 {exc.lineno} 行 {exc.msg}。") from None
    items = _json_list(data)
    if items is None:
        raise MigrateError(
            f"“{path}”中找不到记录列表：应为对象的列表，或带 {'、'.join(_LIST_KEYS)} 之一的对象。"
        )
    headers: dict[str, None] = {}
    rows = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            headers.update(dict.fromkeys(str(k) for k in item))
            rows.append(SourceRow(number, {str(k): v for k, v in item.items()}))
    return SourceTable(path, tuple(headers), tuple(rows), "条")


def _json_list(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            found = _json_list(data[key]) if key in data else None
            if found is not None:
                return found
    return None


def plain(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as ISO, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
