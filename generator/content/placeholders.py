"""The placeholder texts `catalog new` and `catalog new-department` write, and the check for them.

One list for both: the scaffolds take their texts from here, so a placeholder left in a record
is always recognised. Only these exact texts count: "（请填写姓名）" in a real form's description
is content, not a leftover.
"""

from __future__ import annotations

import re
from typing import Any

from generator.content.load import Located, dotted
from generator.core.problems import Problem, error

PLACEHOLDER = "（请填写{}）"

# What the scaffolds ask for in a field, as PLACEHOLDER.format(name).
FIELD_NAMES = (
    "内容概述",
    "办理依据",
    "办理条件",
    "申请材料",
    "第一步",
    "第二步",
    "办理时限",
    "收费标准",
    "负责人姓名",
    "本部门的主要职责",
    "办公地址",
)
BODY_TEXT = "（请在此填写正文。“## ”开头的行是小标题，“- ”开头的行是列表。）"
SERVICE_BODY = "（请填写办理中需要特别说明的事项，如委托办理、容缺受理。）"
PROJECT_CONTENT = "（请填写项目建设内容和目标。）"
PROJECT_PROGRESS = "（请按时间顺序填写进展。）"
SUPERVISION_SCOPE = "（请填写可以投诉举报的问题。）"
SUPERVISION_TIME = "（请填写受理和反馈的时限。）"

PLACEHOLDERS = (
    *(PLACEHOLDER.format(name) for name in FIELD_NAMES),
    BODY_TEXT,
    SERVICE_BODY,
    PROJECT_CONTENT,
    PROJECT_PROGRESS,
    SUPERVISION_SCOPE,
    SUPERVISION_TIME,
)
_ANY = re.compile("|".join(re.escape(text) for text in PLACEHOLDERS))
_ADVICE = "这是 catalog new 生成的占位文字，不改会原样发布到网站并能被检索到。请改为真实内容"


def present(text: str) -> bool:
    """One search of a whole file: the value walk and the body scan run only for a hit."""
    return _ANY.search(text) is not None


def in_values(meta: Located, shown: str, titles: dict[str, str]) -> list[Problem]:
    """A placeholder in any front-matter value (nested ones too)."""
    problems = []
    for path, text in _strings(meta.data, ()):
        match = _ANY.search(text)
        if match:
            line, column = meta.position(path)
            plain = ".".join(str(p) for p in path if not isinstance(p, int))
            title = titles.get(plain)
            label = f"{dotted(path)}（{title}）" if title else str(dotted(path))
            problems.append(
                error(
                    shown,
                    line,
                    column,
                    "placeholder",
                    dotted(path),
                    f"{label}仍是占位文字“{match.group()}”。{_ADVICE}。",
                )
            )
    return problems


def in_body(text: str, first_line: int, shown: str) -> list[Problem]:
    """A placeholder left in the Markdown body, at its line and column."""
    problems = []
    for match in _ANY.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(
            error(
                shown,
                line,
                column,
                "placeholder",
                "body",
                f"正文（body）中仍有占位文字“{match.group()}”。{_ADVICE}，或删去这一段。",
            )
        )
    return problems


def _strings(value: Any, path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _strings(v, (*path, k))]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in _strings(v, (*path, i))]
    return []
