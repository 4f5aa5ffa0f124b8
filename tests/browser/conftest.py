"""Browser tests: the fixture site built once per session (public and kiosk), each served by
``catalog serve`` on a free loopback port, driven by Debian's Chromium through Playwright.

Every browser context blocks (and records) any request that leaves 127.0.0.1, and collects
JavaScript errors; a test that caused either fails at teardown. ``KIOSK_SCREENSHOTS=DIR`` saves
the screenshots the kiosk tests take.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from generator.builder.build import build_site
from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.core.settings import Settings
from generator.serve.server import make_server

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
TODAY = date(2024, 7, 1)
CHROMIUM = Path(os.environ.get("CATALOG_CHROMIUM", "/usr/bin/chromium"))
# stack-notes.md: the flags under which Debian's Chromium runs headless on CI machines.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
DESKTOP = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Served:
    site: Path
    url: str  # http://127.0.0.1:PORT/

    def at(self, path: str) -> str:
        return self.url + path


@dataclass
class Watch:
    """What a browser context did that it must not: leave loopback, or throw."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def build(root: Path, *, kiosk: bool) -> Path:
    name = "kiosk" if kiosk else "site"
    settings = Settings(
        content_dir=FIXTURE,
        staging_dir=root / "build" / name / "docs",
        out_dir=root / name,
        index_dir=root / "build" / "search-index",
        kiosk=kiosk,
        today=TODAY,
    )
    result = build_site(settings)
    assert result.built, [p.message for p in result.problems if p.is_error]
    return settings.out_dir


def serve(site: Path, *, kiosk: bool) -> Iterator[Served]:
    index = site / ".search-index" if kiosk else site.parent / "build" / "search-index"
    server = make_server(site, index, port=0, kiosk=kiosk, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(site, f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    checked = check_content(Settings(content_dir=FIXTURE, today=TODAY))
    assert checked.catalog is not None
    return checked.catalog


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("browser-sites")
    return {"public": build(root, kiosk=False), "kiosk": build(root, kiosk=True)}


@pytest.fixture(scope="session")
def public_site(sites: dict[str, Path]) -> Iterator[Served]:
    yield from serve(sites["public"], kiosk=False)


@pytest.fixture(scope="session")
def kiosk_site(sites: dict[str, Path]) -> Iterator[Served]:
    yield from serve(sites["kiosk"], kiosk=True)


@pytest.fixture(scope="session")
def browser(sites: dict[str, Path]) -> Iterator[Browser]:
    """Chromium, started after the sites are built (Playwright's loop would stop Pagefind's)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"找不到 Chromium（{CHROMIUM}）：请运行 apt-get install -y chromium fonts-noto-cjk，"
                    "或用 CATALOG_CHROMIUM 指定浏览器路径。")  # fmt: skip
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def guard(context: BrowserContext, watch: Watch) -> None:
    """Abort and record every request to a host other than 127.0.0.1."""

    def handle(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    context.route("**/*", handle)


def open_page(browser: Browser, watch: Watch, **options: object) -> tuple[BrowserContext, Page]:
    context = browser.new_context(locale="zh-CN", **options)  # type: ignore[arg-type]
    guard(context, watch)
    page = context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    return context, page


@pytest.fixture
def watch() -> Iterator[Watch]:
    seen = Watch()
    yield seen
    assert seen.outside == [], "请求离开了本机"
    assert seen.errors == [], "页面脚本出错"


@pytest.fixture
def kiosk_page(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A portrait touch screen, as in the lobby."""
    context, page = open_page(browser, watch, viewport=PORTRAIT, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def public_page(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A desktop browser with a keyboard and a mouse."""
    context, page = open_page(browser, watch, viewport=DESKTOP)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Save a screenshot when ``KIOSK_SCREENSHOTS`` names a directory (to look at them)."""
    target = os.environ.get("KIOSK_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"))
