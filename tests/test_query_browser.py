"""The catalog browser's script reads keywords as ``search/query_text.py`` reads a query
(its pure parts, exported to a ``module`` object, run in headless Chromium)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from generator.search.query_text import fold, query_rules
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

SCRIPT = (
    Path(__file__).resolve().parent.parent / "site_overrides/assets/javascripts/catalog-browser.js"
)
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
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        opened = browser.new_page()
        opened.add_script_tag(content="var module = { exports: {} };")
        opened.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
        yield opened
        browser.close()


def run_js(page: Page, code: str) -> object:
    return page.evaluate(f"(() => {{ const m = module.exports; return {code}; }})()")


def test_the_script_has_the_question_words_of_query_text(page: Page) -> None:
    assert run_js(page, "m.QUESTION_WORDS") == query_rules()["question_words"]


def test_the_script_folds_as_query_text_folds(page: Page) -> None:
    assert run_js(page, f"{json.dumps(CASES, ensure_ascii=False)}.map(m.fold)") == [
        fold(case) for case in CASES
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
