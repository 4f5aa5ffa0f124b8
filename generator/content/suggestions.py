"""Did-you-mean for values an editor wrote in the words the site uses, not the codes it stores.

``政策文件`` is what the site calls the category ``policies``; ``区教育局`` is the department
``edu``; a date written ``2026年12月3日`` is ``2026-12-03``. The messages give the value to write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from generator.content.normalize import (
    FIX_HINT,
    fold_fullwidth,
    normalize_date,
    slips,
    strip_curly_quotes,
    strip_invisible,
)
from generator.content.schema import Schemas
from generator.core.records import Department

Suggester = Callable[[tuple[Any, ...], Any], str]

_WORDS = {
    "validity": {"有效": "valid", "失效": "expired", "废止": "repealed", "已修订": "amended"},
    "project.status": {"计划中": "planned", "实施中": "in-progress", "已完成": "done"},
}


def _key(text: str) -> str:
    return fold_fullwidth(strip_curly_quotes(strip_invisible(text))).strip().casefold()


def category_names(schemas: Schemas) -> dict[str, str]:
    """Every name the site shows for a category (seed name, short name, column) → its id."""
    names = {}
    for category in schemas.categories.values():
        for name in (category.id, category.name, category.short_name, category.column_type):
            names[_key(name)] = category.id
    return names


def department_names(departments: dict[str, Department]) -> dict[str, str]:
    names = {}
    for dept_id, department in departments.items():
        for name in (dept_id, department.name, department.short_name):
            names[_key(name)] = dept_id
    return names


def did_you_mean(value: Any, names: dict[str, str], labels: dict[str, str]) -> str:
    """“是否应为 policies（政策文件）？” when ``value`` is a known name of a code, else ""."""
    if not isinstance(value, str):
        return ""
    code = names.get(_key(value))
    if code is None or code == value:
        return ""
    label = labels.get(code)
    return f"是否应为 {code}{f'（{label}）' if label else ''}？"


def value_suggester(schemas: Schemas) -> Suggester:
    """For schema messages: the code meant by a Chinese name in an enum field. The tables are
    made on the first enum error, not for every file."""

    def suggest(path: tuple[Any, ...], value: Any) -> str:
        plain = ".".join(str(p) for p in path if not isinstance(p, int))
        if plain == "category":
            labels = {c.id: c.short_name for c in schemas.categories.values()}
            return did_you_mean(value, category_names(schemas), labels)
        if plain in _WORDS:
            return did_you_mean(value, {_key(k): v for k, v in _WORDS[plain].items()}, {})
        return ""

    return suggest


def date_suggestion(value: Any) -> str:
    """What is wrong with a date as written and the exact ``YYYY-MM-DD`` to write, or ""."""
    # A number is read as its digits: 20250305, or an Excel serial day such as 45721.
    fixed = normalize_date(value if isinstance(value, str) else str(value))
    if fixed is None or fixed == value:
        return ""
    found = slips(value) if isinstance(value, str) else []
    what = f"原值{'、'.join(found)}。" if found else ""
    return f'应写为 "{fixed}"。{what}{FIX_HINT}'


def similar_files(folder: Path, written: str, names: Iterable[str] | None = None) -> list[str]:
    """Files next to a record that an attachment name probably meant, as paths to write.

    Matches the same name in ``files/`` or another folder, a different letter case, or the same
    stem with another extension.
    """
    wanted = PurePosixPath(written)
    stem, name = wanted.stem.casefold(), wanted.name.casefold()
    found = []
    for path in names if names is not None else _files_under(folder):
        candidate = PurePosixPath(path)
        if candidate.as_posix() == wanted.as_posix():
            continue
        if candidate.name.casefold() == name or candidate.stem.casefold() == stem:
            found.append(candidate.as_posix())
    return sorted(found, key=lambda p: (p.count("/"), p))[:3]


def listed_folders(folder: Path, depth: int = 3) -> tuple[str, ...]:
    """The folders ``similar_files`` lists, relative to ``folder`` ("." for itself)."""
    found = ["."]
    stack = [(folder, 0)]
    while stack:
        current, level = stack.pop()
        try:
            entries = sorted(current.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink() and level < depth:
                found.append(entry.relative_to(folder).as_posix())
                stack.append((entry, level + 1))
    return tuple(found)


def _files_under(folder: Path, depth: int = 3) -> list[str]:
    found: list[str] = []
    stack = [(folder, 0)]
    while stack and len(found) < 2000:
        current, level = stack.pop()
        try:
            entries = sorted(current.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir() and level < depth:
                stack.append((entry, level + 1))
            elif entry.is_file() and not entry.name.endswith(".md"):
                found.append(entry.relative_to(folder).as_posix())
    return found
