"""axe-core finds no serious or critical violation on the pages people use most."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import Served

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING = ("serious", "critical")


def blocking_violations(page: Page) -> list[str]:
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "categories/policies/index.html",
        "records/office/policies/measures-2024.html",
        "guide.html",
        "browse.html",
        "search.html?q=入学",
        "rules/index.html",
        "interpretations/index.html",
        "subscribe.html",
        "print/index.html",
        "404.html",
        "supervision.html",
        "departments/edu/index.html",
    ],
)
def test_public_pages(public_site: Served, public_page: Page, path: str) -> None:
    public_page.goto(public_site.at(path))
    if path == "browse.html":
        public_page.locator("#catalog-browser table, #catalog-browser li").first.wait_for()
    assert blocking_violations(public_page) == []


def test_public_home_in_care_mode(public_site: Served, public_page: Page) -> None:
    public_page.goto(public_site.at("index.html"))
    public_page.locator("[data-care-toggle]").click()
    assert blocking_violations(public_page) == []


@pytest.mark.parametrize(
    "path",
    [
        "kiosk/index.html",
        "kiosk/categories/policies/index.html",
        "kiosk/categories/policies/office/index.html",
        "records/office/policies/measures-2024.html",
        "kiosk/search.html?q=xsrx",
        "kiosk/apply.html",
        "kiosk/departments/index.html",
        "kiosk/departments/edu.html",
        "kiosk/files/office/policies/files/measures-2024.pdf.html",
    ],
)
def test_kiosk_pages(kiosk_site: Served, kiosk_page: Page, path: str) -> None:
    kiosk_page.goto(kiosk_site.at(path))
    if "search" in path:
        kiosk_page.locator("#kiosk-results .kiosk-record").first.wait_for()
    assert blocking_violations(kiosk_page) == []


def test_kiosk_idle_dialog(kiosk_site: Served, kiosk_page: Page) -> None:
    kiosk_page.clock.install()
    kiosk_page.goto(kiosk_site.at("kiosk/categories/policies/index.html?idle=5"))
    kiosk_page.clock.run_for(6_000)
    kiosk_page.locator("#kiosk-idle").wait_for()
    assert blocking_violations(kiosk_page) == []
