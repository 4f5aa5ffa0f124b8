"""Validate the content tree: every file, every check, every problem collected before reporting.

``check_content`` is the one entry point shared by ``catalog validate``, the build and tools.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content import checks, placeholders
from generator.content.attachment_checks import attachment_files
from generator.content.attachment_text import pii_in_attachments
from generator.content.catalog import assemble_catalog, cross_check
from generator.content.file_names import department_problems, name_problems, tree_paths
from generator.content.load import (
    Located,
    decode_legacy,
    decode_text,
    display_path,
    load_yaml_file,
    read_bytes,
    read_text,
    split_front_matter,
    symlink_problem,
)
from generator.content.normalize import INVISIBLE, strip_invisible
from generator.content.report_checks import check_reports
from generator.content.reports import load_reports, report_record
from generator.content.schema import Schemas, load_schemas
from generator.content.schema_problems import schema_problems
from generator.content.suggestions import listed_folders, value_suggester
from generator.content.validation_cache import ValidationCache
from generator.core.problems import Problem, error
from generator.core.records import Department, Office, Record, SiteInfo
from generator.core.settings import Settings

# A body over the Markdown limits is kept out of the records: no later scan or renderer should
# read it. Every other problem still yields a Record (with what parsed) for the cross-record
# checks, so one run reports everything; check_content keeps files with errors out of the site.
UNREPRESENTABLE = frozenset({"markdown-limit"})


@dataclass
class ValidationResult:
    problems: list[Problem]
    catalog: Any  # Catalog | None (None when site.yml itself is unusable)
    record_count: int = 0
    files: dict[str, str] = field(default_factory=dict)  # shown path → record id, for reports

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def check_content(settings: Settings) -> ValidationResult:
    """Load and check everything under ``settings.content_dir``."""
    schemas = load_schemas(settings.schema_dir)
    content = settings.content_dir
    problems: list[Problem] = []
    if not (content / "site.yml").is_file():
        problems.append(
            error(
                display_path(content / "site.yml"),
                1,
                1,
                "schema",
                None,
                "找不到 site.yml。内容目录必须包含 site.yml（本级政府名称、公开工作机构等）。"
                "请检查 --content 参数是否指向内容目录。",
            )
        )
        return ValidationResult(problems, None)
    site, site_problems = load_site(content / "site.yml", schemas, settings)
    problems += site_problems
    departments, dept_problems = load_departments(content / "departments", schemas, settings, site)
    problems += dept_problems
    problems += linked_folders(content)
    problems += department_problems(content / "departments", departments)
    problems += name_problems(tree_paths(content), content)
    records, record_problems, count = load_records(content, schemas, settings, site, departments)
    problems += record_problems
    problems += check_guide(content / "guide.md", settings, site)
    reports, report_problems = load_reports(content, schemas, settings, site, departments)
    problems += report_problems
    records += [report_record(r) for r in reports]  # 索引号 checked with the catalog's
    problems += cross_check(records, departments, site, schemas, content)
    if site is None:
        return ValidationResult(problems, None, count)
    problems += check_reports(reports, records, departments, settings.today, display_path(content))
    bad_files = {p.file for p in problems if p.is_error}
    # Zero-width characters are only a warning: the site gets the body without them (values
    # lose them in the loader). Done here, after the cache, which cuts bodies from the bytes.
    good = [without_invisible(r) for r in records if r.source not in bad_files]
    catalog = assemble_catalog(
        site, departments, schemas.categories, good, settings.today, schemas.art20
    )
    published = {r.id for r in catalog.records}
    shown = sorted(
        (r for r in reports if r.record_id in published), key=lambda r: (-r.year, r.body)
    )
    catalog = dataclasses.replace(catalog, reports=tuple(shown))
    return ValidationResult(problems, catalog, count)


def without_invisible(record: Record) -> Record:
    if INVISIBLE.search(record.body) is None:
        return record
    return dataclasses.replace(record, body=strip_invisible(record.body))


def load_site(
    path: Path, schemas: Schemas, settings: Settings
) -> tuple[SiteInfo | None, list[Problem]]:
    located, problems = load_yaml_file(path, max_bytes=settings.max_file_bytes)
    if located is None:
        return None, problems
    shown = display_path(path)
    problems += schema_problems(schemas.site, located, shown, schemas.titles_by_kind["site"])
    # The numbers site.yml itself declares public (public_numbers) are not personal there either.
    published = checks.declared_public_numbers(located.data)
    problems += checks.pii_in_values(located, shown, published, "site", schemas)
    problems += checks.html_in_values(located, shown, schemas)
    problems += channel_problems(located, shown)
    if any(p.is_error for p in problems):
        return None, problems
    return to_site(located.data, shown), problems


# A channel the application page names needs the office detail that makes it usable.
CHANNEL_NEEDS = {"传真": ("fax", "传真号码"), "电子邮件": ("email", "电子邮箱")}


def channel_problems(located: Located, shown: str) -> list[Problem]:
    data = located.data if isinstance(located.data, dict) else {}
    apply, office = data.get("apply"), data.get("office")
    if not isinstance(apply, dict) or not isinstance(office, dict):
        return []
    listed = apply.get("channels")
    channels: list[Any] = listed if isinstance(listed, list) else []
    problems = []
    for i, channel in enumerate(channels):
        key, title = CHANNEL_NEEDS.get(channel, ("", ""))
        if key and not office.get(key):
            line, column = located.position(("apply", "channels", i))
            problems.append(
                error(
                    shown,
                    line,
                    column,
                    "schema",
                    "apply.channels（受理渠道）",
                    f"受理渠道列有“{channel}”，但 office 中没有 {key}（{title}）。"
                    f"请在 office 中填写 {key}，或从 apply.channels 中删去“{channel}”。",
                )
            )
    return problems


def to_site(data: dict[str, Any], shown: str) -> SiteInfo:
    office = data["office"]
    deadlines = data.get("deadlines") or {}
    kiosk = data.get("kiosk") or {}
    apply = data.get("apply") or {}
    from generator.core.records import Deadlines, EmptyNotes, Gazette

    notes = data.get("empty_notes") or {}
    gazette = data.get("gazette")

    return SiteInfo(
        name=data["name"],
        area_code=data["area_code"],
        site_url=data["site_url"].rstrip("/"),
        site_code=data["site_code"],
        office=Office(**{k: str(office.get(k, "")) for k in Office.__dataclass_fields__}),
        id_template=data.get("id_template", "{org_code}/{year}-{seq:05d}"),
        deadlines=Deadlines(**deadlines),
        public_numbers=tuple(str(n) for n in data.get("public_numbers") or ()),
        kiosk_idle_seconds=int(kiosk.get("idle_seconds", 120)),
        kiosk_hot_keywords=tuple(kiosk.get("hot_keywords") or ()),
        source=shown,
        government_department=str(data.get("government_department", "")),
        apply_channels=tuple(apply.get("channels") or default_channels(office)),
        apply_online_url=apply.get("online_url", ""),
        empty_notes=EmptyNotes(
            default=notes.get("default", ""),
            categories=dict(notes.get("categories") or {}),
            departments=dict(notes.get("departments") or {}),
        ),
        gazette=Gazette(name=gazette["name"], note=gazette.get("note", "")) if gazette else None,
    )


def default_channels(office: dict[str, Any]) -> list[str]:
    """Without ``apply.channels``: the channels the office's own details make possible."""
    return (
        ["当面", "邮寄"]
        + ["传真"] * bool(office.get("fax"))
        + ["电子邮件"] * bool(office.get("email"))
    )


def load_departments(
    folder: Path, schemas: Schemas, settings: Settings, site: SiteInfo | None
) -> tuple[dict[str, Department], list[Problem]]:
    departments: dict[str, Department] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return departments, problems
    allowed = checks.allowed_numbers(site)
    for dept_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        if dept_dir.is_symlink():
            problems.append(symlink_problem(dept_dir, "部门目录"))
            continue
        path = dept_dir / "department.yml"
        shown = display_path(path)
        if not path.is_file():
            problems.append(
                error(
                    shown,
                    1,
                    1,
                    "unknown-reference",
                    None,
                    f"部门目录 {display_path(dept_dir)} 缺少 department.yml。"
                    "请用 `catalog new-department` 创建，或从其他部门目录复制后修改。",
                )
            )
            continue
        located, found = load_yaml_file(path, max_bytes=settings.max_file_bytes)
        problems += found
        if located is None:
            continue
        found = schema_problems(
            schemas.department, located, shown, schemas.titles_by_kind["department"]
        )
        found += checks.org_code(located, shown)
        found += checks.pii_in_values(located, shown, allowed, "department", schemas)
        found += checks.html_in_values(located, shown, schemas)
        found += placeholders.in_values(located, shown, schemas.titles_by_kind["department"])
        problems += found
        if not any(p.is_error for p in found):
            departments[dept_dir.name] = to_department(dept_dir.name, located.data, shown)
    return departments, problems


def to_department(dept_id: str, data: dict[str, Any], shown: str) -> Department:
    from generator.core.records import Unit

    return Department(
        id=dept_id,
        name=data["name"],
        short_name=data["short_name"],
        org_code=data["org_code"],
        head=data["head"],
        duties=data["duties"],
        units=tuple(Unit(u["name"], u.get("duties", "")) for u in data.get("units") or ()),
        address=data["address"],
        hours=data["hours"],
        phone=data["phone"],
        fax=str(data.get("fax", "")),
        email=data["email"],
        postcode=data["postcode"],
        reviewers=tuple(data.get("reviewers") or ()),
        source=shown,
        legacy_ids=data.get("legacy_ids"),
    )


def _walk_departments(content: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` of each department folder; symlinked folders are listed, never entered."""
    folder = content / "departments"
    if not folder.is_dir():
        return
    for dept_dir in sorted(folder.iterdir()):
        if dept_dir.is_dir() and not dept_dir.is_symlink():
            yield from os.walk(dept_dir)


def record_files(content: Path) -> list[Path]:
    """Every ``.md`` file in a department folder (a symlinked one is then refused by the loader)."""
    return sorted(
        Path(root, name)
        for root, _, names in _walk_departments(content)
        for name in names
        if name.endswith(".md")
    )


def linked_folders(content: Path) -> list[Problem]:
    return [
        symlink_problem(Path(root, name), "文件夹")
        for root, folders, _ in _walk_departments(content)
        for name in sorted(folders)
        if Path(root, name).is_symlink()
    ]


def check_guide(path: Path, settings: Settings, site: SiteInfo | None) -> list[Problem]:
    """``guide.md`` is free Markdown published on the guide page: the body checks apply to it."""
    if not (path.is_file() or path.is_symlink()):
        return []
    shown = display_path(path)
    source = read_text(path, max_bytes=settings.max_file_bytes, shown=shown)
    if source.text is None:
        return source.problems
    allowed = checks.allowed_numbers(site)
    found = checks.body(source.text, 1, shown, allowed, path, settings.content_dir, "guide")
    return source.problems + found


def load_records(
    content: Path,
    schemas: Schemas,
    settings: Settings,
    site: SiteInfo | None,
    departments: dict[str, Department],
) -> tuple[list[Record], list[Problem], int]:
    """Every record file checked, in path order; unchanged files come from the validation cache.

    One file at a time, so that only one file's text is in memory beside the records. Two worker
    processes for the files the cache does not know were measured and dropped: on the two cores
    shared with other jobs each worker ran at about half speed, and the whole took longer than
    one process (docs/performance.md, Validation).
    """
    records: list[Record] = []
    problems: list[Problem] = []
    files = record_files(content)
    cache = ValidationCache.open(settings, site)
    department_keys = {name: repr(department) for name, department in departments.items()}
    for path in files:
        record, found = _check_cached(
            path, content, schemas, settings, site, departments, cache, department_keys
        )
        problems += found
        if record is not None:
            records.append(record)
    cache.save()
    return records, problems, len(files)


def _check_cached(
    path: Path,
    content: Path,
    schemas: Schemas,
    settings: Settings,
    site: SiteInfo | None,
    departments: dict[str, Department],
    cache: ValidationCache,
    department_keys: dict[str, str],
) -> tuple[Record | None, list[Problem]]:
    shown = display_path(path)
    raw, problems = read_bytes(path, max_bytes=settings.max_file_bytes, shown=shown)
    if raw is None:
        return None, problems
    dept_id = path.relative_to(content / "departments").parts[0]
    key = cache.key(shown, department_keys.get(dept_id, ""), raw)
    hit = cache.lookup(key, raw, path, content)
    if hit is not None:
        return hit
    record, found, attachments = check_record_bytes(
        raw, path, shown, content, schemas, site, departments
    )
    cache.store(key, raw, path, content, (record, found), attachments)
    return record, found


def check_record_bytes(
    raw: bytes,
    path: Path,
    shown: str,
    content: Path,
    schemas: Schemas,
    site: SiteInfo | None,
    departments: dict[str, Department],
) -> tuple[Record | None, list[Problem], tuple[str, ...]]:
    """A record file's bytes → its Record, its problems and the attachments it names on disk.

    Every check runs on what could be read: a GBK file is read as GBK for the other checks, a
    body is checked when its front matter does not parse, a record with schema errors still has
    its attachments, references and id checked.
    """
    source = decode_text(raw, shown)
    problems = list(source.problems)
    text = source.text if source.text is not None else decode_legacy(raw)
    if text is None:
        return None, problems, ()
    document = split_front_matter(text, shown)
    problems += document.problems
    meta = document.meta
    allowed = checks.allowed_numbers(site)
    placeholder = placeholders.present(text)
    if meta is not None:
        allowed |= checks.exempt_numbers(meta.data)
        problems += _front_matter_problems(meta, path, shown, content, schemas, site, departments)
        if placeholder:
            problems += placeholders.in_values(meta, shown, schemas.titles_by_kind["record"])
    problems += checks.body(document.body, document.body_line, shown, allowed, path, content)
    if placeholder:
        problems += placeholders.in_body(document.body, document.body_line, shown)
    # A GBK file's checks ran on its GBK text, but its Record would carry text the validation
    # cache cannot cut from the file's bytes again: it stays out of the cross-record checks.
    legacy = source.text is None
    if meta is None or legacy or any(p.code in UNREPRESENTABLE for p in problems):
        return None, problems, ()
    dept_id = path.relative_to(content / "departments").parts[0]
    record, attachment_problems = checks.to_record(
        meta, document, path, content, dept_id, schemas, shown
    )
    attachment_problems += pii_in_attachments(
        meta, record.attachments, content, shown, allowed, checks.MAX_PII_PROBLEMS
    )
    watched = attachment_files(meta.data)
    if any(p.code == "missing-attachment" for p in attachment_problems):
        # Its message names the file probably meant, from the folders' listings: the cache
        # keeps the result only while those folders (their mtimes) stay the same.
        watched += listed_folders(path.parent)
    return record, problems + attachment_problems, watched


def _front_matter_problems(
    meta: Located,
    path: Path,
    shown: str,
    content: Path,
    schemas: Schemas,
    site: SiteInfo | None,
    departments: dict[str, Department],
) -> list[Problem]:
    dept_id = path.relative_to(content / "departments").parts[0]
    titles = schemas.titles_by_kind["record"]
    suggest = value_suggester(schemas)
    problems = schema_problems(schemas.record, meta, shown, titles, suggest=suggest)
    problems += checks.record_fields(meta, shown, dept_id, departments, schemas, site)
    allowed = checks.allowed_numbers(site) | checks.exempt_numbers(meta.data)
    problems += checks.pii_in_values(meta, shown, allowed, "record", schemas)
    return problems + checks.html_in_values(meta, shown, schemas)
