"""`catalog serve --watch`: a change under the watched folders rebuilds and bumps the generation;
pages served in watch mode carry the reload script; published sites never do."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path

from generator.serve.livereload import TAG, Reloader, fingerprint, inject_script
from generator.serve.server import make_server


def test_inject_script_before_body_end() -> None:
    assert inject_script(b"<html><body><p>x</p></body></html>") == (
        b"<html><body><p>x</p>" + TAG + b"</body></html>"
    )
    assert inject_script(b"<p>fragment</p>").endswith(TAG)


def test_change_rebuilds_once_and_bumps_generation(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("一", encoding="utf-8")
    calls: list[int] = []
    reloader = Reloader([tmp_path], lambda: calls.append(1) or True, interval=0.02)
    last = fingerprint([tmp_path])
    assert reloader.check_once(last) == last and calls == []
    (tmp_path / "a.md").write_text("二二", encoding="utf-8")
    last = reloader.check_once(last)
    assert calls == [1] and reloader.generation == 1
    assert reloader.check_once(last) == last and calls == [1]


def test_failed_rebuild_keeps_generation(tmp_path: Path) -> None:
    reloader = Reloader([tmp_path], lambda: False, interval=0.02)
    last = fingerprint([tmp_path])
    (tmp_path / "new.md").write_text("x", encoding="utf-8")
    reloader.check_once(last)
    assert reloader.generation == 0


def _get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read()


def test_server_injects_only_in_watch_mode(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(b"<html><body>hi</body></html>")
    reloader = Reloader([tmp_path / "content"], lambda: True)
    for watching, expect in ((reloader, True), (None, False)):
        server = make_server(site, tmp_path / "index", port=0, quiet=True, reloader=watching)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            assert (TAG in _get(server.server_port, "/index.html")) is expect
            if expect:
                state = json.loads(_get(server.server_port, "/__reload"))
                assert state == {"generation": 0}
                assert b"location.reload" in _get(server.server_port, "/__reload.js")
        finally:
            server.shutdown()
            server.server_close()
