"""Author metadata in PDF and DOCX attachments: read, warn in `catalog validate`, strip."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import pikepdf
import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.content.attachment_meta import AttachmentError, read_metadata, strip_metadata
from generator.content.validate import check_content
from generator.core.settings import Settings
from tests.test_examples import lay_out

RECORD = "content/departments/edu/2025/enrolment-policy.md"
ATTACHMENT = "content/departments/edu/2025/files/入学登记表.pdf"  # the base tree's attachment


def make_pdf(
    path: Path, *, author: str = "张三", creator: str = "Microsoft Word - 草稿.docx"
) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:creator"] = [author]
    pdf.docinfo["/Author"] = author
    pdf.docinfo["/Creator"] = creator
    pdf.docinfo["/Producer"] = "WPS 文字"
    pdf.docinfo["/Title"] = "入学登记表"
    pdf.save(path)
    return path


def make_docx(path: Path, *, author: str = "张三", modified_by: str = "李四") -> Path:
    document = docx.Document()
    document.add_paragraph("入学登记表")
    document.core_properties.author = author
    document.core_properties.last_modified_by = modified_by
    document.save(path)
    return path


def test_pdf_metadata_is_read_and_stripped(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "a.pdf")
    assert read_metadata(path) == {
        "Author": "张三",
        "Creator": "Microsoft Word - 草稿.docx",
        "Producer": "WPS 文字",
        "dc:creator": "张三",
    }
    assert strip_metadata(path) is True
    assert read_metadata(path) == {}
    assert strip_metadata(path) is False  # already clean: not rewritten
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root


def test_pdf_strip_is_deterministic(tmp_path: Path) -> None:
    first = make_pdf(tmp_path / "a.pdf")
    second = tmp_path / "b.pdf"
    shutil.copyfile(first, second)
    strip_metadata(first)
    strip_metadata(second)
    assert first.read_bytes() == second.read_bytes()


def test_docx_metadata_is_read_and_stripped(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx")
    assert read_metadata(path) == {"author": "张三", "last_modified_by": "李四"}
    assert strip_metadata(path) is True
    assert read_metadata(path) == {}
    assert strip_metadata(path) is False
    assert [p.text for p in docx.Document(str(path)).paragraphs] == ["入学登记表"]
    with zipfile.ZipFile(path) as archive:  # no timestamp of the moment of cleaning
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_docx_without_core_properties_is_clean(tmp_path: Path) -> None:
    """python-docx invents core properties ("python-docx") for such files; they must not count."""
    source = make_docx(tmp_path / "full.docx")
    path = tmp_path / "bare.docx"
    with zipfile.ZipFile(source) as full, zipfile.ZipFile(path, "w") as bare:
        for item in full.infolist():
            if item.filename != "docProps/core.xml":
                data = full.read(item)
                if item.filename == "_rels/.rels":
                    data = re.sub(rb"<Relationship [^>]*docProps/core\.xml\"/>", b"", data)
                bare.writestr(item, data)
    assert read_metadata(path) == {}
    assert strip_metadata(path) is False


@pytest.mark.parametrize("name", ["a.xlsx", "a.jpg", "a.ofd", "a.doc"])
def test_other_types_have_no_metadata(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"anything")
    assert read_metadata(path) == {}
    assert strip_metadata(path) is False
    assert path.read_bytes() == b"anything"


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_damaged_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4 not really")
    assert read_metadata(path) == {}
    with pytest.raises(AttachmentError):
        strip_metadata(path)
    assert path.read_bytes() == b"%PDF-1.4 not really"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    make_pdf(tmp_path / ATTACHMENT)
    return tmp_path


def catalog(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"CATALOG_TODAY": "2026-11-28"})


def test_validate_warns_with_the_values_and_the_fix(tree: Path) -> None:
    result = check_content(Settings(content_dir=Path("content"), today=date(2026, 11, 28)))
    assert [(p.file, p.code, p.severity.value, p.field) for p in result.problems] == [
        (RECORD, "attachment-metadata", "warning", "attachments[0].file")
    ]
    message = result.problems[0].message
    for text in (
        "作者（Author）为“张三”",
        "创建程序（Creator）为“Microsoft Word - 草稿.docx”",
        "XMP 作者（dc:creator）为“张三”",
        "catalog clean-attachments",
        "files/入学登记表.pdf",
    ):
        assert text in message
    assert "WPS" not in message  # Producer names software, not a person
    assert catalog("validate", "content").exit_code == 0
    assert catalog("validate", "--strict", "content").exit_code == 1


def test_clean_attachments_command(tree: Path) -> None:
    make_docx(tree / "content/departments/edu/2025/files/表格.docx")
    check = catalog("clean-attachments", "--check")
    assert check.exit_code == 1
    assert f"{ATTACHMENT}：作者（Author）为“张三”" in check.stdout
    assert (
        "表格.docx：作者（author）为“张三”；最后修改者（last_modified_by）为“李四”" in check.stdout
    )
    cleaned = catalog("clean-attachments")
    assert cleaned.exit_code == 0, cleaned.output
    assert cleaned.stdout.count("已清除") == 2
    assert catalog("clean-attachments", "--check").exit_code == 0
    assert catalog("validate", "--strict", "content").exit_code == 0


def test_clean_attachments_reports_damaged_files(tree: Path) -> None:
    (tree / "content/departments/edu/2025/files/坏.pdf").write_bytes(b"not a pdf")
    result = catalog("clean-attachments")
    assert result.exit_code == 1
    assert "坏.pdf：无法处理：PDF 文件已损坏或不是 PDF" in result.output
    assert read_metadata(tree / ATTACHMENT) == {}  # the others were still cleaned
