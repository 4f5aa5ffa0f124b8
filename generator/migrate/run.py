"""`catalog import` and `catalog import-pages`: plan every row, validate them all, then write.

Validation runs the real validator (``check_content``) on a copy of the content tree with the
planned files in it, so a row is judged exactly as `catalog validate` would judge the written
file, cross-record checks included. Rows whose file has an error are skipped; nothing is written
until every row has been judged, and nothing at all with ``dry_run``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.content.load import display_path, read_text, split_front_matter
from generator.content.provenance import is_imported
from generator.content.validate import check_content, record_files
from generator.core.problems import Problem
from generator.core.settings import Settings
from generator.migrate.fields import FIELD_NAMES, load_map
from generator.migrate.plan import (
    Candidate,
    Existing,
    ImportPlan,
    Skip,
    copy_files,
    plan_rows,
)
from generator.migrate.sources import MigrateError, SourceTable
from generator.workflow.scaffold import ScaffoldError, pick_category, pick_department, read_context

# The validator's field of a problem → the export's column it came from.
_FIELD_COLUMNS = {
    "id": "id",
    "title": "title",
    "summary": "summary",
    "written": "written",
    "published": "published",
    "doc_number": "doc_number",
    "topic": "topic",
    "keywords": "keywords",
    "validity": "validity",
    "body": "file",
}


@dataclass(frozen=True)
class ImportResult:
    read: int
    created: tuple[Candidate, ...]
    updated: tuple[Candidate, ...]
    unchanged: tuple[Candidate, ...]
    skipped: tuple[Skip, ...]
    dry_run: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "imported": len(self.created),
            "updated": len(self.updated),
            "skipped": [
                {"row": s.row, "column": s.column, "reason": s.reason} for s in self.skipped
            ],
        }


def import_table(
    settings: Settings,
    table: SourceTable,
    department_id: str,
    *,
    map_file: Path | None = None,
    category: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    content = settings.content_dir
    try:
        context = read_context(settings)
        department = pick_department(context, department_id, content)
        default = pick_category(context, category).id if category else None
    except ScaffoldError as exc:
        raise MigrateError(str(exc)) from None
    mapping = load_map(map_file, context.schemas.categories, settings.max_file_bytes)
    plan = ImportPlan(
        context,
        department,
        mapping,
        default,
        existing_records(content, settings.max_file_bytes),
        settings.today,
        table.row_label,
    )
    plan_rows(plan, table, content)
    good, rejected = validate_candidates(settings, plan.candidates)
    same = [c.update and _same_text(c) for c in good]
    if not dry_run:
        for candidate, unchanged in zip(good, same, strict=True):
            if not unchanged:
                write_candidate(candidate)
    return ImportResult(
        len(table.rows),
        tuple(c for c in good if not c.update),
        tuple(c for c, s in zip(good, same, strict=True) if c.update and not s),
        tuple(c for c, s in zip(good, same, strict=True) if s),
        tuple(_named(s, table) for s in sorted([*plan.skipped, *rejected], key=lambda s: s.row)),
        dry_run,
    )


def _named(skip: Skip, table: SourceTable) -> Skip:
    name = table.names.get(skip.row)
    return replace(skip, reason=f"{name}：{skip.reason}") if name else skip


def existing_records(content: Path, max_bytes: int) -> dict[str, Existing]:
    """Every 索引号 in the content tree, with its file and whether `catalog import` made it."""
    found: dict[str, Existing] = {}
    departments = content / "departments"
    for path in record_files(content):
        source = read_text(path, max_bytes=max_bytes)
        meta = split_front_matter(source.text, str(path)).meta if source.text else None
        if meta is None or not isinstance(meta.data.get("id"), str):
            continue
        data = meta.data
        imported = source.text is not None and is_imported(source.text)
        found[data["id"]] = Existing(
            path,
            path.relative_to(departments).parts[0],
            imported,
            str(data.get("title", "")),
            str(data.get("written", "")),
        )
    return found


def validate_candidates(
    settings: Settings, candidates: list[Candidate]
) -> tuple[list[Candidate], list[Skip]]:
    """Judge every planned file with the validator, in a copy of the content tree."""
    if not candidates:
        return [], []
    content = settings.content_dir
    with tempfile.TemporaryDirectory(prefix="catalog-import-") as scratch:
        copy = Path(scratch) / "content"
        _link_tree(content, copy)
        shown: dict[str, Candidate] = {}
        for candidate in candidates:
            target = copy / candidate.path.relative_to(content)
            shown[display_path(target)] = candidate
            if target.exists():
                target.unlink()  # a hard link to the real file: never write through it
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(candidate.text, encoding="utf-8", newline="\n")
            for source, destination in candidate.files:
                placed = copy / destination.relative_to(content)
                placed.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, placed)
        result = check_content(replace(settings, content_dir=copy, cache_dir=None))
        errors: dict[str, list[Problem]] = defaultdict(list)
        for problem in result.problems:
            if problem.is_error and problem.file in shown:
                errors[problem.file].append(problem)
        prefix = display_path(copy)
    good = [c for name, c in shown.items() if name not in errors]
    rejected = [_skip(shown[name], found, prefix, content) for name, found in errors.items()]
    return good, rejected


def _link_tree(content: Path, copy: Path) -> None:
    """Hard links where the file system allows them: thousands of records copy in a blink."""

    def link(source: str, target: str) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    shutil.copytree(content, copy, copy_function=link, symlinks=True)


SERVICE_GUIDE = (
    "办事服务类（services）信息必须有办事指南（service：办理依据、条件、材料、流程、时限、收费），"
    "导入暂不能从导出表读取这些内容。请用 catalog new --category services 逐条新建并填写；"
    "或在映射文件 categories 中把这一类对应到其他分类先行导入，再由编辑补全后改为 services。"
)


def _skip(candidate: Candidate, problems: list[Problem], prefix: str, content: Path) -> Skip:
    if all(p.code == "placeholder" and (p.field or "").startswith("service.") for p in problems):
        return Skip(candidate.row, "目录分类", SERVICE_GUIDE)
    first = problems[0]
    name = _FIELD_COLUMNS.get((first.field or "").split(".")[0].split("[")[0])
    column = candidate.columns.get(name or "", FIELD_NAMES.get(name or "", first.field or ""))
    reasons = [p.message.replace(prefix, content.as_posix()) for p in problems[:3]]
    more = f"（另有 {len(problems) - 3} 个问题）" if len(problems) > 3 else ""
    return Skip(candidate.row, column, "校验未通过：" + "；".join(reasons) + more)


def _same_text(candidate: Candidate) -> bool:
    try:
        return candidate.path.read_text(encoding="utf-8") == candidate.text and all(
            target.is_file() for _, target in candidate.files
        )
    except OSError:
        return False


def write_candidate(candidate: Candidate) -> None:
    """New files are created exclusively; an update replaces its file in one rename."""
    candidate.path.parent.mkdir(parents=True, exist_ok=True)
    copy_files(candidate)
    if not candidate.update:
        with candidate.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(candidate.text)
        return
    partial = candidate.path.with_name(f".{candidate.path.name}.import")
    partial.write_text(candidate.text, encoding="utf-8", newline="\n")
    partial.replace(candidate.path)


def describe(result: ImportResult, content: Path, label: str) -> str:
    """The summary in Chinese: one line per skipped row, then the counts."""
    lines = [f"第 {s.row} {label}（{s.column}）：{s.reason}" for s in result.skipped]
    verb = "将" if result.dry_run else "已"
    if result.dry_run:
        lines += [f"新建 {c.path.as_posix()}（索引号 {c.record_id}）" for c in result.created]
        lines += [f"更新 {c.path.as_posix()}（索引号 {c.record_id}）" for c in result.updated]
    lines.append(
        f"读取 {result.read} {label}：{verb}新建 {len(result.created)} 条，"
        f"{verb}更新 {len(result.updated)} 条，无变化 {len(result.unchanged)} 条，"
        f"跳过 {len(result.skipped)} {label}。"
        + ("（试运行，未写入任何文件）" if result.dry_run else f"内容目录：{content.as_posix()}")
    )
    return "\n".join(lines) + "\n"
