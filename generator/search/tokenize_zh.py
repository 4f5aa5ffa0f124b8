"""Chinese text for search: segmentation, query terms, pinyin keys and highlighted snippets.

Pure functions over strings.  ``search_index`` wraps them for Whoosh; nothing here imports it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

import rjieba
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.core import Pinyin
from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.seg.simpleseg import seg as pinyin_words

MAX_INITIALS_GRAM = 10  # longest pinyin-initials n-gram indexed; longer queries are split
PINYIN_TITLE_CHARS = 80  # pinyin keys cover the start of long titles only
MEMO_LIMIT = 500_000  # distinct rjieba words whose token word_token remembers (then afresh)
_WORD = re.compile(r"\w", re.UNICODE)
_PINYIN_QUERY = re.compile(r"[a-z]+(?: +[a-z]+)*")
_normalized: dict[str, str | None] = {}  # raw rjieba word -> its token, or None if dropped


def segment(text: str) -> Iterator[tuple[str, int, int]]:
    """(token, start, end) in jieba search mode, lower-cased, punctuation and spaces dropped."""
    for word, start, end in rjieba.tokenize(text, mode="search"):
        token = word.strip().lower()
        if token and _WORD.search(token):
            yield token, start, end


def tokens(text: str) -> list[str]:
    """The tokens of ``segment`` without their offsets, about twice as fast (for indexing)."""
    found = []
    for word in rjieba.cut_for_search(text):
        token = word.strip().lower()
        if token and (token.isalnum() or _WORD.search(token)):
            found.append(token)
    return found


def token_counts(text: str) -> dict[str, int]:
    """``Counter(tokens(text))``, about 1.5× faster: rjieba's words are counted first (in C),
    then each distinct word is normalised once (and remembered across calls)."""
    counts: dict[str, int] = {}
    for word, count in word_counts(text).items():
        token = word_token(word)
        if token is not None:
            counts[token] = counts.get(token, 0) + count
    return counts


def word_counts(text: str) -> Counter[str]:
    """rjieba's search-mode words of ``text`` as they come (not normalised), counted."""
    return Counter(rjieba.cut_for_search(text))


def word_token(word: str) -> str | None:
    """The token of one of rjieba's words (stripped, lower case), None for space or
    punctuation; remembered across calls."""
    token = _normalized.get(word, "")
    if token == "":
        if len(_normalized) > MEMO_LIMIT:
            _normalized.clear()
        stripped = word.strip().lower()
        keep = stripped and (stripped.isalnum() or _WORD.search(stripped))
        token = _normalized[word] = stripped if keep else None
    return token


def query_groups(query: str) -> list[tuple[str, ...]]:
    """Each query word as alternatives: the whole word, or all of its smallest parts.

    The index holds search-mode tokens, so a long word of the query is found either as itself
    or, when the document was segmented differently, as its sub-words.  Returns one tuple per
    word: ``(word,)`` or ``(word, part1, part2, …)``.
    """
    groups: list[tuple[str, ...]] = []
    offset = 0
    for word in rjieba.cut(query):
        start, offset = offset, offset + len(word)
        token = word.strip().lower()
        if not token or not _WORD.search(token):
            continue
        parts = smallest_parts(word, start)
        groups.append((token, *parts) if parts and parts != [token] else (token,))
    return groups


def smallest_parts(word: str, start: int = 0) -> list[str]:
    """Search-mode sub-words of ``word`` that contain no shorter sub-word."""
    spans = [(s, e, t) for t, s, e in segment(word) if e - s < len(word)]
    return [
        t
        for s, e, t in spans
        if not any(s <= s2 and e2 <= e and (s2, e2) != (s, e) for s2, e2, _ in spans)
    ]


def char_syllables(title: str) -> list[str]:
    """One pinyin syllable per character of the (start of the) title, "" for non-Chinese ones.

    The same as ``lazy_pinyin(head)``: split into words as pypinyin splits a string (so that
    phrase readings hold: 重庆 → chong qing), each word converted once per process.
    """
    head = title[:PINYIN_TITLE_CHARS]
    return [syllable for word in pinyin_words(head) for syllable in _word_syllables(word)]


class _WordPinyin(Pinyin):
    """pypinyin for a word that is split already: ``pre_seg`` keeps it whole."""

    def pre_seg(self, hans: str, **kwargs: Any) -> list[str]:
        return [hans]


_WORD_PINYIN = _WordPinyin()


@lru_cache(maxsize=1 << 16)
def _word_syllables(word: str) -> tuple[str, ...]:
    return tuple(_WORD_PINYIN.lazy_pinyin(word, errors=_no_syllables))


def _no_syllables(chunk: str) -> Any:
    # pypinyin accepts a list here (one entry per character) though its stubs say str
    return [""] * len(chunk)


def pinyin_tokens(title: str, syllables: list[str] | None = None) -> list[str]:
    """Full-pinyin tokens: every syllable in order, then each word's syllables joined.

    ``syllables`` are ``char_syllables(title)`` when the caller has them already."""
    syllables = char_syllables(title) if syllables is None else syllables
    head = title[: len(syllables)]
    joined = ("".join(syllables[s:e]) for _, s, e in rjieba.tokenize(head) if e - s > 1)
    return [s for s in syllables if s] + [j for j in joined if j]


def initials_tokens(
    title: str, max_gram: int = MAX_INITIALS_GRAM, syllables: list[str] | None = None
) -> list[str]:
    """2…max_gram-letter runs of the title's pinyin initials ("zfxxgk" for 政府信息公开),
    each starting where a (search-mode) word starts: people type whole words' initials."""
    syllables = char_syllables(title) if syllables is None else syllables
    offsets = [0]  # initials offset of each character
    for syllable in syllables:
        offsets.append(offsets[-1] + (1 if syllable else 0))
    initials = "".join(s[0] for s in syllables if s)
    starts = {0} | {offsets[s] for _, s, _ in segment(title[: len(syllables)])}
    return sorted(
        {
            initials[i : i + n]
            for i in starts
            for n in range(2, max_gram + 1)
            if i + n <= len(initials)
        }
    )


def initials_grams(query: str, max_gram: int = MAX_INITIALS_GRAM) -> list[str]:
    """The indexed n-grams that together spell an initials query of any length."""
    if len(query) <= max_gram:
        return [query]
    starts = [*range(0, len(query) - max_gram, max_gram // 2), len(query) - max_gram]
    return [query[i : i + max_gram] for i in starts]


def is_pinyin_query(query: str) -> bool:
    """All ASCII letters (words separated by single spaces), at least two letters."""
    text = query.strip().lower()
    return len(text.replace(" ", "")) >= 2 and bool(_PINYIN_QUERY.fullmatch(text))


@cache
def _syllables() -> frozenset[str]:
    return frozenset(
        to_normal(p).replace("ü", "v") for v in pinyin_dict.values() for p in v.split(",")
    )


def split_syllables(text: str) -> list[str] | None:
    """Split "zhengfuxinxi" into ["zheng", "fu", "xin", "xi"] (fewest syllables), or None."""
    known = _syllables()
    best: list[list[str] | None] = [None] * (len(text) + 1)
    best[0] = []
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 6), end):
            prefix = best[start]
            piece = text[start:end]
            if prefix is not None and piece in known:
                candidate = [*prefix, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(text)]


def make_snippet(texts: list[str], terms: list[str], width: int = 120) -> str:
    """An HTML-escaped excerpt around the first matching term, terms wrapped in ``<mark>``.

    ``texts`` are tried in order (summary, then body excerpt); without a match the first
    non-empty text is shortened.
    """
    needles = sorted({t for t in terms if t}, key=len, reverse=True)
    pattern = (
        re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE) if needles else None
    )
    candidates = [t for t in texts if t]
    for text in candidates:
        found = pattern.search(text) if pattern else None
        if found and pattern:
            start = max(0, found.start() - width // 4)
            return _mark(_window(text, start, width), pattern)
    return html.escape(_window(candidates[0], 0, width)) if candidates else ""


def _window(text: str, start: int, width: int) -> str:
    piece = text[start : start + width]
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else "")


def _mark(text: str, pattern: re.Pattern[str]) -> str:
    out: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        out.append(html.escape(text[last : found.start()]))
        out.append(f"<mark>{html.escape(found.group())}</mark>")
        last = found.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def plain_text(markdown: str) -> str:
    """Markdown body reduced to readable text for excerpts (no markup, single spaces)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<[^>]{0,200}>", " ", text)
    text = re.sub(r"[#>*_`|~-]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
