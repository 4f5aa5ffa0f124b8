"""Reporters: the same problem list as readable text, JSON, GitHub annotations or JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict
from itertools import groupby

from generator.core.problems import SEVERITY_ZH, Problem


def _counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(p.is_error for p in problems)
    return errors, len(problems) - errors


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code, p.message))


def format_text(problems: list[Problem], records: int) -> str:
    lines = []
    for p in _sorted(problems):
        field = f" {p.field}:" if p.field else ""
        lines.append(
            f"{p.file}:{p.line}:{p.column}: {SEVERITY_ZH[p.severity]} [{p.code}]{field} {p.message}"
        )
    errors, warnings = _counts(problems)
    verdict = "全部通过。" if not problems else "请按上面的提示逐条修改后重新检查。"
    lines.append(f"检查了 {records} 条记录：{errors} 个错误，{warnings} 个警告。{verdict}")
    return "\n".join(lines) + "\n"


def format_json(problems: list[Problem], records: int) -> str:
    errors, warnings = _counts(problems)
    document = {
        "records": records,
        "errors": errors,
        "warnings": warnings,
        "problems": [{**asdict(p), "severity": p.severity.value} for p in _sorted(problems)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: list[Problem], records: int) -> str:
    """Workflow annotations, then the readable lines (Gitea/Forgejo ignore annotations)."""
    lines = []
    for p in _sorted(problems):
        level = "error" if p.is_error else "warning"
        title = _escape_property(f"[{p.code}] {p.field or ''}".strip())
        lines.append(
            f"::{level} file={_escape_property(p.file)},line={p.line},col={p.column},"
            f"title={title}::{_escape_data(p.message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "") + format_text(problems, records)


def format_junit(problems: list[Problem], records: int) -> str:
    """One test case per file with problems; errors fail it, warnings go to its output."""
    by_file = {
        file: list(group) for file, group in groupby(_sorted(problems), key=lambda p: p.file)
    }
    failed = sum(any(p.is_error for p in items) for items in by_file.values())
    root = ET.Element("testsuites", tests=str(max(1, len(by_file))), failures=str(failed))
    suite = ET.SubElement(
        root,
        "testsuite",
        name="catalog validate",
        tests=str(max(1, len(by_file))),
        failures=str(failed),
        errors="0",
    )
    if not by_file:
        ET.SubElement(suite, "testcase", classname="catalog", name=f"{records} 条记录")
    for file, items in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="catalog", name=file)
        text = format_text(items, records).rsplit("\n", 2)[0]
        errors = sum(p.is_error for p in items)
        if errors:
            ET.SubElement(case, "failure", message=f"{errors} 个错误").text = text
        else:
            ET.SubElement(case, "system-out").text = text
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


FORMATTERS: dict[str, Callable[[list[Problem], int], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "junit": format_junit,
}
