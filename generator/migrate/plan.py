"""Rows of an old system's export → the record files `catalog new` would write, or reasons not to.

Nothing is written here. Each row becomes a ``Candidate`` (its path, 索引号 and the whole file
text from ``scaffold_text.record_text``) or a ``Skip`` (row, column, Chinese reason).
"""

from __future__ import annotations

import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from generator.content.checks import ALLOWED_ATTACHMENTS
from generator.content.docnumber import normalize_doc_number
from generator.content.normalize import clean_text, normalize_date, strip_curly_quotes
from generator.core.records import Department
from generator.migrate import body
from generator.migrate.fields import (
    FIELD_NAMES,
    KNOWN_LABELS,
    ImportMap,
    category_for,
    keywords_from,
    match_columns,
    topic_for,
    validity_for,
)
from generator.migrate.sources import MigrateError, SourceRow, SourceTable, plain
from generator.workflow.scaffold import Context, next_record_id, slugify
from generator.workflow.scaffold_text import import_header, quote, record_text

SUMMARY_MAX = 300


@dataclass(frozen=True)
class Skip:
    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class Candidate:
    row: int
    record_id: str
    path: Path
    text: str
    update: bool
    files: tuple[tuple[Path, Path], ...] = ()  # attachment copied from → to
    columns: dict[str, str] = field(default_factory=dict, compare=False)  # field → header


@dataclass(frozen=True)
class Existing:
    """A record file already in the department: its path and whether an import made it."""

    path: Path
    department: str
    imported: bool
    title: str = ""
    written: str = ""


@dataclass
class ImportPlan:
    """What the rows become; ``taken`` grows as new 索引号 and paths are handed out."""

    context: Context
    department: Department
    mapping: ImportMap
    default_category: str | None
    existing: dict[str, Existing]
    today: date
    label: str = "行"  # how the source counts its rows: 行, 条 or 页
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)  # folded 索引号 → first row
    folded: dict[str, str] = field(default_factory=dict)  # folded 索引号 → as written in a file
    paths: set[Path] = field(default_factory=set)


def plan_rows(plan: ImportPlan, table: SourceTable, content: Path) -> None:
    columns = match_columns(table.headers, plan.mapping)
    if "title" not in columns:
        raise MigrateError(
            f"“{table.path.name}”中找不到信息名称列（如“信息名称”“标题”）。"
            f"已有的列：{'、'.join(table.headers)}。请用 --map 的 columns 指定。"
        )
    if "written" not in columns and "published" not in columns:
        raise MigrateError(
            f"“{table.path.name}”中找不到成文日期或发布日期列。已有的列：{'、'.join(table.headers)}。"
        )
    if "category" not in columns and plan.default_category is None:
        raise MigrateError(
            f"“{table.path.name}”中没有目录分类列：请用 --category 指定这些信息的目录分类。"
        )
    plan.folded = {fold_id(known): known for known in plan.existing}
    for row in table.rows:
        outcome = plan_row(plan, row, columns, table, content)
        if isinstance(outcome, Skip):
            plan.skipped.append(outcome)
        else:
            plan.candidates.append(outcome)
            plan.paths.add(outcome.path)


def plan_row(
    plan: ImportPlan, row: SourceRow, columns: dict[str, str], table: SourceTable, content: Path
) -> Candidate | Skip:
    def cell(name: str) -> Any:
        return row.cells.get(columns[name]) if name in columns else None

    def text(name: str) -> str:
        return clean_text(strip_curly_quotes(plain(cell(name))))

    def column(name: str) -> str:
        return columns.get(name, FIELD_NAMES[name])

    title = text("title")
    if not title:
        return Skip(
            row.number, column("title"), "信息名称为空，无法导入。请在原系统中补上标题后重新导出。"
        )
    dates: dict[str, str] = {}
    for name in ("written", "published", "effective", "expires"):
        raw = cell(name)
        if plain(raw).strip() == "":
            continue
        value = normalize_date(raw)
        if value is None:
            return Skip(
                row.number,
                column(name),
                f"{FIELD_NAMES[name]}“{plain(raw)}”不是可识别的日期（可识别 2025-03-05、2025/3/5、"
                "2025年3月5日、2025.03.05 和 Excel 日期序号）。请在原系统中改正后重新导出。",
            )
        dates[name] = value
    written = dates.get("written") or dates.get("published")
    if written is None:
        return Skip(row.number, column("written"), "成文日期和发布日期都为空，无法确定成文日期。")
    published = dates.get("published", written)
    category = _category(plan, text("category"))
    if category is None and not text("category"):
        reason = (
            "目录分类为空。请用 --category 指定这些信息的目录分类，或在原系统中补上后重新导出。"
        )
        return Skip(row.number, column("category"), reason)
    if category is None:
        return Skip(
            row.number,
            column("category"),
            f"目录分类“{text('category')}”无法对应到九个目录分类之一。请在映射文件（--map）的 "
            f"categories 中写明，如“{text('category')}: policies”。",
        )
    record_id, path, update = _identity(plan, row, text("id"), title, written, column("id"))
    if isinstance(path, Skip):
        return path
    folder = content / "departments" / plan.department.id / written[:4]
    if path is None:
        path = _free_path(plan, folder, slugify(title))
    files, attachment_values, notes = _attachments(cell("file"), cell("attachments"), table, path)
    filled = _filled(plan, text, cell, dates, published, attachment_values)
    markdown = _body(cell("file"), text("link"), table, notes, title)
    filled["summary"] = quote(_summary(text("summary"), markdown, title))
    context = plan.context
    record = record_text(
        record_id,
        title,
        context.schemas.categories[category],
        date.fromisoformat(written),
        date.fromisoformat(published),  # fixed, so that the same row gives the same file
        plan.department,
        context.site,
        context.schemas.titles_by_kind["record"],
        filled=filled,
        body=markdown,
        header=import_header(table.path.name),
    )
    return Candidate(row.number, record_id, path, record, update, files, columns)


def _category(plan: ImportPlan, word: str) -> str | None:
    if not word:
        return plan.default_category
    return category_for(word, plan.context.schemas.categories, plan.mapping)


def fold_id(record_id: str) -> str:
    """As the validator compares 索引号 for duplicates."""
    return unicodedata.normalize("NFKC", record_id).casefold()


def _identity(
    plan: ImportPlan, row: SourceRow, record_id: str, title: str, written: str, column: str
) -> tuple[str, Path | Skip | None, bool]:
    """The row's 索引号, the file it updates (or None for a new file) and whether it updates."""
    if not record_id:
        match = next(
            (
                (known, found)
                for known, found in plan.existing.items()
                if found.department == plan.department.id
                and (found.title, found.written) == (title, written)
            ),
            None,
        )
        if match is not None:  # already here without the old 索引号: the same title and date
            record_id = match[0]
        else:
            values: dict[str, str | int] = {
                "org_code": plan.department.org_code,
                "year": int(written[:4]),
                "area_code": plan.context.site.area_code,
                "department": plan.department.id,
            }
            record_id = next_record_id(plan.context.site.id_template, values, list(plan.existing))
            plan.existing[record_id] = Existing(Path(), plan.department.id, True, title, written)
            plan.seen[fold_id(record_id)] = row.number
            return record_id, None, False
    first = plan.seen.setdefault(fold_id(record_id), row.number)
    if first != row.number:
        return (
            record_id,
            Skip(
                row.number,
                column,
                f"索引号“{record_id}”与第 {first} {plan.label}重复，只导入第 {first} {plan.label}。",
            ),
            False,
        )
    known = plan.folded.get(fold_id(record_id), record_id)
    found = plan.existing.get(known)
    if found is None:
        return record_id, None, False
    if known != record_id:
        reason = (
            f"索引号“{record_id}”与 {found.path.as_posix()} 的“{known}”仅有大小写或全角/半角的差别，"
            "容易混淆，未导入这一行。请核对是否为同一条信息。"
        )
        return record_id, Skip(row.number, column, reason), False
    if not found.imported or found.department != plan.department.id:
        owner = "手工维护的记录" if found.imported is False else f"部门“{found.department}”的记录"
        return (
            record_id,
            Skip(
                row.number,
                column,
                f"索引号“{record_id}”已被{owner} {found.path.as_posix()} 使用，为免覆盖未导入这一行。"
                "请核对是否为同一条信息。",
            ),
            False,
        )
    return record_id, found.path, True


def _free_path(plan: ImportPlan, folder: Path, slug: str) -> Path:
    candidate, number = folder / f"{slug}.md", 2
    while candidate.exists() or candidate in plan.paths:
        candidate, number = folder / f"{slug}-{number}.md", number + 1
    return candidate


def _filled(
    plan: ImportPlan,
    text: Any,
    cell: Any,
    dates: dict[str, str],
    published: str,
    attachments: list[dict[str, str]],
) -> dict[str, str]:
    filled = {"published": quote(published)}
    if number := text("doc_number"):
        check = normalize_doc_number(number)
        filled["doc_number"] = quote(check.normalized if check.recognized else number)
    if (word := text("topic")) and (
        topic := topic_for(word, plan.context.schemas.topics, plan.mapping)
    ):
        filled["topic"] = "'" + topic + "'" if "'" not in topic else quote(topic)
    if (form := text("form")) and len(form) <= 20:
        filled["form"] = quote(form)
    if keywords := keywords_from(text("keywords")):
        filled["keywords"] = "[" + ", ".join(quote(k) for k in keywords) + "]"
    if validity := _validity(plan, text("validity"), cell("expired_flag"), cell("abolished_flag")):
        filled["validity"] = validity
    for name in ("effective", "expires"):
        if name in dates:
            filled[name] = quote(dates[name])
    if attachments:
        filled["attachments"] = (
            "["
            + ", ".join(
                f"{{file: {quote(a['file'])}, title: {quote(a['title'])}}}" for a in attachments
            )
            + "]"
        )
    return filled


def _validity(plan: ImportPlan, word: str, expired: Any, abolished: Any) -> str | None:
    if abolished in (True, 1, "1", "true"):
        return "repealed"
    if expired in (True, 1, "1", "true"):
        return "expired"
    return validity_for(word, plan.mapping) if word else None


def local_file(value: Any, table: SourceTable) -> Path | None:
    """A file named in the export, inside the export's folder (never outside it)."""
    name = plain(value).strip().replace("\\", "/")
    if not name or "://" in name:
        return None
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    path = table.path.parent / relative
    return path if path.is_file() else None


def _attachments(
    file_cell: Any, attachment_cell: Any, table: SourceTable, record: Path
) -> tuple[tuple[tuple[Path, Path], ...], list[dict[str, str]], list[str]]:
    """Local attachment files go to ``files/<record slug>/`` beside the record; others are noted."""
    items: list[Any] = []
    main = local_file(file_cell, table)
    if main is not None and main.suffix.lower() not in (".html", ".htm", ".shtml"):
        items.append(plain(file_cell))
    if isinstance(attachment_cell, list):
        items += attachment_cell
    elif plain(attachment_cell).strip():
        items += [p for p in plain(attachment_cell).replace("；", ";").split(";") if p.strip()]
    copies, values, notes = [], [], []
    for item in items:
        name = item.get("name") or item.get("title") or "" if isinstance(item, dict) else ""
        where = (
            (item.get("url") or item.get("path") or item.get("file") or "")
            if isinstance(item, dict)
            else item
        )
        source = local_file(where, table)
        title = clean_text(str(name)) or PurePosixPath(str(where)).name
        if source is not None and source.suffix.lower().lstrip(".") in ALLOWED_ATTACHMENTS:
            relative = f"files/{record.stem}/{source.name}"
            copies.append((source, record.parent / relative))
            values.append({"file": relative, "title": title[:200] or source.name})
        elif where:
            notes.append(_attachment_note(title, str(where)))
    return tuple(copies), values, notes


def _attachment_note(title: str, where: str) -> str:
    label = body.escape_markdown(title or where)
    if where.startswith(("http://", "https://")):
        return f"- 附件：[{label}](<{where}>)"
    return f"- 附件：{label}（原系统中的位置：{body.escape_markdown(where)}）"


def _body(file_cell: Any, link: str, table: SourceTable, notes: list[str], title: str) -> str:
    page = local_file(file_cell, table)
    html = page is not None and page.suffix.lower() in (".html", ".htm", ".shtml")
    text = body.read_local_html(page, KNOWN_LABELS | table.labels) if page and html else ""
    text = body.below_title(text, title)
    parts = [text or body.origin_note(link)]
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(parts)


def _summary(summary: str, markdown: str, title: str) -> str:
    if not summary:
        summary = body.first_sentence(markdown) or title
    if len(summary) > SUMMARY_MAX:
        summary = summary[: SUMMARY_MAX - 1] + "…"
    return summary


def copy_files(candidate: Candidate) -> None:
    for source, target in candidate.files:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
