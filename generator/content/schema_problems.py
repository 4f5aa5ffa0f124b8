"""JSON Schema errors → Problems an editor can act on (Chinese, with the English key)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from generator.content.load import Located, dotted
from generator.content.normalize import slips
from generator.content.suggestions import date_suggestion
from generator.core.problems import Problem, error

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
    for name, kind in (
        ("boolean", bool),
        ("integer", int),
        ("number", float),
        ("string", str),
        ("array", list),
        ("object", dict),
    ):
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


Suggester = Callable[[tuple[Any, ...], Any], str]


def _no_suggestion(path: tuple[Any, ...], value: Any) -> str:
    return ""


def schema_problems(
    validator: Draft202012Validator,
    located: Located,
    shown: str,
    titles: dict[str, str],
    *,
    suggest: Suggester = _no_suggestion,
) -> list[Problem]:
    """``suggest(path, value)`` may name the value meant (“是否应为 policies？”) for an enum."""
    if fast_valid(validator, located.data):
        return []
    problems = []
    errors = sorted(validator.iter_errors(located.data), key=lambda e: [str(p) for p in e.path])
    for err in errors:
        if err.context:
            err = best_match(err.context)
        problems.extend(_translate(err, located, shown, titles, suggest))
    return problems


def _translate(
    err: ValidationError,
    located: Located,
    shown: str,
    titles: dict[str, str],
    suggest: Suggester = _no_suggestion,
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
    message = _message(err, path, titles, suggest)
    return [error(shown, line, column, "schema", dotted(path), message)]


def _required(
    path: tuple[Any, ...],
    key: str,
    err: ValidationError,
    located: Located,
    shown: str,
    titles: dict[str, str],
) -> Problem:
    line, column = located.position(path)
    child = (*path, key)
    description = err.schema.get("properties", {}).get(key, {}).get("description", "")
    hint = f"说明：{description}" if description else ""
    where = f"在 {dotted(path)} 下" if path else ""
    return error(
        shown,
        line,
        column,
        "schema",
        dotted(child),
        f"缺少必填字段 {field_label(child, titles)}。请{where}添加一行“{key}: …”。{hint}",
    )


def _unknown_keys(
    path: tuple[Any, ...],
    err: ValidationError,
    located: Located,
    shown: str,
    titles: dict[str, str],
) -> list[Problem]:
    allowed = sorted(err.schema.get("properties", {}))
    problems = []
    for key in sorted(set(err.instance) - set(allowed)):
        child = (*path, key)
        line, column = located.key_position(child)
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = (
            f"是否应为“{close[0]}”（{titles.get('.'.join([*map(str, path), close[0]]), '')}）？"
            if close
            else ""
        )
        problems.append(
            error(
                shown,
                line,
                column,
                "schema",
                dotted(child),
                f"未知字段“{key}”。{hint}允许的字段有：{'、'.join(allowed)}。请检查拼写或删除这一行。",
            )
        )
    return problems


def _message(
    err: ValidationError, path: tuple[Any, ...], titles: dict[str, str], suggest: Suggester
) -> str:
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
            tip = '如果它本来是文字（日期、电话、编号），请加上英文引号，例如 "2024-03-15"。'
            if str(err.schema.get("pattern")) in _DATE_PATTERNS and date_suggestion(value):
                return f"{label}应为文字（加引号的日期），{found}。{date_suggestion(value)}"
        return f"{label}应为{wanted}，{found}。{tip}{hint}"
    if kind == "pattern":
        if str(expected) in _DATE_PATTERNS:
            fix = date_suggestion(value) or "请按该格式书写。"
            return f"{label}应为 YYYY-MM-DD 格式的日期（如 2024-03-15），{found}。{fix}"
        return f"{label}的格式不对，{found}。{_slips(value)}{hint}"
    if kind == "enum":
        choices = [str(c) for c in expected]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        guess = suggest(path, value) or (f"是否应为“{close[0]}”？" if close else "")
        return f"{label}应为以下之一：{'、'.join(choices)}，{found}。{guess}"
    if kind == "const":
        return f"{label}应为“{expected}”，{found}。"
    if kind in {"minLength", "maxLength"}:
        bound = "至少" if kind == "minLength" else "最多"
        return f"{label}长度应{bound} {expected} 个字符，实际为 {len(str(value))} 个字符。{hint}"
    if kind in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        bound = {
            "minimum": "不小于",
            "maximum": "不大于",
            "exclusiveMinimum": "大于",
            "exclusiveMaximum": "小于",
        }[kind]
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


def _slips(value: Any) -> str:
    found = slips(value) if isinstance(value, str) else []
    return f"注意：这个值{'，'.join(found)}。" if found else ""


# A fast "is this document valid?" for the keywords our schemas use. jsonschema builds a new
# validator for every subschema it descends into (a third of validating 10,000 records); a
# document the compiled check accepts has no errors, so only the others are given to jsonschema
# for their messages. The check is exact where it answers: a schema with any other keyword gets
# no compiled check, and a value it does not judge (an item list of mappings for uniqueItems,
# a type the loader never makes) raises _Unsure and goes to jsonschema.

Check = Callable[[Any], bool]
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$defs",
    }
)
_LOADED = (str, int, float, bool, list, dict, type(None))  # every value the loader makes
_compiled: dict[int, tuple[Any, Check | None]] = {}


class _Unsure(Exception):
    """A value the compiled check does not judge; jsonschema does."""


class _Unsupported(Exception):
    """A schema the compiled check does not cover."""


def fast_valid(validator: Draft202012Validator, instance: Any) -> bool:
    """True only if jsonschema would find no error; False when it may find one."""
    return fast_verdict(validator, instance) is True


def fast_verdict(validator: Draft202012Validator, instance: Any) -> bool | None:
    """jsonschema's ``is_valid``, compiled; None where the compiled check does not judge."""
    schema = validator.schema
    found = _compiled.get(id(schema))
    if found is None or found[0] is not schema:
        try:
            check: Check | None = _Compiler(schema).compile(schema)
        except _Unsupported:
            check = None
        found = _compiled[id(schema)] = (schema, check)
    if found[1] is None:
        return None
    try:
        return found[1](instance)
    except _Unsure:
        return None


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def _all(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _unique(value: Any) -> bool:
    if not isinstance(value, list):
        return True
    if not all(isinstance(item, str) for item in value):
        raise _Unsure  # jsonschema's equality of numbers, booleans and mappings differs
    return len(set(value)) == len(value)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise _Unsupported(schema)
        checks = [
            self._keyword(key, value, schema)
            for key, value in schema.items()
            if key not in _ANNOTATIONS and key not in {"then", "else"}
        ]
        return _all([check for check in checks if check is not None] or [lambda value: True])

    def _keyword(self, key: str, value: Any, schema: dict[str, Any]) -> Check | None:
        method = getattr(self, "_" + key.lstrip("$"), None)
        if method is None:
            raise _Unsupported(key)
        check: Check | None = method(value, schema)
        return check

    def _type(self, value: Any, schema: dict[str, Any]) -> Check:
        names = value if isinstance(value, list) else [value]
        if not all(name in _TYPES for name in names):
            raise _Unsupported(value)
        kinds = [_TYPES[name] for name in names]

        def check(item: Any) -> bool:
            if not isinstance(item, _LOADED):
                raise _Unsure
            return any(kind(item) for kind in kinds)

        return check

    def _minLength(self, value: int, schema: dict[str, Any]) -> Check:
        return lambda item: not isinstance(item, str) or len(item) >= value

    def _maxLength(self, value: int, schema: dict[str, Any]) -> Check:
        return lambda item: not isinstance(item, str) or len(item) <= value

    def _pattern(self, value: str, schema: dict[str, Any]) -> Check:
        pattern = re.compile(value)
        return lambda item: not isinstance(item, str) or pattern.search(item) is not None

    def _enum(self, value: list[Any], schema: dict[str, Any]) -> Check:
        if not all(isinstance(choice, str) for choice in value):
            raise _Unsupported(value)
        choices = frozenset(value)
        return lambda item: isinstance(item, str) and item in choices

    def _const(self, value: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(value, str):
            raise _Unsupported(value)
        return lambda item: isinstance(item, str) and item == value

    def _minimum(self, value: float, schema: dict[str, Any]) -> Check:
        return lambda item: not _is_number(item) or item >= value

    def _maximum(self, value: float, schema: dict[str, Any]) -> Check:
        return lambda item: not _is_number(item) or item <= value

    def _minItems(self, value: int, schema: dict[str, Any]) -> Check:
        return lambda item: not isinstance(item, list) or len(item) >= value

    def _maxItems(self, value: int, schema: dict[str, Any]) -> Check:
        return lambda item: not isinstance(item, list) or len(item) <= value

    def _uniqueItems(self, value: bool, schema: dict[str, Any]) -> Check | None:
        return _unique if value is True else None

    def _required(self, value: list[str], schema: dict[str, Any]) -> Check:
        return lambda item: not isinstance(item, dict) or all(key in item for key in value)

    def _properties(self, value: dict[str, Any], schema: dict[str, Any]) -> Check:
        checks = {name: self.compile(sub) for name, sub in value.items()}
        return lambda item: (
            not isinstance(item, dict)
            or all(check(item[name]) for name, check in checks.items() if name in item)
        )

    def _additionalProperties(self, value: Any, schema: dict[str, Any]) -> Check:
        known = frozenset(schema.get("properties", {}))
        check = self.compile(value)
        return lambda item: (
            not isinstance(item, dict)
            or all(check(item[name]) for name in item if name not in known)
        )

    def _items(self, value: Any, schema: dict[str, Any]) -> Check:
        if "prefixItems" in schema:
            raise _Unsupported("prefixItems")
        check = self.compile(value)
        return lambda item: not isinstance(item, list) or all(check(one) for one in item)

    def _contains(self, value: Any, schema: dict[str, Any]) -> Check:
        if "minContains" in schema or "maxContains" in schema:
            raise _Unsupported("minContains")
        check = self.compile(value)
        return lambda item: not isinstance(item, list) or any(check(one) for one in item)

    def _propertyNames(self, value: Any, schema: dict[str, Any]) -> Check:
        check = self.compile(value)
        return lambda item: not isinstance(item, dict) or all(check(name) for name in item)

    def _allOf(self, value: list[Any], schema: dict[str, Any]) -> Check:
        return _all([self.compile(sub) for sub in value])

    def _if(self, value: Any, schema: dict[str, Any]) -> Check:
        condition = self.compile(value)
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda item: then(item) if condition(item) else otherwise(item)

    def _ref(self, value: str, schema: dict[str, Any]) -> Check:
        prefix = "#/$defs/"
        name = value[len(prefix) :]
        if not value.startswith(prefix) or "/" in name or "~" in name or "%" in name:
            raise _Unsupported(value)
        if name not in self.refs:
            target = self.root.get("$defs", {}).get(name)
            if target is None:
                raise _Unsupported(value)
            self.refs[name] = lambda item: True  # a recursive reference sees the final check
            compiled = self.compile(target)
            self.refs[name] = compiled
        refs = self.refs
        return lambda item: refs[name](item)
