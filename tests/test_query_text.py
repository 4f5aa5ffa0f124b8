"""Query understanding (``search/query_text.py``) and what it changes in the served search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from generator.search.query_text import fold, query_rules, understand
from generator.search.results import describe_result
from generator.search.whoosh_index import build_index
from generator.search.whoosh_search import search
from tests.search_fixtures import RECORDS, catalog, record


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("ｚｆｘｘｇｋ", "zfxxgk"),  # full-width letters
        ("學校招生", "学校招生"),  # traditional characters
        ("教发[2025]", "教发〔2025〕"),  # year brackets of a 文号
        ("青禾教发（2025）第06号", "青禾教发〔2025〕6号"),  # ordinal and leading zero
        ("  义务教育   招生 ", "义务教育 招生"),
        ("ＧＯ／２０１９", "go/2019"),
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("typed", "words", "dropped"),
    [
        ("营业执照怎么办", ["营业执照"], ["怎么办"]),
        ("如何办理营业执照", ["办理", "营业执照"], ["如何"]),
        ("义务教育的招生", ["义务教育", "招生"], ["的"]),
        ("公租房在哪里申请", ["公租房", "申请"], ["在", "哪里"]),
        ("的", ["的"], []),  # nothing but a stop word: kept, not an empty query
        ("rxdj", ["rxdj"], []),
    ],
)
def test_question_and_stop_words_are_dropped(
    typed: str, words: list[str], dropped: list[str]
) -> None:
    query = understand(typed)
    assert [word[0][0] for word in query.words] == words
    assert list(query.dropped) == dropped


def test_words_have_their_parts_and_expansions_as_alternatives() -> None:
    assert understand("义务教育").words == ((("义务教育",), ("义务", "教育")),)
    assert understand("年报").words == ((("年报",), ("年度报告",)),)
    assert understand("低保").words == ((("低保",), ("最低", "生活", "保障")),)


def test_rules_for_the_browser_scripts_are_data() -> None:
    rules = query_rules()
    assert "怎么办" in rules["question_words"]
    assert rules["question_words"].index("怎么办") < rules["question_words"].index("怎么")
    assert rules["abbreviations"]["年报"] == ["年度报告"]


# ---------------------------------------------------------------- in the served search

EXTRA = (
    record(
        "GO/2024-00010",
        "示例区2023年政府信息公开年度报告",
        published=date(2024, 1, 20),
        body="本报告依据条例编制。",
    ),
    record(
        "GO/2024-00011",
        "关于个体工商户营业执照办理流程的说明",
        published=date(2024, 2, 2),
        validity="expired",
        doc_number="示政办发〔2024〕9号",
    ),
    record(
        "GO/2024-00012",
        "示例区困难群众救助工作安排",
        published=date(2024, 2, 3),
        body="营业 执照 营业 执照 营业 执照：本文只在正文里提到这些词。",
    ),
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index")
    build_index(replace(catalog(), records=RECORDS + EXTRA), path)
    return path


def first(index: Path, query: str, **options: object) -> str:
    hits = search(index, query, **options).hits  # type: ignore[arg-type]
    return next((hit.id for hit in hits if hit.kind == "record"), "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("營業執照怎麼辦", "GO/2024-00011"),  # traditional, and a question
        ("营业执照怎么办", "GO/2024-00011"),
        ("年报", "GO/2024-00010"),  # an abbreviation
        ("政府信息公开年度报告", "GO/2024-00010"),
        ("ｚｈｒｍｇｈｇ", "GO/2019-00007"),  # full-width pinyin initials
        ("示政办发（2024）第09号", "GO/2024-00011"),  # 文号 with other brackets and ordinal
        ("ｇｏ／２０２４－０００１１", "GO/2024-00011"),  # 索引号 typed in full width
        ("義務教育", "EDU/2023-00003"),
    ],
)
def test_natural_queries_find_their_record(index: Path, query: str, expected: str) -> None:
    assert first(index, query) == expected


def test_a_title_holding_every_word_ranks_above_body_repetitions(index: Path) -> None:
    found = [hit.id for hit in search(index, "执照 营业").hits]
    assert found.index("GO/2024-00011") < found.index("GO/2024-00012")


def test_most_words_when_no_record_has_all_and_the_result_says_so(index: Path) -> None:
    result = search(index, "营业执照 办理 养护")
    assert not search(index, "营业执照 办理").relaxed
    assert result.relaxed and [hit.id for hit in result.hits] == ["GO/2024-00011"]
    assert "没有同时包含全部检索词" in describe_result(result)
    assert search(index, "营业执照 养护 招生入学 审批").total == 0  # one word of four: none


def test_understood_words_are_reported_when_they_differ(index: Path) -> None:
    assert search(index, "營業執照怎麼辦").understood == "营业执照"
    assert search(index, "营业执照").understood == ""


def test_hits_carry_doc_number_and_validity_and_sort_by_date(index: Path) -> None:
    hit = search(index, "营业执照").hits[0]
    assert (hit.doc_number, hit.validity) == ("示政办发〔2024〕9号", "expired")
    by_date = [h.published for h in search(index, "政府信息公开", sort="date").hits]
    assert by_date == sorted(by_date, reverse=True) and len(by_date) > 2


# ---------------------------------------------------------------- the site's own pages


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("公开指南", "guide"),
        ("政府信息公开指南", "guide"),
        ("怎么申请政府信息公开", "apply"),
        ("申请表", "apply-form"),
        ("政府信息公开申请表下载", "apply-form"),
        ("投诉", "supervision"),
        ("第二十条", "art20"),
        ("年报", "reports"),
        ("政府信息公开年度报告", "reports"),
    ],
)
def test_a_site_page_named_by_the_query_comes_first(index: Path, query: str, page: str) -> None:
    hit = search(index, query).hits[0]
    assert (hit.id, hit.kind) == (f"page:{page}", "page")
    assert hit.url == f"{page}.html"


def test_site_pages_stay_out_of_filtered_dated_and_word_searches(index: Path) -> None:
    filtered = search(index, "公开指南", category="policies").hits
    assert all(hit.kind == "record" for hit in filtered)
    assert all(hit.kind == "record" for hit in search(index, "年报", sort="date").hits)
    assert all(hit.kind == "record" for hit in search(index, "申请").hits)  # a word, not a name
    assert all(hit.kind == "record" for hit in search(index, "zfxxgk").hits)


def test_a_full_title_with_full_width_brackets_comes_before_its_interpretation(
    tmp_path: Path,
) -> None:
    title = "关于公示能效“领跑者”名单（第二批）的通知"
    records = (
        record("GO/2021-00008", title, body="名单见附件。"),
        record("GO/2021-00011", f"《{title}》政策解读", body=f"{title}的解读。" * 3),
    )
    build_index(replace(catalog(), records=records), tmp_path)
    assert [hit.id for hit in search(tmp_path, title).hits] == ["GO/2021-00008", "GO/2021-00011"]
