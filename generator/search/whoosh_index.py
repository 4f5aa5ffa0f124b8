"""The offline Whoosh index: build it safely and incrementally, search it, find related records.

The only module that imports whoosh.  Layout of ``index_dir``::

    CURRENT            name of the generation in use (replaced atomically)
    write.lock         held by the one writer (flock)
    v6-<stamp>-<pid>/  one Whoosh index per generation; the current one and the previous one
                       are kept (a server may still be reading the previous one)

A writer never touches the generation in use: it copies it (incremental) or starts empty
(full), commits, then swaps ``CURRENT``.  A crash leaves ``CURRENT`` pointing at a whole index.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import html
import json
import operator
import os
import pickle
import re
import shutil
import struct
import sys
import threading
import time
import zlib
from array import array
from collections import Counter, deque
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import accumulate, chain
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import (
    IDTokenizer,
    LowercaseFilter,
    SpaceSeparatedTokenizer,
    Token,
    Tokenizer,
)
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.formats import Existence, Format, Frequency, Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from generator.content.docnumber import normalize_doc_number
from generator.core.records import Catalog, Record
from generator.pages.plan import record_page_path
from generator.search.related import Entry, RelatedModel
from generator.search.related import entry as related_entry
from generator.search.tokenize_zh import (
    char_syllables,
    initials_grams,
    initials_tokens,
    is_pinyin_query,
    make_snippet,
    pinyin_tokens,
    plain_text,
    query_groups,
    segment,
    split_syllables,
    token_counts,
    word_counts,
    word_token,
)

SCHEMA_VERSION = 7  # bump when the schema or the document mapping changes: forces a full build
EXCERPT_CHARS = 300
# Only the start of a body is indexed: titles, 文号, keywords and summaries are indexed whole and
# carry what people search for; a word that first appears deep in a long body is not found.
BODY_INDEX_CHARS = 3000
MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 50
MAX_PAGE = 100
TEXT_FIELDS = ("title", "doc_number", "keywords", "summary", "body")
FACETS = ("category", "department", "year")
FULL_BATCH = 20_000  # records per segment of a full build (bounds the in-memory postings)
BLOCK_LIMIT = 128  # postings per block and zlib level: Whoosh's W3Codec defaults, which
COMPRESSION = 3  # SegmentBuilder writes (it checks the codec)
# W3TermInfo: flags, weight, doc frequency, shortest and longest length, top weight, first and
# last id; then the extent of the postings (offset, size)
_TERM_INFO = struct.Struct("!BfIBBfII")
_EXTENT = struct.Struct("!qi")
_MD5 = partial(hashlib.md5, usedforsecurity=False)
_DIGEST = methodcaller("digest")
_LOW_WORD = itemgetter(slice(12, 16))  # the low 32 bits of an MD5 digest
WRITE_CHUNK = 8192  # terms encoded before their postings are written
SHORT_LIST = 16  # posting lists up to this many numbers are encoded once per field and list
_KEY_VALUE_LENGTHS = struct.Struct("!ii")  # before each entry of Whoosh's hash files
_HASH_SLOT = struct.Struct("!Iq")  # a slot of their hash tables: hash, entry position
TERM_CACHE = 256  # posting lists (document numbers of a field's word) kept per open searcher
SKIP_RATIO = 16  # score by skipping to each document when they are this much fewer than postings
RERANK_WINDOW = 20  # extra hits fetched so that whole-title matches can move up
TITLE_BONUS = 2.0  # score factor for a title that contains the whole query
_GENERATION = re.compile(r"v\d+-\d+-\d+-\d+")


Counted = tuple[str, str, set[int]]  # field, word, the documents whose score it adds to


class LockError(Exception):
    """Another process is writing the index."""

    def __init__(self, lock_path: Path) -> None:
        super().__init__(
            f"搜索索引正由另一个进程写入（锁文件 {lock_path}）。请等它完成后再运行 catalog index；"
            "如果确认没有其他进程在运行，可以重试。"
        )


class IndexMissingError(Exception):
    """No usable index in the directory."""

    def __init__(self, index_dir: Path) -> None:
        super().__init__(f"{index_dir} 中还没有搜索索引。请先运行 catalog index 或 catalog build。")


class QueryError(ValueError):
    """A search request outside the bounds; the message is for the person who sent it."""


# ---------------------------------------------------------------- analysis and schema


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
    return record_page_path(record).removesuffix(".md") + ".html"


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


# ---------------------------------------------------------------- generations, lock, swap


@dataclass(frozen=True)
class IndexStats:
    generation: str
    full: bool
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0


def read_current(index_dir: Path) -> str | None:
    """The generation in use, or None when there is no complete index."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    ready = _GENERATION.fullmatch(name) and whoosh_index.exists_in(str(index_dir / name))
    return name if ready else None


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time; the OS releases the lock if the writer dies."""
    path = index_dir / "write.lock"
    with open(path, "a+b") as handle:
        if not _try_lock(handle.fileno()):
            raise LockError(path)
        try:
            yield
        finally:
            _unlock(handle.fileno())


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _new_generation(index_dir: Path) -> Path:
    return index_dir / f"v{SCHEMA_VERSION}-{time.time_ns()}-{os.getpid()}-{threading.get_ident()}"


def _switch_current(index_dir: Path, generation: str) -> None:
    temporary = index_dir / "CURRENT.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(generation + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, index_dir / "CURRENT")


def _remove_stale(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.iterdir():
        if path.is_dir() and _GENERATION.fullmatch(path.name) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- building


def build_index(catalog: Catalog, index_dir: Path | str, *, full: bool = False) -> IndexStats:
    """Index the catalog's published records: only what changed, or everything with ``full``.

    Raises ``LockError`` when another writer holds the index.
    """
    started = time.perf_counter()
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    records = {r.id: r for r in catalog.records}
    with write_lock(root):
        previous = read_current(root)
        compatible = previous is not None and previous.startswith(f"v{SCHEMA_VERSION}-")
        if full or previous is None or not compatible:
            stats = _write_full(root, records)
        else:
            stats = _write_changes(root, previous, records)
        _remove_stale(root, {stats.generation, previous or ""})
    return IndexStats(**{**stats.__dict__, "seconds": round(time.perf_counter() - started, 3)})


def _write_full(root: Path, records: Mapping[str, Record]) -> IndexStats:
    target = _new_generation(root)
    target.mkdir()
    index = whoosh_index.create_in(str(target), catalog_schema())
    chosen = list(records.values())
    with _collector_paused():
        for start in range(0, len(chosen), FULL_BATCH):  # one segment per batch, never merged
            writer = SegmentWriter(index)
            try:
                segment = SegmentBuilder(writer)
                for record in chosen[start : start + FULL_BATCH]:
                    segment.add(record_document(record))
                segment.commit()
            except BaseException:
                writer.cancel()
                raise
    _switch_current(root, target.name)
    return IndexStats(target.name, full=True, added=len(records))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while millions of posting lists are made: each collection
    of the oldest generation walks all of them (a tenth of a full build).  They hold no cycles;
    anything else that does is collected when the collector runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class SegmentBuilder:
    """Writes the documents of a new segment as Whoosh's writer would, byte for byte, at a
    fraction of its cost.

    Whoosh's ``add_document`` puts every posting into a pool, one call and one tuple each, and
    its codec writes them back one call each (two thirds of a full build).  Here stored fields,
    lengths and columns still go through Whoosh's per-document writer, but the postings are
    counted a document and field at a time (a text by rjieba's words, each word made a token
    once per build), kept in flat lists per term, and each term's posting blocks and term info
    are encoded at once in the layout of Whoosh's W3 codec (``W3PostingsWriter``,
    ``W3TermInfo``, ``OrderedHashWriter``).  Only for a writer of a fresh index
    (``_write_full``); ``test_full_build_writes_the_files_whoosh_writes`` compares the files."""

    def __init__(self, writer: SegmentWriter) -> None:
        codec = writer.codec
        settings = (type(codec), codec._blocklimit, codec._compression, codec._inlinelimit)
        if settings != (W3Codec, BLOCK_LIMIT, COMPRESSION, 1):
            raise ValueError(f"SegmentBuilder writes Whoosh's W3 layout, not {settings}")
        self._writer = writer
        schema = writer.schema
        self._fields = [(name, schema[name]) for name in sorted(schema.names())]
        self._kinds = {name: _posting_kind(f) for name, f in self._fields if f.indexed}
        # per field: term -> [docnum, frequency, docnum, frequency, …] (Existence: docnums);
        # terms are str, or bytes for the fields Whoosh analyses (NUMERIC)
        self._postings: dict[str, dict[Any, list[int]]] = {name: {} for name in self._kinds}
        self._positions: dict[str, dict[str, list[bytes]]] = {
            name: {} for name, kind in self._kinds.items() if kind is Positions
        }
        # text fields: rjieba's words -> postings, made tokens once per word at commit
        self._words: dict[str, dict[str, list[int]]] = {
            name: {} for name, f in self._fields if isinstance(f, TokenText)
        }
        self._dropped: set[str] = set()  # words without a token (space, punctuation)
        self._lengths = {name: bytearray() for name, f in self._fields if f.scorable}
        self._docnum = writer.docnum

    def add(self, document: Mapping[str, Any]) -> None:
        """Add one document (the keyword arguments of Whoosh's ``add_document``)."""
        docnum = self._docnum
        perdoc = self._writer.perdocwriter
        perdoc.start_doc(docnum)
        for name, fieldobj in self._fields:
            value = document.get(name)
            length = 0
            if value is not None and fieldobj.indexed:
                length = self._invert(name, fieldobj, value, docnum)
            lengths = self._lengths.get(name)
            if lengths is not None:  # a scorable field
                lengths.append(length_to_byte(length))
            if value is None:
                continue
            perdoc.add_field(name, fieldobj, value if fieldobj.stored else None, length)
            if fieldobj.column_type:
                column_value = fieldobj.to_column_value(value)
                perdoc.add_column_value(name, fieldobj.column_type, column_value)
        perdoc.finish_doc()
        self._docnum += 1

    def _invert(self, name: str, fieldobj: Any, value: Any, docnum: int) -> int:
        """Add the field's postings; returns the field length (the sum of its frequencies)."""
        kind, table = self._kinds[name], self._postings[name]
        if kind is Existence:
            if type(fieldobj) is ID and type(fieldobj.analyzer) is IDTokenizer:
                table.setdefault(value, []).append(docnum)  # the value is the term
            else:
                for term, *_ in fieldobj.index(value):
                    table.setdefault(term, []).append(docnum)
            return 0
        if kind is Positions:
            return self._invert_positions(name, value, docnum)
        if isinstance(value, str):
            return self._invert_text(name, value, docnum)
        counts = Counter(value)  # TokenText takes a list as its tokens
        _add_counts(table, counts, docnum)
        return sum(counts.values())

    def _invert_text(self, name: str, text: str, docnum: int) -> int:
        """Postings under rjieba's words as they come: each distinct word is made a token once
        per build (at commit), not once per document as ``token_counts`` does."""
        words = word_counts(text)
        for word in _add_counts(self._words[name], words, docnum):  # new in this field
            if word_token(word) is None:
                self._dropped.add(word)
        dropped = words.keys() & self._dropped
        return sum(words.values()) - sum(map(words.__getitem__, dropped))

    def _invert_positions(self, name: str, words: list[str], docnum: int) -> int:
        if isinstance(words, str):
            raise TypeError(f"SegmentBuilder needs the words of {name} as a list")
        table, values = self._postings[name], self._positions[name]
        if len(set(words)) == len(words):  # each word once (most titles): no grouping
            for position, word in enumerate(words):
                table.setdefault(word, []).extend((docnum, 1))
                values.setdefault(word, []).append(_encode_positions((position,)))
            return len(words)
        positions: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            positions.setdefault(word, []).append(position)
        for word, found in positions.items():
            table.setdefault(word, []).extend((docnum, len(found)))
            values.setdefault(word, []).append(_encode_positions(tuple(found)))
        return len(words)

    def commit(self) -> None:
        """Encode the postings into the segment's files and commit it (never merged)."""
        writer = self._writer
        for name, words in self._words.items():
            _add_word_postings(self._postings[name], words)
        self._words.clear()
        for name in sorted(self._postings):
            if self._postings[name]:
                self._write_field(writer.fieldwriter, name)
            self._postings[name] = {}  # free each field's postings once written
        writer.docnum = self._docnum
        writer._added = self._docnum > writer.docbase  # what add_document would have set
        writer.pool = _NoPool()
        tindex = writer.fieldwriter._tindex
        tindex._write_hashes = partial(_write_hash_tables, tindex)  # called as it closes
        writer.commit(merge=False)

    def _write_field(self, fieldwriter: Any, name: str) -> None:
        """The field's terms in order: posting blocks to the postings file, term infos with
        their extents to the term index (a chunk of terms at a time, freed once written)."""
        fieldmap = fieldwriter._fieldmap
        prefix = pack_ushort(fieldmap.setdefault(name, len(fieldmap)))
        table = self._postings[name]
        values = self._positions.get(name)
        lengths = self._lengths.get(name)
        encode = _TermEncoder(self._kinds[name], self._writer.schema[name].format, lengths)
        postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
        items = sorted(table.items(), reverse=True)  # distinct terms: lists never compared
        table.clear()
        while items:  # a chunk at a time from the end, so that written lists are freed
            taken = [items.pop() for _ in range(min(WRITE_CHUNK, len(items)))]
            chunk, flats = map(list, zip(*taken, strict=True))
            written, infos = encode.many(
                flats, None if values is None else [values.pop(t) for t in chunk]
            )
            sizes = list(map(len, written))
            extents = map(_EXTENT.pack, accumulate(sizes, initial=postfile.tell()), sizes)
            postfile.write(b"".join(written))
            if chunk and isinstance(chunk[0], str):
                chunk = list(map(str.encode, chunk))  # UTF-8
            keys = list(map(prefix.__add__, chunk))
            _add_terms(tindex, keys, list(map(operator.add, infos, extents)))


def _add_counts(table: dict[Any, list[int]], counts: Mapping[Any, int], docnum: int) -> list[Any]:
    """Append a document's (docnum, frequency) to each term's postings; returns the new terms."""
    new = []
    get = table.get
    for term, frequency in counts.items():
        postings = get(term)
        if postings is None:
            table[term] = [docnum, frequency]
            new.append(term)
        else:
            postings.append(docnum)
            postings.append(frequency)
    return new


def _add_word_postings(table: dict[Any, list[int]], words: dict[str, list[int]]) -> None:
    """Move the postings of rjieba's words to their tokens; words of one token (``PM``, ``pm``)
    are merged document by document."""
    for word, postings in words.items():
        token = word_token(word)
        if token is None:
            continue
        known = table.get(token)
        table[token] = postings if known is None else _merge_postings(known, postings)


def _merge_postings(first: list[int], second: list[int]) -> list[int]:
    frequencies: Counter[int] = Counter()
    for postings in (first, second):
        for docnum, frequency in zip(postings[0::2], postings[1::2], strict=True):
            frequencies[docnum] += frequency
    return [n for docnum in sorted(frequencies) for n in (docnum, frequencies[docnum])]


def _posting_kind(fieldobj: Any) -> type[Format]:
    """How ``SegmentBuilder`` inverts a field: by its tokens (``TokenText``), by the positions of
    a list of words, or by the terms Whoosh's own field gives (ID, NUMERIC)."""
    kind = type(fieldobj.format)
    if (kind is Frequency and isinstance(fieldobj, TokenText)) or kind in (Positions, Existence):
        return kind
    raise ValueError(f"SegmentBuilder cannot write {fieldobj!r}")


def _encode_positions(positions: tuple[int, ...]) -> bytes:
    """``Positions.encode``: the count, then the pickled gaps.  A new object each time: pickle
    would write a value shared by several postings of a block once, unlike Whoosh."""
    return bytes(memoryview(_positions_bytes(positions)))


@lru_cache(maxsize=4096)
def _positions_bytes(positions: tuple[int, ...]) -> bytes:
    gaps = [b - a for a, b in zip((0, *positions), positions, strict=False)]
    return pack_uint(len(gaps)) + pickle.dumps(gaps, 2)


def _add_terms(tindex: OrderedHashWriter, keys: list[bytes], values: list[bytes]) -> None:
    """``tindex.add(key, value)`` for each key (ascending) and value, written at once (the
    entries, their positions and their MD5 hashes computed by maps, not a loop of calls)."""
    if tindex.hashtype != 0 or not keys or keys[0] <= tindex.lastkey:
        raise ValueError("term index: MD5 hashes and ascending keys expected")
    headers = list(map(_KEY_VALUE_LENGTHS.pack, map(len, keys), map(len, values)))
    sizes = map(
        operator.add, map(len, headers), map(operator.add, map(len, keys), map(len, values))
    )
    starts = list(accumulate(sizes, initial=tindex.dbfile.tell()))[:-1]
    digests = map(_DIGEST, map(_MD5, keys))
    hashes = list(map(int.from_bytes, map(_LOW_WORD, digests)))  # HashWriter's md5_hash
    buckets = map(tindex.buckets.__getitem__, map((255).__and__, hashes))
    deque(map(list.append, buckets, zip(hashes, starts, strict=True)), maxlen=0)
    tindex.dbfile.write(b"".join(chain.from_iterable(zip(headers, keys, values, strict=True))))
    tindex.index.extend(starts)
    tindex.lastkey = keys[-1]


def _write_hash_tables(tindex: OrderedHashWriter) -> None:
    """``HashWriter._write_hashes``: 256 open-addressing tables of (hash, position) slots, each
    packed at once instead of one write a slot (half a second at 10,000 records)."""
    dbfile = tindex.dbfile
    for entries in tindex.buckets:
        size = 2 * len(entries)
        tindex.directory.append((dbfile.tell(), size))
        slots: list[tuple[int, int] | None] = [None] * size
        for entry in entries:
            slot = (entry[0] >> 8) % size
            while slots[slot] is not None:
                slot = (slot + 1) % size
            slots[slot] = entry
        dbfile.write(b"".join([_HASH_SLOT.pack(*(s or (0, 0))) for s in slots]))


class _NoPool:
    """The writer's posting pool when ``SegmentBuilder`` wrote the postings itself."""

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        return iter(())

    def cleanup(self) -> None:
        pass


class _TermEncoder:
    """One term's posting blocks and term info, as ``W3PostingsWriter`` and ``W3TermInfo``
    write them: blocks of 128 postings, each a pickled block info (count, last id, top weight,
    compression, shortest and longest field length as length bytes) and a pickled, from 80
    bytes zlib-compressed (id gaps, weights, values) tuple.

    Terms with the same short posting list are encoded alike: they are encoded once (most
    terms of title_initials: 374,000 terms, 30,000 distinct lists at 10,000 records)."""

    def __init__(self, kind: type[Format], fmt: Format, lengths: bytearray | None) -> None:
        self._kind = kind
        self._boost = fmt.field_boost
        self._fixed = fmt.fixed_value_size()
        self._lengths = lengths
        self._short: dict[tuple[int, ...] | None, tuple[bytes, bytes]] = {}

    def many(
        self, flats: list[list[int]], values: list[list[bytes]] | None
    ) -> tuple[list[bytes], list[bytes]]:
        """The posting blocks and term infos (``_TERM_INFO``, without the extent) of terms."""
        if values is not None:
            encoded = list(map(self._encode, flats, values))
        else:
            keys = [tuple(f) if len(f) <= SHORT_LIST else None for f in flats]
            cached = [self._short.get(key) for key in keys]
            encoded = [
                found or self._encode_short(key, flat)
                for found, key, flat in zip(cached, keys, flats, strict=True)
            ]
        return list(map(itemgetter(0), encoded)), list(map(itemgetter(1), encoded))

    def _encode_short(self, key: tuple[int, ...] | None, flat: list[int]) -> tuple[bytes, bytes]:
        encoded = self._short.get(key)  # an earlier term of the same chunk may have it
        if encoded is None:
            encoded = self._encode(flat, None)
            if key is not None:
                self._short[key] = encoded
        return encoded

    def _encode(self, flat: list[int], values: list[bytes] | None) -> tuple[bytes, bytes]:
        if self._kind is Existence:
            ids, frequencies = flat, [1] * len(flat)
        else:
            ids, frequencies = flat[0::2], flat[1::2]
        count = len(ids)
        if count <= BLOCK_LIMIT:
            data, info, weight, top, shortest, longest = self._block(ids, frequencies, values)
            chunks = [WHOOSH3_HEADER_MAGIC, pack_int(-len(info) - len(data)), info, data]
        else:
            chunks = [WHOOSH3_HEADER_MAGIC]
            weight = top = 0.0
            shortest, longest = 255, 0
            for start in range(0, count, BLOCK_LIMIT):
                end = start + BLOCK_LIMIT
                part = values[start:end] if values else None
                data, info, w, t, low, high = self._block(
                    ids[start:end], frequencies[start:end], part
                )
                size = len(info) + len(data)
                chunks += (pack_int(-size if end >= count else size), info, data)
                weight, top = weight + w, max(top, t)
                shortest, longest = min(shortest, low), max(longest, high)
        if self._lengths is None:
            shortest = 0
        info = _TERM_INFO.pack(0, weight, count, shortest, longest, top, ids[0], ids[-1])
        return b"".join(chunks), info

    def _block(
        self, ids: list[int], frequencies: list[int], values: list[bytes] | None
    ) -> tuple[bytes, bytes, float, float, int, int]:
        boost, count, lengths = self._boost, len(ids), self._lengths
        weights: float | tuple[float, ...] | None
        if count == 1:
            gaps: tuple[int, ...] = (ids[0],)
            weights = _same_weight(frequencies[0] * boost)
            top = frequencies[0] * boost
            low = high = 0 if lengths is None else lengths[ids[0]]
        else:
            gaps = tuple(map(operator.sub, ids, [0, *ids[:-1]]))
            if frequencies.count(frequencies[0]) == count:
                weights = _same_weight(frequencies[0] * boost)
            else:
                scaled = frequencies if boost == 1.0 else map(boost.__mul__, frequencies)
                weights = tuple(array("f", scaled))
            top = max(frequencies) * boost
            found = b"" if lengths is None else bytes(map(lengths.__getitem__, ids))
            low, high = (min(found), max(found)) if found else (0, 0)
        if self._fixed is None:  # positions: one encoded list a posting
            encoded: bytes | tuple[bytes, ...] | None = tuple(values or ())
        elif self._fixed:  # frequencies
            encoded = struct.pack(f"!{count}I", *frequencies)
        else:
            encoded = None
        data = pickle.dumps((gaps, weights, encoded), 2)
        level = COMPRESSION if len(data) >= COMPRESSION_MIN_SIZE else 0
        if level:
            data = zlib.compress(data, level)
        info = pickle.dumps((count, ids[-1], top, level, low, high), 2)
        return data, info, sum(frequencies) * boost if count > 1 else top, top, low, high


@lru_cache(maxsize=1024)
def _same_weight(weight: float) -> float | None:
    """A block's weights when all are ``weight``: none for 1.0, else it (as a 32-bit float)."""
    return None if weight == 1.0 else array("f", [weight])[0]


def _write_changes(root: Path, previous: str, records: Mapping[str, Record]) -> IndexStats:
    with whoosh_index.open_dir(str(root / previous)).searcher() as searcher:
        indexed = {f["id"]: f["hash"] for f in searcher.reader().all_stored_fields()}
    changed = [r for i, r in records.items() if indexed.get(i) != record_hash(r)]
    removed = sorted(indexed.keys() - records.keys())
    added = sum(r.id not in indexed for r in changed)
    unchanged = len(records) - len(changed)
    if not changed and not removed:
        return IndexStats(previous, full=False, unchanged=unchanged)
    target = _new_generation(root)
    shutil.copytree(root / previous, target)
    writer = whoosh_index.open_dir(str(target)).writer()
    try:
        for record in changed:
            writer.update_document(**record_document(record))
        for record_id in removed:
            writer.delete_by_term("id", record_id)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    _switch_current(root, target.name)
    return IndexStats(target.name, False, added, len(changed) - added, len(removed), unchanged)


# ---------------------------------------------------------------- searching


@dataclass(frozen=True)
class SearchRequest:
    """A bounded search: ``create`` checks the bounds, messages name the parameter."""

    query: str = ""
    category: str | None = None
    department: str | None = None
    year: int | None = None
    page: int = 1
    size: int = 10

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
        return cls(query, category, department, year, page, size)

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

    def to_json(self) -> dict[str, Any]:
        """The JSON value of issue 4; ``suggestions`` is added only when nothing matched."""
        value: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "hits": [hit.__dict__.copy() for hit in self.hits],
            "facets": self.facets,
        }
        if self.suggestions is not None:
            value["suggestions"] = {
                "drop_filters": self.suggestions.drop_filters,
                "did_you_mean": list(self.suggestions.did_you_mean),
            }
        return value


class CatalogSearcher:
    """An open generation of the index; thread-safe; knows when a newer one is in use."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        generation = read_current(self.index_dir)
        if generation is None:
            raise IndexMissingError(self.index_dir)
        self.generation = generation
        self._searcher: Searcher = whoosh_index.open_dir(str(self.index_dir / generation)).searcher(
            weighting=BM25F()
        )  # the weighting of pinyin queries; text words are scored by _term_scores
        self._lock = threading.Lock()
        self._columns: dict[str, list[str]] | None = None
        self._field_lengths: dict[str, list[int]] = {}
        self._weighting = BM25F()
        self._term_docs = lru_cache(maxsize=TERM_CACHE)(self._read_term_docs)
        self._term_table = lru_cache(maxsize=TERM_CACHE // 4)(self._read_term_table)
        self._positions = lru_cache(maxsize=TERM_CACHE // 4)(self._read_positions)
        self._related_model: RelatedModel | None = None
        split_syllables("zhengfu")  # loads the syllable table now, not in the first query

    def __enter__(self) -> CatalogSearcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._searcher.close()

    def is_stale(self) -> bool:
        current = read_current(self.index_dir)
        return current is not None and current != self.generation

    def search(self, request: SearchRequest) -> SearchResult:
        with self._lock:
            return self._search(request)

    def related(self, record: Record, limit: int = 5) -> list[str]:
        with self._lock:
            return self._related(record, limit)

    # -------------------------------------------------------------- internals

    def _column(self, name: str) -> list[str]:
        """A facet or sort column as strings, by document number (read once)."""
        if self._columns is None:
            reader = self._searcher.reader()
            self._columns = {
                f: [str(v) for v in reader.column_reader(f)] for f in (*FACETS, "published")
            }
        return self._columns[name]

    def _search(self, request: SearchRequest) -> SearchResult:
        """Match by sets of document numbers, count facets over them, score what passes the
        filters (term scores are cached), and make hits of one page only."""
        exact = self._exact_docnums(request.query)
        scores = self._scores(request.query)
        matched = set(scores).union(exact)
        filters = request.filters()
        facets = self._facets(matched, filters)
        allowed = self._filtered(matched, filters)
        ranked = self._rank(request.query, scores, exact, allowed, request.page * request.size)
        start = (request.page - 1) * request.size
        terms = [t for group in query_groups(request.query) for t in group]
        hits = tuple(
            self._hit(d, score, terms) for d, score in ranked[start : start + request.size]
        )
        has_text = bool(query_groups(request.query)) or is_pinyin_query(request.query)
        suggestions = None if allowed else self._suggest(request, facets, has_text)
        return SearchResult(request.query, len(allowed), hits, facets, suggestions)

    def _scores(self, query: str) -> dict[int, float]:
        """Every matching document with its BM25F score.

        The matches and scores of Whoosh's query tree ``text_query`` (each word in some text
        field, as itself or as all of its parts; or the title's pinyin), computed with set
        operations on posting lists, then scoring only the matched documents: Whoosh's
        matchers walk a tree of unions per word and field and score every posting, which took
        100–300 ms for a long title at 10,000 records."""
        if not query:
            return dict.fromkeys(self._searcher.reader().all_doc_ids(), 0.0)
        words, counted = self._word_matches(query_groups(query))
        if is_pinyin_query(query):
            pinyin, pinyin_counted = self._pinyin_matches(query.strip().lower())
            words |= pinyin
            counted += pinyin_counted
        scores = dict.fromkeys(words, 0.0)
        for fieldname, word, only in counted:
            docs = only.intersection(self._term_docs(fieldname, word))
            for docnum, score in self._term_scores(fieldname, word, docs).items():
                scores[docnum] += score
        return scores

    def _word_matches(self, groups: list[tuple[str, ...]]) -> tuple[set[int], list[Counted]]:
        """Documents with every word (whole in any text field, or all of its parts), and the
        terms whose scores count, each with the documents it counts for."""
        if not groups:
            return set(), []
        matched: set[int] | None = None
        splits: list[set[int]] = []
        for whole, *parts in groups:
            found = set().union(*(self._term_docs(f, whole) for f in TEXT_FIELDS))
            split: set[int] = set()
            if parts:
                split = set.intersection(
                    *(set().union(*(self._term_docs(f, p) for f in TEXT_FIELDS)) for p in parts)
                )
            splits.append(split)
            found |= split
            matched = found if matched is None else matched & found
        assert matched is not None
        counted: list[Counted] = []
        for (whole, *parts), split in zip(groups, splits, strict=True):
            counted += [(f, whole, matched) for f in TEXT_FIELDS]
            counted += [(f, p, matched & split) for p in parts for f in TEXT_FIELDS]
        return matched, counted

    def _pinyin_matches(self, letters_and_spaces: str) -> tuple[set[int], list[Counted]]:
        """Titles by pinyin initials (all n-grams), by joined full pinyin, or by the syllables
        as a phrase (scored as Whoosh scores a phrase: the sum of its terms' scores)."""
        letters = letters_and_spaces.replace(" ", "")
        grams = initials_grams(letters)
        initials = set.intersection(*(set(self._term_docs("title_initials", g)) for g in grams))
        joined = set(self._term_docs("title_pinyin", letters))
        counted: list[Counted] = [("title_initials", g, initials) for g in grams]
        counted.append(("title_pinyin", letters, joined))
        syllables = split_syllables(letters)
        phrase = self._phrase_docs(syllables) if syllables and len(syllables) > 1 else set()
        counted += [("title_pinyin", syllable, phrase) for syllable in syllables or ()]
        return initials | joined | phrase, counted

    def _phrase_docs(self, syllables: list[str]) -> set[int]:
        """Titles whose pinyin holds ``syllables`` one after the other."""
        docs = set.intersection(*(set(self._term_docs("title_pinyin", s)) for s in syllables))
        tables = [self._positions(s) for s in syllables] if docs else []
        found = set()
        for docnum in docs:
            starts = set(tables[0][docnum])
            for offset, table in enumerate(tables[1:], start=1):
                following = table[docnum]
                starts = {p for p in starts if p + offset in following}
            if starts:
                found.add(docnum)
        return found

    def _read_positions(self, syllable: str) -> dict[int, frozenset[int]]:
        postings = self._searcher.reader().postings("title_pinyin", syllable)
        return {d: frozenset(p) for d, p in postings.items_as("positions")}

    def _read_term_docs(self, fieldname: str, word: str) -> frozenset[int]:
        term = word.encode("utf-8")
        found: list[int] = []
        for leaf, base in self._searcher.reader().leaf_readers():
            if (fieldname, term) in leaf:
                ids = posting_ids(leaf.postings(fieldname, term))
                found += ids if base == 0 else [base + d for d in ids]
        return frozenset(found)

    def _term_scores(self, fieldname: str, word: str, docs: set[int]) -> dict[int, float]:
        """BM25F scores of ``word`` in ``fieldname`` for ``docs`` (all of which hold it), with
        Whoosh's formula and statistics: idf, average and stored field lengths, weights that
        include the field boost."""
        if not docs:
            return {}
        if len(docs) * SKIP_RATIO >= len(self._term_docs(fieldname, word)):
            table = self._term_table(fieldname, word)  # many documents: every posting, cached
            return {d: table[d] for d in docs}
        postings = self._searcher.reader().postings(fieldname, word)
        weights = {}
        for docnum in sorted(docs):  # few documents: skip to each of them
            postings.skip_to(docnum)
            weights[docnum] = postings.weight()
        return self._bm25(fieldname, word, weights)

    def _read_term_table(self, fieldname: str, word: str) -> dict[int, float]:
        postings = self._searcher.reader().postings(fieldname, word)
        return self._bm25(fieldname, word, dict(postings.items_as("weight")))

    def _bm25(self, fieldname: str, word: str, weights: Mapping[int, float]) -> dict[int, float]:
        searcher = self._searcher
        idf = searcher.idf(fieldname, word)
        average = searcher.avg_field_length(fieldname) or 1
        lengths = self._lengths(fieldname)
        k1, b = self._weighting.K1, self._weighting.B
        return {
            d: idf * w * (k1 + 1) / (w + k1 * (1 - b + b * lengths[d] / average))
            for d, w in weights.items()
        }

    def _lengths(self, fieldname: str) -> list[int]:
        if fieldname not in self._field_lengths:
            reader = self._searcher.reader()
            self._field_lengths[fieldname] = [
                reader.doc_field_length(d, fieldname, 1) for d in range(reader.doc_count_all())
            ]
        return self._field_lengths[fieldname]

    def _exact_docnums(self, query: str) -> list[int]:
        if not query:
            return []
        reader = self._searcher.reader()
        lookups = (
            ("id", query),
            ("doc_number_exact", doc_number_key(query)),
            ("title_exact", compact(query)),
        )
        found = (
            sorted(reader.postings(f, t).all_ids()) if t and (f, t.encode()) in reader else []
            for f, t in lookups
        )
        return list(dict.fromkeys(d for docs in found for d in docs))  # postings skip deletions

    def _filtered(self, docnums: set[int], filters: Mapping[str, str]) -> set[int]:
        for name, value in filters.items():
            column = self._column(name)
            docnums = {d for d in docnums if column[d] == value}
        return docnums

    def _facets(self, docnums: set[int], filters: Mapping[str, str]) -> dict[str, dict[str, int]]:
        """Counts per facet value; each facet honours the other facets' filters, not its own."""
        facets = {}
        for name in FACETS:
            others = {n: v for n, v in filters.items() if n != name}
            column = self._column(name)
            counts = Counter(column[d] for d in self._filtered(docnums, others))
            facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        return facets

    def _rank(
        self,
        query: str,
        scores: Mapping[int, float],
        exact: list[int],
        allowed: set[int],
        needed: int,
    ) -> list[tuple[int, float]]:
        """Exact 索引号/文号/title matches first, then by score (a title containing the whole
        query counts double) or, without a query, newest first."""
        first = [d for d in exact if d in allowed]
        rest = allowed.difference(first)
        if not query:
            published = self._column("published")
            newest = heapq.nlargest(needed, rest, key=lambda d: (published[d], -d))
            return [(d, 0.0) for d in first + newest]
        window = heapq.nsmallest(
            needed + RERANK_WINDOW, rest, key=lambda d: (-scores.get(d, 0.0), d)
        )
        wanted = compact(query)
        reader = self._searcher.reader()
        boosted = {
            d: scores.get(d, 0.0)
            * (TITLE_BONUS if wanted in compact(reader.stored_fields(d)["title"]) else 1.0)
            for d in window
        }
        top = max(boosted.values(), default=0.0)
        ordered = sorted(window, key=lambda d: (-boosted[d], d))
        return [(d, top + 1.0) for d in first] + [(d, boosted[d]) for d in ordered]

    def _hit(self, docnum: int, score: float, terms: list[str]) -> Hit:
        stored = self._searcher.reader().stored_fields(docnum)
        snippet = make_snippet([stored.get("summary", ""), stored.get("excerpt", "")], terms)
        return Hit(
            id=stored["id"],
            title=stored["title"],
            url=stored["url"],
            department=stored["department"],
            category=stored["category"],
            published=stored["published"],
            snippet=snippet,
            score=round(score, 3),
        )

    def _suggest(
        self, request: SearchRequest, facets: Mapping[str, dict[str, int]], has_text: bool
    ) -> Suggestions:
        filters = request.filters()
        drop = {name: sum(facets[name].values()) for name in filters}
        return Suggestions(
            drop_filters={name: count for name, count in drop.items() if count},
            did_you_mean=tuple(self._did_you_mean(request.query)) if has_text else (),
        )

    def _did_you_mean(self, query: str, limit: int = 5) -> list[str]:
        reader = self._searcher.reader()
        words = [group[0] for group in query_groups(query)]
        found: list[str] = []
        if len(words) > 1:
            found += [w for w in words if any(reader.doc_frequency(f, w) for f in TEXT_FIELDS)]
        for word in words:
            if word.isascii() or any(reader.doc_frequency(f, word) for f in TEXT_FIELDS):
                continue  # titles hold Chinese words: no use correcting pinyin or numbers there
            for other in self._searcher.suggest("title", word, limit=3, maxdist=1, prefix=1):
                found.append(query.replace(word, other) if len(words) > 1 else other)
        return list(dict.fromkeys(f for f in found if f != query))[:limit]

    def _related(self, record: Record, limit: int) -> list[str]:
        if self._related_model is None:
            self._related_model = RelatedModel.build(
                Entry(
                    f["id"],
                    f["department"],
                    " ".join([f["title"], f.get("keywords", ""), f.get("summary", "")]),
                    None if f.get("interprets", "-") == "-" else f["interprets"],
                )
                for f in self._searcher.reader().all_stored_fields()
            )
        return self._related_model.related(related_entry(record), record.related, limit)


def posting_ids(matcher: Any) -> list[int]:
    """The document numbers of a segment's posting list, read a block at a time.

    Whoosh's ``all_ids`` goes posting by posting through its wrappers (about 3 µs an id; a
    common word's list at 10,000 records took milliseconds).  This reads the decoded id array
    of each block of a Whoosh 3 leaf matcher, skipping deleted documents as the wrapper would;
    any other matcher falls back to ``all_ids``."""
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        matcher, deleted = matcher.child, frozenset(matcher._ids)
    if not all(hasattr(matcher, a) for a in ("_read_ids", "_ids", "_next_block", "_atend")):
        return [d for d in matcher.all_ids() if d not in deleted]
    matcher.reset()  # the wrapper may have moved past deleted documents already
    found: list[int] = []
    while not matcher._atend:
        matcher._read_ids()  # decodes the block's ids into matcher._ids
        found += matcher._ids
        matcher._next_block()
    return [d for d in found if d not in deleted] if deleted else found


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


def search(
    index_dir: Path | str,
    query: str,
    *,
    category: str | None = None,
    department: str | None = None,
    year: int | None = None,
    page: int = 1,
    size: int = 10,
) -> SearchResult:
    """Search the index once (opens and closes it). Raises ``QueryError`` for bad bounds."""
    request = SearchRequest.create(
        query, category=category, department=department, year=year, page=page, size=size
    )
    with CatalogSearcher(index_dir) as searcher:
        return searcher.search(request)


def related_records(
    source: Path | str | CatalogSearcher, record: Record, limit: int = 5
) -> list[str]:
    """Ids of up to ``limit`` records related to ``record``: explicit links (interpretations,
    ``related``) first, then similar records of the same department, then other departments."""
    if isinstance(source, CatalogSearcher):
        return source.related(record, limit)
    with CatalogSearcher(source) as searcher:
        return searcher.related(record, limit)


def describe_result(result: SearchResult, page: int = 1, size: int = 10) -> str:
    """The result as readable Chinese text for the terminal (marks become 【】)."""
    lines = [f"“{result.query}”：共 {result.total} 条" + (f"，第 {page} 页" if page > 1 else "")]
    for number, hit in enumerate(result.hits, start=(page - 1) * size + 1):
        snippet = re.sub(r"</?mark>", lambda m: "】" if m.group()[1] == "/" else "【", hit.snippet)
        lines += [
            f"{number}. {hit.title}",
            f"   {hit.id} · {hit.department} · {hit.category} · {hit.published}",
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


# ---------------------------------------------------------------- the build's read-back check


def index_mismatch(catalog: Catalog, index_dir: Path) -> str | None:
    """Why the index in use does not hold ``catalog`` (Chinese), or None when it does: Whoosh's
    own reader counts the documents and finds one record by its id (the first id, so the same
    record each time) with every stored field as ``record_document`` gives it."""
    generation = read_current(index_dir)
    if generation is None:
        return "索引目录里没有可用的索引"
    with whoosh_index.open_dir(str(index_dir / generation)).searcher() as searcher:
        if searcher.doc_count() != len(catalog.records):
            return f"索引里有 {searcher.doc_count()} 条记录，应为 {len(catalog.records)} 条"
        if not catalog.records:
            return None
        record = min(catalog.records, key=lambda r: r.id)
        expected = {
            name: value
            for name, value in record_document(record).items()
            if searcher.schema[name].stored
        }
        found = searcher.document(id=record.id)
    if found != expected:
        return f"读回的记录 {record.id} 与写入的不一致"
    return None


def write_with_whoosh(catalog: Catalog, index_dir: Path) -> IndexStats:
    """A new generation of the whole index written by Whoosh's own writer (slower than
    ``SegmentBuilder``): the build's fallback when the index it wrote does not read back."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    with write_lock(root):
        previous = read_current(root)
        target = _new_generation(root)
        target.mkdir()
        writer = whoosh_index.create_in(str(target), catalog_schema()).writer()
        try:
            for record in catalog.records:
                writer.add_document(**record_document(record))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        _switch_current(root, target.name)
        _remove_stale(root, {target.name, previous or ""})
    return IndexStats(target.name, full=True, added=len(catalog.records))
