"""The lobby kiosk as a visitor uses it: taps only, on a portrait (and landscape) touch screen."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.core.records import Catalog
from generator.kiosk.bundle import public_url
from generator.pages.paths import record_page_path
from tests.browser.conftest import LANDSCAPE, PORTRAIT, Served, Watch, open_page, screenshot

pytestmark = pytest.mark.browser

MIN_TARGET = 60  # px, both ways
MIN_TEXT = 20  # px
TARGETS = (
    ".kiosk-bar__button, .kiosk-tile, .kiosk-action, .kiosk-chip, .kiosk-record, .kiosk-key, "
    ".kiosk-pager__button, .kiosk-crumbs a"
)
# The smallest font size of any element that holds text of its own, outside hidden parts.
SMALLEST_TEXT = """() => {
  let smallest = Infinity, where = "";
  for (const node of document.querySelectorAll("body *")) {
    const own = [...node.childNodes].some(c => c.nodeType === 3 && c.textContent.trim());
    if (!own || !node.getClientRects().length || node.closest("[hidden], .md-header, .md-sidebar, .md-tabs, .visually-hidden")) continue;
    const size = parseFloat(getComputedStyle(node).fontSize);
    if (size < smallest) { smallest = size; where = node.className || node.tagName; }
  }
  return [smallest, where];
}"""


def tap(page: Page, selector: str, text: str | None = None) -> None:
    target = page.locator(selector, has_text=text) if text else page.locator(selector)
    target.first.tap()


def go(page: Page, selector: str, text: str | None = None) -> None:
    """Tap something that opens another page, and wait until it has loaded."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        tap(page, selector, text)


def small_targets(page: Page) -> list[str]:
    boxes = page.locator(TARGETS).evaluate_all(
        "els => els.filter(e => e.getClientRects().length).map(e => {"
        " const r = e.getBoundingClientRect();"
        " return [e.className + ' ' + e.textContent.trim().slice(0, 12), r.width, r.height]; })"
    )
    assert boxes, "no touch targets found"
    return [f"{name}: {w:.0f}×{h:.0f}" for name, w, h in boxes if min(w, h) < MIN_TARGET]


def record_titles(catalog: Catalog) -> dict[str, set[str]]:
    titles: dict[str, set[str]] = defaultdict(set)
    for record in catalog.records:
        titles[catalog.categories[record.category].short_name].add(record.title)
    return titles


def test_home_renders_with_bar_tiles_and_hot_keywords(kiosk_site: Served, kiosk_page: Page) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/index.html"))
    expect(kiosk_page.locator("h1")).to_contain_text("政府信息公开自助查询")
    expect(kiosk_page.locator(".kiosk-tile")).to_have_count(9)
    expect(kiosk_page.locator(".kiosk-bar__button")).to_have_text(["首页", "返回", "指南", "检索"])
    expect(kiosk_page.locator(".kiosk-chip")).to_have_text(["入学"])
    viewport = kiosk_page.locator('meta[name="viewport"]').last.get_attribute("content") or ""
    assert "user-scalable=no" in viewport
    assert kiosk_page.evaluate("getComputedStyle(document.documentElement).touchAction") == (
        "manipulation"
    )


def test_root_of_the_bundle_opens_the_kiosk_home(kiosk_site: Served, kiosk_page: Page) -> None:
    kiosk_page.goto(kiosk_site.url)
    assert kiosk_page.url == kiosk_site.at("kiosk/index.html")


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize(
    "path",
    [
        "kiosk/index.html",
        "kiosk/categories/policies/index.html",
        "kiosk/categories/policies/office/index.html",
        "records/office/policies/measures-2024.html",
        "kiosk/search.html?q=xsrx",
        "guide.html",
    ],
)
def test_text_is_large_and_targets_touchable(
    kiosk_site: Served, browser: Browser, watch: Watch, path: str, viewport: dict[str, int]
) -> None:
    context, page = open_page(browser, watch, viewport=viewport, has_touch=True)
    page.goto(kiosk_site.at(path))
    if "search" in path:
        expect(page.locator("#kiosk-results .kiosk-record")).not_to_have_count(0)
    smallest, where = page.evaluate(SMALLEST_TEXT)
    assert smallest >= MIN_TEXT, f"{where}: {smallest}px"
    assert small_targets(page) == []
    name = re.sub(r"\W+", "-", path.split("?")[0].removesuffix(".html"))
    screenshot(page, f"{name}-{viewport['width']}x{viewport['height']}")
    context.close()


def test_a_tile_path_reaches_a_record(
    kiosk_site: Served, kiosk_page: Page, fixture_catalog: Catalog
) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/index.html"))
    go(kiosk_page, ".kiosk-tile", "政策文件")
    go(kiosk_page, ".kiosk-tile", "青禾区人民政府办公室")
    go(kiosk_page, ".kiosk-record", "青禾区政务公开工作办法")
    expect(kiosk_page.locator("h1")).to_have_text("青禾区政务公开工作办法")
    record = next(r for r in fixture_catalog.records if r.title == "青禾区政务公开工作办法")
    address = public_url(fixture_catalog.site, record_page_path(record))
    expect(kiosk_page.locator(".kiosk-qr__url")).to_have_text(address)
    assert kiosk_page.locator(".kiosk-qr img").evaluate("img => img.naturalWidth") > 0
    # The attachment opens in the kiosk's viewer (page images and a QR code of the file).
    expect(kiosk_page.locator("a.kiosk-action--file", has_text="查看")).to_have_count(1)
    go(kiosk_page, ".kiosk-bar__button", "返回")
    expect(kiosk_page.locator("h1")).to_contain_text("青禾区人民政府办公室")


def test_every_category_reaches_all_its_records_by_taps(
    kiosk_site: Served, kiosk_page: Page, fixture_catalog: Catalog
) -> None:
    expected = record_titles(fixture_catalog)
    page = kiosk_page
    page.goto(kiosk_site.at("kiosk/index.html"))
    reached: dict[str, set[str]] = defaultdict(set)
    for category in [t.strip() for t in page.locator(".kiosk-tile__name").all_inner_texts()]:
        go(page, ".kiosk-bar__button", "首页")
        go(page, ".kiosk-tile", category)
        for department in page.locator(".kiosk-tile__name").all_inner_texts():
            go(page, ".kiosk-tile", department)
            for title in page.locator(".kiosk-record__title").all_inner_texts():
                go(page, ".kiosk-record", title)
                expect(page.locator("h1")).to_have_text(title)
                reached[category].add(title)
                go(page, ".kiosk-bar__button", "返回")
            go(page, ".kiosk-bar__button", "返回")
    assert reached == expected


def test_on_screen_keyboard_finds_a_record_by_pinyin_initials(
    kiosk_site: Served, kiosk_page: Page
) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/index.html"))
    go(kiosk_page, ".kiosk-bar__button", "检索")
    for key in "xsrxq":  # 新生入学 + a slip of the finger
        tap(kiosk_page, f'.kiosk-key[data-key="{key}"]')
    tap(kiosk_page, '.kiosk-key[data-action="backspace"]')
    expect(kiosk_page.locator("#kiosk-q")).to_have_value("xsrx")
    tap(kiosk_page, '.kiosk-key[data-action="search"]')
    result = kiosk_page.locator(".kiosk-record", has_text="青禾区义务教育阶段新生入学办事指南")
    expect(result).to_have_count(1)
    screenshot(kiosk_page, "kiosk-search-keyboard")
    with kiosk_page.expect_navigation():
        result.tap()
    expect(kiosk_page.locator("h1")).to_have_text("青禾区义务教育阶段新生入学办事指南")
    go(kiosk_page, ".kiosk-bar__button", "返回")  # back to the same results
    expect(kiosk_page.locator("#kiosk-q")).to_have_value("xsrx")
    expect(result).to_have_count(1)
    tap(kiosk_page, '.kiosk-key[data-action="clear"]')
    expect(kiosk_page.locator("#kiosk-q")).to_have_value("")
    expect(kiosk_page.locator("#kiosk-results .kiosk-record")).to_have_count(0)


def test_digits_find_a_year(kiosk_site: Served, kiosk_page: Page) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/search.html"))
    for key in "2022":
        tap(kiosk_page, f'.kiosk-key[data-key="{key}"]')
    titles = kiosk_page.locator("#kiosk-results .kiosk-record__title")
    expect(titles.first).to_have_text("关于做好 2022 年秋季学期开学工作的通知")


def test_a_hot_keyword_is_one_tap_from_home(kiosk_site: Served, kiosk_page: Page) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/index.html"))
    go(kiosk_page, ".kiosk-chip", "入学")
    expect(kiosk_page.locator("#kiosk-q")).to_have_value("入学")
    expect(kiosk_page.locator(".kiosk-record", has_text="新生入学办事指南")).to_have_count(1)


def test_idle_reset_warns_then_returns_home_and_clears_storage(
    kiosk_site: Served, kiosk_page: Page
) -> None:
    page = kiosk_page
    page.clock.install()
    page.goto(kiosk_site.at("kiosk/search.html?idle=5"))  # a short idle time, kept until reset
    go(page, ".kiosk-bar__button", "首页")
    go(page, ".kiosk-tile", "政策文件")
    page.evaluate("localStorage.setItem('visitor', '1'); sessionStorage.setItem('step', '2')")
    dialog = page.locator("#kiosk-idle")
    page.clock.run_for(4_000)
    expect(dialog).to_be_hidden()
    page.clock.run_for(2_000)
    expect(dialog).to_be_visible()
    countdown = int(page.locator("[data-kiosk-countdown]").inner_text())
    assert countdown >= 20
    page.clock.run_for(3_000)
    assert int(page.locator("[data-kiosk-countdown]").inner_text()) == countdown - 3
    tap(page, ".kiosk-idle__stay")  # 继续浏览
    expect(dialog).to_be_hidden()
    assert page.url.endswith("kiosk/categories/policies/index.html")
    page.clock.run_for(6_000)
    expect(dialog).to_be_visible()
    with page.expect_navigation():
        page.clock.run_for((countdown + 1) * 1000)
    assert page.url == kiosk_site.at("kiosk/index.html")
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    expect(dialog).to_be_hidden()


def test_no_context_menu_and_no_way_out(kiosk_site: Served, kiosk_page: Page) -> None:
    page = kiosk_page
    page.goto(kiosk_site.at("records/office/policies/measures-2024.html"))
    prevented = page.evaluate(
        "() => !document.body.dispatchEvent(new MouseEvent('contextmenu', "
        "{bubbles: true, cancelable: true}))"
    )
    assert prevented
    page.evaluate(
        "() => { const a = document.createElement('a'); a.href = 'https://www.gov.cn/';"
        " a.id = 'away'; a.textContent = '外部'; a.target = '_blank';"
        " document.querySelector('article').prepend(a); }"
    )
    page.locator("#away").tap()
    expect(page.locator(".kiosk-notice")).to_contain_text("二维码")
    assert page.url == kiosk_site.at("records/office/policies/measures-2024.html")
    assert len(page.context.pages) == 1
