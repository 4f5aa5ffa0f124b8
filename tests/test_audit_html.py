"""The supervision report opened in Chromium from disk: offline, legible at desktop and phone
width, and without serious axe violations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Route, sync_playwright

from generator.audit.html import as_html
from generator.audit.run import audit
from generator.core.settings import Settings
from tests.audit_tree import ON, make_tree
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("AUDIT_SCREENSHOTS")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def report_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    tree = make_tree(tmp_path)
    tree.record("late", "hot-topics", date(2025, 6, 10), written=date(2025, 4, 1))
    tree.record("old", "supervision", date(2025, 3, 3), written=date(2025, 3, 3))
    tree.remove("commitments")
    tree.commit(date(2025, 6, 12))
    report = audit(Settings(content_dir=tree.content, cache_dir=None), ON, None)
    path = tmp_path / "audit.html"
    path.write_text(as_html(report), encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [1280, 390, 360])
def test_report_offline_and_accessible(browser: Browser, report_file: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    requested: list[str] = []

    def refuse(route: Route) -> None:
        requested.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith("file://"), refuse)
    page = context.new_page()
    page.goto(report_file.as_uri())
    assert page.locator("h1").inner_text().endswith("监督检查报告")
    assert page.locator("svg[role=img]").count() == 2
    assert "存在单项否决项" in page.locator(".verdict").inner_text()
    violations = Axe().run(page).response["violations"]
    blocking = [
        f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")
    ]
    assert blocking == []
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/audit-{width}.png", full_page=True)
    context.close()
    assert requested == []
