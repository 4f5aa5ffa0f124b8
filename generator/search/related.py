"""Related records, computed in memory: explicit links first, then similar records.

Similarity is TF-IDF over the search-mode tokens (``tokenize_zh.tokens``, the tokenizer the
Whoosh index uses) of each record's title, keywords and summary — the issue's "more-like-this
over title, keywords and summary".  Like Whoosh's more-like-this, each record queries with its
``QUERY_TERMS`` heaviest terms; candidates are scored by the dot product of normalised vectors.
Order of the result: the record's ``interprets`` target, its ``related`` ids, the records that
interpret it, then similar records of the same department, then similar records of other
departments.  Ties are broken by id, so the same catalog always gives the same lists.

The model is pure (no disk, no Whoosh).  ``related_map`` may keep two files in a build's cache
folder: the last result under a hash of every input of the computation (a build in which no
title, keyword, summary, department, ``interprets`` or ``related`` changed reads the result
back: 0.1 s instead of ~1.7 s at 10,000 records), and each text's term counts under a hash of
the text (a build that must compute tokenizes only the texts it has not seen).  Either way the
result is the one computed without a cache.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from generator.core.cache import CacheFolder, fingerprint
from generator.core.records import Catalog, Record
from generator.search import tokenize_zh
from generator.search.tokenize_zh import tokens

RELATED_LIMIT = 5
QUERY_TERMS = 8  # heaviest terms of a record that look for similar records
CANDIDATES = 4  # similar records considered per wanted one (then same department first)
COMMON_SHARE = 0.02  # a term in more than this share of the records adds noise and time…
COMMON_MIN = 100  # …unless the catalog is small…
# …and never in more than this many: each record visits the postings of its query terms, so a
# share-based limit made the work grow with the square of the catalog (related records for
# 100,000 records took six minutes; with the cap, ten times the 10,000-record time).
COMMON_MAX = 200
_SCORE_DIGITS = 9  # scores are rounded so that float noise never decides an order
_TIE_MARGIN = 1e-6

RESULT_FILE = "related-records"  # the last result and the key of its inputs
TERMS_FILE = "related-term-counts"  # term counts by text hash (read only when recomputing)
CACHE_FORMAT = 3  # bump when a file's shape changes

TermCounts = Mapping[str, int]
Postings = tuple[tuple[str, ...], tuple[float, ...]]  # ids (sorted) and their weights


@dataclass(frozen=True)
class Entry:
    """What similarity needs of one record."""

    id: str
    department: str
    text: str  # title, keywords and summary
    interprets: str | None = None


def entry(record: Record) -> Entry:
    text = " ".join([record.title, *record.keywords, record.summary])
    return Entry(record.id, record.department, text, record.interprets)


def terms(text: str) -> Counter[str]:
    """Term frequencies of ``text`` (search-mode tokens, lower case, no punctuation)."""
    return Counter(tokens(text))


@dataclass(frozen=True)
class RelatedModel:
    """TF-IDF vectors of a set of records and the postings to find neighbours quickly."""

    entries: Mapping[str, Entry]
    idf: Mapping[str, float]
    vectors: Mapping[str, Mapping[str, float]]  # id → term → normalised weight
    postings: Mapping[str, Postings]  # term → its records, for terms that are not common
    interpreted_by: Mapping[str, tuple[str, ...]]  # id → ids of records interpreting it

    @classmethod
    def build(
        cls, entries: Iterable[Entry], count: Callable[[str], TermCounts] = terms
    ) -> RelatedModel:
        """The model of ``entries``; ``count`` gives a text's term counts (``terms``, or a
        cache of its results)."""
        chosen = {e.id: e for e in entries}
        counts = {i: count(e.text) for i, e in chosen.items()}
        frequency: Counter[str] = Counter()
        for counted in counts.values():
            frequency.update(counted.keys())
        total = len(chosen)
        idf = {t: math.log((total + 1) / (df + 0.5)) for t, df in frequency.items()}
        vectors = {i: weigh(c, idf) for i, c in counts.items()}
        common = min(COMMON_MAX, max(COMMON_MIN, int(COMMON_SHARE * total)))
        return cls(
            chosen,
            idf,
            vectors,
            postings(vectors, frequency, common),
            interpretations(chosen.values()),
        )

    def similar(self, record_id: str, vector: Mapping[str, float], count: int) -> list[str]:
        """Up to ``count`` other records nearest to ``vector``, best first, ties by id."""
        heaviest = sorted([(-weight, term) for term, weight in vector.items()])[:QUERY_TERMS]
        scores: dict[str, float] = {}
        get = scores.get
        for negative, term in heaviest:
            found = self.postings.get(term)
            if found is not None:
                weight = -negative
                for other, other_weight in zip(*found, strict=True):
                    scores[other] = get(other, 0.0) + weight * other_weight  # 0.0 + a + b…
        scores.pop(record_id, None)
        if not scores:
            return []
        ranked = sorted(scores.items(), key=itemgetter(1), reverse=True)
        floor = round(ranked[min(count, len(ranked)) - 1][1], _SCORE_DIGITS) - _TIE_MARGIN
        chosen = []  # everything tied with the last one competes: by rounded score, then id
        for other, score in ranked:
            if score < floor:
                break
            chosen.append((-round(score, _SCORE_DIGITS), other))
        return [other for _, other in sorted(chosen)[:count]]

    def related(
        self, record: Entry, links: Sequence[str] = (), limit: int = RELATED_LIMIT
    ) -> list[str]:
        """Ids related to ``record`` (which need not be in the model); unknown ids are skipped.

        ``links`` are the record's own ``related`` ids; its ``interprets`` target and the
        records interpreting it come before them."""
        vector = self.vectors.get(record.id) or weigh(terms(record.text), self.idf)
        similar = self.similar(record.id, vector, CANDIDATES * limit)
        same = [i for i in similar if self.entries[i].department == record.department]
        other = [i for i in similar if self.entries[i].department != record.department]
        explicit = [record.interprets or "", *links, *self.interpreted_by.get(record.id, ())]
        known = [i for i in explicit if i in self.entries]
        ordered = dict.fromkeys([*known, *same, *other])
        ordered.pop(record.id, None)
        return list(ordered)[:limit]


def weigh(counts: TermCounts, idf: Mapping[str, float]) -> dict[str, float]:
    """Log-scaled term frequency × idf, normalised to length 1 (unknown terms dropped)."""
    raw = {t: (1.0 + math.log(n)) * idf[t] for t, n in counts.items() if t in idf}
    norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
    return {t: w / norm for t, w in raw.items()}


def postings(
    vectors: Mapping[str, Mapping[str, float]], frequency: Mapping[str, int], common: int
) -> dict[str, Postings]:
    """Term → (ids in sorted order, their weights), for terms in at most ``common`` records."""
    ids: dict[str, list[str]] = defaultdict(list)
    weights: dict[str, list[float]] = defaultdict(list)
    for record_id in sorted(vectors):
        for term, weight in vectors[record_id].items():
            if frequency[term] <= common:
                ids[term].append(record_id)
                weights[term].append(weight)
    return {term: (tuple(found), tuple(weights[term])) for term, found in ids.items()}


def interpretations(entries: Iterable[Entry]) -> dict[str, tuple[str, ...]]:
    """Interpreted id → the ids of the records interpreting it, sorted."""
    interpreted: dict[str, list[str]] = defaultdict(list)
    for item in sorted(entries, key=lambda e: e.id):
        if item.interprets:
            interpreted[item.interprets].append(item.id)
    return {target: tuple(ids) for target, ids in interpreted.items()}


def compute_related(
    records: Sequence[Record], limit: int, count: Callable[[str], TermCounts] = terms
) -> dict[str, list[str]]:
    model = RelatedModel.build((entry(r) for r in records), count)
    return {r.id: model.related(entry(r), r.related, limit) for r in records}


def related_map(
    catalog: Catalog, limit: int = RELATED_LIMIT, cache_dir: Path | None = None
) -> dict[str, list[str]]:
    """Each record's id → up to ``limit`` related record ids (deterministic for a catalog).

    With ``cache_dir`` (a build's cache folder) the result and the term counts are kept there
    (``related-records``, ``related-term-counts``); the result does not depend on them."""
    if cache_dir is None:
        return compute_related(catalog.records, limit)
    caches, code = CacheFolder(cache_dir), related_code()
    kept = caches.file(RESULT_FILE).read(inputs_key(catalog.records, limit))
    if isinstance(kept, dict):
        return kept
    known = caches.file(TERMS_FILE).read(code)
    counter = TermCounter(known if isinstance(known, dict) else {})
    result = compute_related(catalog.records, limit, counter.counts)
    caches.file(TERMS_FILE).write(code, counter.used)
    caches.file(RESULT_FILE).write(inputs_key(catalog.records, limit), result)
    return result


# ---------------------------------------------------------------- cache


@lru_cache(maxsize=1)
def related_code() -> bytes:
    """The code and library versions term counts and results depend on."""
    code = [Path(tokenize_zh.__file__), Path(__file__)]
    return fingerprint(CACHE_FORMAT, files=code, packages=["rjieba"])


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def inputs_key(records: Sequence[Record], limit: int) -> bytes:
    """A hash of everything ``compute_related`` reads, in catalog order."""
    digest = hashlib.sha256(related_code() + f"|{limit}|".encode())
    for r in records:
        fields = (r.id, r.department, r.title, r.keywords, r.summary, r.interprets, r.related)
        digest.update(repr(fields).encode("utf-8", "surrogatepass"))
    return digest.digest()


@dataclass
class TermCounter:
    """``terms(text)`` for the texts of a run, reusing the counts of texts seen before."""

    known: dict[bytes, dict[str, int]]
    used: dict[bytes, dict[str, int]] = field(default_factory=dict)

    def counts(self, text: str) -> TermCounts:
        key = text_key(text)
        counted = self.known.get(key)
        if counted is None:
            counted = dict(terms(text))  # the same order: it decides the order of float sums
        self.used[key] = counted
        return counted
