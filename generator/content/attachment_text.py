"""The text of an attachment, page by page, for the personal-number scan.

A PDF's text layer is read with pypdf, a DOCX with python-docx (paragraphs, then tables), an
XLSX with openpyxl (read-only, values only).  A scanned PDF has no text layer: nothing to read,
nothing reported.  Reading is bounded (pages, characters) so a hostile file cannot stall
``validate``; a file the library cannot open gives no text, never an exception.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path

from generator.content.load import Located
from generator.content.pii import PiiMatch, find_pii
from generator.core.problems import Problem, error
from generator.core.records import Attachment

MAX_PAGES = 300  # pages or sheets read from one attachment
MAX_CHARS = 2_000_000  # characters read from one attachment
MAX_XLSX_CELLS = 200_000
CELL = " | "  # between table cells: never folded into one number with its neighbour

Part = tuple[str, str]  # where in the file (Chinese: 第 3 页, 工作表“汇总”), its text


def attachment_parts(path: Path) -> Iterator[Part]:
    """The text of ``path`` by page, section or sheet; nothing for other types."""
    kind = path.suffix.lower().lstrip(".")
    reader = {"pdf": _pdf_parts, "docx": _docx_parts, "xlsx": _xlsx_parts}.get(kind)
    if reader is None:
        return
    read = 0
    try:
        for where, text in reader(path):
            yield where, text[: MAX_CHARS - read]
            read += len(text)
            if read >= MAX_CHARS:
                return
    except Exception:
        return


def attachment_pii(path: Path, allowed: frozenset[str]) -> list[tuple[str, PiiMatch]]:
    """Personal numbers in the attachment's text, each with where it was found."""
    return [
        (where, match)
        for where, text in attachment_parts(path)
        for match in find_pii(text, allowed)
    ]


def pii_in_attachments(
    meta: Located,
    attachments: tuple[Attachment, ...],
    content: Path,
    shown: str,
    allowed: frozenset[str],
    limit: int,
) -> list[Problem]:
    """One ``pii`` error per personal number in an attachment's text (the first ``limit``),
    at the line of its ``attachments[].file``."""
    listed = [str(item.get("file")) for item in meta.data.get("attachments") or ()]
    problems = []
    for attachment in attachments:
        index = listed.index(attachment.file)
        field = f"attachments[{index}].file"
        line, column = meta.position(("attachments", index, "file"))
        for where, match in attachment_pii(content / attachment.path, allowed)[:limit]:
            problems.append(
                error(
                    shown,
                    line,
                    column,
                    "pii",
                    field,
                    f"{field}（附件文件）“{attachment.file}”{where}含有疑似{match.kind_zh}"
                    f"（{match.masked}）。个人信息不得主动公开（《条例》第十五条）。"
                    "请在原文件中删除或隐去该号码后重新导出附件；确需公开的，经审核后可在本记录的 "
                    "pii_exemptions 中登记（value、reason、reviewed_by）。",
                )
            )
    return problems


def _pdf_parts(path: Path) -> Iterator[Part]:
    from pypdf import PdfReader  # imported late: only records with PDF attachments need it

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-file chatter on stderr
    reader = PdfReader(path)
    for number, page in enumerate(reader.pages[:MAX_PAGES], start=1):
        yield f"第 {number} 页", page.extract_text() or ""


def _docx_parts(path: Path) -> Iterator[Part]:
    import docx

    if not zipfile.is_zipfile(path):
        return
    document = docx.Document(str(path))
    yield "正文", "\n".join(p.text for p in document.paragraphs)
    for number, table in enumerate(document.tables[:MAX_PAGES], start=1):
        rows = (CELL.join(cell.text for cell in row.cells) for row in table.rows)
        yield f"第 {number} 个表格", "\n".join(rows)
    for section in document.sections[:MAX_PAGES]:
        for part in (section.header, section.footer):
            yield "页眉页脚", "\n".join(p.text for p in part.paragraphs)


def _xlsx_parts(path: Path) -> Iterator[Part]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    try:
        for sheet in workbook.worksheets[:MAX_PAGES]:
            lines = []
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                lines.append(CELL.join("" if v is None else str(v) for v in row))
                if cells > MAX_XLSX_CELLS:
                    break
            yield f"工作表“{sheet.title}”", "\n".join(lines)
            if cells > MAX_XLSX_CELLS:
                return
    finally:
        workbook.close()
