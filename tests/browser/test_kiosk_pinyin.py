"""The kiosk keyboard's pinyin candidate bar: Chinese input by tapping, with or without the
search service for the candidates."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import Served, screenshot
from tests.browser.test_kiosk_ui import small_targets, tap


def type_on_keyboard(page: Page, letters: str) -> None:
    for key in letters:
        tap(page, f'.kiosk-key[data-key="{key}"]')


def test_typing_dibao_offers_dibao_and_a_tap_finds_its_records(
    kiosk_site: Served, kiosk_page: Page
) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/search.html"))
    type_on_keyboard(kiosk_page, "dibao")
    candidate = kiosk_page.locator(".kiosk-candidate", has_text="低保")
    expect(candidate.first).to_be_visible()
    expect(kiosk_page.locator(".kiosk-candidate").first).to_contain_text("低保")
    screenshot(kiosk_page, "kiosk-pinyin-candidates")
    candidate.first.tap()
    expect(kiosk_page.locator("#kiosk-q")).to_have_value("低保")
    expect(kiosk_page.locator("#kiosk-candidates")).to_be_hidden()
    record = kiosk_page.locator(".kiosk-record", has_text="城乡最低生活保障资金发放情况")
    expect(record).to_have_count(1)
    assert small_targets(kiosk_page) == []
    screenshot(kiosk_page, "kiosk-pinyin-results")


def test_candidates_come_from_the_static_file_without_the_service(
    kiosk_site: Served, kiosk_page: Page
) -> None:
    asked: list[str] = []

    def no_service(route: Route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=404, content_type="text/html", body="not here")

    kiosk_page.route("**/api/pinyin*", no_service)
    kiosk_page.goto(kiosk_site.at("kiosk/search.html"))
    type_on_keyboard(kiosk_page, "db")
    expect(kiosk_page.locator(".kiosk-candidate").first).to_contain_text("低保")
    assert asked


def test_the_printed_example_is_offered_by_the_bar(kiosk_site: Served, kiosk_page: Page) -> None:
    kiosk_page.goto(kiosk_site.at("kiosk/search.html"))
    help_text = kiosk_page.locator(".kiosk-search__help").inner_text()
    word = help_text.split("“")[1].split("”")[0]
    initials = help_text.split(" 或 ")[1].split("）")[0]
    type_on_keyboard(kiosk_page, initials.lower())
    expect(kiosk_page.locator(".kiosk-candidate", has_text=word).first).to_be_visible()
