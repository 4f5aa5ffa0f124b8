"""The sample content served: the kiosk's pinyin candidates (``GET /api/pinyin``) and the site's
own pages in ``GET /api/search``."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.core.settings import Settings
from generator.search.pinyin_words import Entry, build_vocabulary, candidates, candidates_json
from generator.search.whoosh_index import build_index
from generator.search.whoosh_search import search
from generator.serve.server import CatalogServer
from tests.test_serve import running

SAMPLE = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def sample() -> Catalog:
    checked = check_content(Settings(content_dir=SAMPLE, today=date(2026, 11, 28), cache_dir=None))
    assert checked.catalog is not None
    return checked.catalog


@pytest.fixture(scope="module")
def index(sample: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample-index")
    build_index(sample, path)
    return path


@pytest.fixture(scope="module")
def server(index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogServer]:
    yield from running(tmp_path_factory.mktemp("empty-site"), index)


def api(server: CatalogServer, query: str) -> tuple[int, dict[str, object]]:
    url = f"http://127.0.0.1:{server.server_port}/api/pinyin?{query}"
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_words_of_titles_and_keywords_with_their_pinyin_and_record_counts() -> None:
    entries = [
        Entry("城乡最低生活保障资金发放情况", ("低保",), ""),
        Entry("低保审核确认办法", (), "低保家庭"),
        Entry("帮办代办服务", (), ""),
    ]
    words = {w.text: w for w in build_vocabulary(entries)}
    assert (words["低保"].pinyin, words["低保"].initials, words["低保"].records) == (
        "dibao",
        "db",
        2,
    )
    assert [w.text for w in candidates(list(words.values()), "DB")] == ["低保", "代办"]
    assert [w.text for w in candidates(list(words.values()), "di bao")] == ["低保"]
    assert candidates(list(words.values()), "低保") == []


def test_api_pinyin_lists_dibao_first_on_the_sample(server: CatalogServer) -> None:
    status, value = api(server, "q=db")
    assert status == 200 and value["query"] == "db"
    first = value["candidates"][0]  # type: ignore[index]
    assert first["text"] == "低保" and first["records"] >= 5


@pytest.mark.parametrize("typed", ["db", "dibao", "gzf", "yyzz", "rx", "sb"])
def test_every_candidate_leads_to_records(
    server: CatalogServer, index: Path, sample: Catalog, typed: str
) -> None:
    _, value = api(server, f"q={typed}")
    found = value["candidates"]
    assert found, typed
    vocabulary = build_vocabulary(Entry(r.title, r.keywords, r.summary) for r in sample.records)
    assert value == candidates_json(vocabulary, typed)  # the static file's words, the same answer
    for candidate in found:  # type: ignore[attr-defined]
        assert search(index, candidate["text"]).total >= candidate["records"] > 0


@pytest.mark.parametrize(
    ("query", "message"),
    [("q=" + "a" * 41, "q（拼音）过长"), ("q=db&x=1", "只接受一个参数 q"), ("q=a&q=b", "只接受")],
)
def test_api_pinyin_rejects_bad_input(server: CatalogServer, query: str, message: str) -> None:
    status, value = api(server, query)
    assert status == 400 and message in str(value["error"])


def test_api_search_finds_the_guide_page_first_on_the_sample(server: CatalogServer) -> None:
    url = f"http://127.0.0.1:{server.server_port}/api/search?q=%E5%85%AC%E5%BC%80%E6%8C%87%E5%8D%97"
    with urllib.request.urlopen(url) as response:
        value = json.load(response)
    first = value["hits"][0]
    assert (first["kind"], first["url"], first["title"]) == (
        "page",
        "guide.html",
        "政府信息公开指南",
    )
