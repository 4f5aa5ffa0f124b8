"""Known items on a synthetic catalog of 1,000 real-text records (``catalog synth``), through
the served search: 文号, 索引号, full titles, a title's two most distinctive words, a question
and pinyin initials find their record.  (The static search is compared with the served one on
the fixture site: ``tests/browser/test_search_parity.py``.)"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import rjieba

from generator.content.validate import check_content
from generator.core.records import Catalog, Record
from generator.core.settings import Settings
from generator.search.results import SearchRequest
from generator.search.tokenize_zh import char_syllables, tokens
from generator.search.whoosh_index import build_index
from generator.search.whoosh_search import CatalogSearcher
from generator.tools.synth import synthesize
from generator.tools.synth_corpus import CorpusMissingError, default_corpus_dir

RECORDS = 1000
SAMPLE = 80


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    out = tmp_path_factory.mktemp("known") / "content"
    corpus = Path(os.environ.get("CATALOG_CORPUS", default_corpus_dir()))
    try:
        synthesize(RECORDS, out, seed=5, corpus_dir=corpus)
    except CorpusMissingError as exc:
        pytest.fail(f"语料缺失（CI 应把 shared/ 放在仓库旁，或用 CATALOG_CORPUS 指定）：{exc}")
    checked = check_content(Settings(content_dir=out, cache_dir=None))
    assert checked.catalog is not None
    return checked.catalog


@pytest.fixture(scope="module")
def searcher(
    synthetic: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CatalogSearcher]:
    index = tmp_path_factory.mktemp("known-index")
    build_index(synthetic, index)
    with CatalogSearcher(index) as opened:
        yield opened


@pytest.fixture(scope="module")
def sample(synthetic: Catalog) -> list[Record]:
    return random.Random(3).sample(sorted(synthetic.records, key=lambda r: r.id), SAMPLE)


def top(searcher: CatalogSearcher, query: str, size: int = 10) -> list[str]:
    hits = searcher.search(SearchRequest.create(query, size=size)).hits
    return [hit.id for hit in hits if hit.kind == "record"]


def twins(catalog: Catalog, record: Record, field: str) -> int:
    """Records sharing the value (synthetic titles and 文号 repeat now and then)."""
    return sum(getattr(r, field) == getattr(record, field) for r in catalog.records)


_frequencies: dict[int, Counter[str]] = {}


def distinctive_words(catalog: Catalog, record: Record) -> list[str]:
    if id(catalog) not in _frequencies:
        _frequencies[id(catalog)] = Counter(
            w for r in catalog.records for w in set(tokens(r.title + r.body[:3000]))
        )
    frequency = _frequencies[id(catalog)]
    words = sorted({w for w in rjieba.cut(record.title) if len(w.strip()) >= 2})
    return sorted(words, key=lambda w: (frequency[w], w))


def test_doc_numbers_and_ids_come_first(
    synthetic: Catalog, searcher: CatalogSearcher, sample: list[Record]
) -> None:
    for record in sample:
        assert top(searcher, record.id)[0] == record.id
        if record.doc_number:
            assert (
                record.id
                in top(searcher, record.doc_number)[: twins(synthetic, record, "doc_number")]
            )


def test_titles_come_first(
    synthetic: Catalog, searcher: CatalogSearcher, sample: list[Record]
) -> None:
    for record in sample:
        found = top(searcher, record.title)
        assert record.id in found[: twins(synthetic, record, "title")], (record.title, found[:3])


def test_two_distinctive_title_words_find_the_record_in_the_top_ten(
    synthetic: Catalog, searcher: CatalogSearcher, sample: list[Record]
) -> None:
    found = 0
    asked = 0
    for record in sample:
        words = distinctive_words(synthetic, record)[:2]
        if len(words) == 2:
            asked += 1
            found += record.id in top(searcher, f"{words[1]} {words[0]}")
    assert found >= 0.95 * asked  # measured: 118 of 120 at 2,000 records (was 106 of 120)


def test_a_question_and_pinyin_initials_find_the_record(
    synthetic: Catalog, searcher: CatalogSearcher, sample: list[Record]
) -> None:
    questions = initials = asked = 0
    for record in sample:
        words = distinctive_words(synthetic, record)[:2]
        if len(words) < 2:
            continue
        asked += 1
        questions += record.id in top(searcher, f"{words[0]}{words[1]}怎么办", 10)
        longest = max(distinctive_words(synthetic, record)[:3], key=len)
        letters = "".join(s[0] for s in char_syllables(longest) if s)
        initials += len(letters) < 3 or record.id in top(searcher, letters, 50)
    assert questions >= 0.9 * asked
    assert initials >= 0.8 * asked  # a distinctive word's initials: the record among the first 50
