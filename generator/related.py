"""Related records, computed in memory: explicit links first, then similar records.

Similarity is TF-IDF over the search-mode tokens (``tokenize_zh.tokens``, the tokenizer the
Whoosh index uses) of each record's title, keywords and summary — the issue's "more-like-this
over title, keywords and summary".  Like Whoosh's more-like-this, each record queries with its
``QUERY_TERMS`` heaviest terms; candidates are scored by the dot product of normalised vectors.
Order of the result: the record's ``interprets`` target, its ``related`` ids, the records that
interpret it, then similar records of the same department, then similar records of other
departments.  Ties are broken by id, so the same catalog always gives the same lists.

Pure functions and one small frozen model; no disk, no Whoosh.  10,000 records take about a
second or two, so every build (warm ones too) can call ``related_map`` without a cache.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.records import Catalog, Record
from generator.tokenize_zh import tokens

RELATED_LIMIT = 5
QUERY_TERMS = 8  # heaviest terms of a record that look for similar records
CANDIDATES = 4  # similar records considered per wanted one (then same department first)
COMMON_SHARE = 0.02  # a term in more than this share of the records adds noise and time…
COMMON_MIN = 100  # …unless the catalog is small
_SCORE_DIGITS = 9  # scores are rounded so that float noise never decides an order


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
    postings: Mapping[str, Sequence[tuple[str, float]]]  # term → (id, weight), ids sorted
    interpreted_by: Mapping[str, tuple[str, ...]]  # id → ids of records interpreting it

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> RelatedModel:
        chosen = {e.id: e for e in entries}
        counts = {i: terms(e.text) for i, e in chosen.items()}
        frequency = Counter(t for c in counts.values() for t in c)
        total = len(chosen)
        idf = {t: math.log((total + 1) / (df + 0.5)) for t, df in frequency.items()}
        vectors = {i: weigh(c, idf) for i, c in counts.items()}
        common = max(COMMON_MIN, int(COMMON_SHARE * total))
        postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for record_id in sorted(vectors):
            for term, weight in vectors[record_id].items():
                if frequency[term] <= common:
                    postings[term].append((record_id, weight))
        interpreted: dict[str, list[str]] = defaultdict(list)
        for record_id in sorted(chosen):
            target = chosen[record_id].interprets
            if target:
                interpreted[target].append(record_id)
        return cls(
            chosen, idf, vectors, dict(postings), {k: tuple(v) for k, v in interpreted.items()}
        )

    def similar(self, record_id: str, vector: Mapping[str, float], count: int) -> list[str]:
        """Up to ``count`` other records nearest to ``vector``, best first, ties by id."""
        heaviest = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:QUERY_TERMS]
        scores: dict[str, float] = defaultdict(float)
        for term, weight in heaviest:
            for other, other_weight in self.postings.get(term, ()):
                scores[other] += weight * other_weight
        scores.pop(record_id, None)
        best = heapq.nlargest(count, scores.values())
        if not best:
            return []
        floor = round(best[-1], _SCORE_DIGITS)  # everything tied with the last one competes
        chosen = [(-round(s, _SCORE_DIGITS), i) for i, s in scores.items() if s >= floor - 1e-6]
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


def weigh(counts: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    """Log-scaled term frequency × idf, normalised to length 1 (unknown terms dropped)."""
    raw = {t: (1.0 + math.log(n)) * idf[t] for t, n in counts.items() if t in idf}
    norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
    return {t: w / norm for t, w in raw.items()}


def related_map(catalog: Catalog, limit: int = RELATED_LIMIT) -> dict[str, list[str]]:
    """Each record's id → up to ``limit`` related record ids (deterministic for a catalog)."""
    model = RelatedModel.build(entry(r) for r in catalog.records)
    return {r.id: model.related(entry(r), r.related, limit) for r in catalog.records}
