"""The catalog browser's and the search page's scripts read a query as ``search/query_text.py``
does, name the site pages of ``site_pages.py`` and find the lookup buckets of
``static_lookup.py`` (their pure parts, exported to a ``module`` object, run in headless
Chromium)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from generator.search.query_text import fold_width, query_rules, understand
from generator.search.site_pages import SITE_PAGES, matching_pages
from generator.search.static_lookup import bucket_of, lookup_key
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

SCRIPTS = Path(__file__).resolve().parent.parent / "site_overrides/assets/javascripts"
CASES = [
    "教发[2025]",
    "青禾教发（2025）第06号",
    "示教发【2023】 5号",
    "ｚｆｘｘｇｋ",
    "ＧＯ／２０１９",
    "  义务教育   招生 ",
    "营业执照怎么办",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def script_page(browser: Browser, name: str) -> Page:
    opened = browser.new_page()
    opened.add_script_tag(content="var module = { exports: {} };")
    opened.add_script_tag(content=(SCRIPTS / name).read_text(encoding="utf-8"))
    return opened


@pytest.fixture(scope="module", params=["catalog-browser.js", "search.js"])
def page(browser: Browser, request: pytest.FixtureRequest) -> Page:
    return script_page(browser, request.param)


@pytest.fixture(scope="module")
def search_page(browser: Browser) -> Page:
    return script_page(browser, "search.js")


def run_js(page: Page, code: str) -> object:
    return page.evaluate(f"(() => {{ const m = module.exports; return {code}; }})()")


def test_the_script_has_the_question_words_of_query_text(page: Page) -> None:
    assert run_js(page, "m.QUESTION_WORDS") == query_rules()["question_words"]


def test_the_script_folds_as_query_text_folds(page: Page) -> None:
    assert run_js(page, f"{json.dumps(CASES, ensure_ascii=False)}.map(m.fold)") == [
        fold_width(case) for case in CASES
    ]


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("教发[2025]", ["教发〔2025〕"]),
        ("义务教育 招生", ["义务教育", "招生"]),  # every word, anywhere: AND
        ("营业执照怎么办", ["营业执照"]),
        ("如何 办理 营业执照", ["办理", "营业执照"]),
        ("的", ["的"]),
    ],
)
def test_keywords_become_words_every_record_must_hold(
    page: Page, typed: str, words: list[str]
) -> None:
    assert run_js(page, f"m.queryWords({json.dumps(typed, ensure_ascii=False)})") == words


def test_the_search_page_names_the_site_pages_of_site_pages(search_page: Page) -> None:
    pages = [{"key": p.key, "title": p.title, "url": p.url, "names": list(p.names),
              "description": p.description} for p in SITE_PAGES]  # fmt: skip
    assert run_js(search_page, "m.SITE_PAGES") == pages
    queries = [
        "公开指南",
        "怎么申请政府信息公开",
        "政府信息公开申请表下载",
        "年报",
        "申请",
        "zfxxgk",
    ]
    theirs = run_js(
        search_page, f"{json.dumps(queries)}.map(q => m.matchingPages(q).map(p => p.key))"
    )
    assert theirs == [[p.key for p in matching_pages(understand(q))] for q in queries]


def test_the_search_page_finds_the_lookup_bucket_of_static_lookup(search_page: Page) -> None:
    keys = ["青教发〔2022〕7号", "示教发[2023] 5号", "11339901MB1C052935/2024-00005", "𠀀号", ""]
    theirs = run_js(
        search_page, f"{json.dumps(keys)}.map(k => [m.lookupKey(k), m.bucketOf(m.lookupKey(k))])"
    )
    assert theirs == [[lookup_key(k), bucket_of(lookup_key(k))] for k in keys]


def test_the_search_page_spells_pinyin_with_the_catalogs_words(search_page: Page) -> None:
    data = {"words": ["政府", "信息", "公开", "低保"], "pinyin": ["zhengfu", "xinxi", "gongkai", "dibao"],
            "initials": ["zf", "xx", "gk", "db"], "records": [9, 8, 7, 3]}  # fmt: skip
    spell = f"(letters) => m.pinyinToWords(letters, m.pinyinIndex({json.dumps(data)}))"
    assert run_js(search_page, f"({spell})('zfxxgk')") == ["政府", "信息", "公开"]
    assert run_js(search_page, f"({spell})('dibao')") == ["低保"]
    assert run_js(search_page, f"({spell})('zhengfuxx')") == ["政府", "信息"]
    assert run_js(search_page, f"({spell})('qq')") is None
