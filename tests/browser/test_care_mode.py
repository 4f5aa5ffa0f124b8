"""关怀版 on the public site: a real toggle button, keyboard-operable, kept across pages and
applied before the first paint."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served

pytestmark = pytest.mark.browser

# Records the <html> classes at the moment <body> is created, i.e. before anything is painted.
CLASSES_AT_BODY = """
new MutationObserver((changes, observer) => {
  if (document.body) {
    window.__classesAtBody = document.documentElement.className;
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""


def font_size(page: Page) -> float:
    script = "parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
    return float(page.evaluate(script))


def test_toggle_by_keyboard_persists_across_pages(public_site: Served, public_page: Page) -> None:
    page = public_page
    page.add_init_script(CLASSES_AT_BODY)
    page.goto(public_site.at("index.html"))
    toggle = page.locator("button[data-care-toggle]")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    normal = font_size(page)
    for _ in range(10):  # Tab from the top of the page until the toggle has the focus
        page.keyboard.press("Tab")
        if toggle.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("关怀版按钮无法用 Tab 键到达")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert font_size(page) >= normal * 1.3
    page.goto(public_site.at("guide.html"))
    assert "care-mode" in page.evaluate("window.__classesAtBody").split()
    expect(page.locator("button[data-care-toggle]")).to_have_attribute("aria-pressed", "true")
    page.locator("button[data-care-toggle]").focus()
    page.keyboard.press("Space")
    expect(page.locator("button[data-care-toggle]")).to_have_attribute("aria-pressed", "false")
    page.goto(public_site.at("records/edu/enrollment.html"))
    assert "care-mode" not in page.evaluate("window.__classesAtBody").split()
    assert page.evaluate("localStorage.getItem('gov.care-mode')") is None


def test_care_mode_raises_contrast(public_site: Served, public_page: Page) -> None:
    page = public_page
    page.goto(public_site.at("index.html"))
    page.locator("button[data-care-toggle]").click()
    colour = page.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).color")
    assert colour == "rgb(0, 0, 0)"
    underline = page.evaluate(
        "getComputedStyle(document.querySelector('.catalog-table a')).textDecorationLine"
    )
    assert underline == "underline"


def test_the_kiosk_has_no_care_toggle(kiosk_site: Served, kiosk_page: Page) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/index.html"))
    expect(kiosk_page.locator("[data-care-toggle]")).to_have_count(0)


def test_text_size_buttons_persist_and_print_button_prints(
    public_site: Served, public_page: Page
) -> None:
    page = public_page
    page.goto(public_site.at("records/edu/enrollment.html"))
    medium = font_size(page)
    expect(page.locator("[data-text-size=medium]")).to_have_attribute("aria-pressed", "true")
    page.locator("[data-text-size=large]").click()
    assert font_size(page) > medium * 1.15
    page.goto(public_site.at("guide.html"))
    expect(page.locator("[data-text-size=large]")).to_have_attribute("aria-pressed", "true")
    page.locator("[data-text-size=small]").click()
    assert font_size(page) < medium
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("[data-print]").click()
    assert page.evaluate("window.__printed") is True
    page.locator("[data-text-size=medium]").click()
    assert page.evaluate("localStorage.getItem('gov.text-size')") is None
