"""The kiosk bundle is self-contained: nothing it loads or links leaves 127.0.0.1, and its
launcher starts the local service and opens the browser on the kiosk home."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Page

from generator.kiosk.bundle import INDEX_DIR_NAME, LAUNCHER_NAME, POLICY_NAME
from tests.browser.conftest import Served

SITE_URL = "https://www.qinghe.gov.example"
# Anything the browser would fetch or follow: attributes and CSS references to another host.
FETCHED = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset|data|formaction)\s*=\s*["']?\s*|url\(\s*["']?|"""
    r"""@import\s+["'])(?:[a-z][a-z0-9+.-]*:)?//""",
    re.I,
)
ANY_URL = re.compile(r"https?://[^\s\"'<>)]+")
SVG_NAMESPACE = "http://www.w3.org/"
OWN_SCRIPTS = ("kiosk.js", "care-mode.js", "search.js", "catalog-browser.js")


def text_files(root: Path, *suffixes: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.suffix in suffixes and INDEX_DIR_NAME not in p.parts]


def test_bundle_holds_site_index_launcher_and_policy(sites: dict[str, Path]) -> None:
    bundle = sites["kiosk"]
    for name in ("index.html", "kiosk/index.html", "kiosk/search.html", LAUNCHER_NAME, POLICY_NAME):
        assert (bundle / name).is_file(), name
    assert (bundle / INDEX_DIR_NAME / "CURRENT").is_file()
    assert os.access(bundle / LAUNCHER_NAME, os.X_OK)
    assert not (sites["public"] / "kiosk").exists()  # kiosk pages only in kiosk builds
    assert "kiosk.js" not in (sites["public"] / "index.html").read_text(encoding="utf-8")


def test_no_page_fetches_or_links_another_host(sites: dict[str, Path]) -> None:
    bundle = sites["kiosk"]
    for path in text_files(bundle, ".html", ".css"):
        text = path.read_text(encoding="utf-8")
        assert FETCHED.findall(text) == [], path
        if path.suffix == ".html":
            shown = [u for u in ANY_URL.findall(text) if not u.startswith(SVG_NAMESPACE)]
            local = ("127.0.0.1", "localhost")
            outside = [u for u in shown if urlsplit(u).hostname not in local]
            assert all(u.startswith(SITE_URL) for u in outside), (path, outside)  # text only
            assert not re.search(r'<a\b[^>]*href="(?:https?:|mailto:|tel:|//)', text), path
    for name in OWN_SCRIPTS:
        script = bundle / "assets" / "javascripts" / name
        assert not ANY_URL.search(script.read_text(encoding="utf-8")), name


def page_kind(url: str) -> str:
    """Pages built from one template share a kind: a top-level page is its own kind, others
    go by their first folder (two for the kiosk's)."""
    parts = urlsplit(url).path.strip("/").split("/")
    return "/".join(parts[:2] if parts[0] == "kiosk" else parts[:1])


@pytest.mark.browser
def test_nothing_leaves_loopback_while_browsing_the_kiosk(
    kiosk_site: Served, kiosk_page: Page
) -> None:
    """Follow the kiosk's links, a few pages of every kind; the ``watch`` fixture fails the test
    if any request to another host was attempted (all are blocked and recorded)."""
    queue, seen, kinds = [kiosk_site.at("kiosk/index.html")], set(), Counter[str]()
    while queue:
        url = queue.pop(0)
        if url in seen or kinds[page_kind(url)] >= 3:
            continue
        seen.add(url)
        kinds[page_kind(url)] += 1
        response = kiosk_page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        for href in kiosk_page.locator("a[href]").evaluate_all("as => as.map(a => a.href)"):
            target = urljoin(url, href).split("#")[0]
            assert urlsplit(target).hostname == "127.0.0.1", (url, href)
            if target.endswith((".html", "/")):
                queue.append(target)
    wanted = {"kiosk/index.html", "kiosk/categories", "records", "categories", "guide.html"}
    assert wanted <= set(kinds), sorted(kinds)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_launcher_serves_the_bundle_and_opens_the_kiosk_home(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    opened = tmp_path / "opened.html"
    browser = tmp_path / "fake-chromium"
    browser.write_text(
        f"#!{sys.executable}\n"
        "import sys, urllib.request\n"
        f"open({str(opened)!r}, 'wb').write(urllib.request.urlopen(sys.argv[-1]).read())\n"
        "print(' '.join(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    browser.chmod(0o755)
    env = {
        **os.environ,
        "KIOSK_PORT": str(free_port()),
        "CATALOG": str(Path(sys.executable).parent / "catalog"),
        "CHROMIUM": str(browser),
    }
    run = subprocess.run(
        [str(sites["kiosk"] / LAUNCHER_NAME)], env=env, capture_output=True, text=True, timeout=90
    )
    assert run.returncode == 0, run.stderr
    assert (
        "--kiosk" in run.stdout and f"127.0.0.1:{env['KIOSK_PORT']}/kiosk/index.html" in run.stdout
    )
    assert "政府信息公开自助查询" in opened.read_text(encoding="utf-8")
