"""The Whoosh schema of the catalog and the document each record becomes.

Fields, the rjieba analyzer and ``record_document``; no index is opened here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Generator, Iterator
from typing import Any

from whoosh.analysis import (
    LowercaseFilter,
    SpaceSeparatedTokenizer,
    Token,
    Tokenizer,
)
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from generator.content.docnumber import normalize_doc_number
from generator.core.records import Record
from generator.core.site_paths import html_path
from generator.pages.paths import record_page_path
from generator.search.tokenize_zh import (
    char_syllables,
    initials_tokens,
    pinyin_tokens,
    plain_text,
    segment,
    token_counts,
)

# Bump when the schema, the document mapping or the module of a field class changes (Whoosh
# pickles the schema with its classes' import paths): forces a full build.
SCHEMA_VERSION = 8
EXCERPT_CHARS = 300
# Only the start of a body is indexed: titles, 文号, keywords and summaries are indexed whole and
# carry what people search for; a word that first appears deep in a long body is not found.
BODY_INDEX_CHARS = 3000


class ChineseTokenizer(Tokenizer):
    """rjieba search-mode segmentation as a Whoosh tokenizer (lower-cased, no punctuation)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for number, (text, start, end) in enumerate(segment(value)):
            token.text = text
            token.boost = 1.0
            if keeporiginal:
                token.__dict__["original"] = text
            if positions:
                token.pos = start_pos + number
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class TokenText(TEXT):
    """A TEXT field indexed by ``tokenize_zh.token_counts`` (the analyzer's tokens, counted, about
    4× faster: no offsets, no Token objects); a list value is taken as its tokens.

    The analyzer stays in the schema for anything else that asks the field to analyse text."""

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float, bytes]]:
        if type(self.format) is not Frequency:
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        counts = token_counts(value) if isinstance(value, str) else Counter(value)
        for word, frequency in counts.items():
            yield word.encode("utf-8"), frequency, frequency * boost, pack_uint(frequency)


def catalog_schema() -> Schema:
    zh = ChineseTokenizer() | LowercaseFilter()
    spaced = SpaceSeparatedTokenizer() | LowercaseFilter()
    return Schema(
        id=ID(stored=True, unique=True),
        url=STORED,
        title=TokenText(analyzer=zh, stored=True, field_boost=4.0, phrase=False),
        doc_number=TokenText(analyzer=zh, field_boost=3.0, phrase=False),
        doc_number_exact=ID,
        title_exact=ID,
        keywords=TokenText(analyzer=zh, stored=True, field_boost=2.0, phrase=False),
        summary=TokenText(analyzer=zh, stored=True, field_boost=2.0, phrase=False),
        body=TokenText(analyzer=zh, phrase=False),
        excerpt=STORED,
        title_pinyin=TEXT(analyzer=spaced, field_boost=4.0),  # positions: syllable phrases
        title_initials=TokenText(analyzer=spaced, field_boost=4.0, phrase=False),
        department=ID(stored=True, sortable=True),
        category=ID(stored=True, sortable=True),
        year=NUMERIC(int, sortable=True, shift_step=32),  # facets and filters use the column
        published=ID(stored=True, sortable=True),
        interprets=STORED,
        hash=STORED,
    )


# ---------------------------------------------------------------- records as documents


def record_url(record: Record) -> str:
    """The record page, relative to the site root (the site uses ``use_directory_urls: false``)."""
    return html_path(record_page_path(record))


def doc_number_key(text: str) -> str:
    """文号 as it is looked up: the shared normal form (〔〕, no label, spaces or leading 0)."""
    return normalize_doc_number(text).normalized if text.strip() else ""


def compact(text: str) -> str:
    """Lower case without any white space: how whole titles and queries are compared."""
    return re.sub(r"\s+", "", text).lower()


def record_hash(record: Record) -> str:
    """Changes whenever anything the index holds for the record changes (cheap to compute)."""
    fields = (
        record.id, record.key, record.title, record.doc_number, record.keywords, record.summary,
        record.body, record.department, record.category, record.published.isoformat(),
        record.interprets,
    )  # fmt: skip
    payload = json.dumps([SCHEMA_VERSION, record_url(record), *fields], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def record_document(record: Record) -> dict[str, Any]:
    """The fields Whoosh indexes for one record (the title's pinyin as its tokens)."""
    keywords = " ".join(record.keywords)
    doc_number = record.doc_number or ""
    syllables = char_syllables(record.title)
    return {
        "id": record.id,
        "url": record_url(record),
        "title": record.title,
        "doc_number": doc_number,
        "doc_number_exact": doc_number_key(doc_number) or "-",
        "title_exact": compact(record.title),
        "keywords": keywords,
        "summary": record.summary,
        "body": record.body[:BODY_INDEX_CHARS],
        "excerpt": plain_text(record.body[: 4 * EXCERPT_CHARS])[:EXCERPT_CHARS],
        "title_pinyin": pinyin_tokens(record.title, syllables),
        "title_initials": initials_tokens(record.title, syllables=syllables),
        "department": record.department,
        "category": record.category,
        "year": record.year,
        "published": record.published.isoformat(),
        "interprets": record.interprets or "-",
        "hash": record_hash(record),
    }
