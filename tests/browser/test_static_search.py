"""The search page on a static host (no search service): Pagefind's shards, and only the shards a
search's filters can match are fetched."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Request

from tests.browser.conftest import Served

pytestmark = pytest.mark.browser


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture(scope="module")
def static_site(sites: dict[str, Path]) -> Iterator[Served]:
    """The public site from a plain file server: /api/search is a 404 page, as on any host."""
    handler = partial(Quiet, directory=str(sites["public"]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(sites["public"], f"http://127.0.0.1:{server.server_port}/")
    server.shutdown()
    server.server_close()


def shards_fetched(page: Page, url: str) -> tuple[str, set[str], int]:
    """The status line after searching ``url``, the shards whose index was fetched and how many
    times a pagefind.js was."""
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.goto(url)
    page.wait_for_function(
        "() => /共 [0-9]+ 条/.test(document.querySelector('.search-app__status').textContent)"
    )
    shards = {
        r.url.split("/pagefind/")[1].split("/")[0]
        for r in requests
        if "/pagefind-entry.json" in r.url
    }
    modules = sum("/pagefind.js" in r.url for r in requests)
    return page.text_content(".search-app__status") or "", shards, modules


def test_a_word_search_merges_every_shard_into_one_module(
    static_site: Served, public_page: Page
) -> None:
    listed = json.loads((static_site.site / "pagefind" / "shards.json").read_text("utf-8"))
    status, shards, modules = shards_fetched(public_page, static_site.at("search.html?q=青禾区"))
    assert "“青禾区”：共" in status
    assert shards == set(listed["shards"])
    assert modules == 1  # mergeIndex: one pagefind.js, worker and WASM for all shards
    assert public_page.locator(".search-app__title").all_text_contents()


def test_words_in_a_year_load_only_that_years_shards(
    static_site: Served, public_page: Page
) -> None:
    status, shards, modules = shards_fetched(
        public_page, static_site.at("search.html?q=开学&year=2022")
    )
    assert status == "“开学”：共 1 条"
    assert shards == {"2022-pagefind"}
    assert modules == 1
    assert public_page.locator(".search-app__title").all_text_contents() == [
        "关于做好 2022 年秋季学期开学工作的通知"
    ]


def test_filters_without_words_list_from_the_catalog_data(
    static_site: Served, public_page: Page
) -> None:
    """No shard at all: one catalog-browser.json instead of every index chunk of every shard."""
    status, shards, modules = shards_fetched(public_page, static_site.at("search.html?year=2022"))
    assert status == "筛选结果：共 1 条"
    assert (shards, modules) == (set(), 0)
    assert public_page.locator(".search-app__title").all_text_contents() == [
        "关于做好 2022 年秋季学期开学工作的通知"
    ]
    status, shards, _ = shards_fetched(public_page, static_site.at("search.html?category=政策文件"))
    assert status.startswith("筛选结果：共 ") and shards == set()
    dates = [
        text.rsplit(" · ", 1)[-1]
        for text in public_page.locator(".search-app__meta").all_text_contents()
    ]
    assert dates and dates == sorted(dates, reverse=True)
    public_page.locator(".search-app__title").first.click()
    public_page.wait_for_load_state()
    assert public_page.url.endswith(".html") and "/records/" in public_page.url
    assert public_page.locator("h1").count() == 1


def test_without_catalog_data_the_shards_answer(static_site: Served, public_page: Page) -> None:
    public_page.route("**/catalog-browser.json", lambda route: route.abort())
    status, shards, _ = shards_fetched(public_page, static_site.at("search.html?year=2022"))
    assert status == "筛选结果：共 1 条"
    assert shards == {"2022-pagefind"}
