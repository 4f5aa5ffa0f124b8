"""`catalog tidy --changed-since REF`: put records saved by the browser editor in their final form.

Decap names a new file after its Chinese title, files it under the year it was *created*, leaves
the 索引号 empty and rewrites the whole front matter in its own key order and quoting. For every
record file changed since REF, tidy

- of a **new** record (its path did not exist at REF): assigns the next free 索引号 for the year
  of ``written`` (as `catalog new` does), and moves the file and its attachments into that year's
  folder under the pinyin slug `catalog new` uses;
- of any changed record: writes the front matter in the one canonical order and style
  (`scaffold_text.record_file_text`, empty optional values left out); when the front matter's
  values did not change since REF, the text at REF is kept, so a body-only edit diffs as such.

A record whose front matter does not parse, or whose ``written`` is not a date, is left alone:
`catalog validate` reports it in Chinese.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from generator.content.load import split_front_matter
from generator.content.validate import record_files
from generator.core.settings import Settings
from generator.workflow.changes import changed_files, repository_root
from generator.workflow.scaffold import (
    ScaffoldError,
    existing_ids,
    free_path,
    next_record_id,
    read_context,
    slugify,
)
from generator.workflow.scaffold_text import record_file_text

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


@dataclass(frozen=True)
class Tidied:
    source: Path
    target: Path
    id: str | None  # a 索引号 assigned now
    moved: tuple[tuple[Path, Path], ...]  # attachments moved with it
    rewritten: bool


def _text_at(ref: str, root: Path, path: Path) -> str | None:
    relative = path.resolve().relative_to(root).as_posix()
    result = subprocess.run(
        ["git", "-C", str(root), "show", f"{ref}:{relative}"],
        capture_output=True,
        check=False,
    )
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


def _meta(text: str) -> tuple[dict[str, Any] | None, str]:
    document = split_front_matter(text.replace("\r\n", "\n"), "tidy")
    if document.meta is None or not isinstance(document.meta.data, dict):
        return None, text
    return document.meta.data, document.body


def _written(data: dict[str, Any]) -> date | None:
    value = data.get("written")
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def tidy_changed(settings: Settings, ref: str) -> list[Tidied]:
    """Tidy every record file changed since ``ref``; returns what was done."""
    content = settings.content_dir.resolve()
    root = repository_root(content)
    records = set(p.resolve() for p in record_files(content))
    changed = sorted(p for p in changed_files(ref, content) if p in records)
    if not changed:
        return []
    context = read_context(settings)
    schema = context.schemas.record.schema
    done = []
    for path in changed:
        old = _text_at(ref, root, path)
        tidied = tidy_record(settings, context, schema, path, old)
        if tidied is not None:
            done.append(tidied)
    return done


def tidy_record(
    settings: Settings, context: Any, schema: dict[str, Any], path: Path, old: str | None
) -> Tidied | None:
    text = path.read_text(encoding="utf-8")
    data, body = _meta(text)
    if data is None:
        return None
    if old is not None:
        old_data, old_body = _meta(old)
        if old_data == data:
            head = old[: len(old) - len(old_body)] if old.endswith(old_body) else None
            new_text = (head + body) if head is not None else text
            return _write(path, path, text, new_text, None, ())
        return _write(path, path, text, record_file_text(data, schema, body), None, ())
    written = _written(data)
    departments = settings.content_dir.resolve() / "departments"
    dept_id = path.relative_to(departments).parts[0]
    department = context.departments.get(dept_id)
    if written is None or department is None:
        return _write(path, path, text, record_file_text(data, schema, body), None, ())
    assigned = None
    ids = existing_ids(settings.content_dir, settings.max_file_bytes)
    # A new record's number is given again when another record took it meanwhile (two editor
    # branches numbered from the same main; seen once main is merged into the branch).
    if not data.get("id") or ids.count(data["id"]) > 1:
        values: dict[str, str | int] = {
            "org_code": department.org_code,
            "year": written.year,
            "area_code": context.site.area_code,
            "department": dept_id,
        }
        assigned = next_record_id(context.site.id_template, values, ids)
        data = {**data, "id": assigned}
    folder = departments / dept_id / str(written.year)
    target = path
    if path.parent.name != str(written.year) or not _ascii_slug(path):
        title = str(data.get("title") or path.stem)
        target = free_path(folder, slugify(title))
    data, moved = _move_attachments(data, path.parent, folder)
    return _write(path, target, text, record_file_text(data, schema, body), assigned, moved)


def _ascii_slug(path: Path) -> bool:
    return path.stem.isascii() and path.stem == slugify(path.stem)


def _move_attachments(
    data: dict[str, Any], source: Path, folder: Path
) -> tuple[dict[str, Any], tuple[tuple[Path, Path], ...]]:
    """Move each attachment next to the record's new place, keeping its ``files/…`` path."""
    items = data.get("attachments")
    if source == folder or not isinstance(items, list):
        return data, ()
    moved = []
    kept = []
    for item in items:
        file = item.get("file") if isinstance(item, dict) else None
        origin = source / str(file) if isinstance(file, str) else None
        if origin is None or not origin.is_file() or ".." in PurePosixPath(str(file)).parts:
            kept.append(item)
            continue
        target = folder / str(file)
        number = 2
        while target.exists():
            target = target.with_name(f"{Path(str(file)).stem}-{number}{Path(str(file)).suffix}")
            number += 1
        target.parent.mkdir(parents=True, exist_ok=True)
        origin.replace(target)
        moved.append((origin, target))
        kept.append({**item, "file": target.relative_to(folder).as_posix()})
    return {**data, "attachments": kept}, tuple(moved)


def _write(
    source: Path,
    target: Path,
    text: str,
    new_text: str,
    assigned: str | None,
    moved: tuple[tuple[Path, Path], ...],
) -> Tidied | None:
    if target == source and new_text == text:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(new_text)
    if target != source:
        source.unlink()
    return Tidied(source, target, assigned, moved, new_text != text)


__all__ = ["ScaffoldError", "Tidied", "tidy_changed"]
