"""What the static search page needs beyond Pagefind, as small files beside the site.

- ``assets/search-lookup/<bucket>.json``: exact 索引号, 文号 and full titles → the record (title,
  address, date, 文号, validity), split into ``BUCKETS`` files by a hash of the key, so that a
  query that looks like an identifier or a whole title downloads one small file and shows its
  record first (Pagefind ranks a long title's words across shards poorly).
- ``assets/pinyin-words.json``: the catalog's words with pinyin (``pinyin_words``), read only
  when a query is all letters: the page turns ``zfxxgk`` into 政府 信息 公开 and asks Pagefind.

The search page's script computes the same key and bucket (``lookup_key``, ``bucket_of``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
from collections import defaultdict
from dataclasses import astuple
from pathlib import Path
from typing import Any

from generator.core.records import Catalog, Record
from generator.search.pinyin_words import Entry, build_vocabulary, vocabulary_json
from generator.search.query_text import fold_width
from generator.search.whoosh_schema import doc_number_key, record_url

LOOKUP_DIR = "assets/search-lookup"
PINYIN_WORDS = "assets/pinyin-words.json"
VOCABULARY_FORMAT = 1  # part of the cached words' key: bump when pinyin_words changes
BUCKETS = 256  # ~20 KB each at 10,000 records


def lookup_key(text: str) -> str:
    """索引号 or 文号 as looked up: folded (NFKC, 文号 brackets), no spaces, lower case."""
    return "".join(fold_width(text).split())


def bucket_of(key: str) -> int:
    """FNV-1a (32 bits) over the key's UTF-16 code units, modulo ``BUCKETS``: the same in the
    page's script, which sees strings as UTF-16."""
    encoded = key.encode("utf-16-le")
    value = 0x811C9DC5
    for unit in struct.unpack(f"<{len(encoded) // 2}H", encoded):
        value = ((value ^ unit) * 0x01000193) & 0xFFFFFFFF
    return value % BUCKETS


def record_entry(record: Record) -> dict[str, Any]:
    return {
        "id": record.id,
        "title": record.title,
        "url": record_url(record),
        "published": record.published.isoformat(),
        "doc_number": record.doc_number or "",
        "validity": record.validity,
    }


def lookup_buckets(catalog: Catalog) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Each bucket: key → the records it names (a 文号 or title may name several, newest
    first)."""
    buckets: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for record in sorted(catalog.records, key=lambda r: (r.published, r.id), reverse=True):
        keys = {lookup_key(record.id), lookup_key(record.title)}
        if record.doc_number:
            keys |= {lookup_key(record.doc_number), lookup_key(doc_number_key(record.doc_number))}
        for key in sorted(k for k in keys if k):
            buckets[bucket_of(key)][key].append(record_entry(record))
    return buckets


def write_static_lookups(catalog: Catalog, site_dir: Path, cache_dir: Path | None) -> None:
    """Write the lookup buckets and the pinyin words into the built site (the words kept in
    ``cache_dir`` by a hash of what they are made of: ~2 s at 10,000 records)."""
    folder = site_dir / LOOKUP_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for bucket, keys in lookup_buckets(catalog).items():
        text = json.dumps(keys, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        (folder / f"{bucket}.json").write_text(text, encoding="utf-8")
    (site_dir / PINYIN_WORDS).write_text(pinyin_words_text(catalog, cache_dir), encoding="utf-8")


def pinyin_words_text(catalog: Catalog, cache_dir: Path | None) -> str:
    entries = [Entry(r.title, r.keywords, r.summary) for r in catalog.records]
    digest = hashlib.sha256(
        json.dumps([VOCABULARY_FORMAT, *map(astuple, entries)], ensure_ascii=False).encode()
    ).hexdigest()[:24]
    cached = cache_dir / f"pinyin-words-{digest}.json" if cache_dir else None
    if cached and cached.is_file():
        return cached.read_text(encoding="utf-8")
    vocabulary = build_vocabulary(entries)
    text = json.dumps(vocabulary_json(vocabulary), ensure_ascii=False, separators=(",", ":"))
    if cached:
        for old in cached.parent.glob("pinyin-words-*.json"):
            old.unlink()
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(text, encoding="utf-8")
    return text
