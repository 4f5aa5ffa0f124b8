"""Compact, column-oriented data for the in-browser catalog browser (目录检索).

``assets/catalog-browser.json`` holds one array per field, in catalog order (newest first), so a
10,000-record catalog stays well under 1.5 MB.  Repeated values become small integers:

- ``departments``, ``categories``, ``validity``: ``[id, name]`` lookup tables; ``topics``: names.
  A record's ``department``/``category``/``validity``/``topic`` column holds the table index
  (``topic`` is ``-1`` when a record has none).
- ``patterns``: ``[head, width, tail]``; a 索引号 or 文号 is ``head + number + tail`` with the
  number left-padded with zeros to ``width`` digits (``width`` ``-1``: no number, ``head`` alone).
  So ``11339901MB0123456X/2024-00012`` is the pattern ``["11339901MB0123456X/2024-", 5, ""]``
  and the number 12, and ``青禾教发〔2024〕3号`` is ``["青禾教发〔2024〕", 0, "号"]`` and 3.
- ``dirs``: folders of record slugs; a record's page is
  ``records/<department id>/<dirs[dir]><name>.html``.
- ``dictionary``: frequent words and phrases of titles and slug names.  In ``title`` and
  ``name`` the private-use character U+E001 + i stands for ``dictionary[i]`` (titles are most
  of the file; this roughly halves them).  A private-use character already in the text (real
  titles carry some, from old fonts) is kept, escaped by a U+E000 before it.
- ``published``: days since 1970-01-01 for the first record, then the difference to the
  previous record (small numbers, since records are sorted by date).

The JavaScript in ``site_overrides/assets/javascripts/catalog-browser.js`` decodes exactly this.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

import rjieba

from generator.core.records import Catalog, Record

FORMAT_VERSION = 1
DATA_PATH = "assets/catalog-browser.json"
EPOCH = date(1970, 1, 1)
VALIDITY = (("valid", "有效"), ("expired", "失效"), ("repealed", "废止"), ("amended", "已修订"))
# The last run of at most 15 digits (exact in a JavaScript number) and what follows it, matched
# on the reversed text: anchored at its start, it never backtracks over the head (the same split
# as ^(.*?)([0-9]{1,15})([^0-9]*)$ on the text, two to four times faster).
# ASCII digits only: int() also reads other scripts' digits (꩐, ٣, ３), which would not round-trip.
REVERSED_NUMBER = re.compile(r"([^0-9]*)([0-9]{1,15})")

# Phrase dictionary: private-use code points, and how many phrases are worth their table entry.
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
ESCAPE = "\ue000"
DICTIONARY_START = 0xE001
DICTIONARY_SIZE = 2000  # < 6,399 code points left in the private-use area
PHRASE_WORDS = 3  # phrases are runs of up to this many segmented words

Pattern = tuple[str, int, str]


@dataclass
class LookupTable:
    """Values in first-seen order, each mapped to its index."""

    values: list[Any] = field(default_factory=list)
    index: dict[Any, int] = field(default_factory=dict)

    def add(self, value: Any) -> int:
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]


def split_number(text: str) -> tuple[Pattern, int]:
    """``"X/2024-00012"`` → ``(("X/2024-", 5, ""), 12)``; text without digits → width -1."""
    match = REVERSED_NUMBER.match(text[::-1])
    if match is None:
        return (text, -1, ""), 0
    tail, digits = match.group(1)[::-1], match.group(2)[::-1]
    head = text[: len(text) - match.end()]
    width = len(digits) if digits.startswith("0") else 0
    return (head, width, tail), int(digits)


def split_slug(slug: str) -> tuple[str, str]:
    """``"2024/plan"`` → ``("2024/", "plan")``."""
    folder, _, name = slug.rpartition("/")
    return (folder + "/" if folder else ""), name


Words = list[str]


def phrase_counts(texts: Sequence[Words]) -> Counter[str]:
    """How often each run of 1 to ``PHRASE_WORDS`` words occurs in the segmented texts."""
    counts: Counter[str] = Counter()
    for n in range(1, PHRASE_WORDS + 1):
        # every run of n words of every text: zip of the text with itself shifted by 1…n-1
        shifted = ((words[k:] for k in range(n)) for words in texts)
        runs = (map("".join, zip(*copies, strict=False)) for copies in shifted)
        counts.update(chain.from_iterable(runs))
    return counts


def phrase_gain(phrase: str, count: int) -> int:
    """Bytes saved by replacing every occurrence with one 3-byte character, minus the entry."""
    size = len(phrase.encode("utf-8"))
    return count * (size - 3) - (size + 4)


def build_dictionary(texts: Sequence[Words], size: int = DICTIONARY_SIZE) -> list[str]:
    """The ``size`` phrases that save the most bytes (ties broken by the text, for determinism).

    A phrase seen once never saves anything (its gain is -7), so only repeated ones are ranked.
    """
    gains = ((phrase_gain(p, n), p) for p, n in phrase_counts(texts).items() if n > 1)
    ranked = sorted((-gain, p) for gain, p in gains if gain > 0)
    return [p for _, p in ranked[:size] if not PRIVATE_USE.search(p)]


def escape_private(word: str) -> str:
    return PRIVATE_USE.sub(lambda m: ESCAPE + m.group(), word)


def encode_words(words: Words, code: dict[str, str]) -> str:
    """Greedy longest phrase first; private-use characters in the text are escaped."""
    escape = escape_private if any(map(PRIVATE_USE.search, words)) else None
    out, i, end = [], 0, len(words)
    while i < end:
        for n in range(min(PHRASE_WORDS, end - i), 0, -1):
            phrase = "".join(words[i : i + n])
            if phrase in code:
                out.append(code[phrase])
                i += n
                break
        else:
            out.append(escape(words[i]) if escape else words[i])
            i += 1
    return "".join(out)


def compress_texts(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(dictionary, encoded texts)`` for a column of titles or names."""
    segmented = [rjieba.cut(text) for text in texts]
    dictionary = build_dictionary(segmented)
    code = {phrase: chr(DICTIONARY_START + i) for i, phrase in enumerate(dictionary)}
    return dictionary, [encode_words(words, code) for words in segmented]


def day_number(day: date) -> int:
    return (day - EPOCH).days


def deltas(values: Sequence[int]) -> list[int]:
    """First value, then each value's difference from the one before (previous - current)."""
    return [v if i == 0 else values[i - 1] - v for i, v in enumerate(values)]


def column(records: Sequence[Record], pick: Callable[[Record], Any]) -> list[Any]:
    return [pick(r) for r in records]


def browser_data(catalog: Catalog) -> dict[str, Any]:
    """The whole data document as plain JSON-ready values (pure)."""
    records = catalog.records
    departments = sorted(catalog.departments.items())
    dept_index = {dept_id: i for i, (dept_id, _) in enumerate(departments)}
    categories = list(catalog.categories.items())
    cat_index = {cat_id: i for i, (cat_id, _) in enumerate(categories)}
    validity_index = {code: i for i, (code, _) in enumerate(VALIDITY)}
    topics = sorted({r.topic for r in records if r.topic})
    topic_index = {topic: i for i, topic in enumerate(topics)}
    patterns, dirs = LookupTable(), LookupTable()
    ids = [split_number(r.id) for r in records]
    docs = [split_number(r.doc_number or "") for r in records]
    slugs = [split_slug(r.slug) for r in records]
    dictionary, texts = compress_texts([r.title for r in records] + [name for _, name in slugs])
    return {
        "version": FORMAT_VERSION,
        "count": len(records),
        "departments": [[d_id, d.name] for d_id, d in departments],
        "categories": [[c_id, c.short_name] for c_id, c in categories],
        "validity": [list(v) for v in VALIDITY],
        "topics": topics,
        "dictionary": dictionary,
        "title": texts[: len(records)],
        "published": deltas(column(records, lambda r: day_number(r.published))),
        "department": column(records, lambda r: dept_index.get(r.department, -1)),
        "category": column(records, lambda r: cat_index.get(r.category, -1)),
        "topic": column(records, lambda r: topic_index[r.topic] if r.topic else -1),
        "validity_of": column(records, lambda r: validity_index.get(r.validity, 0)),
        "id_pattern": [patterns.add(p) for p, _ in ids],
        "id_number": [n for _, n in ids],
        "doc_pattern": [patterns.add(p) for p, _ in docs],
        "doc_number": [n for _, n in docs],
        "dir": [dirs.add(folder) for folder, _ in slugs],
        "name": texts[len(records) :],
        "patterns": [list(p) for p in patterns.values],
        "dirs": dirs.values,
    }


def encode_browser_data(catalog: Catalog) -> bytes:
    data = browser_data(catalog)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_browser_data(catalog: Catalog, site_dir: Path) -> Path:
    """Write ``assets/catalog-browser.json`` into the built site; return its path."""
    target = Path(site_dir) / DATA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(encode_browser_data(catalog))
    return target
