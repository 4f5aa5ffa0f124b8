"""What a search asks and answers: the bounded ``SearchRequest``, hits, facets, suggestions,
their JSON value and their text for the terminal.  No Whoosh here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from generator.pages.rows import VALIDITY_ZH

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 50
MAX_PAGE = 100
SORTS = ("relevance", "date")


class QueryError(ValueError):
    """A search request outside the bounds; the message is for the person who sent it."""


@dataclass(frozen=True)
class SearchRequest:
    """A bounded search: ``create`` checks the bounds, messages name the parameter."""

    query: str = ""
    category: str | None = None
    department: str | None = None
    year: int | None = None
    page: int = 1
    size: int = 10
    sort: str = "relevance"  # or "date": newest first

    @classmethod
    def create(
        cls,
        query: str,
        *,
        category: str | None = None,
        department: str | None = None,
        year: int | None = None,
        page: int = 1,
        size: int = 10,
        sort: str = "relevance",
    ) -> SearchRequest:
        query = query.strip()
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(
                f"q（检索词）过长：最多 {MAX_QUERY_CHARS} 个字符，实际 {len(query)} 个。"
            )
        if "\x00" in query:
            raise QueryError("q（检索词）含有不允许的控制字符。")
        for name, value in (("category", category), ("department", department)):
            if value is not None and not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", value):
                raise QueryError(f"{name}（筛选条件）应为目录中的英文标识，实际为 {value[:40]!r}。")
        if year is not None and not 1949 <= year <= 2200:
            raise QueryError(f"year（年份）应在 1949 至 2200 之间，实际为 {year}。")
        if not 1 <= page <= MAX_PAGE:
            raise QueryError(f"page（页码）应在 1 至 {MAX_PAGE} 之间，实际为 {page}。")
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise QueryError(f"size（每页条数）应在 1 至 {MAX_PAGE_SIZE} 之间，实际为 {size}。")
        if sort not in SORTS:
            raise QueryError(
                f"sort（排序）应为 relevance（相关度）或 date（日期），实际为 {sort[:20]!r}。"
            )
        return cls(query, category, department, year, page, size, sort)

    def filters(self) -> dict[str, str]:
        chosen = {"category": self.category, "department": self.department, "year": self.year}
        return {name: str(value) for name, value in chosen.items() if value is not None}


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    url: str
    department: str
    category: str
    published: str
    snippet: str
    score: float
    doc_number: str = ""
    validity: str = "valid"
    kind: str = "record"  # or "page": one of the site's own pages (site_pages.py)


@dataclass(frozen=True)
class Suggestions:
    """What to try when nothing matched: filters to drop (with counts) and other words."""

    drop_filters: dict[str, int] = field(default_factory=dict)
    did_you_mean: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]]
    suggestions: Suggestions | None = None
    relaxed: bool = False  # no result had every word: these have most of them
    understood: str = ""  # the words searched for, when not what was typed

    def to_json(self) -> dict[str, Any]:
        """The JSON value of issue 4; ``suggestions`` is added only when nothing matched."""
        value: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "hits": [hit.__dict__.copy() for hit in self.hits],
            "facets": self.facets,
            "relaxed": self.relaxed,
            "understood": self.understood,
        }
        if self.suggestions is not None:
            value["suggestions"] = {
                "drop_filters": self.suggestions.drop_filters,
                "did_you_mean": list(self.suggestions.did_you_mean),
            }
        return value


def describe_result(result: SearchResult, page: int = 1, size: int = 10) -> str:
    """The result as readable Chinese text for the terminal (marks become 【】)."""
    lines = [f"“{result.query}”：共 {result.total} 条" + (f"，第 {page} 页" if page > 1 else "")]
    if result.understood:
        lines.append(f"按“{result.understood}”检索。")
    if result.relaxed:
        lines.append("没有同时包含全部检索词的结果，以下结果包含其中大部分检索词。")
    for number, hit in enumerate(result.hits, start=(page - 1) * size + 1):
        snippet = re.sub(r"</?mark>", lambda m: "】" if m.group()[1] == "/" else "【", hit.snippet)
        lines += [
            f"{number}. {hit.title}",
            f"   {hit.id} · {hit.doc_number or '无文号'} · {hit.department} · {hit.category}"
            f" · {hit.published} · {VALIDITY_ZH.get(hit.validity, hit.validity)}",
            f"   {html.unescape(snippet)}",
            f"   {hit.url}",
        ]
    labels = {"category": "分类", "department": "部门", "year": "年份"}
    for name, counts in result.facets.items():
        if counts:
            lines.append(f"{labels[name]}：" + " · ".join(f"{k} {v}" for k, v in counts.items()))
    if result.suggestions:
        for name, count in result.suggestions.drop_filters.items():
            lines.append(f"去掉 --{name} 筛选可找到 {count} 条。")
        if result.suggestions.did_you_mean:
            lines.append("您是不是要找：" + "、".join(result.suggestions.did_you_mean))
    return "\n".join(lines) + "\n"
