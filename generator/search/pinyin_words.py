"""Chinese words for pinyin typed at the kiosk: the catalog's own vocabulary, each word with its
full pinyin, its initials and how many records it finds.

Built from the same fields wherever it is built (title, keywords and summary of each record):
``catalog serve`` from the Whoosh index's stored fields for ``GET /api/pinyin``, the kiosk build
from the catalog for ``assets/pinyin-words.json``, so both answer the same.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import rjieba

from generator.search.query_text import ABBREVIATIONS
from generator.search.tokenize_zh import char_syllables, query_groups

MAX_WORDS = 6000  # the most useful words kept: the static file stays small (~150 KB)
MAX_CANDIDATES = 12
_CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")
_LETTERS = re.compile(r"[a-z]{1,40}")


@dataclass(frozen=True)
class PinyinWord:
    text: str
    pinyin: str  # syllables joined: dibao
    initials: str  # db
    records: int  # records whose title, keywords or summary hold the word


@dataclass(frozen=True)
class Entry:
    """What a record gives the vocabulary."""

    title: str
    keywords: tuple[str, ...]
    summary: str

    @property
    def text(self) -> str:
        return " ".join((self.title, *self.keywords, self.summary))


def record_words(entry: Entry) -> set[str]:
    """The Chinese words of a record's title and its keywords (whole), as the tokenizer cuts."""
    words = {w for w in rjieba.cut(entry.title) if _CHINESE_WORD.fullmatch(w)}
    return words | {k for k in entry.keywords if _CHINESE_WORD.fullmatch(k)}


def build_vocabulary(entries: Iterable[Entry]) -> list[PinyinWord]:
    """Every word with the records it finds, most useful first, at most ``MAX_WORDS``."""
    entries = list(entries)
    words = {w for entry in entries for w in record_words(entry)}
    # found as the search finds them: as a token of the title, keywords or summary
    tokens = [set(rjieba.cut_for_search(entry.text)) for entry in entries]
    counted = Counter(t for found in tokens for t in found if t in words)
    for short, expansions in ABBREVIATIONS.items():  # 公租房 finds 公共租赁住房 (query_text)
        wanted = [{g[0] for g in query_groups(e)} for e in expansions]
        found = sum(short in t or any(w <= t for w in wanted) for t in tokens)
        if found:
            counted[short] = found
    best = sorted(counted.items(), key=lambda item: (-item[1], len(item[0]), item[0]))
    return [_with_pinyin(word, records) for word, records in best[:MAX_WORDS]]


def _with_pinyin(word: str, records: int) -> PinyinWord:
    syllables = char_syllables(word)
    return PinyinWord(word, "".join(syllables), "".join(s[:1] for s in syllables), records)


def candidates(
    vocabulary: list[PinyinWord], typed: str, limit: int = MAX_CANDIDATES
) -> list[PinyinWord]:
    """Words whose initials or full pinyin start with what was typed (letters, any case,
    spaces ignored): exact initials or pinyin first, then by the records they find."""
    query = typed.replace(" ", "").lower()
    if not _LETTERS.fullmatch(query):
        return []
    found = [w for w in vocabulary if w.initials.startswith(query) or w.pinyin.startswith(query)]
    exact = [w for w in found if query in (w.initials, w.pinyin)]
    rest = [w for w in found if query not in (w.initials, w.pinyin)]
    return (exact + rest)[:limit]


def candidates_json(vocabulary: list[PinyinWord], typed: str) -> dict[str, object]:
    """The value of ``GET /api/pinyin?q=``."""
    return {
        "query": typed,
        "candidates": [
            {"text": w.text, "records": w.records} for w in candidates(vocabulary, typed)
        ],
    }


def vocabulary_json(vocabulary: list[PinyinWord]) -> dict[str, object]:
    """The static file: column-oriented (words, pinyin, initials, records) to stay small."""
    return {
        "words": [w.text for w in vocabulary],
        "pinyin": [w.pinyin for w in vocabulary],
        "initials": [w.initials for w in vocabulary],
        "records": [w.records for w in vocabulary],
    }
