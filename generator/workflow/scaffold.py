"""`catalog new` and `catalog new-department`: files an editor can fill in.

The files are written as text from templates (not dumped from data) so that they keep Chinese
comments explaining every field.  Values are quoted as YAML double-quoted scalars.  Where the
editor still has to write something, the value is a placeholder that passes the schema (so that
only what is really missing is reported), written as
"（请填写…）" from `generator.content.placeholders`; `catalog validate` reports each one left
as a `placeholder` error, so none is published.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from generator.content.catalog import id_pattern
from generator.content.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_char
from generator.content.load import Located, parse_yaml, read_text, split_front_matter
from generator.content.reports import report_ids
from generator.content.schema import Schemas, load_schemas
from generator.content.schema_problems import schema_problems
from generator.content.validate import load_departments, load_site, record_files
from generator.core.records import Category, Department, SiteInfo
from generator.core.settings import Settings
from generator.workflow.scaffold_text import department_text, record_text

SLUG_MAX = 60
DEPARTMENT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}", re.ASCII)
_NOT_SLUG = re.compile(r"[^a-z0-9]+", re.ASCII)
_ID_LINE = re.compile(
    r"""^id:[ \t]*(["']?)([0-9A-Za-z][0-9A-Za-z._/-]*)\1[ \t]*(?:#.*)?$""", re.MULTILINE
)
_HEAD_BYTES = 64 * 1024


class ScaffoldError(Exception):
    """A request the editor has to change (unknown department, bad code …); message in Chinese."""


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str
    id: str | None = None  # the 索引号 of a new record


# ---- names and numbers -------------------------------------------------------------------


def slugify(title: str, max_length: int = SLUG_MAX) -> str:
    """ASCII kebab-case from the pinyin of a title: 2025年老年食堂 → 2025-nian-lao-nian-shi-tang."""
    text = unicodedata.normalize("NFKC", title)
    words = [
        _NOT_SLUG.sub("-", word.lower()).strip("-")
        for word in lazy_pinyin(text, style=Style.NORMAL)
    ]
    slug = "-".join(w for w in words if w)
    slug = re.sub(r"-{2,}", "-", slug)
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug or "record"


def free_path(folder: Path, slug: str) -> Path:
    """``folder/slug.md``, or ``slug-2.md``, ``slug-3.md`` … if taken."""
    candidate = folder / f"{slug}.md"
    number = 2
    while candidate.exists():
        candidate = folder / f"{slug}-{number}.md"
        number += 1
    return candidate


def existing_ids(content: Path, max_bytes: int) -> list[str]:
    """Every ``id`` written in a record or annual-report file, valid or not (a broken record
    still owns its id; a report is a catalog entry too).

    The ``id:`` line is found by a pattern in the front matter (10,000 records: ~0.3 s instead of
    ~2.5 s for a full parse); a file where it is written some other way is parsed as YAML.
    """
    ids = []
    for path in record_files(content):
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES).decode("utf-8", errors="replace").replace("\r\n", "\n")
        front = head.split("\n---", 1)[0] if head.startswith("---") else ""
        if match := _ID_LINE.search(front):
            ids.append(match[2])
            continue
        source = read_text(path, max_bytes=max_bytes)
        meta = split_front_matter(source.text, str(path)).meta if source.text else None
        if meta is not None and isinstance(meta.data.get("id"), str):
            ids.append(meta.data["id"])
    return ids + report_ids(content)


def next_record_id(template: str, values: dict[str, str | int], ids: list[str]) -> str:
    """The next 索引号 after the highest serial used with the same prefix fields.

    Gaps are never filled: a number freed by a deleted record is not given out again (as long
    as a higher one exists).
    """
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if "seq" not in fields:
        raise ScaffoldError(
            f"site.yml 的 id_template“{template}”中没有序号 {{seq}}，无法自动编号。"
        )
    pattern = id_pattern(template)
    used = [0]
    for existing in ids:
        match = pattern.fullmatch(existing)
        if match and all(match[name] == str(values[name]) for name in fields - {"seq"}):
            used.append(int(match["seq"]))
    taken = set(ids)
    seq = max(used) + 1
    while (candidate := template.format(**values, seq=seq)) in taken:
        seq += 1
    return candidate


def check_credit_code(code: str) -> None:
    """Refuse a 统一社会信用代码 whose GB 32100 check character is wrong, saying which it should be."""
    if code != code.upper():
        raise ScaffoldError(
            f"--org-code“{code}”含小写字母。统一社会信用代码一律大写，请改为“{code.upper()}”。"
        )
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if len(code) != 18 or bad:
        detail = (
            f"含有不使用的字符 {'、'.join(bad)}（I、O、Z、S、V 不使用）"
            if bad
            else f"长度为 {len(code)} 位"
        )
        raise ScaffoldError(
            f"--org-code“{code}”不是 18 位统一社会信用代码：{detail}。请对照法人证书核对。"
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ScaffoldError(
            f"--org-code“{code}”校验不通过：按 GB 32100 计算，第 18 位校验码应为“{expected}”，"
            f"实际为“{code[17]}”。请对照法人证书或登记证书核对前 17 位。"
        )


# ---- reading what exists -----------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    site: SiteInfo
    departments: dict[str, Department]
    schemas: Schemas


def read_context(settings: Settings) -> Context:
    content = settings.content_dir
    schemas = load_schemas(settings.schema_dir)
    if not (content / "site.yml").is_file():
        raise ScaffoldError(f"找不到 {content / 'site.yml'}。请用 --content 指定内容目录。")
    site, problems = load_site(content / "site.yml", schemas, settings)
    if site is None:
        raise ScaffoldError(
            f"{content / 'site.yml'} 有错误，请先运行 catalog validate 并修正。"
            f"（{problems[0].message if problems else ''}）"
        )
    departments, _ = load_departments(content / "departments", schemas, settings, site)
    return Context(site, departments, schemas)


def _choices(items: dict[str, str]) -> str:
    return "；".join(f"{key}（{name}）" for key, name in items.items()) or "（无）"


def pick_department(context: Context, dept_id: str, content: Path) -> Department:
    department = context.departments.get(dept_id)
    if department is not None:
        return department
    if (content / "departments" / dept_id / "department.yml").is_file():
        raise ScaffoldError(
            f"部门“{dept_id}”的 department.yml 有错误，请先运行 catalog validate 并修正。"
        )
    names = {d.id: d.name for d in sorted(context.departments.values(), key=lambda d: d.id)}
    raise ScaffoldError(
        f"未知部门“{dept_id}”。可选的部门（--department）：{_choices(names)}。"
        "新部门请先用 catalog new-department 创建。"
    )


def pick_category(context: Context, category_id: str) -> Category:
    category = context.schemas.categories.get(category_id)
    if category is not None:
        return category
    names = {c.id: c.name for c in context.schemas.categories.values()}
    raise ScaffoldError(
        f"未知目录分类“{category_id}”。可选的分类（--category）：{_choices(names)}。"
    )


# ---- planning the new files ----------------------------------------------------------------


def plan_record(
    settings: Settings, dept_id: str, category_id: str, title: str, written: date | None
) -> NewFile:
    """The record file `catalog new` would create; nothing is written."""
    context = read_context(settings)
    department = pick_department(context, dept_id, settings.content_dir)
    category = pick_category(context, category_id)
    title = title.strip()
    if not 1 <= len(title) <= 200 or any(
        unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in title
    ):
        raise ScaffoldError("--title 应为 1–200 个字的一行文字（与原件标题一致）。")
    written = written or settings.today
    if written > settings.today:
        raise ScaffoldError(
            f"--written {written} 晚于今天（{settings.today}）。成文日期不能是将来的日期。"
        )
    site = context.site
    values: dict[str, str | int] = {
        "org_code": department.org_code,
        "year": written.year,
        "area_code": site.area_code,
        "department": dept_id,
    }
    record_id = next_record_id(
        site.id_template, values, existing_ids(settings.content_dir, settings.max_file_bytes)
    )
    folder = settings.content_dir / "departments" / dept_id / str(written.year)
    text = record_text(
        record_id,
        title,
        category,
        written,
        settings.today,
        department,
        site,
        context.schemas.titles_by_kind["record"],
    )
    _self_check(text, context.schemas, front_matter=True)
    return NewFile(free_path(folder, slugify(title)), text, record_id)


def plan_department(
    settings: Settings, dept_id: str, fields: dict[str, str | None], reviewers: tuple[str, ...]
) -> NewFile:
    """The department.yml `catalog new-department` would create; nothing is written."""
    if not DEPARTMENT_ID.fullmatch(dept_id):
        raise ScaffoldError(
            f"部门目录名“{dept_id}”不合规：只能用小写英文字母、数字、“-”和“_”，"
            "以字母或数字开头，例如 edu、civil-affairs。"
        )
    folder = settings.content_dir / "departments" / dept_id
    if folder.exists():
        raise ScaffoldError(
            f"部门目录 {folder} 已存在。请换一个目录名，或直接修改其中的 department.yml。"
        )
    org_code = str(fields["org_code"])
    check_credit_code(org_code)
    context = read_context(settings)
    taken = {d.org_code: d.id for d in context.departments.values()}
    if org_code in taken:
        raise ScaffoldError(f"--org-code {org_code} 已被部门“{taken[org_code]}”使用。")
    text = department_text(
        fields, reviewers, context.site, context.schemas.titles_by_kind["department"]
    )
    _self_check(text, context.schemas, front_matter=False)
    return NewFile(folder / "department.yml", text)


def _self_check(text: str, schemas: Schemas, *, front_matter: bool) -> None:
    """What we generate must pass the schema; a bad option value surfaces here, in Chinese."""
    if front_matter:
        located: Located | None = split_front_matter(text, "new").meta
        validator, titles = schemas.record, schemas.titles_by_kind["record"]
    else:
        located = parse_yaml(text, "new")[0]
        validator, titles = schemas.department, schemas.titles_by_kind["department"]
    assert located is not None, "generated YAML must parse"  # a bug in the templates, not input
    problems = schema_problems(validator, located, "new", titles)
    if problems:
        raise ScaffoldError("；".join(p.message for p in problems))


def write_new_file(new: NewFile) -> None:
    """Create the file; never overwrite one that appeared in the meantime."""
    new.path.parent.mkdir(parents=True, exist_ok=True)
    with new.path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(new.text)
