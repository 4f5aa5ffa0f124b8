"""The fast paths of tokenize_zh give what the plain definitions give."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin

from generator.search.tokenize_zh import (
    PINYIN_TITLE_CHARS,
    _no_syllables,
    char_syllables,
    token_counts,
    tokens,
    word_counts,
    word_token,
)

TEXTS = [
    "",
    "关于做好2024年政府信息公开工作的通知",
    "PM2.5 与 pm2.5，Whoosh whoosh WHOOSH。",
    "  \n\t，。！？、；：“”（）《》——……",
    "重庆市长江大桥养护；银行行长；长大了",
    "第一条 为了保障公民、法人和其他组织依法获取政府信息，制定本条例。" * 3,
    "ÄÖÜ straße İstanbul ǅ Ⅻ ①② ＡＢＣ１２３ _under_score_",
]

# Chinese characters, letters, digits, punctuation and spaces in any mix
TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
        st.sampled_from("政府信息公开重庆银行长乐行"),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("，。、（）《》 \n\u3000ＡＢＣ１２３"),
    ),
    max_size=60,
)


@pytest.mark.parametrize("text", TEXTS)
def test_token_counts_are_the_counted_tokens(text: str) -> None:
    assert token_counts(text) == Counter(tokens(text))


@given(TEXT)
@settings(max_examples=200, deadline=None)
def test_token_counts_are_the_counted_tokens_for_any_text(text: str) -> None:
    assert token_counts(text) == Counter(tokens(text))


@given(TEXT)
@settings(max_examples=200, deadline=None)
def test_word_counts_with_word_token_give_the_tokens(text: str) -> None:
    # how SegmentBuilder counts a text: by rjieba's words, each made a token once
    counts: Counter[str] = Counter()
    for word, count in word_counts(text).items():
        token = word_token(word)
        if token is not None:
            counts[token] += count
    assert counts == Counter(tokens(text))


@pytest.mark.parametrize(
    ("word", "token"),
    [("PM2.5", "pm2.5"), (" Whoosh ", "whoosh"), ("政府", "政府"), ("，", None), (" ", None),
     ("\n", None), ("_", "_")],
)  # fmt: skip
def test_word_token(word: str, token: str | None) -> None:
    assert word_token(word) == token


@pytest.mark.parametrize("title", [*TEXTS, "重" * (PINYIN_TITLE_CHARS + 5)])
def test_char_syllables_are_those_of_pypinyin_for_the_whole_title(title: str) -> None:
    head = title[:PINYIN_TITLE_CHARS]
    assert char_syllables(title) == lazy_pinyin(head, errors=_no_syllables)


@given(TEXT)
@settings(max_examples=200, deadline=None)
def test_char_syllables_are_those_of_pypinyin_for_any_title(title: str) -> None:
    head = title[:PINYIN_TITLE_CHARS]
    assert char_syllables(title) == lazy_pinyin(head, errors=_no_syllables)
