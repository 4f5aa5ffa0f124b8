"""Searching the Whoosh index: matches from posting-list sets, Whoosh's BM25F scores, facets,
exact 索引号/文号/title lookups, suggestions and related records.
"""

from __future__ import annotations

import heapq
import html
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from whoosh.index import open_dir
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from generator.core.records import Record
from generator.search.pinyin_words import Entry as PinyinEntry
from generator.search.pinyin_words import PinyinWord, build_vocabulary
from generator.search.query_text import QueryText, Word, understand
from generator.search.related import Entry, RelatedModel
from generator.search.related import entry as related_entry
from generator.search.results import Hit, SearchRequest, SearchResult, Suggestions
from generator.search.site_pages import matching_pages
from generator.search.tokenize_zh import initials_grams, make_snippet, split_syllables
from generator.search.whoosh_index import IndexMissingError, read_current
from generator.search.whoosh_schema import compact, doc_number_key
from generator.search.whoosh_segments import term_docnums

TEXT_FIELDS = ("title", "doc_number", "keywords", "summary", "body")
TITLE_FIELDS = ("title", "doc_number")
FACETS = ("category", "department", "year")
TERM_CACHE = 256  # posting lists (document numbers of a field's word) kept per open searcher
SKIP_RATIO = 16  # score by skipping to each document when they are this much fewer than postings
RERANK_WINDOW = 20  # extra hits fetched so that whole-title matches can move up
TITLE_BONUS = 2.0  # score factor for a title that contains the whole query


Counted = tuple[str, str, set[int]]  # field, word, the documents whose score it adds to


@dataclass(frozen=True)
class Match:
    scores: dict[int, float]  # every matching document
    relaxed: bool  # no document had every word: these have most of them
    in_titles: set[int]  # documents whose title or 文号 holds every word


def _understood(query: QueryText) -> str:
    """The words searched for, when they differ from what was typed (shown above results)."""
    words = " ".join(word[0][0] for word in query.words)
    return words if compact(words) != compact(query.raw) else ""


class CatalogSearcher:
    """An open generation of the index; thread-safe; knows when a newer one is in use."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        generation = read_current(self.index_dir)
        if generation is None:
            raise IndexMissingError(self.index_dir)
        self.generation = generation
        self._searcher: Searcher = open_dir(str(self.index_dir / generation)).searcher(
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
        self._pinyin_words: list[PinyinWord] | None = None
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

    def pinyin_words(self) -> list[PinyinWord]:
        """The kiosk's pinyin vocabulary of the indexed records (built on first use)."""
        with self._lock:
            if self._pinyin_words is None:
                self._pinyin_words = build_vocabulary(
                    PinyinEntry(f["title"], tuple(f.get("keywords", "").split()), f["summary"])
                    for f in self._searcher.reader().all_stored_fields()
                )
            return self._pinyin_words

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
        query = understand(request.query)
        exact = self._exact_docnums(query)
        match = self._match(query)
        matched = set(match.scores).union(exact)
        filters = request.filters()
        facets = self._facets(matched, filters)
        allowed = self._filtered(matched, filters)
        needed = request.page * request.size
        if request.sort == "date" or not query.text:
            ranked = self._newest(exact, allowed, needed)
        else:
            ranked = self._rank(query, match, exact, allowed, needed)
        start = (request.page - 1) * request.size
        hits = tuple(
            self._hit(d, score, query.terms) for d, score in ranked[start : start + request.size]
        )
        pages = self._site_pages(request, query, hits)
        has_text = bool(query.words)
        suggestions = None if allowed else self._suggest(request, facets, has_text)
        if pages:
            hits, suggestions = pages + hits, None
        return SearchResult(
            request.query, len(allowed) + len(pages), hits, facets, suggestions,
            relaxed=match.relaxed and bool(allowed), understood=_understood(query),
        )  # fmt: skip

    def _site_pages(
        self, request: SearchRequest, query: QueryText, hits: tuple[Hit, ...]
    ) -> tuple[Hit, ...]:
        """The site's pages named by the query, above the records of the first page (not when
        filtering or sorting by date: they have no category, department or date)."""
        if request.page > 1 or request.filters() or request.sort != "relevance":
            return ()
        top = max((hit.score for hit in hits), default=0.0) + 1.0
        return tuple(
            Hit(
                id=f"page:{page.key}", title=page.title, url=page.url, department="",
                category="", published="", snippet=html.escape(page.description),
                score=round(top, 3), kind="page",
            )
            for page in matching_pages(query)
        )  # fmt: skip

    def _scores(self, query: str) -> dict[int, float]:
        return self._match(understand(query)).scores

    def _match(self, query: QueryText) -> Match:
        """Every matching document with its BM25F score.

        The matches and scores of Whoosh's query tree (``tests/whoosh_query_tree.py``: each word
        in some text field, as one of its alternatives; or the title's pinyin), computed with
        set operations on posting lists, then scoring only the matched documents: Whoosh's
        matchers walk a tree of unions per word and field and score every posting, which took
        100–300 ms for a long title at 10,000 records.  When no document has every word, those
        with the most words (at least half of them) match instead: ``relaxed``."""
        if not query.text:
            every = dict.fromkeys(self._searcher.reader().all_doc_ids(), 0.0)
            return Match(every, False, set())
        words, counted, relaxed = self._word_matches(query.words)
        if query.pinyin:
            pinyin, pinyin_counted = self._pinyin_matches(query.pinyin)
            words |= pinyin
            counted += pinyin_counted
            relaxed = relaxed and not pinyin
        scores = dict.fromkeys(words, 0.0)
        for fieldname, word, only in counted:
            docs = only.intersection(self._term_docs(fieldname, word))
            for docnum, score in self._term_scores(fieldname, word, docs).items():
                scores[docnum] += score
        return Match(scores, relaxed, self._in_titles(query.words, words))

    def _docs_with(self, alternative: tuple[str, ...], fields: tuple[str, ...]) -> set[int]:
        """Documents holding every term of ``alternative``, each in one of ``fields``."""
        return set.intersection(
            *(set().union(*(self._term_docs(f, t) for f in fields)) for t in alternative)
        )

    def _word_matches(self, words: tuple[Word, ...]) -> tuple[set[int], list[Counted], bool]:
        """Documents with every word (as one of its alternatives, in any text field), or with
        most of them; the terms whose scores count, each with the documents it counts for."""
        if not words:
            return set(), [], False
        found = [[self._docs_with(alt, TEXT_FIELDS) for alt in word] for word in words]
        per_word = [set().union(*alternatives) for alternatives in found]
        matched = set.intersection(*per_word)
        relaxed = not matched and len(words) > 1
        if relaxed:
            counts = Counter(d for docs in per_word for d in docs)
            most = max(counts.values(), default=0)
            if most * 2 >= len(words):
                matched = {d for d, count in counts.items() if count == most}
        counted: list[Counted] = []
        for word, alternatives in zip(words, found, strict=True):
            for alternative, docs in zip(word, alternatives, strict=True):
                only = matched & docs
                counted += [(f, term, only) for term in alternative for f in TEXT_FIELDS]
        return matched, counted, relaxed

    def _in_titles(self, words: tuple[Word, ...], matched: set[int]) -> set[int]:
        """Matched documents whose title or 文号 holds every word: ranked above the others."""
        if not words or not matched:
            return set()
        docs = set(matched)
        for word in words:
            docs &= set().union(*(self._docs_with(alt, TITLE_FIELDS) for alt in word))
        return docs

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
        return term_docnums(self._searcher.reader(), fieldname, word.encode("utf-8"))

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

    def _exact_docnums(self, query: QueryText) -> list[int]:
        if not query.text:
            return []
        reader = self._searcher.reader()
        raw = unicodedata.normalize("NFKC", query.raw).strip()
        lookups = (
            ("id", raw),
            ("id", raw.upper()),
            ("doc_number_exact", doc_number_key(query.text)),
            ("title_exact", compact(query.raw)),  # as stored: NFKC would change （）
            ("title_exact", compact(query.text)),
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

    def _newest(self, exact: list[int], allowed: set[int], needed: int) -> list[tuple[int, float]]:
        """Newest first (exact lookups still first): a query without words, or sort by date."""
        first = [d for d in exact if d in allowed]
        published = self._column("published")
        rest = allowed.difference(first)
        newest = heapq.nlargest(needed, rest, key=lambda d: (published[d], -d))
        return [(d, 0.0) for d in first + newest]

    def _rank(
        self,
        query: QueryText,
        match: Match,
        exact: list[int],
        allowed: set[int],
        needed: int,
    ) -> list[tuple[int, float]]:
        """Exact 索引号/文号/title matches first, then documents whose title or 文号 holds every
        word, then the others; by score within each (a title containing the whole query counts
        double)."""
        scores = match.scores
        first = [d for d in exact if d in allowed]
        rest = allowed.difference(first)
        titled = rest & match.in_titles
        window = heapq.nsmallest(
            needed + RERANK_WINDOW, titled, key=lambda d: (-scores.get(d, 0.0), d)
        )
        if len(window) < needed + RERANK_WINDOW:
            window += heapq.nsmallest(
                needed + RERANK_WINDOW - len(window),
                rest - titled,
                key=lambda d: (-scores.get(d, 0.0), d),
            )
        wanted = compact(query.text)
        reader = self._searcher.reader()
        boosted = {
            d: scores.get(d, 0.0)
            * (TITLE_BONUS if wanted in compact(reader.stored_fields(d)["title"]) else 1.0)
            for d in window
        }
        top = max(boosted.values(), default=0.0)
        ordered = sorted(window, key=lambda d: (d not in titled, -boosted[d], d))
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
            doc_number=stored.get("doc_number", ""),
            validity=stored.get("validity", "valid"),
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
        words = [word[0][0] for word in understand(query).words]
        found: list[str] = []
        if len(words) > 1:
            found += [w for w in words if any(self._term_docs(f, w) for f in TEXT_FIELDS)]
        for word in words:
            if word.isascii() or any(self._term_docs(f, word) for f in TEXT_FIELDS):
                continue  # titles hold Chinese words: no use correcting pinyin or numbers there
            for other in self._searcher.suggest("title", word, limit=3, maxdist=1, prefix=1):
                if not self._term_docs("title", other):
                    continue  # only in a replaced version's tombstone: never offer it
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


def search(
    index_dir: Path | str,
    query: str,
    *,
    category: str | None = None,
    department: str | None = None,
    year: int | None = None,
    page: int = 1,
    size: int = 10,
    sort: str = "relevance",
) -> SearchResult:
    """Search the index once (opens and closes it). Raises ``QueryError`` for bad bounds."""
    request = SearchRequest.create(
        query,
        category=category,
        department=department,
        year=year,
        page=page,
        size=size,
        sort=sort,
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
