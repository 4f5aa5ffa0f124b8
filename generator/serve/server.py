"""`catalog serve`: the built site plus ``GET /api/search`` and ``GET /api/pinyin`` over the Whoosh
index.

Standard library only (``http.server``).  Loopback by default; every input is bounded, and a
malformed request gets a 4xx answer, never a 500.  Searching goes through ``search_index``.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import shutil
import sys
import threading
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, overload
from urllib.parse import parse_qs, unquote, urlsplit

from generator.search.pinyin_words import candidates_json
from generator.search.results import QueryError, SearchRequest
from generator.search.whoosh_index import IndexMissingError
from generator.search.whoosh_search import CatalogSearcher
from generator.serve.livereload import RELOAD_PATH, SCRIPT, SCRIPT_PATH, Reloader, inject_script

MAX_URL_CHARS = 2048
KIOSK_HOME = "kiosk/index.html"  # written by `catalog build --kiosk` (generator/kiosk/bundle.py)
MAX_QUERY_FIELDS = 12
MAX_PINYIN_CHARS = 40
API_PARAMETERS = ("q", "category", "department", "year", "page", "size", "sort")
TEXT = "; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html" + TEXT,
    ".htm": "text/html" + TEXT,
    ".js": "text/javascript" + TEXT,
    ".mjs": "text/javascript" + TEXT,
    ".css": "text/css" + TEXT,
    ".json": "application/json" + TEXT,
    ".map": "application/json" + TEXT,
    ".xml": "application/xml" + TEXT,
    ".csv": "text/csv" + TEXT,
    ".txt": "text/plain" + TEXT,
    ".md": "text/markdown" + TEXT,
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
}
# Files whose names change with their content may be cached; everything else is revalidated.
_FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}\.|\.pf_(fragment|index|meta)$|\.pagefind$")


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    guessed, _ = mimetypes.guess_type(path.name)
    return known or guessed or "application/octet-stream"


def cache_control(path: Path) -> str:
    return "public, max-age=86400" if _FINGERPRINTED.search(path.name) else "no-cache"


MAX_SEGMENT_BYTES = 255  # the longest file name ext4, APFS and NTFS allow (in UTF-8 bytes)


def static_target(site: Path, url_path: str) -> tuple[HTTPStatus, Path | None]:
    """The file a URL path names inside ``site``: (OK, file), (NOT_FOUND, None),
    (MOVED_PERMANENTLY, directory) for a folder without its slash, (REQUEST_URI_TOO_LONG, None)
    for a segment no file name can have, or (BAD_REQUEST, None).

    Decodes once; anything still percent-encoded, any ``..``, hidden segment, backslash or NUL
    is refused before touching the disk, and the resolved path must stay inside the site.
    """
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return HTTPStatus.BAD_REQUEST, None
    segments = decoded.split("/")
    if any(len(s.encode("utf-8")) > MAX_SEGMENT_BYTES for s in segments):
        return HTTPStatus.REQUEST_URI_TOO_LONG, None
    if (
        not decoded.startswith("/")
        or re.search(r"%[0-9A-Fa-f]{2}|[\x00-\x1f\\]", decoded)
        or any(s.startswith(".") for s in segments)
    ):
        return HTTPStatus.BAD_REQUEST, None
    root = site.resolve()
    try:  # a path the file system refuses (too long in all, a symlink loop) is not there
        candidate = (root / decoded.lstrip("/")).resolve()
        if not candidate.is_relative_to(root):
            return HTTPStatus.BAD_REQUEST, None
        if candidate.is_dir():
            if not decoded.endswith("/"):
                return HTTPStatus.MOVED_PERMANENTLY, candidate
            candidate = candidate / "index.html"
        found = candidate.is_file()
    except (OSError, RuntimeError):
        return HTTPStatus.NOT_FOUND, None
    return (HTTPStatus.OK, candidate) if found else (HTTPStatus.NOT_FOUND, None)


def api_request(raw_query: str) -> SearchRequest:
    """``q=&category=&department=&year=&page=&size=&sort=`` → a bounded request, or
    ``QueryError``."""
    try:
        params = parse_qs(
            raw_query, keep_blank_values=True, errors="strict", max_num_fields=MAX_QUERY_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        raise QueryError("查询参数无法解析：请使用 UTF-8 编码，且参数不超过 12 个。") from None
    unknown = sorted(set(params) - set(API_PARAMETERS))
    if unknown:
        raise QueryError(f"未知参数 {unknown[0][:40]!r}；可用参数：{', '.join(API_PARAMETERS)}。")
    repeated = [name for name, values in params.items() if len(values) > 1]
    if repeated:
        raise QueryError(f"参数 {repeated[0]} 只能出现一次。")
    value = {name: values[0].strip() or None for name, values in params.items()}
    return SearchRequest.create(
        value.get("q") or "",
        category=value.get("category"),
        department=value.get("department"),
        year=_number(value, "year", "年份"),
        page=_number(value, "page", "页码", default=1),
        size=_number(value, "size", "每页条数", default=10),
        sort=value.get("sort") or "relevance",
    )


def pinyin_request(raw_query: str) -> str:
    """``q=`` of ``/api/pinyin``: letters typed on the kiosk keyboard, or ``QueryError``."""
    try:
        params = parse_qs(raw_query, keep_blank_values=True, errors="strict", max_num_fields=2)
    except (UnicodeDecodeError, ValueError):
        raise QueryError("查询参数无法解析：请使用 UTF-8 编码，只带 q 一个参数。") from None
    if set(params) - {"q"} or len(params.get("q", [])) > 1:
        raise QueryError("/api/pinyin 只接受一个参数 q（拼音或拼音首字母）。")
    typed = params.get("q", [""])[0].strip()
    if len(typed) > MAX_PINYIN_CHARS:
        raise QueryError(f"q（拼音）过长：最多 {MAX_PINYIN_CHARS} 个字母，实际 {len(typed)} 个。")
    return typed


@overload
def _number(value: dict[str, str | None], name: str, label: str) -> int | None: ...
@overload
def _number(value: dict[str, str | None], name: str, label: str, *, default: int) -> int: ...
def _number(
    value: dict[str, str | None], name: str, label: str, *, default: int | None = None
) -> int | None:
    text = value.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", text):
        raise QueryError(f"{name}（{label}）应为正整数，实际为 {text[:20]!r}。")
    return int(text)


class SearcherPool:
    """One open searcher shared by all threads, reopened when ``CURRENT`` changes."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._searcher: CatalogSearcher | None = None

    def get(self) -> CatalogSearcher:
        with self._lock:
            if self._searcher is None or self._searcher.is_stale():
                # The old searcher is left to the garbage collector: another thread may still
                # be reading it, and its generation is kept on disk until the next rebuild.
                self._searcher = CatalogSearcher(self.index_dir)
            return self._searcher


class CatalogServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver listens with a backlog of 5: under 200 simultaneous clients the kernel dropped
    # connections, and clients waited out SYN retransmissions (≥ 10 s). The kernel caps it.
    request_queue_size = 1024

    def __init__(
        self,
        address: tuple[str, int],
        site_dir: Path,
        index_dir: Path,
        *,
        kiosk: bool = False,
        quiet: bool = False,
        reloader: Reloader | None = None,
    ) -> None:
        super().__init__(address, CatalogRequestHandler)
        self.reloader = reloader  # `catalog serve --watch` only
        self.site_dir = site_dir
        self.searchers = SearcherPool(index_dir)
        self.kiosk = kiosk  # `/` opens the kiosk home of a kiosk bundle
        self.quiet = quiet


class CatalogRequestHandler(BaseHTTPRequestHandler):
    server: CatalogServer
    server_version = "catalog-serve"
    sys_version = ""
    timeout = 15  # seconds a slow client may take per read

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if len(self.path) > MAX_URL_CHARS:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG, explain="URL 过长。")
            return False
        return True

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _answer(self, *, send_body: bool) -> None:
        try:
            self._route(send_body)
        except (ConnectionError, TimeoutError):
            pass  # the client went away
        except Exception:  # a bug, not a bad request: log it, answer plainly
            self.log_error("内部错误：\n%s", traceback.format_exc())
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "服务器内部错误。"}, send_body)

    def _route(self, send_body: bool) -> None:
        try:
            url = urlsplit(self.path)
        except ValueError:
            self._json(HTTPStatus.BAD_REQUEST, {"error": "URL 格式错误。"}, send_body)
            return
        reloader = self.server.reloader
        if url.path == "/api/search":
            self._search(url.query, send_body)
        elif url.path == "/api/pinyin":
            self._pinyin(url.query, send_body)
        elif reloader is not None and url.path == RELOAD_PATH:
            self._json(HTTPStatus.OK, {"generation": reloader.generation}, send_body)
        elif reloader is not None and url.path == SCRIPT_PATH:
            self._bytes(HTTPStatus.OK, SCRIPT, CONTENT_TYPES[".js"], "no-store", send_body)
        elif url.path.startswith("/api/"):
            self._json(HTTPStatus.NOT_FOUND, {"error": "没有这个接口。"}, send_body)
        else:
            self._static(url.path, url.query, send_body)

    def _search(self, raw_query: str, send_body: bool) -> None:
        try:
            request = api_request(raw_query)
            result = self.server.searchers.get().search(request)
        except QueryError as problem:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(problem)}, send_body)
        except IndexMissingError as problem:
            self._json(HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(problem)}, send_body)
        else:
            self._json(HTTPStatus.OK, result.to_json(), send_body)

    def _pinyin(self, raw_query: str, send_body: bool) -> None:
        try:
            typed = pinyin_request(raw_query)
            words = self.server.searchers.get().pinyin_words()
        except QueryError as problem:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(problem)}, send_body)
        except IndexMissingError as problem:
            self._json(HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(problem)}, send_body)
        else:
            self._json(HTTPStatus.OK, candidates_json(words, typed), send_body)

    def _static(self, path: str, query: str, send_body: bool) -> None:
        status, target = static_target(self.server.site_dir, path)
        if self.server.kiosk and path == "/" and (self.server.site_dir / KIOSK_HOME).is_file():
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/" + KIOSK_HOME)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif status is HTTPStatus.MOVED_PERMANENTLY:
            self.send_response(status)
            self.send_header("Location", path + "/" + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif status is HTTPStatus.OK and target is not None:
            self._file(HTTPStatus.OK, target, send_body)
        elif status is HTTPStatus.NOT_FOUND and (self.server.site_dir / "404.html").is_file():
            self._file(HTTPStatus.NOT_FOUND, self.server.site_dir / "404.html", send_body)
        else:
            message = {
                HTTPStatus.BAD_REQUEST: "请求的路径不合法。",
                HTTPStatus.REQUEST_URI_TOO_LONG: f"路径中有一段超过 {MAX_SEGMENT_BYTES} 字节，文件系统不会有这样的文件。",
            }.get(status, "页面不存在。")
            self._text(status, message, send_body)

    def _file(self, status: HTTPStatus, path: Path, send_body: bool) -> None:
        try:
            handle = open(path, "rb")  # noqa: SIM115 -- closed below; the file may vanish first
        except OSError:
            self._text(HTTPStatus.NOT_FOUND, "页面不存在。", send_body)
            return
        with handle:
            if self.server.reloader is not None and path.suffix == ".html":
                body = inject_script(handle.read())
                self._bytes(status, body, content_type(path), "no-store", send_body)
                return
            size = os.fstat(handle.fileno()).st_size
            self.send_response(status)
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(size))
            self.send_header("Cache-Control", cache_control(path))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if send_body:
                shutil.copyfileobj(handle, self.wfile)

    def _json(self, status: HTTPStatus, value: dict[str, Any], send_body: bool) -> None:
        body = json.dumps(value, ensure_ascii=False).encode()
        self._bytes(status, body, "application/json" + TEXT, "no-store", send_body)

    def _text(self, status: HTTPStatus, message: str, send_body: bool) -> None:
        self._bytes(status, message.encode(), "text/plain" + TEXT, "no-store", send_body)

    def _bytes(
        self, status: HTTPStatus, body: bytes, kind: str, cache: str, send_body: bool
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def make_server(
    site_dir: Path,
    index_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    kiosk: bool = False,
    quiet: bool = False,
    reloader: Reloader | None = None,
) -> CatalogServer:
    """A server bound to ``host:port`` (port 0 picks a free one); call ``serve_forever``."""
    return CatalogServer(
        (host, port), site_dir, index_dir, kiosk=kiosk, quiet=quiet, reloader=reloader
    )


def serve(
    site_dir: Path,
    index_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    kiosk: bool,
    reloader: Reloader | None = None,
) -> None:
    """Serve until interrupted (Ctrl+C)."""
    with make_server(site_dir, index_dir, host, port, kiosk=kiosk, reloader=reloader) as server:
        if reloader is not None:
            reloader.start()
        url = f"http://{host}:{server.server_port}/"
        print(f"正在提供 {site_dir}：{url} （按 Ctrl+C 停止）", file=sys.stderr)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("已停止。", file=sys.stderr)
