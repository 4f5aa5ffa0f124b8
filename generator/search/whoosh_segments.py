"""Whoosh 3's private segment format: the only module that touches whoosh internals.

``write_segments`` writes a fresh index as Whoosh's writer would, byte for byte, at a fraction of
its cost; ``term_docnums`` reads the document numbers of a posting list a block at a time.  Both
depend on private classes, ``_`` attributes and codec details of whoosh3, which is locked; their
tests (``test_full_build_writes_the_files_whoosh_writes``, ``test_posting_ids_*``) compare them
with Whoosh's own writer and matchers.
"""

from __future__ import annotations

import gc
import hashlib
import operator
import pickle
import struct
import zlib
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache, partial
from itertools import accumulate, chain, islice
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

from whoosh.analysis import (
    IDTokenizer,
)
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.fields import ID, Schema
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.formats import Existence, Format, Frequency, Positions
from whoosh.index import FileIndex, create_in
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from generator.search.tokenize_zh import (
    word_counts,
    word_token,
)
from generator.search.whoosh_schema import TokenText

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


def write_segments(
    directory: Path, schema: Schema, documents: Iterable[Mapping[str, Any]], batch: int
) -> None:
    """A new index in ``directory`` holding ``documents`` (the keyword arguments of Whoosh's
    ``add_document``): one segment per ``batch`` documents, never merged."""
    index = create_in(str(directory), schema)
    remaining = iter(documents)
    with _collector_paused():
        while _write_segment(index, islice(remaining, batch)):
            pass


def _write_segment(index: FileIndex, documents: Iterator[Mapping[str, Any]]) -> bool:
    """One segment of ``documents``; False when there were none."""
    first = next(documents, None)
    if first is None:
        return False
    writer = SegmentWriter(index)
    try:
        segment = SegmentBuilder(writer)
        for document in chain((first,), documents):
            segment.add(document)
        segment.commit()
    except BaseException:
        writer.cancel()
        raise
    return True


def term_docnums(reader: IndexReader, fieldname: str, term: bytes) -> frozenset[int]:
    """The documents (numbers across all segments) whose ``fieldname`` holds ``term``."""
    found: list[int] = []
    for leaf, base in reader.leaf_readers():
        if (fieldname, term) in leaf:
            ids = posting_ids(leaf.postings(fieldname, term))
            found += ids if base == 0 else [base + d for d in ids]
    return frozenset(found)


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
    (``write_segments``); ``test_full_build_writes_the_files_whoosh_writes`` compares the files."""

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
