"""`catalog edit`: one department's editor and its local backend on 127.0.0.1.

Static files (the Decap bundle, ``index.html``, ``config.yml``) come from an admin folder written
by `write_admin` with the local backend; ``POST /api/v1`` is the protocol of `proxy.py`. Only
requests whose Host is this loopback address are answered (a page on another site cannot reach
the clerk's repository through DNS rebinding), and a browser request from another origin is
refused.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.cms.gitstore import GitStore
from generator.cms.proxy import answer

MAX_BODY = 64 * 1024 * 1024  # attachments arrive base64-encoded inside the JSON


class EditHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (SimpleHTTPRequestHandler declares it an instance variable)
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".yml": "text/yaml; charset=utf-8",
        ".wasm": "application/wasm",
        ".html": "text/html; charset=utf-8",
    }

    def __init__(self, *args: Any, store: GitStore, lock: threading.Lock, **kwargs: Any) -> None:
        self.store = store
        self.lock = lock
        super().__init__(*args, **kwargs)

    def _local(self) -> bool:
        port = self.server.server_port  # type: ignore[attr-defined]
        allowed = {f"127.0.0.1:{port}", f"localhost:{port}"}
        origin = self.headers.get("Origin")
        return self.headers.get("Host") in allowed and (
            origin is None or origin.removeprefix("http://") in allowed
        )

    def do_GET(self) -> None:
        if not self._local():
            self.send_error(403)
            return
        super().do_GET()

    def do_POST(self) -> None:
        if not self._local():
            self.send_error(403)
            return
        if self.path.split("?")[0] != "/api/v1":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json(413, {"error": f"请求超过 {MAX_BODY // 1024 // 1024} MB，附件过大。"})
            return
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            self._json(400, {"error": "请求不是 JSON。"})
            return
        with self.lock:  # one git operation at a time, as decap-server does
            status, value = answer(self.store, body)
        self._json(status, value)

    def _json(self, status: int, value: Any) -> None:
        data = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_edit_server(admin: Path, store: GitStore, port: int = 0) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 (``port`` 0: a free one) over ``admin`` and the store."""
    handler = partial(EditHandler, directory=str(admin), store=store, lock=threading.Lock())
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server
