"""目录检索 (the catalog browser) reads keywords as the served search reads a query: 文号
brackets, several words (all required), question words, a date range, an honest empty state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, screenshot


def browse(page: Page, site: Served, fragment: str = "") -> None:
    page.goto(site.at("browse.html" + fragment))
    expect(page.locator(".cb-status")).not_to_have_text("正在加载目录数据……")


def titles(page: Page) -> list[str]:
    return page.locator(".cb-table tbody .cb-title a").all_inner_texts()


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("教发[2022]", "关于做好 2022 年秋季学期开学工作的通知"),  # brackets as typed on a keyboard
        ("青教发（2022）第07号", "关于做好 2022 年秋季学期开学工作的通知"),
        ("2022年 开学", "关于做好 2022 年秋季学期开学工作的通知"),  # two words, spaces in the title
        ("新生入学怎么办", "青禾区义务教育阶段新生入学办事指南"),  # a question
    ],
)
def test_keywords_are_read_like_the_search(
    public_site: Served, public_page: Page, typed: str, title: str
) -> None:
    browse(public_page, public_site)
    public_page.fill("#cb-q", typed)
    expect(public_page.locator(".cb-table tbody .cb-title a").first).to_have_text(title)
    assert title in titles(public_page)


def test_every_word_is_required(public_site: Served, public_page: Page) -> None:
    browse(public_page, public_site)
    public_page.fill("#cb-q", "开学 办事指南")
    expect(public_page.locator(".cb-status")).to_contain_text("没有标题、文号或索引号同时包含")
    expect(public_page.locator(".cb-status")).not_to_contain_text("筛选条件")
    expect(public_page.locator(".cb-table")).to_be_hidden()


def test_date_range_narrows_and_says_so_when_empty(public_site: Served, public_page: Page) -> None:
    browse(public_page, public_site, "#from=2024-05-01&to=2024-05-31")
    dated = public_page.locator(".cb-table tbody .cb-date").all_inner_texts()
    assert dated and all("2024-05-01" <= day <= "2024-05-31" for day in dated)
    screenshot(public_page, "catalog-browser-date-range")
    public_page.fill("#cb-q", "开学")
    expect(public_page.locator(".cb-status")).to_contain_text("在所选条件下没有符合的信息")


def test_the_form_fits_a_phone(public_site: Served, public_page: Page) -> None:
    public_page.set_viewport_size({"width": 360, "height": 780})
    browse(public_page, public_site)
    overflow = public_page.evaluate("document.documentElement.scrollWidth - innerWidth")
    screenshot(public_page, "catalog-browser-360")
    assert overflow <= 0
