"""``catalog serve`` under attack: it reads nothing outside the site, bounds every part of a
request (never a 500), and keeps answering 200 concurrent clients for 30 seconds.

The server runs as its own process (``python -m generator serve``), as it does on a kiosk; the
tests talk to it over loopback with raw sockets, so no client library tidies a path first.
"""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search.whoosh_index import build_index
from tests.search_fixtures import catalog

SECRET = "TOP-SECRET-MARKER"
CHINESE_PAGE = "records/edu/招生 通知（2024）.html"
LOAD_SECONDS = 30
CLIENTS = 200


@dataclass(frozen=True)
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def request(self, raw: bytes, timeout: float = 10) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(raw)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def get(self, target: str) -> tuple[int, bytes]:
        answer = self.request(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        return status_of(answer), answer


def status_of(answer: bytes) -> int:
    """The status of an answer; before the HTTP version is known it is a bare HTML error page
    (HTTP/0.9 style) that names its code; 0 for no answer."""
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer) or re.search(
        rb"Error code: (\d{3})", answer
    )
    return int(match.group(1)) if match else 0


def plant_site(root: Path) -> Path:
    """A site with a secret beside it and symlinks inside it that point out."""
    (root / "outside").mkdir()
    (root / "outside/secret.txt").write_text(SECRET, encoding="utf-8")
    site = root / "site"
    files = {
        "index.html": "<h1>首页</h1>",
        "404.html": "<h1>页面不存在</h1>",
        CHINESE_PAGE: "<h1>招生通知</h1>",
        "assets/app.js": "export {};",
        ".hidden/config": SECRET,
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "leak.txt").symlink_to(root / "outside/secret.txt")
    (site / "leakdir").symlink_to(root / "outside")
    (site / "passwd").symlink_to("/etc/passwd")
    (site / "records/up").symlink_to("../..")
    return site


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("serve")
    site = plant_site(root)
    build_index(catalog(), root / "index")
    log = root / "serve.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--site", str(site), "--index",
             str(root / "index"), "--port", "0"],
            stderr=stream, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        yield Server(wait_for_port(log, process), process, log)
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for_port(log: Path, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"127\.0\.0\.1:(\d+)/", log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return int(found.group(1))
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        time.sleep(0.05)
    raise AssertionError("catalog serve did not start")


def assert_nothing_leaked(status: int, answer: bytes) -> None:
    assert status != 500
    assert SECRET.encode() not in answer
    assert b"root:x:0:0" not in answer


# ---------------------------------------------------------------- paths

TRAVERSALS = [
    "/../outside/secret.txt",
    "/../../../../../../etc/passwd",
    "/records/../../outside/secret.txt",
    "/%2e%2e/outside/secret.txt",
    "/%2E%2E%2Foutside%2Fsecret.txt",
    "/.%2e/outside/secret.txt",
    "/%2e./outside/secret.txt",
    "/%252e%252e/outside/secret.txt",
    "/%252e%252e%252foutside%252fsecret.txt",
    "/%25252e%25252e/outside/secret.txt",
    "/..%2f..%2foutside/secret.txt",
    "/..%5c..%5coutside%5csecret.txt",
    "/..\\..\\outside\\secret.txt",
    "/%c0%ae%c0%ae/outside/secret.txt",
    "/%e0%80%ae%e0%80%ae/outside/secret.txt",
    "/．．/outside/secret.txt",
    "/..;/outside/secret.txt",
    "/index.html%00/../../outside/secret.txt",
    "/%00",
    "//etc/passwd",
    "/etc/passwd",
    "/proc/self/environ",
    "/leak.txt",
    "/leakdir/secret.txt",
    "/passwd",
    "/records/up/outside/secret.txt",
    "/.hidden/config",
    "/%2ehidden/config",
    "http://127.0.0.1/../outside/secret.txt",
    "http://evil.example/../../outside/secret.txt",
    "/C:/Windows/win.ini",
    "\\..\\outside\\secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_path_reads_outside_the_site(server: Server, target: str) -> None:
    status, answer = server.get(target)
    assert_nothing_leaked(status, answer)
    assert status in (0, 400, 404), answer[:200]


SEGMENTS = ["..", "%2e%2e", "%252e%252e", ".", "", "outside", "secret.txt", "leak.txt", "leakdir",
            "%2f", "%5c", "\\", "%00", "records", "up", "．．", "index.html", "%", "%zz"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=8))
def test_any_mix_of_traversal_segments_is_refused(server: Server, segments: list[str]) -> None:
    target = "/" + "/".join(segments)
    status, answer = server.get(quote(target, safe="/%\\.:;"))
    assert_nothing_leaked(status, answer)


def test_file_names_with_spaces_and_chinese_are_served(server: Server) -> None:
    status, answer = server.get(quote("/" + CHINESE_PAGE))
    assert status == 200 and "<h1>招生通知</h1>".encode() in answer


# ---------------------------------------------------------------- bounded requests


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET /?" + b"q=" + b"a" * 3000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET /api/search?q=" + b"%E6%94%BF" * 500 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 150 + b"\r\n", 431),
        (b"GET /api/search?" + "&".join(f"q{i}=1" for i in range(30)).encode()
         + b" HTTP/1.1\r\n\r\n", 400),
        (b"GET /api/search?q=%FF%FE HTTP/1.1\r\n\r\n", 400),
        (b"GET /api/search?q=x&page=99999999999999999999 HTTP/1.1\r\n\r\n", 400),
        (b"GET /api/search?q=x&size=-1 HTTP/1.1\r\n\r\n", 400),
        (b"GET /api/search?q=%00 HTTP/1.1\r\n\r\n", 400),
        (b"GET /\x00 HTTP/1.1\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\n\r\n", 505),
        (b"GARBAGE\r\n\r\n", 400),
        (b"\r\n\r\n", 0),
        (b"POST /api/search HTTP/1.1\r\nContent-Length: 1000000000\r\n\r\nx", 501),
        (b"DELETE /index.html HTTP/1.1\r\n\r\n", 501),
        (b"GET / HTTP/1.1\r\nHost: " + b"\xff" * 100 + b"\r\n\r\n", 200),
        (b"GET / HTTP/1.1\r\nNo colon in this header line\r\n\r\n", 200),
        (b"GET /" + b"a" * 256 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET /records/" + b"%E6%94%BF" * 90 + b".html HTTP/1.1\r\n\r\n", 414),
        (b"GET /" + b"a/" * 900 + b" HTTP/1.1\r\n\r\n", 404),
    ],
    ids=["request-line", "query-string", "api-query", "header-line", "header-count",
         "query-fields", "query-encoding", "huge-number", "negative-size", "nul-in-query",
         "nul-in-path", "http-version", "garbage", "empty", "post-body", "delete",
         "binary-host", "bad-header", "long-segment", "long-chinese-segment", "deep-path"],
)  # fmt: skip
def test_request_parts_are_bounded_and_never_500(server: Server, raw: bytes, expected: int) -> None:
    answer = server.request(raw)
    status = status_of(answer)
    if expected:
        assert status == expected, answer[:300]
    assert_nothing_leaked(status, answer)


def test_idle_connections_do_not_block_others(server: Server) -> None:
    """Slow clients (slowloris) hold a thread each, never the server."""
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(50)]
    try:
        for sock in idle:
            sock.sendall(b"GET / HTTP/1.1\r\n")  # and never finish the request
        started = time.monotonic()
        assert server.get("/")[0] == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in idle:
            sock.close()


# ---------------------------------------------------------------- load

# (path, expected status): pages, the Chinese page, an asset, the API, bad input, traversal, 404
MIX = [
    ("/", 200),
    ("/" + quote(CHINESE_PAGE), 200),
    ("/assets/app.js", 200),
    ("/api/search?q=%E6%95%99%E8%82%B2", 200),
    ("/api/search?q=x&page=0", 400),
    ("/%2e%2e/outside/secret.txt", 400),
    ("/nope.html", 404),
]


async def fetch(port: int, path: str) -> int:
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 20)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 20)
    finally:
        writer.close()
    if SECRET.encode() in answer:
        return -1
    return status_of(answer)


async def client(port: int, number: int, deadline: float, tally: Counter[str]) -> None:
    turn = number
    while time.monotonic() < deadline:
        path, expected = MIX[turn % len(MIX)]
        turn += 1
        try:
            status = await fetch(port, path)
        except (OSError, TimeoutError) as problem:
            tally[f"error: {type(problem).__name__}"] += 1
            continue
        tally["ok" if status == expected else f"error: {path} → {status}"] += 1


async def load(port: int, seconds: float) -> Counter[str]:
    tally: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(port, n, deadline, tally) for n in range(CLIENTS)))
    return tally


def test_it_keeps_answering_200_clients_for_30_seconds(server: Server) -> None:
    started = time.monotonic()
    tally = asyncio.run(load(server.port, LOAD_SECONDS))
    elapsed = time.monotonic() - started
    errors = {key: count for key, count in tally.items() if key != "ok"}
    assert errors == {}, errors
    assert tally["ok"] >= CLIENTS * len(MIX)  # every client went round the mix at least once
    assert server.process.poll() is None
    assert server.get("/")[0] == 200
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "内部错误" not in log
    print(f"\n{tally['ok']} responses in {elapsed:.1f} s ({tally['ok'] / elapsed:.0f}/s), 0 errors")
