"""The same known-item queries through the search page, served by ``catalog serve`` (Whoosh)
and by a plain ``python -m http.server`` of the same site (Pagefind and the static lookups):
the same first result for 文号, 索引号, title words, a question, pinyin and a site page."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, screenshot

QUERIES = [
    ("青教发〔2022〕7号", "关于做好 2022 年秋季学期开学工作的通知"),  # 文号
    ("青教发[2022]第07号", "关于做好 2022 年秋季学期开学工作的通知"),  # typed otherwise
    ("11339901MB1C052935/2024-00005", "2024 年第一季度城乡最低生活保障资金发放情况"),  # 索引号
    ("新生入学办事指南", "青禾区义务教育阶段新生入学办事指南"),  # title words
    ("新生入学怎么办", "青禾区义务教育阶段新生入学办事指南"),  # a question
    ("公开指南", "政府信息公开指南"),  # a site page by its name
]
PINYIN = [("xsrx", "青禾区义务教育阶段新生入学办事指南")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)


@pytest.fixture(scope="module")
def static_site(sites: dict[str, Path]) -> Iterator[Served]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(sites["public"])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port)
        yield Served(sites["public"], f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        server.wait(timeout=10)


def first_title(page: Page, site: Served, query: str) -> str:
    page.goto(site.at("search.html?q=" + query))
    expect(page.locator(".search-app__status")).to_contain_text("共")
    return page.locator(".search-app__hit .search-app__title").first.inner_text()


@pytest.mark.parametrize(("query", "title"), QUERIES)
def test_served_and_static_search_agree_on_the_first_result(
    public_site: Served, static_site: Served, public_page: Page, query: str, title: str
) -> None:
    served = first_title(public_page, public_site, query)
    static = first_title(public_page, static_site, query)
    assert (served, static) == (title, title)


@pytest.mark.parametrize(("query", "title"), PINYIN)
def test_pinyin_finds_the_title_on_a_static_host(
    static_site: Served, public_page: Page, query: str, title: str
) -> None:
    assert first_title(public_page, static_site, query) == title
    expect(public_page.locator(".search-app__status")).to_contain_text("按“新生 入学”检索")
    screenshot(public_page, "static-search-pinyin")


def test_static_results_show_doc_number_date_validity_and_sort_by_date(
    static_site: Served, public_page: Page
) -> None:
    public_page.goto(static_site.at("search.html?q=政务公开"))
    expect(public_page.locator(".search-app__status")).to_contain_text("共")
    metas = public_page.locator(".search-app__hit .search-app__meta").all_inner_texts()
    assert any("发布日期 " in meta for meta in metas)
    expect(public_page.locator(".search-app__badge").first).to_be_visible()
    public_page.select_option("#search-app-sort", "date")
    expect(public_page).to_have_url(
        static_site.at("search.html?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80&sort=date")
    )
    expect(public_page.locator(".search-app__status")).to_contain_text("共")
    dates = [m.split("发布日期 ")[1][:10] for m in public_page.locator(
        ".search-app__hit .search-app__meta").all_inner_texts() if "发布日期 " in m]  # fmt: skip
    assert len(dates) > 1 and dates == sorted(dates, reverse=True)
    screenshot(public_page, "static-search-by-date")


def test_a_static_first_query_fetches_no_lookup_files(
    static_site: Served, public_page: Page
) -> None:
    fetched: list[str] = []
    public_page.on("request", lambda request: fetched.append(request.url))
    public_page.goto(static_site.at("search.html?q=入学"))
    expect(public_page.locator(".search-app__status")).to_contain_text("共")
    assert not [u for u in fetched if "search-lookup" in u or "pinyin-words" in u]


def test_static_search_offers_the_facets_of_the_served_one(
    public_site: Served, static_site: Served, public_page: Page
) -> None:
    chips = []
    for site in (public_site, static_site):
        public_page.goto(site.at("search.html?q=政务公开"))
        expect(public_page.locator(".search-app__chip").first).to_be_visible()
        chips.append(sorted(public_page.locator(".search-app__chip").all_inner_texts()))
    assert chips[0] == chips[1]
    public_page.locator(".search-app__chip", has_text="青禾区教育局").first.click()
    expect(public_page).to_have_url(re.compile("department="))
    titles = public_page.locator(".search-app__hit .search-app__title").all_inner_texts()
    assert titles == ["青禾区教育局政务公开监督投诉渠道"]
