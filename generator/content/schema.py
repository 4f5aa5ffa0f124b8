"""Validators and vocabularies, loaded once from the schema directory (``catalog_schema/``).

The files are trusted repository data, so they are read with PyYAML's C loader and a broken
file raises: that is a bug in the repository, not a content problem of an editor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from generator.content.workdays import HolidayCalendar, parse_holiday_calendar
from generator.core.records import Category

SCHEMA_KINDS = ("record", "department", "site")
_INDEX = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class Schemas:
    # No FormatChecker: every string shape is a ``pattern`` (dates are checked on the calendar
    # elsewhere, and the "date" format would report them twice).
    record: Draft202012Validator
    department: Draft202012Validator
    site: Draft202012Validator
    categories: dict[str, Category]  # in seed order
    topics: dict[str, tuple[str, ...]]  # 一级 → 二级 (empty for 其他)
    art20: dict[int, str]  # 1–15 → text of Art. 20 item
    art21: dict[str, str]  # stable id → Art. 21 county-level item (市政建设 …)
    calendar: HolidayCalendar
    # Dotted field path → Chinese title, record first, then department, then site
    # (only ``name`` differs between them).  Array indices are not part of a path.
    field_titles: dict[str, str]
    titles_by_kind: dict[str, dict[str, str]]  # "record" | "department" | "site" → titles

    def field_label(self, path: str, kind: str = "record") -> str:
        """``published（发布日期）`` for messages.

        Array indices are skipped for the lookup: ``attachments.0.title`` is titled like
        ``attachments.title``; an unknown path is returned as it is.
        """
        key = ".".join(part for part in path.split(".") if not _INDEX.match(part))
        title = self.titles_by_kind.get(kind, {}).get(key) or self.field_titles.get(key)
        return f"{path}（{title}）" if title else path


def default_schema_dir() -> Path:
    """The repository's ``catalog_schema/`` (the package runs from the checkout or an
    editable install, so it sits next to ``generator/``)."""
    path = Path(__file__).resolve().parents[2] / "catalog_schema"
    if not path.is_dir():
        raise FileNotFoundError(f"找不到规范目录 {path}；请从仓库目录运行或以可编辑方式安装。")
    return path


def load_schemas(schema_dir: Path) -> Schemas:
    raw = {kind: _read_json(schema_dir / f"{kind}.schema.json") for kind in SCHEMA_KINDS}
    validators = {kind: _validator(schema) for kind, schema in raw.items()}
    titles = {kind: dict(property_titles(schema)) for kind, schema in raw.items()}
    art = _read_yaml(schema_dir / "art20.yml")
    return Schemas(
        record=validators["record"],
        department=validators["department"],
        site=validators["site"],
        categories=parse_categories(_read_yaml(schema_dir / "categories.yml")),
        topics=parse_topics(_read_yaml(schema_dir / "topics.yml")),
        art20={int(item["number"]): str(item["text"]) for item in art["art20"]},
        art21={str(item["id"]): str(item["text"]) for item in art["art21"]},
        calendar=parse_holiday_calendar(_read_yaml(schema_dir / "holidays.yml")),
        field_titles=_merge(titles[kind] for kind in SCHEMA_KINDS),
        titles_by_kind=titles,
    )


def parse_categories(items: list[Mapping[str, Any]]) -> dict[str, Category]:
    categories = [
        Category(
            id=str(item["id"]),
            name=str(item["name"]),
            short_name=str(item["short_name"]),
            description=str(item["description"]),
            art20=tuple(int(n) for n in item["art20"]),
            block=item["block"],
            column_type=str(item["column_type"]),
        )
        for item in items
    ]
    return {c.id: c for c in categories}


def parse_topics(data: Mapping[str, list[str] | None]) -> dict[str, tuple[str, ...]]:
    return {str(first): tuple(str(s) for s in seconds or ()) for first, seconds in data.items()}


def property_titles(schema: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted path, title) for every property at every level, array items included."""
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        if "title" in sub:
            yield path, sub["title"]
        yield from property_titles(sub, f"{path}.")
        if isinstance(sub.get("items"), Mapping):
            yield from property_titles(sub["items"], f"{path}.")


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _merge(mappings: Iterator[dict[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for mapping in mappings:
        for key, value in mapping.items():
            merged.setdefault(key, value)
    return merged


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
