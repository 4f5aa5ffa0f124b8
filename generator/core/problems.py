"""Problems are values: every check returns them, a reporter prints them once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告"}

# Stable kebab-case problem codes.  Tests, docs and CI annotations refer to them.
CODES = {
    "yaml-syntax": "YAML 语法错误",
    "duplicate-key": "重复的键",
    "encoding": "文件编码错误",
    "file-too-large": "文件过大",
    "forbidden-yaml": "不允许的 YAML 特性（锚点、别名、标签）",
    "front-matter": "缺少或格式错误的 front matter",
    "schema": "字段不符合规范",
    "duplicate-id": "索引号重复",
    "id-format": "索引号格式错误",
    "unknown-reference": "引用不存在",
    "invalid-date": "日期无效",
    "date-order": "日期先后顺序错误",
    "timeliness": "超过主动公开时限",
    "calendar-coverage": "节假日数据未覆盖",
    "doc-number": "发文字号不规范",
    "missing-attachment": "附件不存在或不合规",
    "broken-link": "内部链接失效",
    "pii": "包含个人信息",
    "unsafe-html": "包含不安全的 HTML",
    "unsafe-text": "包含不可见或控制字符",
    "zero-width": "包含零宽字符（可自动修正）",
    "placeholder": "模板占位文字未替换",
    "department-mismatch": "部门与所在目录不符",
    "org-code": "统一社会信用代码错误",
    "markdown-limit": "正文过大或嵌套过深",
    "attachment-metadata": "附件含作者等元数据",
    "symlink": "符号链接",
    "file-name": "文件名不适合发布",
    "request-history": "申请办理记录不合规",
    "report-balance": "年度报告表格数字不平衡",
    "report-carry-over": "年度报告上年结转与上年报告不一致",
    "report-catalog": "年度报告表二与目录不一致",
    "report-deadline": "年度报告晚于法定期限发布",
    "report-missing": "缺少上一年度的年度报告",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    field: str | None
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(file: str, line: int, column: int, code: str, field: str | None, message: str) -> Problem:
    return Problem(file, line, column, Severity.ERROR, code, field, message)


def warning(
    file: str, line: int, column: int, code: str, field: str | None, message: str
) -> Problem:
    return Problem(file, line, column, Severity.WARNING, code, field, message)


def exit_code(problems: list[Problem], *, strict: bool) -> int:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return 1 if errors or (strict and warnings) else 0
