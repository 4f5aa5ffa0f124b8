"""The kiosk has no dead ends: every page reachable by taps from the kiosk home is a kiosk page
(the kiosk bar, text ≥ 20 px, touch targets ≥ 60 px, the on-screen keyboard on every text
field). The crawl follows every link of every page it reaches, as a visitor tapping would."""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Served, screenshot
from tests.browser.test_kiosk_ui import MIN_TARGET, MIN_TEXT, SMALLEST_TEXT

pytestmark = pytest.mark.browser

MAX_PAGES = 400
# Links and buttons a finger must hit, outside the running text of a record (a link inside a
# sentence is as tall as its line; the record pages make those lines taller instead).
SMALL_TARGETS = """(min) => [...document.querySelectorAll("a[href], button, input, select, summary")]
  .filter(e => e.getClientRects().length && !e.closest("[hidden], .md-header, .md-sidebar, .md-tabs, .md-footer, .visually-hidden, .record-body, p, li:not([class])"))
  .map(e => { const r = e.getBoundingClientRect(); return [(e.className || e.tagName) + " " + e.textContent.trim().slice(0, 10), r.width, r.height]; })
  .filter(([, w, h]) => Math.min(w, h) < min)
  .map(([name, w, h]) => `${name}: ${Math.round(w)}×${Math.round(h)}`)"""
FIELDS_WITHOUT_KEYBOARD = """() => [...document.querySelectorAll("input, textarea")]
  .filter(f => f.getClientRects().length && !["button", "submit", "checkbox", "radio", "hidden"].includes(f.type))
  .filter(f => !(f.readOnly && f.inputMode === "none" && document.querySelector(".kiosk-keyboard")))
  .map(f => f.id || f.name || f.className)"""
LINKS = """() => [...document.querySelectorAll("a[href]")]
  .filter(a => a.getClientRects().length && !a.closest("[hidden]"))
  .map(a => a.href)"""


def problems_of(page: Page) -> list[str]:
    found = []
    if not page.locator("[data-kiosk-bar]").count():
        found.append("不是一体机页面（没有一体机导航栏）")
    smallest, where = page.evaluate(SMALLEST_TEXT)
    if smallest < MIN_TEXT:
        found.append(f"文字 {smallest:.1f}px < {MIN_TEXT}px（{where}）")
    small = page.evaluate(SMALL_TARGETS, MIN_TARGET)
    if small:
        found.append("触摸目标过小：" + "；".join(small[:4]))
    fields = page.evaluate(FIELDS_WITHOUT_KEYBOARD)
    if fields:
        found.append("输入框没有屏幕键盘：" + "、".join(fields))
    return found


def test_every_page_reachable_from_the_kiosk_home_is_a_kiosk_page(
    kiosk_site: Served, kiosk_page: Page
) -> None:
    start = kiosk_site.at("kiosk/index.html")
    origin = urlsplit(start).netloc
    queue, seen, dead_ends = deque([start]), {start}, {}
    while queue and len(seen) <= MAX_PAGES:
        url = queue.popleft()
        response = kiosk_page.goto(url)
        path = url.removeprefix(kiosk_site.url)
        if response is None or not response.ok:
            dead_ends[path] = [f"HTTP {response.status if response else '无响应'}"]
            continue
        if found := problems_of(kiosk_page):
            dead_ends[path] = found
        for href in kiosk_page.evaluate(LINKS):
            target = urldefrag(urljoin(url, href))[0]
            if urlsplit(target).netloc == origin and target not in seen:
                seen.add(target)
                queue.append(target)
    assert len(seen) > 20, "爬取的页面太少"
    report = "\n".join(f"{path}: {'；'.join(found)}" for path, found in sorted(dead_ends.items()))
    assert not dead_ends, f"{len(dead_ends)} 个页面不是一体机页面：\n{report}"


def test_an_attachment_opens_as_page_images_with_a_qr_code_of_the_file(
    kiosk_site: Served, kiosk_page: Page
) -> None:
    kiosk_page.goto(kiosk_site.at("records/office/policies/measures-2024.html"))
    view = kiosk_page.locator(".record-attachments a.kiosk-action--file")
    assert view.count() == 1
    with kiosk_page.expect_navigation():
        view.tap()
    images = kiosk_page.locator(".kiosk-attachment__page img")
    assert images.count() >= 1
    images.first.scroll_into_view_if_needed()
    kiosk_page.wait_for_function(
        "() => [...document.querySelectorAll('.kiosk-attachment__page img')]"
        ".every(i => i.complete && i.naturalWidth >= 800)"
    )
    qr = kiosk_page.locator(".kiosk-qr__url").text_content() or ""
    assert qr.endswith("/files/office/policies/files/measures-2024.pdf")
    screenshot(kiosk_page, "kiosk-attachment")


def test_home_offers_departments_and_a_paper_application(
    kiosk_site: Served, kiosk_page: Page
) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/index.html"))
    with kiosk_page.expect_navigation():
        kiosk_page.locator(".kiosk-action", has_text="按部门浏览").tap()
    with kiosk_page.expect_navigation():
        kiosk_page.locator(".kiosk-tile", has_text="青禾区教育局").tap()
    with kiosk_page.expect_navigation():
        kiosk_page.locator(".kiosk-tile").first.tap()
    assert kiosk_page.locator(".kiosk-record").count() >= 1
    screenshot(kiosk_page, "kiosk-department-records")
    kiosk_page.goto(kiosk_site.at("kiosk/index.html"))
    with kiosk_page.expect_navigation():
        kiosk_page.locator(".kiosk-action", has_text="依申请公开").tap()
    text = kiosk_page.locator("article").text_content() or ""
    assert "领取纸质申请表" in text and "Ctrl" not in text
    screenshot(kiosk_page, "kiosk-apply")
