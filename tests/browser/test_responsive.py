"""No page of any kind scrolls sideways on a phone, a tablet or a desktop, in normal and 关怀版
mode, on the public site and at the kiosk; below 600 px listings read as cards.

``KIOSK_SCREENSHOTS=DIR`` keeps a full-page screenshot of every page at every width (to look at).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Served, Watch, open_page, screenshot

pytestmark = pytest.mark.browser

WIDTHS = (360, 390, 768, 1280)
# One page of every kind the public site has.
PUBLIC_PAGES = (
    "index.html",
    "guide.html",
    "apply.html",
    "apply-form.html",
    "reports.html",
    "browse.html",
    "search.html?q=入学",
    "supervision.html",
    "art20.html",
    "art20/1/index.html",
    "categories/index.html",
    "categories/policies/index.html",
    "categories/services/index.html",
    "departments/index.html",
    "departments/edu/index.html",
    "years/index.html",
    "years/2024/index.html",
    "records/office/policies/measures-2024.html",
    "records/edu/enrollment.html",
    "records/edu/supervision.html",
    "records/civil-affairs/dibao.html",
    "contribute.html",
    "rules/index.html",
    "print/index.html",
    "print/all.html",
    "interpretations/index.html",
    "subscribe.html",
    "404.html",
)
KIOSK_PAGES = (
    "kiosk/index.html",
    "kiosk/categories/policies/index.html",
    "kiosk/categories/policies/office/index.html",
    "kiosk/departments/index.html",
    "kiosk/search.html?q=xsrx",
    "kiosk/apply.html",
    "kiosk/departments/edu.html",
    "kiosk/files/office/policies/files/measures-2024.pdf.html",
    "guide.html",
    "records/office/policies/measures-2024.html",
)
OVERFLOW = """() => {
  const width = window.innerWidth, html = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1
                 && !e.closest(".md-sidebar, .md-nav, [hidden], .visually-hidden"))
    .slice(0, 4).map(e => (e.className || e.tagName) + ":" + Math.round(e.getBoundingClientRect().right));
  return [html.scrollWidth, width, wide];
}"""


def overflow(page: Page) -> str:
    scroll, width, wide = page.evaluate(OVERFLOW)
    return "" if scroll <= width else f"scrollWidth {scroll} > {width}: {', '.join(wide)}"


def visit(page: Page, url: str, *, care: bool) -> None:
    page.goto(url)
    if care:
        page.evaluate("localStorage.setItem('gov.care-mode', 'on')")
        page.reload()
    if "browse.html" in url:
        page.locator("#catalog-browser table, #catalog-browser li").first.wait_for()
    if "search.html" in url:
        page.wait_for_timeout(300)


def shot_name(site: str, path: str, width: int, care: bool) -> str:
    stem = path.split("?")[0].removesuffix(".html").replace("/", "_")
    return f"{site}-{stem}-{width}{'-care' if care else ''}"


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_fit_the_screen(
    public_site: Served, browser: Browser, watch: Watch, width: int, care: bool
) -> None:
    context, page = open_page(
        browser, watch, viewport={"width": width, "height": 800}, has_touch=width < 1000
    )
    wide = {}
    for path in PUBLIC_PAGES:
        visit(page, public_site.at(path), care=care)
        if problem := overflow(page):
            wide[path] = problem
        screenshot(page, shot_name("public", path, width, care))
    context.close()
    assert wide == {}


@pytest.mark.parametrize("width", (360, 390, 768, 1080))
def test_kiosk_pages_fit_the_screen(
    kiosk_site: Served, browser: Browser, watch: Watch, width: int
) -> None:
    context, page = open_page(
        browser, watch, viewport={"width": width, "height": 1200}, has_touch=True
    )
    wide = {}
    for path in KIOSK_PAGES:
        page.goto(kiosk_site.at(path))
        if problem := overflow(page):
            wide[path] = problem
        screenshot(page, shot_name("kiosk", path, width, False))
    context.close()
    assert wide == {}


def test_listing_rows_become_cards_on_a_phone(
    public_site: Served, browser: Browser, watch: Watch
) -> None:
    context, page = open_page(browser, watch, viewport={"width": 390, "height": 800})
    page.goto(public_site.at("categories/policies/index.html"))
    row = page.locator(".catalog-table tbody tr").first
    title = row.locator(".col-title").bounding_box()
    ident = row.locator(".col-id").bounding_box()
    assert title and ident
    assert title["y"] < ident["y"], "卡片应先显示标题"
    head = page.locator(".catalog-table thead").bounding_box()
    assert head and head["width"] <= 1, "卡片不显示表头"
    page.goto(public_site.at("records/office/policies/measures-2024.html"))
    first, second = (page.locator(".record-meta-table th").nth(i).bounding_box() for i in (0, 1))
    assert first and second and second["y"] > first["y"], "元数据在手机上应一项一行（定义列表）"
    context.close()


def test_a_missing_page_gets_the_chinese_404_with_the_site_header(
    public_site: Served, browser: Browser, watch: Watch
) -> None:
    context, page = open_page(browser, watch, viewport={"width": 390, "height": 800})
    response = page.goto(public_site.at("records/edu/no-such-record.html"))
    assert response is not None and response.status == 404
    assert page.locator("h1").text_content() == "页面不存在"
    assert page.locator(".gov-band__name").text_content() == "青禾区人民政府"
    band = page.evaluate("getComputedStyle(document.querySelector('.gov-band')).backgroundImage")
    assert "gradient" in band, "404 页面的样式表没有加载"
    with page.expect_navigation():
        page.locator("article a", has_text="政府信息公开首页").click()
    assert page.url == public_site.at("index.html")
    context.close()
