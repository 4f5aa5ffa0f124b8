"""JSON Schema errors → Problems an editor can act on (Chinese, with the English key)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from generator.load import Located, dotted
from generator.problems import Problem, error

_TYPE_ZH = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表（每项以“- ”开头）",
    "object": "映射（“键: 值”的形式）",
    "null": "空值",
}
_REQUIRED = re.compile(r"^'(.+)' is a required property$")
_DATE_PATTERNS = {r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", r"^\d{4}-\d{2}-\d{2}$"}


def describe_type(value: Any) -> str:
    for name, kind in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                       ("array", list), ("object", dict)):
        if isinstance(value, kind):
            return _TYPE_ZH[name]
    return _TYPE_ZH["null"]


def show_value(value: Any, limit: int = 60) -> str:
    if isinstance(value, dict):
        return "一个映射"
    if isinstance(value, list):
        return f"一个含 {len(value)} 项的列表"
    if value is None:
        return "空值"
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"“{text[:limit]}{'…' if len(text) > limit else ''}”"


def field_label(path: tuple[Any, ...], titles: dict[str, str]) -> str:
    """``service.steps[2]（办理流程）`` — the key as typed in the YAML, then its Chinese title."""
    name = dotted(path) or "（整个文件）"
    plain = ".".join(str(p) for p in path if not isinstance(p, int))
    title = titles.get(plain)
    return f"{name}（{title}）" if title else name


def schema_problems(
    validator: Draft202012Validator, located: Located, shown: str, titles: dict[str, str]
) -> list[Problem]:
    problems = []
    errors = sorted(validator.iter_errors(located.data), key=lambda e: [str(p) for p in e.path])
    for err in errors:
        if err.context:
            err = best_match(err.context)
        problems.extend(_translate(err, located, shown, titles))
    return problems


def _translate(
    err: ValidationError, located: Located, shown: str, titles: dict[str, str]
) -> list[Problem]:
    path = tuple(err.absolute_path)
    kind = str(err.validator)
    if kind == "required":
        match = _REQUIRED.match(err.message)
        key = match.group(1) if match else str(err.validator_value)
        return [_required(path, key, err, located, shown, titles)]
    if kind == "additionalProperties":
        return _unknown_keys(path, err, located, shown, titles)
    line, column = located.position(path)
    message = _message(err, path, titles)
    return [error(shown, line, column, "schema", dotted(path), message)]


def _required(
    path: tuple[Any, ...], key: str, err: ValidationError, located: Located, shown: str,
    titles: dict[str, str],
) -> Problem:
    line, column = located.position(path)
    child = (*path, key)
    description = err.schema.get("properties", {}).get(key, {}).get("description", "")
    hint = f"说明：{description}" if description else ""
    where = f"在 {dotted(path)} 下" if path else ""
    return error(
        shown, line, column, "schema", dotted(child),
        f"缺少必填字段 {field_label(child, titles)}。请{where}添加一行“{key}: …”。{hint}",
    )


def _unknown_keys(
    path: tuple[Any, ...], err: ValidationError, located: Located, shown: str,
    titles: dict[str, str],
) -> list[Problem]:
    allowed = sorted(err.schema.get("properties", {}))
    problems = []
    for key in sorted(set(err.instance) - set(allowed)):
        child = (*path, key)
        line, column = located.key_position(child)
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"是否应为“{close[0]}”（{titles.get('.'.join([*map(str, path), close[0]]), '')}）？" if close else ""
        problems.append(error(
            shown, line, column, "schema", dotted(child),
            f"未知字段“{key}”。{hint}允许的字段有：{'、'.join(allowed)}。请检查拼写或删除这一行。",
        ))
    return problems


def _message(err: ValidationError, path: tuple[Any, ...], titles: dict[str, str]) -> str:
    label = field_label(path, titles)
    value = err.instance
    kind = str(err.validator)
    expected = err.validator_value
    description = err.schema.get("description", "")
    hint = f"说明：{description}" if description else ""
    found = f"实际为{describe_type(value)} {show_value(value)}"
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        wanted = "或".join(_TYPE_ZH.get(str(n), str(n)) for n in names)
        tip = ""
        if "string" in names and isinstance(value, int | float) and not isinstance(value, bool):
            tip = "如果它本来是文字（日期、电话、编号），请加上英文引号，例如 \"2024-03-15\"。"
        return f"{label}应为{wanted}，{found}。{tip}{hint}"
    if kind == "pattern":
        if str(expected) in _DATE_PATTERNS:
            return f"{label}应为 YYYY-MM-DD 格式的日期（如 2024-03-15），{found}。请按该格式书写。"
        return f"{label}的格式不对，{found}。{hint}"
    if kind == "enum":
        choices = [str(c) for c in expected]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        guess = f"是否应为“{close[0]}”？" if close else ""
        return f"{label}应为以下之一：{'、'.join(choices)}，{found}。{guess}"
    if kind == "const":
        return f"{label}应为“{expected}”，{found}。"
    if kind in {"minLength", "maxLength"}:
        bound = "至少" if kind == "minLength" else "最多"
        return f"{label}长度应{bound} {expected} 个字符，实际为 {len(str(value))} 个字符。{hint}"
    if kind in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        bound = {"minimum": "不小于", "maximum": "不大于", "exclusiveMinimum": "大于",
                 "exclusiveMaximum": "小于"}[kind]
        return f"{label}应{bound} {expected}，{found}。"
    if kind in {"minItems", "maxItems"}:
        bound = "至少" if kind == "minItems" else "最多"
        return f"{label}应{bound}有 {expected} 项，实际有 {len(value)} 项。"
    if kind == "uniqueItems":
        return f"{label}中有重复的项，请删除重复项。"
    if kind == "format":
        return f"{label}应为 {expected} 格式，{found}。{hint}"
    if kind in {"not", "oneOf", "anyOf", "if", "then"}:
        return f"{label}不符合规范，{found}。{hint}"
    return f"{label}不符合规范（{kind}），{found}。{hint}"
