"""What a search query means, the same for every search of the site: the served Whoosh search,
the catalog browser and the static search (``query_rules`` ships these rules to their scripts).

Pure functions over strings: width and compatibility forms folded (NFKC), traditional
characters simplified (OpenCC ``t2s``), 文号 brackets and ordinals normalised, question words
and stop words dropped, common abbreviations widened (年报 → 年度报告), each remaining word
given its alternatives as ``query_groups`` makes them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

import opencc
import rjieba

from generator.search.tokenize_zh import is_pinyin_query, query_groups

# Words that make a question of a query but are never what it looks for.  Matched as whole
# rjieba words, so 如何 is dropped from 如何办理营业执照 but 的 stays inside 目的地.
QUESTION_WORDS = frozenset(
    [
        "怎么办",
        "怎么样",
        "怎么",
        "怎样",
        "如何",
        "什么",
        "哪里",
        "哪儿",
        "哪些",
        "哪个",
        "在哪",
        "在哪里",
        "在哪儿",
        "为什么",
        "多少",
        "请问",
        "我想",
        "我要",
        "想要",
        "我们",
        "我",
        "你",
        "您",
        "能否",
        "能不能",
        "可以",
        "可不可以",
        "是否",
        "有没有",
        "需要",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "的",
        "地",
        "得",
        "了",
        "着",
        "过",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "有",
        "去",
        "要",
        "想",
        "应",
        "该",
        "怎",
        "谁",
        "咋",
        "啥",
    ]
)
# Abbreviations people type for the words records are titled with; each alternative must
# then be found as a whole (or as all of its parts, like any query word).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "年报": ("年度报告",),
    "低保": ("最低生活保障",),
    "公租房": ("公共租赁住房",),
    "廉租房": ("廉租住房",),
    "医保": ("医疗保障", "医疗保险"),
    "社保": ("社会保险", "社会保障"),
    "公积金": ("住房公积金",),
}
_YEAR_BRACKETS = re.compile(r"[\[［(（【〖﹝〔{｛]\s*([0-9]{4})\s*[\]］)）】〗﹞〕}｝]")
_ORDINAL = re.compile(r"(〔[0-9]{4}〕)\s*第?\s*0*(?=[1-9][0-9]*\s*号)")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w")

Alternative = tuple[str, ...]  # terms that must all be present
Word = tuple[Alternative, ...]  # any one alternative


@dataclass(frozen=True)
class QueryText:
    """One query understood: ``text`` normalised, ``words`` to match, ``exact`` to look up."""

    raw: str
    text: str  # folded, simplified, 文号 normalised, lower case
    words: tuple[Word, ...]
    dropped: tuple[str, ...]  # question and stop words left out

    @property
    def pinyin(self) -> str | None:
        """The letters of a pinyin query (``rxdj``, ``zheng fu``), else None."""
        return self.text if is_pinyin_query(self.text) else None

    @property
    def terms(self) -> list[str]:
        """Every term of every alternative, for highlighting."""
        return list(dict.fromkeys(t for word in self.words for alt in word for t in alt))


@cache
def _simplifier() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC (full-width letters, digits and brackets to ASCII), traditional characters to
    simplified, year brackets and ordinals of 文号 to the normal form, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _simplifier().convert(text)
    return fold_width(text)


def fold_width(text: str) -> str:
    """``fold`` without the traditional → simplified step (the browser scripts' fold; the
    catalog's own identifiers, cheaply)."""
    text = unicodedata.normalize("NFKC", text)
    text = _YEAR_BRACKETS.sub(r"〔\1〕", text)
    text = _ORDINAL.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip().lower()


def understand(query: str) -> QueryText:
    """The query folded, its question and stop words dropped (unless nothing else is left),
    each word with its alternatives: itself, its smallest parts, its expansions."""
    text = fold(query)
    if is_pinyin_query(text):
        groups = query_groups(text)
        return QueryText(query, text, tuple(_alternatives(g) for g in groups), ())
    kept, dropped = _content_words(text)
    groups = [
        g for word in kept for g in ([(word,)] if word in ABBREVIATIONS else query_groups(word))
    ]
    return QueryText(query, text, tuple(_alternatives(g) for g in groups), tuple(dropped))


def _content_words(text: str) -> tuple[list[str], list[str]]:
    words = [
        word
        for piece in _abbreviation_pattern().split(text)  # 公租房 stays whole (公 | 租房)
        for word in ([piece] if piece in ABBREVIATIONS else rjieba.cut(piece))
        if _WORD.search(word)
    ]
    kept = [w for w in words if w.strip().lower() not in QUESTION_WORDS]
    dropped = [w for w in words if w.strip().lower() in QUESTION_WORDS]
    if not kept:
        return words, []
    return kept, dropped


@cache
def _abbreviation_pattern() -> re.Pattern[str]:
    keys = sorted(ABBREVIATIONS, key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, keys)) + ")")


def _alternatives(group: tuple[str, ...]) -> Word:
    whole, *parts = group
    alternatives: list[Alternative] = [(whole,)]
    if parts:
        alternatives.append(tuple(parts))
    for expansion in ABBREVIATIONS.get(whole, ()):
        alternatives.append(tuple(g[0] for g in query_groups(expansion)))
    return tuple(dict.fromkeys(alternatives))


def query_rules() -> dict[str, Any]:
    """The rules above as data for the browser scripts (catalog browser, static search)."""
    return {
        "question_words": sorted(QUESTION_WORDS, key=lambda w: (-len(w), w)),
        "abbreviations": {k: list(v) for k, v in ABBREVIATIONS.items()},
    }
