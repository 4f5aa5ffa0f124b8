"""Pagefind full-text index: one real run on a tiny built site, read back from its files."""

from __future__ import annotations

import gzip
import json
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.core.records import Catalog, Record
from generator.outputs.exports import record_url
from generator.pages.markdown_safe import BodyRenderer
from generator.search import pagefind_index
from generator.search.pagefind_index import (
    SHARD_RECORDS,
    Documents,
    PagefindError,
    PagefindStats,
    RecordShards,
    Shard,
    index_site,
    rendered_bodies,
    search_document,
    shard_documents,
    shard_records,
    text_html,
    year_cut,
)
from tests.catalog_factory import catalog, record, small_catalog

# Every record's search document at once, and by shard: what the build's RecordShards feed
# Pagefind a shard at a time (the build keeps no such list).


def search_documents(
    catalog: Catalog, bodies: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """``(site-relative path, HTML)`` for every published record.

    ``bodies`` (record id → body HTML) comes from the render pass; without it the bodies are
    rendered here.
    """
    known = bodies if bodies is not None else rendered_bodies(catalog)
    for item in catalog.records:
        yield record_url(item), search_document(catalog, item, text_html(known[item.id]))


def record_shards(
    catalog: Catalog, bodies: Mapping[str, str] | None = None
) -> dict[str, Documents]:
    """Shard name → its search documents, newest period first."""
    known = bodies if bodies is not None else rendered_bodies(catalog)
    return {
        name: shard_documents(catalog, records, known)
        for name, records in shard_records(catalog).items()
    }


SIGNATURE = b"pagefind_dcd"  # every Pagefind data file is gzip(signature + payload)
UNSAFE_BODY = (
    '<script>alert(1)</script>\n\n正文说明 [链接](javascript:alert(1)) <img src=x onerror="x">'
)


def tiny_site(root: Path) -> Path:
    """What MkDocs leaves behind: a guide marked for search, a home page that is not, a themed
    record page (ignored: the generator supplies record documents) and a stale index."""
    pages = {
        "guide.html": '<html lang="zh"><body><nav>导航菜单</nav><article data-pagefind-body>'
        "<h1>政府信息公开指南</h1><p>申请人可以通过信函、传真提出政府信息公开申请。</p>"
        "</article></body></html>",
        "index.html": "<html><body><h1>首页</h1></body></html>",
        "records/edu/2024/enrolment-notice.html": "<html><body data-pagefind-body>主题页面</body>"
        "</html>",
        "pagefind/stale.txt": "old",
    }
    for relative, text in pages.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def catalog_with_unsafe_body() -> Catalog:
    cat = small_catalog()
    first = replace(cat.records[0], body=UNSAFE_BODY)
    return replace(cat, records=(first, *cat.records[1:]))


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PagefindStats]:
    site = tiny_site(tmp_path_factory.mktemp("site"))
    return site, index_site(catalog_with_unsafe_body(), site)


def read_data(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return data[len(SIGNATURE) :]


def shard_files(site: Path, pattern: str) -> list[Path]:
    """Files of every shard's bundle (``pagefind/<shard>-pagefind/<pattern>``)."""
    return sorted((site / "pagefind").glob(f"*-pagefind/{pattern}"))


def fragments(site: Path) -> dict[str, dict[str, Any]]:
    found = (json.loads(read_data(p)) for p in shard_files(site, "fragment/*"))
    return {f["url"]: f for f in found}


def cbor_text(word: str) -> bytes:
    """A short CBOR text string, as Pagefind stores an indexed word."""
    raw = word.encode("utf-8")
    assert len(raw) < 24
    return bytes([0x60 + len(raw)]) + raw


def test_bundle_is_written(indexed: tuple[Path, PagefindStats]) -> None:
    site, stats = indexed
    output = site / "pagefind"
    assert stats.output == output
    assert (stats.records, stats.pages, stats.indexed) == (5, 1, 6)
    shards = json.loads((output / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert shards == ["2024-pagefind", "2023-pagefind", "pages-pagefind"]  # newest year first
    assert sorted(p.name for p in output.iterdir()) == sorted([*shards, "shards.json"])
    counts = 0
    for shard in shards:
        assert (output / shard / "pagefind.js").is_file()
        assert (output / shard / "pagefind-ui.js").is_file()
        entry = json.loads((output / shard / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == ["zh"]
        counts += entry["languages"]["zh"]["page_count"]
        assert (output / shard / f"pagefind.{entry['languages']['zh']['hash']}.pf_meta").is_file()
        # every file written in full (Pagefind's service used to be stopped before its last
        # writes: empty pagefind-entry.json and WASM files)
        assert all(p.stat().st_size for p in (output / shard).rglob("*") if p.is_file())
    assert counts == 6


def test_records_and_marked_pages_are_indexed(indexed: tuple[Path, PagefindStats]) -> None:
    found = fragments(indexed[0])
    assert set(found) == {
        "/records/edu/2024/enrolment-notice.html", "/records/edu/2023/training-rules.html",
        "/records/edu/2024/application-form.html", "/records/health/2024/units.html",
        "/records/health/2024/patriotic-health-month.html", "/guide.html",
    }  # fmt: skip
    guide = found["/guide.html"]
    assert guide["meta"]["title"] == "政府信息公开指南"
    assert "导航菜单" not in guide["content"]  # only the data-pagefind-body part
    assert "主题页面" not in json.dumps(found, ensure_ascii=False)


def test_filters_meta_and_sort(indexed: tuple[Path, PagefindStats]) -> None:
    site = indexed[0]
    fragment = fragments(site)["/records/health/2024/patriotic-health-month.html"]
    assert fragment["filters"] == {
        "category": ["热点问题"], "department": ["青禾区卫生健康委员会"], "year": ["2024"],
    }  # fmt: skip
    assert fragment["meta"] == {
        "title": "青禾区卫生健康委员会关于开展爱国卫生月活动的通知",
        "date": "2024-04-01",
        "id": "11339901MB0654321Y/2024-00001",
        "doc_number": "青禾卫发〔2024〕5号",
        "department": "青禾区卫生健康委员会",
        "validity": "valid",
    }
    assert "爱国\u200b卫生" in fragment["content"]  # segmented words, zero-width separated
    filters = b"".join(read_data(p) for p in shard_files(site, "filter/*"))
    for value in ("政策文件", "青禾区教育局", "2023"):
        assert value.encode() in filters
    for meta_file in shard_files(site, "pagefind.*.pf_meta")[:2]:  # the two record shards
        assert cbor_text("date") in read_data(meta_file)  # the sort key


def test_chinese_words_are_segmented_in_the_index(indexed: tuple[Path, PagefindStats]) -> None:
    words = b"".join(read_data(p) for p in shard_files(indexed[0], "index/*"))
    for word in ("公开", "招生", "义务", "卫生", "申请"):
        assert cbor_text(word) in words, word
    # A run of Chinese is not indexed as one long word.
    assert cbor_text("爱国卫生月活动") not in words


def test_unsafe_body_is_escaped_text_in_the_search_document() -> None:
    documents = dict(search_documents(catalog_with_unsafe_body()))
    html = documents["records/edu/2024/application-form.html"]
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert "javascript:" not in html
    assert "正文说明 链接" in html  # the link's text stays searchable


def test_attribute_values_are_escaped() -> None:
    cat = small_catalog()
    rec = record(title='关于"引号"与<尖括号>的通知', doc_number='青禾"发〔2024〕1号')
    html = search_document(cat, rec, "<p>正文</p>")
    assert "&quot;引号&quot;" in html
    assert 'data-pagefind-meta="doc_number:青禾&quot;发〔2024〕1号"' in html
    assert 'data-pagefind-sort="date:2024-05-10"' in html
    assert 'data-pagefind-filter="year:2024"' in html


def test_missing_binary_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(PagefindError, match="找不到 Pagefind 程序"):
        index_site(small_catalog(), tmp_path)


def test_render_pass_bodies_make_the_same_documents() -> None:
    catalog = catalog_with_unsafe_body()
    bodies = {r.id: BodyRenderer().render(r.body, lambda url: None) for r in catalog.records}
    assert dict(search_documents(catalog, bodies)) == dict(search_documents(catalog))


def test_cached_shards_are_reused_until_their_records_change(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    catalog = small_catalog()
    first = index_site(catalog, tiny_site(tmp_path / "one"), cache_dir=cache)
    assert first.reindexed == ("2024", "2023", "pages")
    again = index_site(catalog, tiny_site(tmp_path / "two"), cache_dir=cache)
    assert again.reindexed == ()
    assert fragments(tmp_path / "two") == fragments(tmp_path / "one")
    old = next(r for r in catalog.records if r.year == 2023)
    edited = replace(
        catalog,
        records=tuple(
            replace(r, summary="修订后的摘要：职业培训补贴") if r is old else r
            for r in catalog.records
        ),
    )
    third = index_site(edited, tiny_site(tmp_path / "three"), cache_dir=cache)
    assert third.reindexed == ("2023",)
    found = fragments(tmp_path / "three")
    assert "职业培训补贴" in found["/" + record_url(old)]["content"].replace("\u200b", "")
    assert len(found) == 6
    (cache / "2024-pagefind" / "pagefind-entry.json").write_bytes(b"")  # an incomplete bundle
    fourth = index_site(edited, tiny_site(tmp_path / "four"), cache_dir=cache)
    assert fourth.reindexed == ("2024",)


# ---------------------------------------------------------------- shards by period


@pytest.mark.parametrize(
    ("counts", "cut"),
    [
        ({1: 400, 12: 400}, (1, "", 0)),  # the whole year fits
        ({1: 500, 6: 300, 7: 1, 12: 799}, (2, "h", 1)),
        ({1: 500, 6: 301, 12: 10}, (4, "q", 1)),  # the first half is too big
        ({1: 700, 2: 200}, (12, "m", 2)),  # one quarter is too big: months
        ({3: 2000}, (12, "m", 2)),  # a month too big stays one shard: nothing finer
    ],
)
def test_a_year_is_cut_as_coarsely_as_the_limit_allows(
    counts: dict[int, int], cut: tuple[int, str, int]
) -> None:
    assert SHARD_RECORDS == 800
    assert year_cut(Counter(counts)) == cut


def dated(day: date, n: int) -> Record:
    return record(id=f"11339901MB0123456X/{day.year}-{n:05d}", slug=f"{day.year}/r{n}",
                  published=day)  # fmt: skip


def test_shards_are_periods_newest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagefind_index, "SHARD_RECORDS", 2)
    days = [date(2024, 1, 5), date(2024, 2, 1), date(2024, 3, 9), date(2024, 11, 30),
            date(2023, 7, 1), date(2023, 8, 2), date(2022, 5, 5), date(2022, 5, 5),
            date(2022, 5, 5)]  # fmt: skip
    cat = catalog([dated(day, n) for n, day in enumerate(days, 1)])
    shards = record_shards(cat)
    assert {name: len(docs) for name, docs in shards.items()} == {
        "2024-m11": 1, "2024-m03": 1, "2024-m02": 1, "2024-m01": 1,  # Q1 holds three: months
        "2023": 2,
        "2022-m05": 3,  # over the limit, but a month is never split
    }  # fmt: skip
    assert list(shards) == sorted(shards, reverse=True)
    # the search page concatenates the shards in this order, each sorted by date: newest first
    by_url = {record_url(r): r.published for r in cat.records}
    assert sorted(by_url.values(), reverse=True) == [
        d for name in shards for d in sorted((by_url[u] for u, _ in shards[name]), reverse=True)
    ]


def test_a_warm_build_indexes_only_the_edited_records_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagefind_index, "SHARD_RECORDS", 2)
    cache = tmp_path / "cache"
    cat = small_catalog()  # 2024: January, April, May, August; 2023: March
    first = index_site(cat, tiny_site(tmp_path / "one"), cache_dir=cache)
    assert first.reindexed == ("2024-q3", "2024-q2", "2024-q1", "2023", "pages")
    listed = json.loads((tmp_path / "one/pagefind/shards.json").read_text(encoding="utf-8"))
    assert listed["shards"] == [f"{name}-pagefind" for name in first.reindexed]
    april = next(r for r in cat.records if r.published.month == 4)
    edited = replace(cat, records=tuple(
        replace(r, summary="修订后的摘要：爱国卫生") if r is april else r for r in cat.records
    ))  # fmt: skip
    again = index_site(edited, tiny_site(tmp_path / "two"), cache_dir=cache)
    assert again.reindexed == ("2024-q2",)
    assert len(fragments(tmp_path / "two")) == 6


def test_once_the_build_waits_two_shards_are_indexed_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    together = threading.Barrier(2, timeout=20)  # broken unless two shards are indexed at once

    def meet(name: str, documents: list[tuple[str, str]], key: str, cache: Path) -> Shard:
        together.wait()
        return Shard(name, cache / name, len(documents), reindexed=True)

    monkeypatch.setattr(pagefind_index, "reindex_shard", meet)
    job = RecordShards(small_catalog(), None, tmp_path)
    assert [(s.name, s.pages) for s in job.result()] == [("2024", 4), ("2023", 1)]


def test_a_relative_cache_folder_holds_the_bundles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # as `catalog build` passes build/cache/pagefind
    stats = index_site(small_catalog(), tiny_site(tmp_path / "site"), cache_dir=Path("cache"))
    assert stats.reindexed == ("2024", "2023", "pages")
    assert (tmp_path / "cache" / "2024-pagefind" / "pagefind-entry.json").is_file()
    assert len(fragments(tmp_path / "site")) == 6


def test_one_worker_runs_one_pagefind_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, most = [0], [0]
    lock, pause = threading.Lock(), threading.Event()

    def count(name: str, documents: list[tuple[str, str]], key: str, cache: Path) -> Shard:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        pause.wait(0.3)  # room for a second worker, were there one
        with lock:
            running[0] -= 1
        return Shard(name, cache / name, len(documents), reindexed=True)

    monkeypatch.setattr(pagefind_index, "reindex_shard", count)
    shards = RecordShards(small_catalog(), None, tmp_path, workers=1).result()
    assert [s.name for s in shards] == ["2024", "2023"]
    assert most == [1]


def test_shard_documents_are_the_search_documents_cut_by_shard() -> None:
    """The record shards make each shard's documents when they need them, the same ones."""
    catalog = catalog_with_unsafe_body()
    bodies = dict(rendered_bodies(catalog))
    by_shard = record_shards(catalog, bodies)
    records = shard_records(catalog)
    assert list(by_shard) == list(records)
    assert {n: shard_documents(catalog, r, bodies) for n, r in records.items()} == by_shard
    assert sorted(d for docs in by_shard.values() for d in docs) == sorted(
        search_documents(catalog, bodies)
    )
