"""Attachments are scanned for personal numbers: a PDF's text layer, a DOCX, an XLSX.

The problem names the attachment and the page (or table, or sheet) and points at the line of its
``attachments[].file``; a scanned PDF without text, an unreadable file and a clean file are quiet.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from generator.content.attachment_text import attachment_parts
from tests.adversarial.hostile import Tree, line_of, record

ID = "11010519491231002X"
MOBILE = "13912345678"


def text_pdf(path: Path, pages: list[str]) -> None:
    """A PDF whose pages show ``pages`` (ASCII) in Helvetica: a real text layer."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 40 700 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Contents {content} 0 R /Resources << /Font << /F1 FONT 0 R >> >> >>")  # fmt: skip
        kids.append(f"{len(objects)} 0 R")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    font = len(objects)
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body.replace('FONT', str(font))}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out)


def with_attachment(tree: Tree, name: str) -> str:
    text = record(attachments=f"[{{file: files/{name}, title: 附件}}]")
    tree.write("departments/edu/2025/hostile.md", text)
    return text


def pii_problems(tree: Tree) -> list[str]:
    return [f"{p.line}:{p.field}:{p.message}" for p in tree.check().problems if p.code == "pii"]


def test_a_pdf_with_an_id_and_a_mobile_is_refused(tree: Tree) -> None:
    text_pdf(tree.content / "departments/edu/2025/files/名单.pdf",
             ["Notice of appointment", f"ID {ID} Tel {MOBILE}"])  # fmt: skip
    text = with_attachment(tree, "名单.pdf")
    problems = pii_problems(tree)
    assert len(problems) == 2, problems
    line = line_of(text, "attachments:")
    for problem, kind in zip(problems, ["居民身份证号码", "手机号码"], strict=True):
        assert problem.startswith(f"{line}:attachments[0].file:")
        assert "“files/名单.pdf”第 2 页" in problem and kind in problem
        assert ID not in problem and MOBILE not in problem  # masked


def test_docx_paragraphs_and_tables_and_xlsx_cells_are_read(tree: Tree) -> None:
    folder = tree.content / "departments/edu/2025/files"
    folder.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    document.add_paragraph("公示名单如下。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "王芳", f"电话{MOBILE}"
    document.save(str(folder / "公示.docx"))
    workbook = Workbook()
    workbook.active.title = "名单"
    workbook.active.append(["李雷", ID, 13800138000])
    workbook.save(folder / "名单.xlsx")
    assert [w for w, t in attachment_parts(folder / "公示.docx") if MOBILE in t] == ["第 1 个表格"]
    assert [w for w, t in attachment_parts(folder / "名单.xlsx") if ID in t] == ["工作表“名单”"]
    with_attachment(tree, "公示.docx")
    assert "第 1 个表格含有疑似手机号码" in "".join(pii_problems(tree))
    with_attachment(tree, "名单.xlsx")
    assert "工作表“名单”含有疑似居民身份证号码" in "".join(pii_problems(tree))


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%%EOF", b"\x00" * 100, b"not a pdf at all"])
def test_broken_and_scanned_pdfs_are_quiet(tree: Tree, data: bytes) -> None:
    (tree.content / "departments/edu/2025/files").mkdir(parents=True, exist_ok=True)
    (tree.content / "departments/edu/2025/files/扫描件.pdf").write_bytes(data)
    with_attachment(tree, "扫描件.pdf")
    assert pii_problems(tree) == []


def test_a_clean_pdf_is_quiet(tree: Tree) -> None:
    text_pdf(
        tree.content / "departments/edu/2025/files/通知.pdf",
        ["Hotline 12345, fax 0571-87654321, 2025-04-08"],
    )
    with_attachment(tree, "通知.pdf")
    assert pii_problems(tree) == []
