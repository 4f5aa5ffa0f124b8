"""Attachments and relative paths named in a record: inside the content folder, present, allowed."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from generator.content.attachment_meta import metadata_problems
from generator.content.load import Located
from generator.content.suggestions import similar_files
from generator.core.problems import Problem, error
from generator.core.records import Attachment

ALLOWED_ATTACHMENTS = frozenset({"pdf", "ofd", "doc", "docx", "xls", "xlsx", "jpg", "png", "zip"})


def resolve_inside(base: Path, target: str, content: Path) -> tuple[Path | None, str | None]:
    """Resolve a relative path written in a record; refuse escapes, absolute paths, symlinks.

    Returns the path relative to ``content`` (lexically normalised) or the reason it is refused.
    """
    if not target or target.startswith(("/", "\\")) or (len(target) > 1 and target[1] == ":"):
        return None, "必须是相对于记录文件的路径，不能以“/”或盘符开头"
    if "\\" in target:
        return None, "路径分隔符请用“/”而不是“\\”"
    root = Path(os.path.abspath(content))
    candidate = Path(os.path.normpath(Path(os.path.abspath(base)) / target))
    try:
        relative = candidate.relative_to(root)
    except ValueError:
        return None, "指向了内容目录之外（“../”过多）"
    current = root
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return None, "是符号链接；请直接放入文件本身"
    return relative, None


def attachment_items(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index, item) of every attachment written as a mapping with a ``file`` (others are
    schema errors, reported there)."""
    items = data.get("attachments")
    if not isinstance(items, list):
        return []
    return [
        (index, item)
        for index, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("file"), str | int | float)
    ]


def attachment_files(data: dict[str, Any]) -> tuple[str, ...]:
    """``attachments[].file`` as written, for the validation cache's stamps."""
    return tuple(str(item["file"]) for _, item in attachment_items(data))


def check_attachments(
    meta: Located, path: Path, content: Path, shown: str
) -> tuple[tuple[Attachment, ...], list[Problem]]:
    found: list[Attachment] = []
    problems: list[Problem] = []
    for index, item in attachment_items(meta.data):
        file = str(item["file"])
        line, column = meta.position(("attachments", index, "file"))
        field = f"attachments[{index}].file"
        why = _refusal(file, field, path, content)
        if why:
            problems.append(error(shown, line, column, "missing-attachment", field, why))
            continue
        resolved, _ = resolve_inside(path.parent, file, content)
        assert resolved is not None  # _refusal said it resolves
        title = item.get("title")
        kind = PurePosixPath(file).suffix.lower().lstrip(".")
        size = (content / resolved).stat().st_size
        found.append(Attachment(file, resolved.as_posix(), str(title or ""), size, kind))
        problems += metadata_problems(content / resolved, file, shown, (line, column), field)
    return tuple(found), problems


def _refusal(file: str, field: str, path: Path, content: Path) -> str | None:
    """Why an attachment may not be published (with the file probably meant), or None."""
    resolved, why = resolve_inside(path.parent, file, content)
    if resolved is None:
        return (
            f"{field}（附件文件）“{file}”{why}。请把附件放在本部门目录内，并填写相对路径，"
            "如 files/申请表.pdf。"
        )
    kind = PurePosixPath(file).suffix.lower().lstrip(".")
    if kind not in ALLOWED_ATTACHMENTS:
        return (
            f"{field}（附件文件）“{file}”的类型“{kind or '无扩展名'}”不允许。"
            f"允许的类型：{'、'.join(sorted(ALLOWED_ATTACHMENTS))}。请转换为 PDF 等允许的格式。"
            + _meant(file, path)
        )
    if not (content / resolved).is_file():
        return (
            f"{field}（附件文件）“{file}”不存在（查找位置：{(content / resolved).as_posix()}）。"
            + (
                _meant(file, path)
                or "请检查文件名（含大小写、空格）和相对路径，并确认附件已一起提交。"
            )
        )
    return None


def _meant(file: str, path: Path) -> str:
    close = [c for c in similar_files(path.parent, file) if _allowed(c)]
    if not close:
        return ""
    return f"本记录旁有文件“{close[0]}”，是否应写为 file: {close[0]}？"


def _allowed(name: str) -> bool:
    return PurePosixPath(name).suffix.lower().lstrip(".") in ALLOWED_ATTACHMENTS
