"""The Whoosh query tree our searcher's matches and scores are compared with (test only)."""

from __future__ import annotations

from whoosh import query as wq

from generator.search.tokenize_zh import (
    initials_grams,
    is_pinyin_query,
    query_groups,
    split_syllables,
)
from generator.search.whoosh_search import TEXT_FIELDS


def text_query(query: str) -> wq.Query | None:
    """Every query word must match in some text field (as itself or as all of its parts);
    an all-letters query may instead match the title's pinyin or pinyin initials."""
    clauses = [_word_clause(group) for group in query_groups(query)]
    words = wq.And(clauses) if clauses else None
    if not is_pinyin_query(query):
        return words
    pinyin = pinyin_query(query.strip().lower())
    return wq.Or([words, pinyin]) if words is not None else pinyin


def _word_clause(group: tuple[str, ...]) -> wq.Query:
    # DefaultOr: unions that advance lazily, so the enclosing And skips most postings (small
    # indexes would otherwise preload and score every posting of every word in every field)
    whole, *parts = group
    anywhere = wq.DefaultOr([wq.Term(f, whole) for f in TEXT_FIELDS])
    if not parts:
        return anywhere
    split = wq.And([wq.DefaultOr([wq.Term(f, part) for f in TEXT_FIELDS]) for part in parts])
    return wq.DefaultOr([anywhere, split])


def pinyin_query(letters_and_spaces: str) -> wq.Query:
    letters = letters_and_spaces.replace(" ", "")
    clauses: list[wq.Query] = [
        wq.And([wq.Term("title_initials", gram) for gram in initials_grams(letters)]),
        wq.Term("title_pinyin", letters),
    ]
    syllables = split_syllables(letters)
    if syllables and len(syllables) > 1:
        clauses.append(wq.Phrase("title_pinyin", syllables))
    return wq.Or(clauses)
