"""The Whoosh index: ranking, facets, filters, pinyin, exact lookups, safe incremental writes."""

from __future__ import annotations

import ast
import gc
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in, open_dir
from whoosh.scoring import BM25F

from generator.core.records import Record
from generator.search import whoosh_index, whoosh_segments
from generator.search.related import RelatedModel, entry, related_map
from generator.search.results import QueryError, SearchRequest
from generator.search.tokenize_zh import (
    initials_grams,
    is_pinyin_query,
    make_snippet,
    query_groups,
    split_syllables,
)
from generator.search.whoosh_index import (
    IndexMissingError,
    LockError,
    build_index,
    read_current,
    write_lock,
)
from generator.search.whoosh_schema import (
    BODY_INDEX_CHARS,
    SCHEMA_VERSION,
    catalog_schema,
    record_document,
    record_url,
)
from generator.search.whoosh_search import CatalogSearcher, related_records, search
from generator.search.whoosh_segments import write_segments
from tests.search_fixtures import CATEGORIES, DEPARTMENTS, RECORDS, catalog, changed, record
from tests.whoosh_query_tree import text_query


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index")
    build_index(catalog(), path)
    return path


def ids(index: Path, query: str, **filters: object) -> list[str]:
    return [hit.id for hit in search(index, query, **filters).hits]  # type: ignore[arg-type]


# ---------------------------------------------------------------- ranking and lookups


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("政府信息公开", "GO/2024-00001"),  # title match beats a body mention
        ("中华人民共和国政府信息公开条例", "GO/2019-00007"),  # a full title
        ("政府信息公开条例", "GO/2019-00007"),  # the title containing the whole query
        ("GO/2019-00007", "GO/2019-00007"),  # 索引号
        ("国务院令第711号", "GO/2019-00007"),  # 文号
        ("示教发〔2023〕5号", "EDU/2023-00003"),  # 文号 normalised: [2023] 5号 in the record
        ("示教发[2023]5号", "EDU/2023-00003"),
        ("文号：示教发（2023）第05号", "EDU/2023-00003"),
        ("教育", "EDU/2023-00003"),  # a two-character word found in keywords and summary
        ("zhrmghg", "GO/2019-00007"),  # pinyin initials of 中华人民共和国
        ("ywjy", "EDU/2023-00003"),
        ("yiwujiaoyu", "EDU/2023-00003"),  # full pinyin, joined
        ("cheng shi dao lu", "HS/2023-00002"),  # full pinyin, spaced
    ],
)
def test_first_hit(index: Path, query: str, first: str) -> None:
    assert ids(index, query)[0] == first


def test_title_match_ranks_above_body_mention(index: Path) -> None:
    found = ids(index, "政府信息公开")
    assert found.index("GO/2024-00001") < found.index("EDU/2023-00012")
    assert found.index("GO/2019-00007") < found.index("EDU/2023-00012")


def test_pinyin_initials_find_every_matching_title(index: Path) -> None:
    assert set(ids(index, "zfxxgk")) == {"GO/2024-00001", "GO/2019-00007"}
    assert set(ids(index, "dl")) >= {"HS/2023-00002", "HS/2022-00021"}


def test_exact_lookup_comes_first_even_when_text_matches_more(index: Path) -> None:
    result = search(index, "EDU/2023-00004")
    assert [h.id for h in result.hits][:1] == ["EDU/2023-00004"]


def test_hit_fields_and_snippet(index: Path) -> None:
    hit = search(index, "招生").hits[0]
    assert hit.url == "records/edu/EDU-2023-00003.html"
    assert (hit.department, hit.category, hit.published) == ("edu", "policies", "2023-04-10")
    assert "<mark>招生</mark>" in hit.snippet
    assert hit.score > 0


def test_json_shape(index: Path) -> None:
    value = search(index, "道路").to_json()
    assert set(value) == {"query", "total", "hits", "facets", "relaxed", "understood"}
    assert set(value["hits"][0]) == {
        "id", "title", "url", "department", "category", "published", "snippet", "score",
        "doc_number", "validity", "kind",
    }  # fmt: skip
    assert value["facets"] == {
        "category": {"policies": 1, "services": 1},
        "department": {"housing": 2},
        "year": {"2022": 1, "2023": 1},
    }


@pytest.mark.parametrize(
    "query",
    ["政府信息公开", "中华人民共和国政府信息公开条例", "教育", "道路 养护", "招生入学", "zfxxgk",
     "yiwujiaoyu", "cheng shi dao lu", "dl", "PM2.5", "没有的词"],
)  # fmt: skip
def test_matches_and_scores_are_those_of_the_whoosh_query_tree(index: Path, query: str) -> None:
    # the searcher computes matches from posting-list sets; Whoosh's matchers are the reference
    with CatalogSearcher(index) as searcher:
        ours = searcher._scores(query)
        tree = text_query(query)
        assert tree is not None
        with open_dir(str(index / searcher.generation)).searcher(weighting=BM25F()) as reference:
            theirs = {d: s or 0.0 for d, s in reference.search(tree, limit=None).items()}
    assert ours.keys() == theirs.keys()
    assert ours == pytest.approx(theirs)


def test_posting_ids_skip_deleted_documents_across_segments(tmp_path: Path) -> None:
    build_index(catalog(), tmp_path)
    generation = tmp_path / read_current(tmp_path)  # type: ignore[operator]
    writer = open_dir(str(generation)).writer()  # tombstones, as Whoosh's own writer leaves them
    edited = changed(RECORDS, "HS/2023-00002", summary="城市道路养护安排。")
    writer.update_document(**record_document(edited[1]))
    writer.delete_by_term("id", RECORDS[0].id)
    writer.commit(merge=False)
    with CatalogSearcher(tmp_path) as searcher:
        reader = searcher._searcher.reader()
        assert len(reader.leaf_readers()) == 2 and reader.has_deletions()
        for fieldname, word in [("title", "道路"), ("summary", "养护"), ("title", "政府"),
                                ("body", "公开"), ("title_initials", "zfxxgk")]:  # fmt: skip
            expected = set(reader.postings(fieldname, word).all_ids())
            assert searcher._term_docs(fieldname, word) == expected


WITHDRAWN_NAME = "翟翾翿"  # a personal name no other record holds


def index_bytes(index_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(index_dir.rglob("*")) if p.is_file())


def test_a_withdrawn_record_leaves_no_byte_term_or_suggestion(tmp_path: Path) -> None:
    """Whoosh deletes are tombstones: a withdrawal writes the index afresh."""
    notice = record("GO/2024-00099", f"关于{WITHDRAWN_NAME}同志任职的通知", summary=WITHDRAWN_NAME,
                    body=f"任命{WITHDRAWN_NAME}为科长。")  # fmt: skip
    build_index(catalog((*RECORDS, notice)), tmp_path)
    assert WITHDRAWN_NAME.encode() in index_bytes(tmp_path)
    stats = build_index(catalog(RECORDS), tmp_path)
    assert stats.deleted == 1
    with CatalogSearcher(tmp_path) as searcher:
        reader = searcher._searcher.reader()
        assert not reader.has_deletions()
        assert not any(WITHDRAWN_NAME[:2] in w.decode() for w in reader.lexicon("title"))
        near_miss = WITHDRAWN_NAME[:2] + "翽"
        assert WITHDRAWN_NAME not in str(searcher.search(SearchRequest(near_miss)).to_json())
    assert WITHDRAWN_NAME.encode() not in index_bytes(tmp_path)  # nor in an older generation
    assert "GO/2019-00007" in ids(tmp_path, "条例")  # the other records are still found


def test_suggestions_come_only_from_live_documents(tmp_path: Path) -> None:
    notice = record("GO/2024-00099", f"关于{WITHDRAWN_NAME}同志任职的通知")
    build_index(catalog((*RECORDS, notice)), tmp_path)
    generation = tmp_path / read_current(tmp_path)  # type: ignore[operator]
    writer = open_dir(str(generation)).writer()  # an edit: the old title stays as a tombstone
    writer.update_document(**record_document(replace(notice, title="关于任职的通知")))
    writer.commit(merge=False)
    near_miss = WITHDRAWN_NAME[:2] + "翽"
    assert search(tmp_path, near_miss).to_json()["suggestions"]["did_you_mean"] == []


def test_only_the_start_of_a_long_body_is_indexed(tmp_path: Path) -> None:
    body = "开头提到桥梁。" + "内容" * BODY_INDEX_CHARS + "结尾提到隧道。"
    build_index(catalog((*RECORDS, record("HS/2024-00030", "城市设施通知", body=body))), tmp_path)
    assert ids(tmp_path, "桥梁") == ["HS/2024-00030"]  # in the first part: found
    assert ids(tmp_path, "隧道") == []  # after BODY_INDEX_CHARS: not indexed


WORDS = ("城市", "道路", "养护", "政府", "信息", "公开", "教育", "招生", "入学", "重庆", "银行",
         "PM2.5", "pm2.5", "Whoosh", "whoosh", "，", "。", " ", "（", "）", "2024年", "第5号")  # fmt: skip


def varied_records(count: int, seed: int = 11) -> tuple[Record, ...]:
    """Records of words that recur in most documents (posting lists longer than one block,
    repeated pinyin syllables), with case variants of one token in a field (PM2.5, pm2.5),
    punctuation, spaces and empty fields."""
    rng = random.Random(seed)

    def text(words: int) -> str:
        return "".join(rng.choice(WORDS) for _ in range(words))

    return tuple(
        record(
            f"V/{n:04d}",
            text(rng.randint(6, 16)),
            summary=text(rng.randint(0, 20)),
            body=text(rng.randint(0, 300)),
            keywords=tuple(text(2) for _ in range(rng.randint(0, 3))),
            doc_number=rng.choice([None, f"示政发〔2024〕{n}号"]),
            department=rng.choice(sorted(DEPARTMENTS)),
            category=rng.choice(sorted(CATEGORIES)),
            published=date(2020 + n % 5, 1 + n % 12, 1 + n % 28),
            interprets=rng.choice([None, "GO/2019-00007"]),
        )
        for n in range(count)
    )


def segment_files(index_dir: Path) -> dict[str, bytes]:
    """The files of an index's one segment (inside its compound file), by extension."""
    ix = open_dir(str(index_dir))
    (segment,) = ix._segments()
    compound = segment.open_compound_file(ix.storage)
    prefix = segment.make_filename("")
    files = {}
    for name in compound.list():
        with compound.open_file(name) as handle:
            files[name.removeprefix(prefix)] = handle.read()
    return files


@pytest.mark.parametrize("records", [RECORDS, varied_records(400)], ids=["fixture", "varied"])
def test_full_build_writes_the_files_whoosh_writes(tmp_path: Path, records: tuple[Record]) -> None:
    # SegmentBuilder encodes postings itself: every file must be the one Whoosh's writer makes
    generation = build_index(catalog(records), tmp_path / "ours", full=True).generation
    (tmp_path / "theirs").mkdir()
    reference = create_in(str(tmp_path / "theirs"), catalog_schema())
    with reference.writer() as writer:
        for item in catalog(records).records:
            writer.add_document(**record_document(item))
    ours, theirs = segment_files(tmp_path / "ours" / generation), segment_files(tmp_path / "theirs")
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_the_varied_records_exercise_long_lists_and_merged_words(tmp_path: Path) -> None:
    records = varied_records(400)
    assert any("PM2.5" in r.body and "pm2.5" in r.body for r in records)
    build_index(catalog(records), tmp_path, full=True)
    with CatalogSearcher(tmp_path) as searcher:
        reader = searcher._searcher.reader()
        assert reader.doc_frequency("body", "城市") > whoosh_segments.BLOCK_LIMIT
        assert reader.doc_frequency("title_pinyin", "cheng") > whoosh_segments.BLOCK_LIMIT
        assert ("body", b"PM2.5") not in reader
        assert reader.doc_frequency("body", "pm2.5") > whoosh_segments.BLOCK_LIMIT


@pytest.mark.parametrize("enabled", [True, False])
def test_full_build_leaves_the_garbage_collector_as_it_was(tmp_path: Path, enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        build_index(catalog(), tmp_path, full=True)
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_segment_builder_refuses_fields_it_cannot_write(tmp_path: Path) -> None:
    schema = Schema(id=ID(stored=True), text=TEXT(phrase=False))  # analysed by Whoosh
    with pytest.raises(ValueError, match="cannot write"):
        write_segments(tmp_path, schema, [{"id": "1", "text": "道路"}], batch=10)


WHOOSH_INTERNALS = ("whoosh.codec", "whoosh.filedb", "whoosh.matching", "whoosh.writing")


def test_only_whoosh_segments_imports_whoosh_internals() -> None:
    # whoosh3's private segment format changes without notice: one module may depend on it
    generator = Path(__file__).resolve().parent.parent / "generator"
    importers = set()
    for path in generator.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if any(name.startswith(WHOOSH_INTERNALS) for name in names):
                importers.add(path.relative_to(generator).as_posix())
    assert importers == {"search/whoosh_segments.py"}


def test_full_build_in_batches_makes_one_segment_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_index, "FULL_BATCH", 3)
    stats = build_index(catalog(), tmp_path, full=True)
    ix = open_dir(str(tmp_path / stats.generation))
    assert len(ix._segments()) == 3  # 7 records
    assert ids(tmp_path, "道路养护")[0] == "HS/2023-00002"
    assert search(tmp_path, "").total == len(RECORDS)


# ---------------------------------------------------------------- facets, filters, paging


def test_facets_count_the_whole_result_set_honouring_other_filters(index: Path) -> None:
    result = search(index, "教育", category="policies")
    assert result.total == 2
    # the category facet ignores the category filter itself, so other choices stay visible
    assert result.facets["category"] == {"policies": 2, "duties": 1}
    assert result.facets["department"] == {"edu": 2}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"department": "housing"}, {"HS/2023-00002", "HS/2022-00021"}),
        ({"category": "services"}, {"HS/2022-00021"}),
        ({"year": 2022}, {"HS/2022-00021"}),
        ({"year": 2023, "category": "policies"}, {"HS/2023-00002", "EDU/2023-00003",
                                                  "EDU/2023-00004"}),
    ],
)  # fmt: skip
def test_filters_without_query_list_newest_first(
    index: Path, filters: dict[str, object], expected: set[str]
) -> None:
    found = ids(index, "", **filters)
    assert set(found) == expected
    dates = [h.published for h in search(index, "", **filters).hits]  # type: ignore[arg-type]
    assert dates == sorted(dates, reverse=True)


def test_pagination(index: Path) -> None:
    everything = ids(index, "", size=50)
    pages = [ids(index, "", page=p, size=3) for p in (1, 2, 3)]
    assert [i for page in pages for i in page] == everything
    assert search(index, "", page=3, size=3).total == len(RECORDS)
    assert ids(index, "", page=9, size=3) == []


def test_no_match_suggests_a_filter_to_drop(index: Path) -> None:
    result = search(index, "道路", category="duties")
    assert result.total == 0
    assert result.to_json()["suggestions"] == {"drop_filters": {"category": 2}, "did_you_mean": []}


def test_no_match_suggests_title_words(index: Path) -> None:
    assert search(index, "教肓").to_json()["suggestions"]["did_you_mean"] == ["教育"]
    # several words that never occur together: those with most of the words, said so
    relaxed = search(index, "道路 招生")
    assert relaxed.relaxed and relaxed.total == 4
    assert not search(index, "道路 养护").relaxed


@pytest.mark.parametrize(
    ("arguments", "key"),
    [
        ({"query": "政" * 201}, "q（检索词）"),
        ({"query": "a\x00b"}, "q（检索词）"),
        ({"query": "x", "page": 0}, "page（页码）"),
        ({"query": "x", "page": 101}, "page（页码）"),
        ({"query": "x", "size": 51}, "size（每页条数）"),
        ({"query": "x", "size": 0}, "size（每页条数）"),
        ({"query": "x", "year": 20235}, "year（年份）"),
        ({"query": "x", "category": "../etc"}, "category（筛选条件）"),
        ({"query": "x", "department": "教育局"}, "department（筛选条件）"),
    ],
)
def test_request_bounds(arguments: dict[str, object], key: str) -> None:
    query = str(arguments.pop("query"))
    with pytest.raises(QueryError, match=key.replace("（", ".").replace("）", ".")):
        SearchRequest.create(query, **arguments)  # type: ignore[arg-type]


# ---------------------------------------------------------------- related records


def test_related_records_put_explicit_links_and_same_department_first(index: Path) -> None:
    policy = next(r for r in RECORDS if r.id == "EDU/2023-00003")
    related = related_records(index, policy)
    assert related[0] == "EDU/2023-00004"  # the interpretation of this policy
    assert policy.id not in related
    assert len(related) <= 5
    interpretation = next(r for r in RECORDS if r.id == "EDU/2023-00004")
    with CatalogSearcher(index) as searcher:
        assert related_records(searcher, interpretation, limit=1) == ["EDU/2023-00003"]


def test_related_records_of_unindexed_record_skip_unknown_ids(index: Path) -> None:
    stranger = record("X/1", "城市道路维修通知", related=("NOPE/1", "HS/2023-00002"))
    related = related_records(index, stranger)
    assert related[0] == "HS/2023-00002"
    assert "NOPE/1" not in related


def test_related_map_explicit_links_first_then_same_department() -> None:
    extra = (
        record("EDU/2023-00020", "义务教育招生入学问答", department="edu",
               keywords=("招生", "入学"), related=("HS/2022-00021",)),
        record("HS/2023-00030", "义务教育学校周边道路招生入学期间交通安排", department="housing",
               keywords=("招生", "入学")),
    )  # fmt: skip
    related = related_map(catalog((*RECORDS, *extra)))
    assert related["EDU/2023-00003"][0] == "EDU/2023-00004"  # interpreted by it
    assert related["EDU/2023-00004"][0] == "EDU/2023-00003"  # it interprets that one
    # its own `related` link first, then similar records of its department before other ones
    question = related["EDU/2023-00020"]
    assert question[0] == "HS/2022-00021"
    assert question.index("EDU/2023-00003") < question.index("HS/2023-00030")
    assert all(i not in found and len(found) <= 5 for i, found in related.items())


def test_related_map_is_deterministic_whatever_the_record_order() -> None:
    records = list(RECORDS)
    first = related_map(catalog(tuple(records)))
    random.Random(7).shuffle(records)
    shuffled = replace(catalog(), records=tuple(records))
    assert related_map(shuffled) == first
    assert related_map(catalog()) == first


def test_related_model_breaks_ties_by_id() -> None:
    twins = [record(f"T/{n}", "城市道路养护计划", department="housing") for n in (3, 1, 2)]
    model = RelatedModel.build(entry(r) for r in (*twins, *RECORDS))
    assert model.related(entry(twins[0]), limit=3) == ["T/1", "T/2", "HS/2023-00002"]


def test_searcher_related_equals_related_map(index: Path) -> None:
    expected = related_map(catalog())
    with CatalogSearcher(index) as searcher:
        assert {r.id: searcher.related(r) for r in RECORDS} == expected


# ---------------------------------------------------------------- writing safely


def test_incremental_update_add_and_delete(tmp_path: Path) -> None:
    first = build_index(catalog(), tmp_path)
    assert (first.full, first.added) == (True, len(RECORDS))

    again = build_index(catalog(), tmp_path)
    assert (again.generation, again.unchanged) == (first.generation, len(RECORDS))

    edited = changed(RECORDS, "HS/2023-00002", title="城市桥梁养护计划")
    edited = (*edited, record("HS/2024-00009", "城市照明设施改造公告", department="housing"))
    stats = build_index(catalog(edited), tmp_path)
    assert (stats.full, stats.added, stats.updated, stats.deleted) == (False, 1, 1, 0)
    assert stats.unchanged == len(RECORDS) - 1
    stats = build_index(catalog(edited[1:]), tmp_path)  # a withdrawal writes the index afresh
    assert (stats.full, stats.added, stats.updated, stats.deleted) == (True, 0, 0, 1)
    assert ids(tmp_path, "桥梁") == ["HS/2023-00002"]
    assert ids(tmp_path, "照明") == ["HS/2024-00009"]
    assert ids(tmp_path, RECORDS[0].id) == []  # deleted
    assert search(tmp_path, "").total == len(RECORDS)


def test_full_rebuild_keeps_only_current_and_previous_generation(tmp_path: Path) -> None:
    generations = [build_index(catalog(), tmp_path, full=True).generation for _ in range(3)]
    on_disk = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert on_disk == sorted(generations[1:])
    assert read_current(tmp_path) == generations[-1]


def test_crash_during_full_rebuild_leaves_the_old_index_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = build_index(catalog(), tmp_path).generation

    def crash(root: Path, generation: str) -> None:
        raise KeyboardInterrupt  # the process dies after writing, before the swap

    monkeypatch.setattr(whoosh_index, "_switch_current", crash)
    renamed = changed(RECORDS, "HS/2023-00002", title="城市桥梁养护计划")
    with pytest.raises(KeyboardInterrupt):
        build_index(catalog(renamed), tmp_path, full=True)
    assert read_current(tmp_path) == before
    assert ids(tmp_path, "桥梁") == []
    assert ids(tmp_path, "养护")[0] == "HS/2023-00002"

    monkeypatch.undo()
    after = build_index(catalog(renamed), tmp_path)  # incremental again, leftovers removed
    assert ids(tmp_path, "桥梁") == ["HS/2023-00002"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == sorted(
        [before, after.generation]
    )


def test_torn_pointer_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "CURRENT").write_text("v3-1-2-3\n", encoding="utf-8")  # names no index
    assert read_current(tmp_path) is None
    with pytest.raises(IndexMissingError, match="catalog index"):
        search(tmp_path, "道路")


def test_an_index_of_another_schema_version_is_never_opened(tmp_path: Path) -> None:
    # Whoosh pickles the schema with its field classes' module paths: an index written before
    # they moved cannot be unpickled, so another version means "no index" and a full build
    old = build_index(catalog(), tmp_path).generation
    older = old.replace(f"v{SCHEMA_VERSION}-", f"v{SCHEMA_VERSION - 1}-", 1)
    (tmp_path / old).rename(tmp_path / older)
    (tmp_path / "CURRENT").write_text(older + "\n", encoding="utf-8")
    (tmp_path / older / "MAIN_WRITELOCK").unlink(missing_ok=True)
    for toc in (tmp_path / older).glob("_MAIN_*.toc"):
        toc.write_bytes(b"not a pickled schema")  # what a moved class amounts to: unreadable
    assert read_current(tmp_path) is None
    with pytest.raises(IndexMissingError):
        search(tmp_path, "道路")
    stats = build_index(catalog(), tmp_path)
    assert (stats.full, stats.added) == (True, len(RECORDS))
    assert ids(tmp_path, "道路养护")[0] == "HS/2023-00002"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == sorted(
        [older, stats.generation]
    )


def test_second_writer_gets_a_clear_message(tmp_path: Path) -> None:
    with write_lock(tmp_path), pytest.raises(LockError, match="另一个进程"):
        build_index(catalog(), tmp_path)
    assert build_index(catalog(), tmp_path).added == len(RECORDS)  # released afterwards


def test_searcher_notices_a_newer_generation(tmp_path: Path) -> None:
    build_index(catalog(), tmp_path)
    with CatalogSearcher(tmp_path) as searcher:
        assert not searcher.is_stale()
        build_index(catalog(), tmp_path, full=True)
        assert searcher.is_stale()
        assert searcher.search(SearchRequest.create("道路")).total == 2  # old one still readable


def test_record_url() -> None:
    assert (
        record_url(replace(RECORDS[0], slug="2024/notice")) == "records/gov-office/2024/notice.html"
    )


# ---------------------------------------------------------------- pure text helpers


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("信息公开 教育", [("信息",), ("公开",), ("教育",)]),
        ("，。", []),
        ("PM2.5", [("pm2.5", "pm2")]),
    ],
)
def test_query_groups(query: str, expected: list[tuple[str, ...]]) -> None:
    assert query_groups(query) == expected


def test_long_words_may_match_as_their_parts() -> None:
    whole, *parts = query_groups("中华人民共和国政府")[0]
    assert whole == "中华人民共和国政府"
    assert {"中华", "人民", "共和", "政府"} <= set(parts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zhengfuxinxigongkai", ["zheng", "fu", "xin", "xi", "gong", "kai"]),
        ("xian", ["xian"]),
        ("zfxx", None),
    ],
)
def test_split_syllables(text: str, expected: list[str] | None) -> None:
    assert split_syllables(text) == expected


def test_pinyin_query_detection_and_grams() -> None:
    assert is_pinyin_query("zfxxgk") and is_pinyin_query("zheng fu")
    assert not is_pinyin_query("z") and not is_pinyin_query("政府") and not is_pinyin_query("a1")
    grams = initials_grams("abcdefghijklmnopqrst", max_gram=12)
    assert all(len(g) == 12 for g in grams) and grams[0][:1] == "a" and grams[-1][-1:] == "t"


def test_snippet_escapes_and_marks() -> None:
    assert make_snippet(["", "关于<b>信息</b>公开"], ["信息"]) == (
        "关于&lt;b&gt;<mark>信息</mark>&lt;/b&gt;公开"
    )
    assert make_snippet(["甲" * 200], ["乙"], width=10) == "甲" * 10 + "…"
