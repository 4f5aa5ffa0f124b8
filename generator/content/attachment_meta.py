"""Attachment hygiene: find and strip author metadata in PDF and DOCX attachments.

Word, WPS and most PDF printers record who wrote a file (Author, dc:creator, last_modified_by)
and sometimes its original file name (PDF Creator).  A published attachment must not carry an
official's name, so ``catalog validate`` warns and ``catalog clean-attachments`` strips it.
PDFs go through pikepdf (qpdf) and DOCX files through python-docx; nothing is parsed by hand.
Rewrites are deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from generator.core.problems import Problem, warning

# What identifies a person (or a draft's file name); Producer names only the software.
IDENTIFYING = {
    "Author": "作者（Author）",
    "Creator": "创建程序（Creator）",
    "dc:creator": "XMP 作者（dc:creator）",
    "author": "作者（author）",
    "last_modified_by": "最后修改者（last_modified_by）",
}
KINDS = frozenset({"pdf", "docx"})
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class AttachmentError(Exception):
    """A file that cannot be read or rewritten; message in Chinese."""


@dataclass(frozen=True)
class CleanResult:
    path: Path
    found: dict[str, str]  # identifying metadata before cleaning
    changed: bool = False
    error: str | None = None


def read_metadata(path: Path) -> dict[str, str]:
    """Author-like metadata of a PDF or DOCX file; {} for other types and unreadable files."""
    kind = path.suffix.lower().lstrip(".")
    try:
        if kind == "pdf":
            return _pdf_metadata(path.read_bytes())
        if kind == "docx":
            return _docx_metadata(path.read_bytes())
    except AttachmentError:
        return {}
    return {}


def identifying(metadata: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in metadata.items() if key in IDENTIFYING}


def strip_metadata(path: Path) -> bool:
    """Remove the metadata in place; True if the file was rewritten, False if it was clean."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in KINDS:
        return False
    data = path.read_bytes()
    cleaned = _strip_pdf(data) if kind == "pdf" else _strip_docx(data)
    if cleaned is None or cleaned == data:
        return False
    _replace(path, cleaned)
    return True


def attachment_files(content: Path) -> list[Path]:
    """Every PDF and DOCX file under ``content/departments`` (symlinks are not followed)."""
    folder = content / "departments"
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower().lstrip(".") in KINDS and p.is_file() and not p.is_symlink()
    )


def clean_attachments(content: Path, *, check: bool) -> list[CleanResult]:
    """Strip every PDF/DOCX attachment (or, with ``check``, only look)."""
    results = []
    for path in attachment_files(content):
        found = identifying(read_metadata(path))
        if check:
            results.append(CleanResult(path, found))
            continue
        try:
            results.append(CleanResult(path, found, strip_metadata(path)))
        except (AttachmentError, OSError) as exc:
            results.append(CleanResult(path, found, error=str(exc)))
    return results


def metadata_problems(
    path: Path, file: str, shown: str, position: tuple[int, int], field: str
) -> list[Problem]:
    """The `attachment-metadata` warning for one attachment of a record."""
    found = identifying(read_metadata(path))
    if not found:
        return []
    return [
        warning(
            shown,
            position[0],
            position[1],
            "attachment-metadata",
            field,
            f"{field}（附件文件）“{file}”带有作者等元数据：{describe(found)}。公开的附件不应带有起草人姓名等信息。"
            "请运行 catalog clean-attachments 清除后重新提交该文件。",
        )
    ]


def describe(found: dict[str, str]) -> str:
    return "；".join(
        f"{IDENTIFYING.get(key, key)}为“{_short(value)}”" for key, value in found.items()
    )


def _short(value: str, limit: int = 60) -> str:
    text = " ".join(value.split())
    return text if len(text) <= limit else text[:limit] + "…"


# ---- PDF ---------------------------------------------------------------------------------


def _open_pdf(data: bytes) -> Any:
    import pikepdf

    try:
        return pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError:
        raise AttachmentError(
            "PDF 已加密（需要密码才能打开），公众也无法阅读；请上传未加密的 PDF。"
        ) from None
    except pikepdf.PdfError as exc:
        raise AttachmentError(f"PDF 文件已损坏或不是 PDF：{exc}") from None


def _pdf_metadata(data: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    with _open_pdf(data) as pdf:
        info = pdf.trailer.get("/Info")
        for key in ("Author", "Creator", "Producer"):
            value = info.get(f"/{key}") if info is not None else None
            if value is not None and str(value).strip():
                found[key] = str(value).strip()
        if "/Metadata" in pdf.Root:
            creators = pdf.open_metadata(set_pikepdf_as_editor=False).get("dc:creator")
            if creators:
                found["dc:creator"] = "、".join(str(c) for c in creators)
    return found


def _strip_pdf(data: bytes) -> bytes | None:
    with _open_pdf(data) as pdf:
        if "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root:
            return None
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        if "/Metadata" in pdf.Root:
            del pdf.Root["/Metadata"]
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


# ---- DOCX --------------------------------------------------------------------------------


def _core_properties(data: bytes) -> tuple[Any, Any] | None:
    """(document, core properties), or None when the package has no core-properties part
    (python-docx would invent one with last_modified_by "python-docx")."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        document = docx.Document(BytesIO(data))
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise AttachmentError(f"DOCX 文件已损坏或不是 Word 文档：{exc}") from None
    try:
        part = document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return None
    return document, part.core_properties


def _docx_metadata(data: bytes) -> dict[str, str]:
    found = _core_properties(data)
    if found is None:
        return {}
    properties = found[1]
    values = {"author": properties.author, "last_modified_by": properties.last_modified_by}
    return {key: value.strip() for key, value in values.items() if value and value.strip()}


def _strip_docx(data: bytes) -> bytes | None:
    found = _core_properties(data)
    if found is None:
        return None
    document, properties = found
    if not (properties.author or properties.last_modified_by):
        return None
    properties.author = ""
    properties.last_modified_by = ""
    out = BytesIO()
    document.save(out)
    return _normalise_zip(out.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Same entries, fixed timestamps: python-docx stamps every entry with the current time."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(item))
    return out.getvalue()


def _replace(path: Path, data: bytes) -> None:
    """Write next to the file, then rename over it: an interrupted run leaves the old file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".clean-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
