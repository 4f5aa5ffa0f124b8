"""Cross-record checks (they need the whole catalog) and the assembly of the Catalog."""

from __future__ import annotations

import re
import string
import unicodedata
from collections import defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from generator.content.attachment_checks import resolve_inside
from generator.content.body_checks import find_links, is_external_url
from generator.content.schema import Schemas
from generator.content.suggestions import department_names, did_you_mean
from generator.core.problems import Problem, error
from generator.core.records import Catalog, Category, Department, Record, SiteInfo

_FIELD_PATTERNS = {
    "org_code": r"[0-9A-Z]{18}",
    "year": r"\d{4}",
    "area_code": r"\d{6}",
    "department": r"[a-z0-9-]+",
    "seq": r"\d+",
}


def id_pattern(template: str) -> re.Pattern[str]:
    """``{org_code}/{year}-{seq:05d}`` → a regex with named groups."""
    parts = []
    for literal, name, spec, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        width = re.fullmatch(r"0?(\d+)d", spec or "")
        body = (
            rf"\d{{{width.group(1)}}}"
            if width and name == "seq"
            else _FIELD_PATTERNS.get(name, r".+?")
        )
        parts.append(f"(?P<{name}>{body})")
    return re.compile("".join(parts))


def example_id(
    template: str, *, org_code: str, year: int, area_code: str = "", department: str = ""
) -> str:
    """The first 索引号 the template gives (serial 1): shown in messages and in the guide."""
    values = {
        "org_code": org_code,
        "year": year,
        "seq": 1,
        "area_code": area_code,
        "department": department,
    }
    try:
        return template.format(**values)
    except (KeyError, ValueError, IndexError):
        return template


def cross_check(
    records: list[Record],
    departments: dict[str, Department],
    site: SiteInfo | None,
    schemas: Schemas,
    content: Path,
) -> list[Problem]:
    problems = duplicate_ids(records)
    if site is not None:
        problems += id_formats(records, departments, site)
    problems += references(records, departments)
    problems += internal_links(records, content)
    return problems


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def duplicate_ids(records: list[Record]) -> list[Problem]:
    problems = []
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record.id:  # a record whose id did not parse has a schema error instead
            groups[_fold(record.id)].append(record)
    for group in groups.values():
        first = group[0]
        for other in group[1:]:
            line, column = other.position("id")
            same = other.id == first.id
            how = "相同" if same else "仅有大小写或全角/半角的差别，容易混淆"
            problems.append(
                error(
                    other.source,
                    line,
                    column,
                    "duplicate-id",
                    "id",
                    f"id（索引号）“{other.id}”与 {first.source} 第 {first.position('id')[0]} 行的"
                    f"“{first.id}”{how}。索引号必须全目录唯一且一经发布不得更改："
                    "请为后提交的这条记录换用下一个未使用的序号（可用 `catalog new` 自动生成）。",
                )
            )
    return problems


def id_formats(
    records: list[Record], departments: dict[str, Department], site: SiteInfo
) -> list[Problem]:
    template = site.id_template
    pattern = id_pattern(template)
    problems = []
    for record in records:
        if not record.id:
            continue
        department = departments.get(record.department)
        if is_legacy_id(record.id, department):
            continue
        line, column = record.position("id")
        expected = example_id(
            template,
            org_code=department.org_code if department else "（本部门统一社会信用代码）",
            year=record.written.year,
            area_code=site.area_code,
            department=record.department,
        )
        match = pattern.fullmatch(record.id)
        reason = None
        if match is None:
            reason = f"不符合索引号模板 {template}"
        elif (
            department
            and "org_code" in match.groupdict()
            and match["org_code"] != department.org_code
        ):
            reason = f"机构代码部分“{match['org_code']}”不是本部门的统一社会信用代码 {department.org_code}"
        elif (
            "year" in match.groupdict()
            and record.written != date.min  # no written date to compare: its problem is reported
            and int(match["year"]) != record.written.year
        ):
            reason = f"年份部分 {match['year']} 与 written（成文日期）的年份 {record.written.year} 不一致"
        if reason:
            problems.append(
                error(
                    record.source,
                    line,
                    column,
                    "id-format",
                    "id",
                    f"id（索引号）“{record.id}”{reason}。应形如“{expected}”（序号取本部门该年度下一个未用的号）。"
                    + (legacy_hint(department) if not reason.startswith("年份") else ""),
                )
            )
    return problems


def is_legacy_id(record_id: str, department: Department | None) -> bool:
    """A 索引号 kept from the department's old system (``legacy_ids`` in department.yml)."""
    pattern = _legacy_pattern(department.legacy_ids) if department else None
    return bool(pattern and pattern.fullmatch(record_id))


def legacy_hint(department: Department | None) -> str:
    """What to do when an old system's 索引号 must be kept, or why ``legacy_ids`` did not apply."""
    if department is None:
        return ""
    if department.legacy_ids and _legacy_pattern(department.legacy_ids) is None:
        return (
            f"（{department.source} 中的 legacy_ids（旧索引号规则）“{department.legacy_ids}”"
            "不是有效的正则表达式，请改正。）"
        )
    return (
        f"从旧系统导入、须保留原索引号的，请在 {department.source} 中用 legacy_ids（旧索引号规则）"
        "写出旧索引号的正则表达式。"
    )


@lru_cache(maxsize=64)
def _legacy_pattern(source: str | None) -> re.Pattern[str] | None:
    try:
        return re.compile(source) if source else None
    except re.error:
        return None  # never matches: the template check then names the record's id


def references(records: list[Record], departments: dict[str, Department]) -> list[Problem]:
    ids = {r.id for r in records}
    problems = []
    for record in records:
        targets = [
            ("interprets", record.interprets, "被解读的政策"),
            ("repealed_by", record.repealed_by, "替代它的新文件"),
        ]
        targets += [(f"related[{i}]", rid, "相关记录") for i, rid in enumerate(record.related)]
        for path, target, what in targets:
            if target is None or target in ids:
                continue
            line, column = record.position(path)
            problems.append(
                error(
                    record.source,
                    line,
                    column,
                    "unknown-reference",
                    path,
                    f"{path} 指向的索引号“{target}”不存在。这里应填写{what}的 id（索引号），"
                    "请从该记录文件中复制它的 id；如果那条记录尚未提交，请一并提交。",
                )
            )
        if record.id in (record.interprets, record.repealed_by) or record.id in record.related:
            line, column = record.position("id")
            problems.append(
                error(
                    record.source,
                    line,
                    column,
                    "unknown-reference",
                    "id",
                    "记录引用了它自己（interprets、repealed_by 或 related 中填写了本记录的 id）。请改为另一条记录的索引号。",
                )
            )
        lead = record.lead_department
        if lead is not None and lead not in departments:
            line, column = record.position("lead_department")
            problems.append(
                error(
                    record.source,
                    line,
                    column,
                    "unknown-reference",
                    "lead_department",
                    f"lead_department（牵头部门）“{lead}”不是已知的部门目录名。"
                    + did_you_mean(lead, department_names(departments), {})
                    + f"可选：{'、'.join(sorted(departments))}。",
                )
            )
    return problems


def internal_links(records: list[Record], content: Path) -> list[Problem]:
    sources = {f"departments/{r.department}/{r.slug}.md" for r in records}
    problems = []
    for record in records:
        folder = content / "departments" / record.department / Path(record.slug).parent
        listed = {attachment.path for attachment in record.attachments}
        for link in find_links(record.body, record.body_line):
            target = unquote(link.target.split("#", 1)[0].split("?", 1)[0])
            if not target or is_external_url(link.target) or link.target.startswith("#"):
                continue
            found = link_problem(folder, target, content, sources, listed)
            if found:
                kind = "图片" if link.image else "链接"
                message = f"正文（body）中的{kind}“{link.target}”{found}"
                problems.append(
                    error(record.source, link.line, link.column, "broken-link", "body", message)
                )
    return problems


def link_problem(
    folder: Path, target: str, content: Path, sources: set[str], listed: set[str]
) -> str | None:
    """What is wrong with a relative link from a record in ``folder`` (None: it works)."""
    resolved, why = resolve_inside(folder, target, content)
    if resolved is None:
        return f"{why}。请改为指向本目录其他记录（.md）或附件的相对路径。"
    where = (content / resolved).as_posix()
    if resolved.suffix == ".md":
        if resolved.as_posix() in sources:
            return None
        return (
            f"指向的记录文件不存在（{where}）。请检查文件名和相对路径（以本记录所在目录为起点）。"
        )
    if not (content / resolved).is_file():
        return f"指向的文件不存在（{where}）。请检查文件名和相对路径，并确认文件已提交。"
    if resolved.as_posix() not in listed:
        return (
            "指向的文件没有列在本记录的 attachments（附件）中：网站只发布列出的附件，这个链接在网站上"
            f"会失效（404）。请在 attachments 中加一项，如 {{file: {target}, title: 附件名称}}。"
        )
    return None


def sort_key(record: Record) -> tuple[int, str]:
    return (-record.published.toordinal(), record.id)


def assemble_catalog(
    site: SiteInfo,
    departments: dict[str, Department],
    categories: dict[str, Category],
    records: list[Record],
    today: date,
    art20: dict[int, str] | None = None,
) -> Catalog:
    ordered = sorted(records, key=sort_key)
    return Catalog(
        site=site,
        departments=departments,
        categories=categories,
        records=tuple(r for r in ordered if r.published <= today),
        today=today,
        scheduled=tuple(r for r in ordered if r.published > today),
        art20=dict(art20 or {}),
    )
