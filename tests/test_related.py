"""Related records: the fast scoring against a plain oracle, and the build cache (exact results)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.cache import CacheFolder
from generator.core.records import Record
from generator.search import related
from generator.search.related import RESULT_FILE, TERMS_FILE, entry, related_map, terms
from generator.search.tokenize_zh import tokens
from tests.search_fixtures import RECORDS, catalog, changed, record

WORDS = ("教育", "招生", "义务", "学校", "道路", "交通", "卫生", "医疗", "通知", "公开", "补贴",
         "养老", "规划", "城市", "农村", "培训")  # fmt: skip
DEPARTMENTS = ("edu", "health", "housing")


def oracle(
    records: Sequence[Record], limit: int, common_min: int, common_max: int = related.COMMON_MAX
) -> dict[str, list[str]]:
    """The computation written plainly: every pair scored, every candidate sorted."""
    entries = {r.id: entry(r) for r in records}
    counts = {i: terms(e.text) for i, e in entries.items()}
    frequency = Counter(t for c in counts.values() for t in c)
    idf = {t: math.log((len(records) + 1) / (df + 0.5)) for t, df in frequency.items()}
    vectors = {i: related.weigh(c, idf) for i, c in counts.items()}
    common = min(common_max, max(common_min, int(related.COMMON_SHARE * len(records))))
    result = {}
    for r in records:
        query = sorted(vectors[r.id].items(), key=lambda item: (-item[1], item[0]))
        scores: dict[str, float] = {}
        for term, weight in query[: related.QUERY_TERMS]:
            if frequency[term] > common:
                continue
            for other in sorted(vectors):
                if term in vectors[other]:
                    scores[other] = scores.get(other, 0.0) + weight * vectors[other][term]
        scores.pop(r.id, None)
        wanted = related.CANDIDATES * limit
        best = sorted(scores.values(), reverse=True)[:wanted]
        floor = round(best[-1], 9) if best else 0.0
        similar = [i for _, i in sorted((-round(s, 9), i) for i, s in scores.items()
                                        if s >= floor - 1e-6)][:wanted]  # fmt: skip
        same = [i for i in similar if entries[i].department == r.department]
        other = [i for i in similar if entries[i].department != r.department]
        interpreting = sorted(i for i, e in entries.items() if e.interprets == r.id)
        explicit = [r.interprets or "", *r.related, *interpreting]
        ordered = dict.fromkeys([*(i for i in explicit if i in entries), *same, *other])
        ordered.pop(r.id, None)
        result[r.id] = list(ordered)[:limit]
    return result


@st.composite
def catalogs(draw: st.DrawFn) -> tuple[Record, ...]:
    size = draw(st.integers(2, 40))
    ids = [f"X/{n:03d}" for n in range(size)]
    records = []
    for record_id in ids:
        title = "".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)))
        keywords = tuple(draw(st.lists(st.sampled_from(WORDS), max_size=2)))
        records.append(record(
            record_id, title, keywords=keywords, department=draw(st.sampled_from(DEPARTMENTS)),
            interprets=draw(st.none() | st.sampled_from(ids)),
            related=tuple(draw(st.lists(st.sampled_from([*ids, "NOPE/1"]), max_size=2))),
        ))  # fmt: skip
    return tuple(records)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=catalogs(),
    limit=st.integers(1, 4),
    common_min=st.sampled_from([1, 3, 100]),
    common_max=st.sampled_from([2, 200]),
)
def test_related_map_equals_the_plain_computation(
    records: tuple[Record, ...], limit: int, common_min: int, common_max: int
) -> None:
    # many equal titles: ties decided by rounding and ids; common_min 1 and 3 drop common terms,
    # so does a cap of 2 records (large catalogs: the cap keeps the work linear)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(related, "COMMON_MIN", common_min)
        patch.setattr(related, "COMMON_MAX", common_max)
        assert related_map(catalog(records), limit) == oracle(
            catalog(records).records, limit, common_min, common_max
        )


# ---------------------------------------------------------------- the build cache


def forbid(*_: object) -> None:
    raise AssertionError("computed again, though nothing it reads changed")


def test_cached_result_is_the_uncached_one_and_read_back_when_inputs_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = related_map(catalog())
    assert related_map(catalog(), cache_dir=tmp_path) == expected
    assert CacheFolder(tmp_path).file(RESULT_FILE).path.is_file()  # type: ignore[union-attr]
    body_edited = catalog(changed(RECORDS, "EDU/2023-00003", body="新增一段正文。"))
    monkeypatch.setattr(related, "compute_related", forbid)
    assert related_map(catalog(), cache_dir=tmp_path) == expected
    assert related_map(body_edited, cache_dir=tmp_path) == expected  # the body is not read


@pytest.mark.parametrize(
    "edit",
    [
        {"title": "城市道路交通安全整治方案"},
        {"keywords": ("义务教育", "招生")},
        {"summary": "本年度招生工作安排。"},
        {"department": "housing"},
        {"interprets": "GO/2019-00007"},
        {"related": ("HS/2023-00002",)},
    ],
    ids=lambda edit: next(iter(edit)),
)
def test_an_edit_the_computation_reads_is_not_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: dict[str, object]
) -> None:
    related_map(catalog(), cache_dir=tmp_path)
    edited = catalog(changed(RECORDS, "EDU/2023-00003", **edit))
    counted: list[str] = []
    monkeypatch.setattr(related, "tokens", lambda text: counted.append(text) or tokens(text))
    assert related_map(edited, cache_dir=tmp_path) == related_map(edited)
    texts_changed = {"title", "keywords", "summary"} & set(edit)
    assert len(counted) == (1 if texts_changed else 0) + len(RECORDS)  # the second: no cache


def test_added_and_removed_records_reach_a_warm_run(tmp_path: Path) -> None:
    related_map(catalog(), cache_dir=tmp_path)
    added = catalog((*RECORDS, record("EDU/2024-00099", "义务教育学校招生入学问答")))
    assert related_map(added, cache_dir=tmp_path) == related_map(added)
    removed = catalog(RECORDS[1:])
    assert related_map(removed, cache_dir=tmp_path) == related_map(removed)
    limited = related_map(catalog(), limit=2, cache_dir=tmp_path)
    assert limited == related_map(catalog(), limit=2)


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\x00" * 64])
def test_damaged_cache_files_are_misses(tmp_path: Path, damage: bytes) -> None:
    files = [CacheFolder(tmp_path).file(name) for name in (RESULT_FILE, TERMS_FILE)]
    for file in files:
        file.path.write_bytes(damage)  # type: ignore[union-attr]
    assert related_map(catalog(), cache_dir=tmp_path) == related_map(catalog())
    code = related.related_code()
    assert files[1].read(code) is not None  # replaced by good ones
    assert files[0].read(related.inputs_key(catalog().records, related.RELATED_LIMIT)) is not None


def test_a_result_of_another_shape_is_a_miss(tmp_path: Path) -> None:
    key = related.inputs_key(catalog().records, related.RELATED_LIMIT)
    CacheFolder(tmp_path).file(RESULT_FILE).write(key, ["not a map"])
    assert related_map(catalog(), cache_dir=tmp_path) == related_map(catalog())


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    assert related_map(catalog(), cache_dir=blocked) == related_map(catalog())


def test_only_the_term_counts_of_current_texts_are_kept(tmp_path: Path) -> None:
    related_map(catalog(), cache_dir=tmp_path)
    retitled = catalog(changed(RECORDS, "EDU/2023-00003", title="城市道路交通安全整治方案"))
    related_map(retitled, cache_dir=tmp_path)
    kept = CacheFolder(tmp_path).file(TERMS_FILE).read(related.related_code())
    assert len(kept) == len({entry(r).text for r in retitled.records})


def test_kept_term_counts_keep_their_order(tmp_path: Path) -> None:
    # the order of a text's terms decides the order of float sums: a kept text must give it
    text = entry(replace(RECORDS[0], keywords=("公开", "条例"))).text
    first = related.TermCounter({})
    first.counts(text)
    terms_file = CacheFolder(tmp_path).file(TERMS_FILE)
    terms_file.write(related.related_code(), first.used)
    again = related.TermCounter(terms_file.read(related.related_code()))
    assert list(again.counts(text).items()) == list(terms(text).items())
    assert again.used == first.used


def test_scores_equal_but_for_float_noise_are_tied_and_broken_by_id() -> None:
    # the same words in another order: X/2's sum comes out one unit in the last place above
    # X/1's (0.9952569454145138 against …137); rounded, they tie and the smaller id wins
    model = related.RelatedModel.build([
        related.Entry("Q/1", "d", "通知卫生公开教育医疗招生"),
        related.Entry("X/1", "d", "招生教育医疗公开通知卫生通知"),
        related.Entry("X/2", "d", "医疗公开通知卫生教育招生通知"),
        related.Entry("Z/1", "e", "通知卫生"),
    ])  # fmt: skip
    query = model.entries["Q/1"]
    assert model.related(query, limit=1) == ["X/1"]
    assert model.similar("Q/1", model.vectors["Q/1"], 3) == ["X/1", "X/2", "Z/1"]
