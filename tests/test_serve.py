"""`catalog serve`: static files, the search API, input validation, path traversal, threads."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search.results import QueryError
from generator.search.whoosh_index import build_index
from generator.serve.server import CatalogServer, api_request, make_server, static_target
from tests.search_fixtures import RECORDS, catalog, changed

Response = tuple[int, dict[str, str], bytes]
LONG = "public, max-age=86400"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served")
    (root / "secret.txt").write_text("SECRET", encoding="utf-8")
    site = root / "site"
    files = {
        "index.html": "<h1>首页</h1>",
        "404.html": "<h1>找不到</h1>",
        "records/edu/index.html": "<h1>教育局</h1>",
        "assets/javascripts/search.js": "export {}",
        "assets/stylesheets/main.0123abcd.min.css": "body{}",
        "pagefind/pagefind.js": "export {}",
        "pagefind/wasm.zh.pagefind": "\x00",
        "pagefind/fragment/zh_1234.pf_fragment": "\x00",
        "catalog.json": "{}",
        "sitemap.xml": "<urlset/>",
        "catalog.csv": "id,title",
        "pagefind/pagefind_bg.wasm": "\x00",
        ".git/config": "hidden",
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "escape").symlink_to(root)
    return site


@pytest.fixture(scope="module")
def server(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogServer]:
    index = tmp_path_factory.mktemp("index")
    build_index(catalog(), index)
    yield from running(site, index)


def running(site: Path, index: Path) -> Iterator[CatalogServer]:
    server = make_server(site, index, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def get(server: CatalogServer, path: str, method: str = "GET") -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def raw(server: CatalogServer, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def api(server: CatalogServer, query: str) -> tuple[int, dict[str, object]]:
    status, headers, body = get(server, "/api/search?" + query)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    return status, json.loads(body)


# ---------------------------------------------------------------- static files


@pytest.mark.parametrize(
    ("path", "kind", "cache"),
    [
        ("/", "text/html; charset=utf-8", "no-cache"),
        ("/records/edu/", "text/html; charset=utf-8", "no-cache"),
        ("/assets/javascripts/search.js", "text/javascript; charset=utf-8", "no-cache"),
        ("/assets/stylesheets/main.0123abcd.min.css", "text/css; charset=utf-8", LONG),
        ("/pagefind/pagefind.js", "text/javascript; charset=utf-8", "no-cache"),
        ("/pagefind/wasm.zh.pagefind", "application/octet-stream", LONG),
        ("/pagefind/fragment/zh_1234.pf_fragment", "application/octet-stream", LONG),
        ("/pagefind/pagefind_bg.wasm", "application/wasm", "no-cache"),
        ("/catalog.json", "application/json; charset=utf-8", "no-cache"),
        ("/sitemap.xml", "application/xml; charset=utf-8", "no-cache"),
        ("/catalog.csv", "text/csv; charset=utf-8", "no-cache"),
    ],
)  # fmt: skip
def test_static_files(server: CatalogServer, path: str, kind: str, cache: str) -> None:
    status, headers, _ = get(server, path)
    assert (status, headers["Content-Type"], headers["Cache-Control"]) == (200, kind, cache)
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_folder_without_slash_redirects(server: CatalogServer) -> None:
    status, headers, _ = get(server, "/records/edu?x=1")
    assert (status, headers["Location"]) == (301, "/records/edu/?x=1")


def test_missing_page_uses_the_site_404(server: CatalogServer) -> None:
    status, _, body = get(server, "/nope.html")
    assert (status, body.decode()) == (404, "<h1>找不到</h1>")


def test_head_sends_no_body(server: CatalogServer) -> None:
    status, headers, body = get(server, "/", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(len("<h1>首页</h1>".encode()))


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/records/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/records/..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt",  # double-encoded
        "/%252E%252E%252Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/index.html%00.js",
        "/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8
        "/.git/config",
        "/escape/secret.txt",  # a symlink out of the site
        "//secret.txt",
    ],
)
def test_path_traversal_is_impossible(server: CatalogServer, path: str) -> None:
    status, _, body = get(server, path)
    assert status in (400, 404)
    assert b"SECRET" not in body and b"hidden" not in body


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_path_stays_inside_the_site(site: Path, path: str) -> None:
    status, target = static_target(site, "/" + path)
    if status is HTTPStatus.OK:
        assert target is not None and target.resolve().is_relative_to(site.resolve())
        assert ".git" not in target.parts and "secret.txt" not in target.name


# ---------------------------------------------------------------- the search API


def test_search_api_returns_the_issue_shape(server: CatalogServer) -> None:
    status, value = api(server, "q=%E6%95%99%E8%82%B2&category=policies&size=1")
    assert status == 200
    assert set(value) == {"query", "total", "hits", "facets", "relaxed", "understood"}
    assert (value["query"], value["total"]) == ("教育", 2)
    hits = value["hits"]
    assert isinstance(hits, list) and len(hits) == 1
    assert hits[0]["url"] == "records/edu/EDU-2023-00003.html"
    assert "<mark>教育</mark>" in hits[0]["snippet"]
    assert value["facets"] == {
        "category": {"policies": 2, "duties": 1},
        "department": {"edu": 2},
        "year": {"2023": 2},
    }


def test_search_api_pages_and_blank_filters(server: CatalogServer) -> None:
    _, first = api(server, "q=&category=&page=1&size=4")
    _, second = api(server, "q=&page=2&size=4")
    ids = [h["id"] for h in first["hits"] + second["hits"]]  # type: ignore[operator]
    assert sorted(ids) == sorted(r.id for r in RECORDS)


def test_search_api_explains_an_empty_answer(server: CatalogServer) -> None:
    status, value = api(server, "q=%E9%81%93%E8%B7%AF&department=edu")
    assert (status, value["total"]) == (200, 0)
    assert value["suggestions"] == {"drop_filters": {"department": 2}, "did_you_mean": []}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=" + "%E6%94%BF" * 201, "q（检索词）过长"),
        ("q=x&page=0", "page（页码）"),
        ("q=x&page=101", "page（页码）"),
        ("q=x&page=-1", "page（页码）应为正整数"),
        ("q=x&page=abc", "page（页码）应为正整数"),
        ("q=x&page=1e3", "page（页码）应为正整数"),
        ("q=x&page=%EF%BC%91", "page（页码）应为正整数"),  # full-width digit
        ("q=x&size=1000", "size（每页条数）"),
        ("q=x&year=twenty", "year（年份）应为正整数"),
        ("q=x&year=99999", "year（年份）"),
        ("q=x&order=date", "未知参数 'order'"),
        ("q=x&sort=title", "sort（排序）"),
        ("q=x&category=../../etc", "category（筛选条件）"),
        ("q=a&q=b", "参数 q 只能出现一次"),
        ("q=%FF%FE", "UTF-8"),
        ("q=%00", "控制字符"),
        ("&".join(f"q{i}=1" for i in range(20)), "参数不超过 12 个"),
    ],
)
def test_search_api_rejects_bad_input_with_400_json(
    server: CatalogServer, query: str, message: str
) -> None:
    status, value = api(server, query)
    assert status == 400
    assert message in str(value["error"])


def test_unknown_api_path_is_404_json(server: CatalogServer) -> None:
    status, _, body = get(server, "/api/nothing")
    assert (status, json.loads(body)) == (404, {"error": "没有这个接口。"})


def test_overlong_url_is_refused(server: CatalogServer) -> None:
    status, _, _ = get(server, "/api/search?q=" + "a" * 5000)
    assert status == 414


@pytest.mark.parametrize(
    ("request_bytes", "expected"),
    [
        # before the HTTP version is known the answer is HTTP/0.9 style: the page alone
        (b"GARBAGE\r\n\r\n", b"Error code: 400"),
        (b"GET /\r\n\r\n", "<h1>首页</h1>".encode()),
        (b"GET / HTTP/9.9\r\n\r\n", b"Error code: 505"),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", b"Error code: 414"),
        (b"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", b"HTTP/1.0 501 "),
        (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 150 + b"\r\n", b"HTTP/1.0 431 "),
        (b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n", b"HTTP/1.0 400 "),
        (b"GET /api/search?q=%ZZ HTTP/1.1\r\n\r\n", b"HTTP/1.0 200 "),  # kept literally
    ],
)
def test_malformed_requests_never_yield_500(
    server: CatalogServer, request_bytes: bytes, expected: bytes
) -> None:
    answer = raw(server, request_bytes)
    assert b" 500 " not in answer.split(b"\r\n", 1)[0]
    assert expected in answer


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_any_query_string_is_a_request_or_a_query_error(text: str) -> None:
    try:
        request = api_request(text)
    except QueryError as problem:
        assert str(problem)
    else:
        assert 1 <= request.page <= 100 and 1 <= request.size <= 50 and len(request.query) <= 200


def test_concurrent_requests(server: CatalogServer) -> None:
    queries = ["q=%E6%95%99%E8%82%B2", "q=zfxxgk", "q=&year=2023", "q=x&page=0"] * 6

    def ask(query: str) -> tuple[int, object]:
        status, value = api(server, query)
        return status, value.get("total")

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(ask, queries))
    assert answers == [(200, 3), (200, 2), (200, 4), (400, None)] * 6


# ---------------------------------------------------------------- the index behind the API


def test_missing_index_is_503_json(site: Path, tmp_path: Path) -> None:
    for server in running(site, tmp_path / "none"):
        status, value = api(server, "q=x")
        assert status == 503 and "catalog index" in str(value["error"])
        assert get(server, "/")[0] == 200  # the site is still served


def test_server_reopens_the_index_after_a_rebuild(site: Path, tmp_path: Path) -> None:
    build_index(catalog(), tmp_path)
    for server in running(site, tmp_path):
        assert api(server, "q=%E6%A1%A5%E6%A2%81")[1]["total"] == 0  # 桥梁
        renamed = changed(RECORDS, "HS/2023-00002", title="城市桥梁养护计划")
        build_index(catalog(renamed), tmp_path)
        assert api(server, "q=%E6%A1%A5%E6%A2%81")[1]["total"] == 1
