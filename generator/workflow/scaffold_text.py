"""The text of new record files and department.yml files, with a Chinese comment on every field.

Field titles come from the JSON Schemas (``titles``), the hints below say how to fill them in;
tests check that every schema property has a hint, so a new field cannot be forgotten here.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import partial

from generator.content.placeholders import (
    BODY_TEXT,
    PLACEHOLDER,
    PROJECT_CONTENT,
    PROJECT_PROGRESS,
    SERVICE_BODY,
    SUPERVISION_SCOPE,
    SUPERVISION_TIME,
)
from generator.content.provenance import IMPORT_MARK
from generator.core.records import Category, Department, SiteInfo

# The second line of every file `catalog import` writes: re-imports update only such files, and
# anything judging a file's history (the audit) can tell an imported record from a new one.
NEW_HEADER = (
    "# 本文件由 catalog new 生成：两行“---”之间是信息的字段（YAML），其后是正文（Markdown）。",
    "# 以“#”开头的行是说明，不会发布。“（请填写…）”是占位文字，提交前请全部改为真实内容。",
    "# 可选字段：删去行首的“# ”即可启用。字段说明见 CONTRIBUTING.md（投稿指南）。",
)

RECORD_HINTS = {
    "id": "由 catalog new 按本部门本年度的下一个序号生成。发布后不得更改；已删除记录的索引号也不得再用",
    "title": "与原件标题一致，1–200 个字",
    "category": "九个目录分类之一，写英文编号",
    "summary": "一两句话概括主要内容，不要重复标题、文号等字段；1–300 个字，建议不超过 100 字",
    "written": "文件签发或信息制作完成的日期，YYYY-MM-DD，加引号；年份须与索引号中的年份一致",
    "published": "在本站公开的日期，不得早于成文日期，应在成文或变更后 {limit} 个工作日内发布"
    "（条例第二十六条）；晚于今天的日期表示到那天才公开",
    "department": "一般省略：部门由文件所在的部门目录决定",
    "doc_number": "有文号时填写：机关代字〔四位年份〕序号号，不加“第”，序号不编虚位",
    "topic": "按主题分类表写“一级\\二级”，中间一个反斜杠，整体加单引号",
    "form": "公文种类，如 通知、决定、意见、办法、公告；不是公文时省略",
    "keywords": "便于检索的关键词，最多 20 个，不要重复",
    "validity": "valid 有效（默认）、expired 失效、repealed 废止（同时填 repealed_by）、amended 已修订",
    "effective": "开始施行的日期；与发布日期相同时省略",
    "expires": "有效期届满的日期；长期有效时省略",
    "repealed_by": "废止或替代本文件的那条信息的索引号（必须是本站已有的索引号）",
    "interprets": "本条是政策解读时，被解读文件的索引号（必须是本站已有的索引号）",
    "related": "相关信息的索引号列表",
    "attachments": "附件放在本记录旁的 files/ 目录，file 写相对于本文件的路径；"
    "提交前运行 catalog clean-attachments 清除作者等元数据",
    "attachments.file": "附件文件相对于本记录文件的路径，如 files/附件1.pdf",
    "attachments.title": "页面上显示的附件名称",
    "channels": "除本网站外的公开渠道：website、gazette、reading-room、notice-board、screen、"
    "service-center、press",
    "art20": "属于条例第二十条第几项（1–15）；省略时按分类默认{default}",
    "lead_department": "联合发文时编发文号的主办机关全称；不是联合发文时省略",
    "updated": "内容变更后重新发布的日期；未变更时省略",
    "pii_exemptions": "看起来像个人信息、经审核确可公开的号码（value、reason、reviewed_by）；"
    "只由审核人在保密审查后填写",
    "pii_exemptions.value": "与正文中完全一致的号码，加引号",
    "pii_exemptions.reason": "为什么可以公开",
    "pii_exemptions.reviewed_by": "批准豁免的审核人账号",
    "service": "办事服务类（services）必填",
    "service.basis": "法律、法规、规章或规范性文件的名称和条款",
    "service.conditions": "申请人应当具备的条件",
    "service.materials": "需要提交的材料，每项一行，以“- ”开头",
    "service.steps": "办理步骤，按先后顺序每步一行",
    "service.time_limit": "承诺办结时限，如 5 个工作日",
    "service.fee": "收费项目、标准和依据；不收费时写“不收费”",
    "service.location": "办事窗口地址（先填了本部门地址，请核对）",
    "service.hours": "窗口办公时间（先填了本部门办公时间，请核对）",
    "service.phone": "办事咨询电话（先填了本部门电话，请核对）",
    "service.online_url": "可网上办理时填写办理页面地址，以 https:// 开头",
    "project": "为民办实事类（livelihood）必填",
    "project.budget": "计划投资，单位万元，写数字（如 1200.5），不加引号；请把 0 改为实际金额",
    "project.progress": "目前完成的百分比，0–100 的整数",
    "project.status": "planned 计划中、in-progress 实施中、done 已完成",
    "project.start": "开始实施的日期",
    "project.end": "完成或计划完成的日期",
    "contacts": "监督投诉类（supervision）必填",
    "contacts.phone": "受理投诉举报的电话（先填了本部门电话，请核对）",
    "contacts.email": "受理投诉举报的电子邮箱（先填了本部门邮箱，请核对）",
    "contacts.address": "信件投诉的通信地址和收件单位（先填了本部门地址，请核对）",
    "contacts.mailbox": "网上投诉信箱的名称或地址",
}

DEPARTMENT_HINTS = {
    "name": "部门的规范全称",
    "short_name": "用于导航、表格和磁贴的简称，不超过 20 个字",
    "org_code": "18 位统一社会信用代码（已按 GB 32100 校验）；它是本部门索引号的前缀，启用后不要更改",
    "head": "主要负责人姓名（条例第二十条第二项要求公开）",
    "duties": "部门的法定职能，可在“|”下面分行逐条书写",
    "units": "内设机构及其职责，每个机构写 name 和 duties",
    "units.name": "内设机构名称",
    "units.duties": "该内设机构的主要职责",
    "address": "对外办公地址",
    "hours": "对外办公时间；冬夏时间不同时都写上",
    "phone": "对外联系电话，加引号",
    "fax": "传真号码，加引号；没有传真时删去这一行",
    "email": "对外公开的电子邮箱",
    "postcode": "6 位邮政编码，加引号",
    "legacy_ids": "从旧系统导入的记录保留原索引号时，匹配旧索引号的正则表达式（catalog import 使用）",
    "reviewers": "负责本部门保密审查、合并修改请求的代码托管账号（不带 @）；catalog codeowners 据此生成 CODEOWNERS",
}

RECORD_BODIES = {
    None: ["## 主要内容", "", BODY_TEXT],
    "service": ["## 办理说明", "", SERVICE_BODY],
    "project": ["## 项目内容", "", PROJECT_CONTENT, "", "## 推进情况", "", PROJECT_PROGRESS],
    "contacts": ["## 监督范围", "", SUPERVISION_SCOPE, "", "## 办理时限", "", SUPERVISION_TIME],
}


def import_header(source_name: str) -> tuple[str, ...]:
    return (
        f"{IMPORT_MARK}（来源：{source_name}）。再次导入时按索引号整体更新本文件；"
        "要手工修改并保留修改，请删去这一行。",
        "# 两行“---”之间是信息的字段（YAML），其后是正文（Markdown）。以“#”开头的行是说明，不会发布。",
    )


def quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is a subset), safe for any text."""
    text = json.dumps(value, ensure_ascii=False)
    for char in ("\u0085", "\u2028", "\u2029"):  # YAML 1.1 line breaks that JSON leaves raw
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _comment(
    path: str, titles: dict[str, str], hints: dict[str, str], indent: str = "", **values: object
) -> str:
    key = path.rsplit(".", 1)[-1]
    hint = hints[path].format(**values) if values else hints[path]
    return f"{indent}# {titles.get(path, key)}（{key}）：{hint}。"


def _entry(
    path: str, value: str, titles: dict[str, str], hints: dict[str, str], **values: object
) -> list[str]:
    indent = "  " * path.count(".")
    key = path.rsplit(".", 1)[-1]
    return [_comment(path, titles, hints, indent, **values), f"{indent}{key}: {value}"]


def _optional(path: str, *lines: str, titles: dict[str, str], **values: object) -> list[str]:
    indent = "  " * path.count(".")
    return [
        _comment(path, titles, RECORD_HINTS, indent, **values),
        *(f"{indent}# {line}" for line in lines),
    ]


def _list(items: list[str], indent: str) -> list[str]:
    return [f"{indent}  - {quote(item)}" for item in items]


def record_text(
    record_id: str,
    title: str,
    category: Category,
    written: date,
    today: date,
    department: Department,
    site: SiteInfo,
    titles: dict[str, str],
    *,
    filled: dict[str, str] | None = None,
    body: str | None = None,
    header: tuple[str, ...] = NEW_HEADER,
) -> str:
    """A record file: front matter with every required field and the category's block, and a
    body skeleton.

    ``filled`` gives YAML value text (already quoted) for ``summary``, ``published`` and any
    optional field, written as a real line instead of a commented example (``catalog import``);
    ``body`` replaces the skeleton and ``header`` the opening comment.
    """
    filled = filled or {}
    e = partial(_entry, titles=titles, hints=RECORD_HINTS)
    published = filled.get("published", quote(max(today, written).isoformat()))
    lines = [
        "---",
        *header,
        *e("id", quote(record_id)),
        *e("title", quote(title)),
        _comment("category", titles, RECORD_HINTS) + f"本条为 {category.id}（{category.name}）。",
        f"category: {category.id}",
        *e("summary", filled.get("summary", quote(PLACEHOLDER.format("内容概述")))),
        *e("written", quote(written.isoformat())),
        *e("published", published, limit=site.deadlines.proactive),
        *_optional_fields(category, written, today, titles, filled),
        *_block(category.block, department, written, titles),
        "---",
        "",
        *(
            body.splitlines()
            if body is not None
            else RECORD_BODIES.get(category.block, RECORD_BODIES[None])
        ),
    ]
    return "\n".join(lines) + "\n"


def _optional_fields(
    category: Category, written: date, today: date, titles: dict[str, str], filled: dict[str, str]
) -> list[str]:
    year = written.year
    default = f" {list(category.art20)}" if category.art20 else "：本分类没有默认项"
    art20 = category.art20[0] if category.art20 else 15
    examples = {
        "doc_number": [f'doc_number: "机关代字〔{year}〕1号"'],
        "topic": ["topic: '综合政务\\政务公开'"],
        "form": ["form: 通知"],
        "keywords": ["keywords: [关键词一, 关键词二]"],
        "validity": ["validity: valid"],
        "effective": [f'effective: "{written.isoformat()}"'],
        "expires": [f'expires: "{year + 5}-12-31"'],
        "repealed_by": ['repealed_by: "新文件的索引号"'],
        "interprets": ['interprets: "被解读文件的索引号"'],
        "related": ['related: ["相关信息的索引号"]'],
        "attachments": ["attachments:", "  - file: files/附件1.pdf", "    title: 附件名称"],
        "channels": ["channels: [website, notice-board]"],
        "art20": [f"art20: [{art20}]"],
        "lead_department": ["lead_department: 主办机关全称"],
        "updated": [f'updated: "{today.isoformat()}"'],
    }
    lines = ["# ---- 以下为可选字段 ----"]
    for name, example in examples.items():
        values = {"default": default} if name == "art20" else {}
        if name in filled:
            lines += _entry(name, filled[name], titles, RECORD_HINTS, **values)
        else:
            lines += _optional(name, *example, titles=titles, **values)
    return lines


def _block(
    block: str | None, department: Department, written: date, titles: dict[str, str]
) -> list[str]:
    e = partial(_entry, titles=titles, hints=RECORD_HINTS)
    if block is None:
        return []
    head = [_comment(block, titles, RECORD_HINTS), f"{block}:"]
    if block == "service":
        return [
            *head,
            *e("service.basis", quote(PLACEHOLDER.format("办理依据"))),
            *e("service.conditions", quote(PLACEHOLDER.format("办理条件"))),
            _comment("service.materials", titles, RECORD_HINTS, "  "),
            "  materials:",
            *_list([PLACEHOLDER.format("申请材料")], "  "),
            _comment("service.steps", titles, RECORD_HINTS, "  "),
            "  steps:",
            *_list([PLACEHOLDER.format("第一步"), PLACEHOLDER.format("第二步")], "  "),
            *e("service.time_limit", quote(PLACEHOLDER.format("办理时限"))),
            *e("service.fee", quote(PLACEHOLDER.format("收费标准"))),
            *e("service.location", quote(department.address)),
            *e("service.hours", quote(department.hours)),
            *e("service.phone", quote(department.phone)),
            _comment("service.online_url", titles, RECORD_HINTS, "  "),
            '  # online_url: "https://"',
        ]
    if block == "project":
        return [
            *head,
            *e("project.budget", "0"),
            *e("project.progress", "0"),
            *e("project.status", "planned"),
            *e("project.start", quote(written.isoformat())),
            _comment("project.end", titles, RECORD_HINTS, "  "),
            f'  # end: "{written.year}-12-31"',
        ]
    return [
        *head,
        *e("contacts.phone", quote(department.phone)),
        *e("contacts.email", quote(department.email)),
        *e("contacts.address", quote(department.address)),
        _comment("contacts.mailbox", titles, RECORD_HINTS, "  "),
        "  # mailbox: 网上信箱名称和网址",
    ]


def department_text(
    fields: dict[str, str | None],
    reviewers: tuple[str, ...],
    site: SiteInfo,
    titles: dict[str, str],
) -> str:
    """department.yml with every key; values not given are placeholders or the office's."""
    office = site.office
    e = partial(_entry, titles=titles, hints=DEPARTMENT_HINTS)

    def given(key: str, fallback: str, note: str | None = None) -> list[str]:
        value = fields.get(key)
        lines = e(key, quote(value or fallback))
        return [f"# （{note}）", *lines] if note and not value else lines

    borrowed = "暂填区政府信息公开工作机构的，请改为本部门的"
    lines = [
        "# 本文件由 catalog new-department 生成：部门的机构概况，用于机构职能页面和政府信息公开指南。",
        "# 以“#”开头的行是说明，不会发布。“（请填写…）”是占位文字，提交前请改为真实内容。",
        *e("name", quote(str(fields["name"]))),
        *e("short_name", quote(str(fields["short_name"]))),
        *e("org_code", quote(str(fields["org_code"]))),
        *given("head", PLACEHOLDER.format("负责人姓名")),
        _comment("duties", titles, DEPARTMENT_HINTS),
        "duties: |-",
        f"  {PLACEHOLDER.format('本部门的主要职责')}",
        _comment("units", titles, DEPARTMENT_HINTS),
        "units: []",
        "# units:",
        "#   - name: 办公室",
        "#     duties: 负责机关日常运转、文电、会务和政务公开工作。",
        *given("address", PLACEHOLDER.format("办公地址")),
        *given("hours", office.hours, borrowed),
        *given("phone", office.phone, borrowed),
    ]
    if fields.get("fax"):
        lines += e("fax", quote(str(fields["fax"])))
    else:
        lines += [_comment("fax", titles, DEPARTMENT_HINTS), '# fax: "0000-00000000"']
    lines += [
        *given("email", office.email, borrowed),
        *given("postcode", office.postcode, borrowed),
        _comment("legacy_ids", titles, DEPARTMENT_HINTS),
        "# legacy_ids: '^[0-9]{9}/[0-9]{4}-[0-9]{5}$'",
        _comment("reviewers", titles, DEPARTMENT_HINTS),
        *(
            ["reviewers:", *(f"  - {quote(r)}" for r in reviewers)]
            if reviewers
            else ["reviewers: []"]
        ),
    ]
    return "\n".join(lines) + "\n"


# ---- the canonical front matter (catalog tidy, and catalog fix when it rewrites a record) ------

_KEYWORD = re.compile(
    r"[a-z][a-z0-9-]*", re.ASCII
)  # enum values (policies, in-progress) stay plain
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(value: object) -> str:
    """One value in the canonical style: strings double-quoted (``quote``), except a string with
    a backslash (a topic such as 综合政务\\政务公开), which is single-quoted so it reads as typed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _KEYWORD.fullmatch(text) and text not in _YAML_WORDS:
        return text
    if "\\" in text and "'" not in text and text.isprintable():
        return f"'{text}'"
    return quote(text)


def is_empty(value: object) -> bool:
    """None, "", and lists or mappings holding nothing but empty values (a form's blank block)."""
    if isinstance(value, dict):
        return all(is_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(is_empty(v) for v in value)
    return value is None or value == ""


def ordered_keys(data: dict[str, object], schema: dict[str, object]) -> list[str]:
    """The schema's property order; keys it does not know keep their order, at the end."""
    known = list(schema.get("properties", {}) or {})  # type: ignore[call-overload]
    return [k for k in known if k in data] + [k for k in data if k not in known]


def front_matter_lines(
    data: dict[str, object], schema: dict[str, object], indent: str = ""
) -> list[str]:
    """``data`` as YAML lines, keys in schema order, empty values left out; lists of scalars in
    flow style (``[a, b]``), lists of mappings and mappings in block style."""
    properties: dict[str, dict[str, object]] = schema.get("properties", {}) or {}  # type: ignore[assignment]
    lines = []
    for key in ordered_keys(data, schema):
        value = data[key]
        if is_empty(value):
            continue
        sub = properties.get(key, {})
        if isinstance(value, dict):
            lines += [f"{indent}{key}:", *front_matter_lines(value, sub, indent + "  ")]
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            items: dict[str, object] = sub.get("items", {})  # type: ignore[assignment]
            lines.append(f"{indent}{key}:")
            for item in value:
                if is_empty(item):
                    continue
                inner = front_matter_lines(item if isinstance(item, dict) else {}, items, "")
                lines += [f"{indent}  - {inner[0]}", *(f"{indent}    {line}" for line in inner[1:])]
        elif isinstance(value, list):
            lines.append(f"{indent}{key}: [{', '.join(scalar(item) for item in value)}]")
        else:
            lines.append(f"{indent}{key}: {scalar(value)}")
    return lines


def record_file_text(data: dict[str, object], schema: dict[str, object], body: str) -> str:
    """A whole record file in the canonical form: front matter, then the body as written."""
    body = body.lstrip("\n").rstrip() + "\n" if body.strip() else ""
    return "\n".join(["---", *front_matter_lines(data, schema), "---", body])
