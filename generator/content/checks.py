"""Per-document checks beyond the schema, and the conversion of a checked document to a Record."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.content import body_checks

# ALLOWED_ATTACHMENTS is re-exported: catalog import (generator/migrate) reads it from here.
from generator.content.attachment_checks import ALLOWED_ATTACHMENTS as ALLOWED_ATTACHMENTS
from generator.content.attachment_checks import check_attachments
from generator.content.docnumber import normalize_doc_number
from generator.content.identifiers import credit_code_check_char, is_valid_credit_code
from generator.content.load import FrontMatterDocument, Located, display_path, dotted
from generator.content.normalize import FIX_HINT
from generator.content.pii import find_pii, normalize_number
from generator.content.schema import Schemas
from generator.content.suggestions import department_names, did_you_mean
from generator.content.workdays import OutOfCoverage
from generator.core.problems import Problem, error, warning
from generator.core.records import Department, Record, SiteInfo

DATE_FIELDS = ("written", "published", "effective", "expires", "updated")
PROJECT_DATES = ("start", "end")
MAX_PII_PROBLEMS = 20  # per value list or body: the first ones and a count are enough to act on
_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _titled(path: tuple[Any, ...], schemas: Schemas) -> str:
    plain = ".".join(str(p) for p in path if not isinstance(p, int))
    title = schemas.field_titles.get(plain)
    return f"{dotted(path)}（{title}）" if title else str(dotted(path))


def _date_problem(value: str, label: str, shown: str, pos: tuple[int, int], path: str) -> Problem:
    hint = "请检查月份（01–12）和该月的天数。"
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
        if 1 <= month <= 12 and day > _DAYS[month]:
            hint = f"{month} 月没有 {day} 日，请改为该月的真实日期。"
        elif month == 2 and day == 29 and year >= 1:
            hint = f"{year} 年不是闰年，2 月没有 29 日，请改为该月的真实日期。"
    return error(
        shown,
        pos[0],
        pos[1],
        "invalid-date",
        path,
        f"{label}应为 YYYY-MM-DD 格式的真实日期，实际为“{value}”。{hint}",
    )


def record_dates(
    meta: Located, shown: str, schemas: Schemas
) -> tuple[dict[str, date], list[Problem]]:
    """Real calendar dates of a record, or invalid-date problems for shaped-but-unreal ones."""
    data = meta.data
    found: dict[str, date] = {}
    problems = []
    locations: list[tuple[tuple[str, ...], Any]] = [
        ((name,), data.get(name)) for name in DATE_FIELDS
    ]
    project = data.get("project")
    if isinstance(project, dict):
        locations += [(("project", name), project.get(name)) for name in PROJECT_DATES]
    for path, value in locations:
        shaped = isinstance(value, str) and value.isascii() and len(value) == 10
        if not shaped or value[4] != "-" or value[7] != "-":
            continue  # absent or wrongly shaped: the schema reports it, with the date to write
        parsed = parse_date(value)
        if parsed is None:
            problems.append(
                _date_problem(
                    value, _titled(path, schemas), shown, meta.position(path), str(dotted(path))
                )
            )
        else:
            found[".".join(path)] = parsed
    return found, problems


def record_fields(
    meta: Located,
    shown: str,
    dept_id: str,
    departments: dict[str, Department],
    schemas: Schemas,
    site: SiteInfo | None,
) -> list[Problem]:
    data = meta.data
    problems: list[Problem] = []
    declared = data.get("department")
    if declared is not None and declared != dept_id:
        line, column = meta.position(("department",))
        meant = did_you_mean(declared, department_names(departments), {})
        problems.append(
            error(
                shown,
                line,
                column,
                "department-mismatch",
                "department",
                f"department（发布机构）为“{declared}”，但文件位于部门目录“{dept_id}”中。{meant}"
                f"请改为 department: {dept_id}，或删除这一行（部门由文件所在目录决定），或把文件移到正确的部门目录。",
            )
        )
    dates, date_problems = record_dates(meta, shown, schemas)
    problems += date_problems
    problems += date_order(dates, meta, shown, schemas)
    problems += doc_number(data.get("doc_number"), meta, shown)
    problems += topic(data.get("topic"), meta, shown, schemas)
    if site is not None:
        problems += timeliness(dates, meta, shown, schemas, site)
    return problems


_ORDER_RULES = (
    ("written", "published", "发布日期不能早于成文日期"),
    ("effective", "expires", "失效日期不能早于生效日期"),
    ("written", "updated", "变更日期不能早于成文日期"),
    ("project.start", "project.end", "项目结束日期不能早于开始日期"),
)


def date_order(
    dates: dict[str, date], meta: Located, shown: str, schemas: Schemas
) -> list[Problem]:
    problems = []
    for first, second, rule in _ORDER_RULES:
        if first in dates and second in dates and dates[second] < dates[first]:
            path = tuple(second.split("."))
            line, column = meta.position(path)
            problems.append(
                error(
                    shown,
                    line,
                    column,
                    "date-order",
                    second,
                    f"{rule}：{_titled(tuple(first.split('.')), schemas)}为 {dates[first]}，"
                    f"{_titled(path, schemas)}为 {dates[second]}。请核对两个日期。",
                )
            )
    return problems


def timeliness(
    dates: dict[str, date], meta: Located, shown: str, schemas: Schemas, site: SiteInfo
) -> list[Problem]:
    """Art. 26: published within ``deadlines.proactive`` working days of forming or changing."""
    if "written" not in dates or "published" not in dates:
        return []
    start = dates["written"]
    if "updated" in dates and dates["updated"] <= dates["published"]:
        start = max(start, dates["updated"])
    published = dates["published"]
    if published <= start:
        return []
    line, column = meta.position(("published",))
    limit = site.deadlines.proactive
    calendar = schemas.calendar
    try:
        used = calendar.workdays_between(start, published)
    except OutOfCoverage:
        return [
            warning(
                shown,
                line,
                column,
                "calendar-coverage",
                "published",
                f"无法计算 published（发布日期）是否超过 {limit} 个工作日的公开时限："
                f"节假日数据只覆盖 {calendar.coverage_start} 至 {calendar.coverage_end}。"
                "请维护人员在 catalog_schema/holidays.yml 中补充该年度的放假安排（国务院办公厅通知）。",
            )
        ]
    if used <= limit:
        return []
    return [
        warning(
            shown,
            line,
            column,
            "timeliness",
            "published",
            f"published（发布日期）{published} 距成文/变更日期 {start} 已过 {used} 个工作日，"
            f"超过《政府信息公开条例》第二十六条规定的 {limit} 个工作日。"
            "请核对日期是否填写正确；如确已逾期，请尽快发布并在审核时说明原因。",
        )
    ]


def doc_number(value: Any, meta: Located, shown: str) -> list[Problem]:
    if not isinstance(value, str) or not value.strip():
        return []
    check = normalize_doc_number(value)
    line, column = meta.position(("doc_number",))
    if not check.recognized:
        return [
            warning(
                shown,
                line,
                column,
                "doc-number",
                "doc_number",
                f"doc_number（发文字号）“{value}”不是常见的文号格式。规范格式为“机关代字〔年份〕序号号”，"
                "例如“青禾政办发〔2024〕12号”（六角括号，年份四位，序号不编虚位、不加“第”）。请核对原文件。",
            )
        ]
    if not check.is_canonical:
        reason = f"（{check.reason}）" if check.reason else ""
        return [
            warning(
                shown,
                line,
                column,
                "doc-number",
                "doc_number",
                f"doc_number（发文字号）“{value}”写法不规范{reason}。建议改为“{check.normalized}”；"
                + FIX_HINT,
            )
        ]
    return []


def topic(value: Any, meta: Located, shown: str, schemas: Schemas) -> list[Problem]:
    if not isinstance(value, str):
        return []
    first, _, second = value.partition("\\")
    known = schemas.topics
    if first in known and (second in known[first] or (not second and not known[first])):
        return []
    line, column = meta.position(("topic",))
    if first in known:
        options = "、".join(known[first]) or "（无二级分类）"
        hint = f"“{first}”下的二级分类有：{options}。"
    else:
        hint = f"一级分类有：{'、'.join(known)}。"
    return [
        error(
            shown,
            line,
            column,
            "unknown-reference",
            "topic",
            f"topic（主题分类）“{value}”不在主题分类表中。应写作“一级\\二级”，如 '科技、教育\\教育'"
            f"（用反斜杠分隔，整体加单引号）。{hint}",
        )
    ]


def org_code(meta: Located, shown: str) -> list[Problem]:
    value = meta.data.get("org_code")
    if not isinstance(value, str) or len(value) != 18 or is_valid_credit_code(value):
        return []
    line, column = meta.position(("org_code",))
    try:
        expected = credit_code_check_char(value[:17])
        hint = f"按 GB 32100 计算，第 18 位校验码应为“{expected}”，实际为“{value[17]}”。"
    except (KeyError, ValueError):
        hint = "其中含有统一社会信用代码不使用的字符（I、O、Z、S、V 或小写字母）。"
    return [
        error(
            shown,
            line,
            column,
            "org-code",
            "org_code",
            f"org_code（统一社会信用代码）“{value}”校验不通过。{hint}请对照本单位的法人证书或登记证书核对。",
        )
    ]


def allowed_numbers(site: SiteInfo | None) -> frozenset[str]:
    return normalized_numbers(tuple(site.public_numbers)) if site else frozenset()


@lru_cache(maxsize=16)
def normalized_numbers(numbers: tuple[str, ...]) -> frozenset[str]:
    """Once per run, not once per file: every record asks for the same site's numbers."""
    return frozenset(normalize_number(n) for n in numbers)


def declared_public_numbers(data: dict[str, Any]) -> frozenset[str]:
    """``public_numbers`` as written in site.yml, before the file is known to be valid."""
    numbers = data.get("public_numbers")
    if not isinstance(numbers, list):
        return frozenset()
    return frozenset(normalize_number(n) for n in numbers if isinstance(n, str) and n.strip())


def exempt_numbers(data: dict[str, Any]) -> frozenset[str]:
    exemptions = data.get("pii_exemptions")
    if not isinstance(exemptions, list):
        return frozenset()
    return frozenset(
        normalize_number(str(item["value"]))
        for item in exemptions
        if isinstance(item, dict) and item.get("value") and item.get("reviewed_by")
    )


def _walk_strings(value: Any, path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [
            x
            for k, v in value.items()
            if k != "pii_exemptions"
            for x in _walk_strings(v, (*path, k))
        ]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in _walk_strings(v, (*path, i))]
    if isinstance(value, int) and not isinstance(value, bool) and value > 999_999:
        return [(path, str(value))]
    return []


def _pii_message(kind_zh: str, masked: str, where: str, scope: str) -> str:
    allow = (
        "如该号码确属依法公开的单位电话，请把它加入内容目录下 site.yml 的 public_numbers；"
        if kind_zh == "手机号码" and scope != "site"
        else ""
    )
    exempt = (
        "确需公开的，经审核后可在本记录的 pii_exemptions 中登记（value、reason、reviewed_by）。"
        if scope == "record"
        else ""
    )
    return (
        f"{where}含有疑似{kind_zh}（{masked}）。个人信息不得主动公开（《条例》第十五条）。"
        f"请删除或隐去该号码；{allow}{exempt}"
    )


def _more_pii(problems: list[Problem], found: int, where: str) -> list[Problem]:
    """The first ``MAX_PII_PROBLEMS`` problems, and one more counting the rest."""
    if found <= MAX_PII_PROBLEMS:
        return problems
    last = problems[MAX_PII_PROBLEMS - 1]
    return [
        *problems[:MAX_PII_PROBLEMS],
        error(
            last.file,
            last.line,
            last.column,
            "pii",
            last.field,
            f"{where}中另有 {found - MAX_PII_PROBLEMS} 处疑似个人信息（手机号码、身份证号码或银行卡号）"
            "未逐一列出。请检查全文，全部删除或隐去。",
        ),
    ]


def pii_in_values(
    meta: Located, shown: str, allowed: frozenset[str], scope: str, schemas: Schemas
) -> list[Problem]:
    problems = []
    found = 0
    for path, text in _walk_strings(meta.data, ()):
        for match in find_pii(text, allowed):
            found += 1
            if found <= MAX_PII_PROBLEMS:
                line, column = meta.position(path)
                problems.append(
                    error(
                        shown,
                        line,
                        column,
                        "pii",
                        dotted(path),
                        _pii_message(match.kind_zh, match.masked, _titled(path, schemas), scope),
                    )
                )
    return _more_pii(problems, found, "front matter")


def html_in_values(meta: Located, shown: str, schemas: Schemas) -> list[Problem]:
    """Front-matter values are plain text: a tag in one is a mistake or an attack."""
    problems = []
    for path, text in _walk_strings(meta.data, ()):
        tag = body_checks.first_tag(text)
        if tag:
            line, column = meta.position(path)
            problems.append(
                error(
                    shown,
                    line,
                    column,
                    "unsafe-html",
                    dotted(path),
                    f"{_titled(path, schemas)}是纯文本，不能含 HTML 标签或注释（“{tag}”）。"
                    "网页上会按原样显示为文字；请删除它，需要强调的内容请写在正文里。",
                )
            )
    return problems


def body(
    text: str,
    first_line: int,
    shown: str,
    allowed: frozenset[str],
    path: Path,
    content: Path,
    scope: str = "record",
) -> list[Problem]:
    problems = body_checks.check_limits(text, shown, first_line)
    if problems:
        return problems  # do not feed pathological input to the other scanners
    problems += body_checks.check_html(text, shown, first_line)
    problems += body_checks.check_link_schemes(body_checks.find_links(text, first_line), shown)
    return problems + pii_in_body(text, first_line, shown, allowed, scope)


def pii_in_body(
    text: str, first_line: int, shown: str, allowed: frozenset[str], scope: str
) -> list[Problem]:
    matches = find_pii(text, allowed)
    problems = []
    for match in matches[:MAX_PII_PROBLEMS]:
        line = first_line + text.count("\n", 0, match.start)
        column = match.start - (text.rfind("\n", 0, match.start) + 1) + 1
        problems.append(
            error(
                shown,
                line,
                column,
                "pii",
                "body",
                _pii_message(match.kind_zh, match.masked, "正文（body）", scope),
            )
        )
    return _more_pii(problems, len(matches), "正文（body）")


def to_record(
    meta: Located,
    document: FrontMatterDocument,
    path: Path,
    content: Path,
    dept_id: str,
    schemas: Schemas,
    shown: str | None = None,  # display_path(path), when the caller has it already
) -> tuple[Record, list[Problem]]:
    """The Record of a document, from whatever parsed: a field of the wrong type is left empty,
    so that a record with schema errors still takes part in the cross-record checks."""
    data = meta.data
    shown = shown or display_path(path)
    files, problems = check_attachments(meta, path, content, shown)
    category = schemas.categories.get(_text(data.get("category")))
    slug = path.relative_to(content / "departments" / dept_id).with_suffix("").as_posix()

    def day(name: str) -> date | None:
        return parse_date(data.get(name))

    record = Record(
        id=_text(data.get("id")),
        title=_text(data.get("title")).strip(),
        category=category.id if category else "",
        summary=_text(data.get("summary")).strip(),
        written=day("written") or date.min,
        published=day("published") or date.min,
        department=dept_id,
        slug=slug,
        source=shown,
        body=document.body,
        body_line=document.body_line,
        doc_number=_optional(data.get("doc_number")),
        topic=_optional(data.get("topic")),
        form=_optional(data.get("form")),
        keywords=_texts(data.get("keywords")),
        validity=_text(data.get("validity")) or "valid",
        effective=day("effective"),
        expires=day("expires"),
        repealed_by=_optional(data.get("repealed_by")),
        interprets=_optional(data.get("interprets")),
        related=_texts(data.get("related")),
        attachments=files,
        channels=_texts(data.get("channels")) or ("website",),
        art20=_numbers(data.get("art20")) or (category.art20 if category else ()),
        lead_department=_optional(data.get("lead_department")),
        updated=day("updated"),
        service=_mapping(data.get("service")),
        project=_mapping(data.get("project")),
        contacts=_mapping(data.get("contacts")),
        positions={dotted(p) or "": v for p, v in meta.values.items()},
    )
    return record, problems


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _optional(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _numbers(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, int) and not isinstance(v, bool))


def _mapping(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None
