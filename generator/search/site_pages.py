"""The site's own pages in search (公开指南, 依申请公开, the application form, 监督保障, Art. 20,
annual reports, the catalog browser): found first when their name is what was asked.

One table for the served search (``whoosh_search``) and the static search (``pagefind_index``).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.search.query_text import QueryText

MIN_NAME_CHARS = 2
PARTIAL_CHARS = 4  # a shorter name inside the query (监督, 统计) is not asking for the page


@dataclass(frozen=True)
class SitePage:
    key: str
    title: str
    url: str  # relative to the site root
    names: tuple[str, ...]  # what people call it; the title is one of them
    description: str


SITE_PAGES = (
    SitePage(
        "guide", "政府信息公开指南", "guide.html",
        ("政府信息公开指南", "信息公开指南", "公开指南", "指南", "办事指引"),
        "分类和编排体系、获取方式、工作机构和依申请公开程序。",
    ),
    SitePage(
        "apply", "依申请公开", "apply.html",
        ("依申请公开", "申请公开", "申请政府信息公开", "政府信息公开申请", "信息公开申请"),
        "申请渠道、申请内容、办理时限和政府信息公开申请表。",
    ),
    SitePage(
        "apply-form", "政府信息公开申请表", "apply-form.html",
        ("政府信息公开申请表", "信息公开申请表", "公开申请表", "申请表"),
        "可打印的政府信息公开申请表。",
    ),
    SitePage(
        "supervision", "监督保障", "supervision.html",
        ("监督保障", "监督", "投诉", "举报", "投诉举报", "行政复议", "救济"),
        "政府信息公开工作的监督、投诉举报和救济渠道。",
    ),
    SitePage(
        "art20", "法定主动公开内容", "art20.html",
        ("法定主动公开内容", "主动公开内容", "第二十条", "条例第二十条", "二十条"),
        "《政府信息公开条例》第二十条规定主动公开的内容。",
    ),
    SitePage(
        "reports", "政府信息公开工作年度报告", "reports.html",
        ("政府信息公开工作年度报告", "政府信息公开年度报告", "信息公开年度报告", "年度报告",
         "年报", "公开年报", "统计", "统计数据", "工作统计"),
        "政府信息公开工作年度报告和统计数据。",
    ),
    SitePage(
        "browse", "政府信息公开目录检索", "browse.html",
        ("政府信息公开目录", "公开目录", "目录检索", "信息公开目录"),
        "按分类、部门、年份、主题和有效性筛选政府信息公开目录。",
    ),
)  # fmt: skip


def _compact(text: str) -> str:
    return "".join(text.split()).lower()


def matching_pages(query: QueryText) -> list[SitePage]:
    """Pages one of whose names is the query (its question words dropped), or is contained in
    it: 公开指南, 怎么申请公开, 政府信息公开申请表下载; not 政府信息公开 (inside many names)."""
    asked = _compact("".join(word[0][0] for word in query.words))
    if len(asked) < MIN_NAME_CHARS or query.pinyin:
        return []
    names = {p.key: [_compact(n) for n in p.names] for p in SITE_PAGES}
    exact = [p for p in SITE_PAGES if asked in names[p.key]]
    longest = {
        p.key: max(
            (len(n) for n in names[p.key] if n in asked and len(n) >= PARTIAL_CHARS),
            default=0,
        )
        for p in SITE_PAGES
    }
    partial = [p for p in SITE_PAGES if p not in exact and longest[p.key]]
    return exact + sorted(partial, key=lambda p: -longest[p.key])
