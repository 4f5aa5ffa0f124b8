"""The Whoosh query tree our searcher's matches and scores are compared with (test only)."""

from __future__ import annotations

from whoosh import query as wq

from generator.search.query_text import Word, understand
from generator.search.tokenize_zh import initials_grams, split_syllables
from generator.search.whoosh_search import TEXT_FIELDS


def text_query(query: str) -> wq.Query | None:
    """Every query word must match in some text field (as one of its alternatives, each all of
    its terms); an all-letters query may instead match the title's pinyin or pinyin initials."""
    understood = understand(query)
    clauses = [_word_clause(word) for word in understood.words]
    words = wq.And(clauses) if clauses else None
    if not understood.pinyin:
        return words
    pinyin = pinyin_query(understood.pinyin)
    return wq.Or([words, pinyin]) if words is not None else pinyin


def _word_clause(word: Word) -> wq.Query:
    # DefaultOr: unions that advance lazily, so the enclosing And skips most postings (small
    # indexes would otherwise preload and score every posting of every word in every field)
    alternatives = [
        wq.And([wq.DefaultOr([wq.Term(f, term) for f in TEXT_FIELDS]) for term in alternative])
        for alternative in word
    ]
    return alternatives[0] if len(alternatives) == 1 else wq.DefaultOr(alternatives)


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
