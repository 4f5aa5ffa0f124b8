"""A visitor's first search on the static site: requests, bytes and time to first results.

    .venv/bin/python bench/first_search.py --site bench/work/n10000/site
    .venv/bin/python bench/first_search.py --site site --no-throttle --query 教育

Serves the built site from a plain static server (no search service, so the search page falls
back to Pagefind), opens ``search.html`` in headless Chromium with a fresh cache, waits until the
page has loaded, then submits each search in its own fresh browser context and counts every
request the search caused (and its bytes on the wire, from the DevTools protocol) until the first
results are shown. Throttled like Lighthouse's mobile profile ("Slow 4G": 150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up) unless ``--no-throttle``. Prints a table and one JSON line. A
browser benchmark, not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Browser, Request, sync_playwright

CHROMIUM = Path(os.environ.get("CATALOG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"]  # fmt: skip
# Lighthouse's mobile throttling ("Slow 4G"), applied by the browser to every request.
THROTTLE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
# A word search, a word search inside a year, a filter-only search, a word no record holds.
SEARCHES: tuple[dict[str, str], ...] = (
    {"q": "教育"},
    {"q": "通知", "year": "2021"},
    {"department": "青禾区教育局"},
    {"q": "安全生产"},
)
BYTES_LIMIT_10K = 1_000_000
REQUESTS_LIMIT = 20
SECONDS_LIMIT = 1.5


@dataclass
class Measured:
    search: str
    seconds: float
    requests: int
    bytes: int
    total: str  # what the page said it found


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def static_server(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def first_search(browser: Browser, base: str, search: dict[str, str], throttle: bool) -> Measured:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": False})
    if throttle:
        session.send("Network.emulateNetworkConditions", THROTTLE)
    page.goto(base + "search.html", wait_until="load")
    page.wait_for_selector("#search-app-q")
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    started = time.perf_counter()
    page.evaluate(
        "query => { history.pushState(null, '', 'search.html?' + query);"
        " dispatchEvent(new PopStateEvent('popstate')); }",
        urlencode(search),
    )
    page.wait_for_function(
        "() => /共 [0-9]+ 条|不可用/.test(document.querySelector('.search-app__status').textContent)"
        " && (document.querySelector('.search-app__hit') || /共 0 条/.test("
        "document.querySelector('.search-app__status').textContent))",
        timeout=120_000,
    )
    seconds = time.perf_counter() - started
    status = page.text_content(".search-app__status") or ""
    page.wait_for_timeout(300)  # requests still in flight when the results showed count too
    sizes = [r.sizes() for r in requests if r.response() is not None]
    context.close()
    return Measured(
        " ".join(f"{k}={v}" for k, v in search.items()),
        round(seconds, 3),
        len(requests),
        sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes),
        status.split("：", 1)[-1],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site directory")
    parser.add_argument("--no-throttle", action="store_true", help="loopback at full speed")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each search (median)")
    parser.add_argument("--query", action="append", help="a word search instead of the mix")
    arguments = parser.parse_args()
    searches = [{"q": q} for q in arguments.query] if arguments.query else list(SEARCHES)
    results: list[Measured] = []
    with static_server(arguments.site.resolve()) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        for search in searches:
            runs = [
                first_search(browser, base, search, not arguments.no_throttle)
                for _ in range(arguments.repeat)
            ]
            runs.sort(key=lambda run: run.seconds)
            results.append(runs[len(runs) // 2])
        browser.close()
    print(f"{'search':<28} {'seconds':>8} {'requests':>9} {'MB':>6}  found")
    for row in results:
        print(
            f"{row.search:<28} {row.seconds:>8.2f} {row.requests:>9} "
            f"{row.bytes / 1e6:>6.2f}  {row.total}"
        )
    summary = {
        "throttled": not arguments.no_throttle,
        "searches": [asdict(r) for r in results],
        "max_seconds": max(r.seconds for r in results),
        "max_requests": max(r.requests for r in results),
        "max_bytes": max(r.bytes for r in results),
        "median_seconds": statistics.median(r.seconds for r in results),
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
