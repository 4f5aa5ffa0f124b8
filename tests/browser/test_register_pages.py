"""依申请公开 in Chromium: the letters print on A4 and read on a phone; the application page's
phone and e-mail are links."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.core.settings import REPO_ROOT, Settings
from generator.register.letters import render_letter
from generator.register.model import Application, Event
from generator.register.workspace import open_workspace
from tests.browser.conftest import Served, Watch, open_page, screenshot

pytestmark = pytest.mark.browser


def letter_html(tmp_path: Path, *events: Event) -> str:
    workspace = open_workspace(tmp_path / "register", Settings(content_dir=REPO_ROOT / "content"))
    app = Application(
        id="2025-0042",
        body="government",
        channel="邮寄",
        received=date(2025, 9, 26),
        received_basis="签收之日",
        applicant_type="自然人",
        name="欧阳明珠",
        contact="13912345678",
        subject="青禾大道东延段道路工程的建设工程规划许可证及其附图、附件",
        form="纸质，邮寄",
        events=events,
    )
    return render_letter(workspace, app).html


def pdf_pages(page: Page) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))


def test_an_answer_prints_on_one_a4_page(browser: Browser, watch: Watch, tmp_path: Path) -> None:
    answered = Event(
        "answered",
        date(2025, 10, 28),
        outcome="unavailable_not_held",
        party="青禾市自然资源和规划局",
        note="本机关已将你的申请情况告知该局",
    )
    context, page = open_page(browser, watch)
    page.set_content(letter_html(tmp_path, answered))
    assert pdf_pages(page) == 1
    long_note = replace(answered, note="说明文字。" * 400)
    page.set_content(letter_html(tmp_path, long_note))
    assert pdf_pages(page) >= 2  # the count is real: a long letter runs on
    page.emulate_media(media="print")
    assert not page.locator(".screen-note").is_visible()
    context.close()


@pytest.mark.parametrize("width", [360, 390])
def test_a_letter_reads_on_a_phone(
    browser: Browser, watch: Watch, tmp_path: Path, width: int
) -> None:
    extension = Event("extension_approved", date(2025, 10, 20), days=20, reason="需调取档案")
    context, page = open_page(browser, watch, viewport={"width": width, "height": 800})
    page.set_content(letter_html(tmp_path, extension))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('p.to')).fontSize)")
    assert font >= 16
    screenshot(page, f"letter-{width}")
    context.close()


def test_the_application_page_links_phone_and_email(public_site: Served, public_page: Page) -> None:
    public_page.goto(public_site.at("apply.html"))
    rows = public_page.locator(".office-info th").all_inner_texts()
    assert rows == ["当面提交", "邮寄", "传真", "电子邮件", "咨询电话"]
    assert public_page.locator('article a[href="tel:0999-86601010"]').first.is_visible()
    assert public_page.locator('article a[href="mailto:gkk@qinghe.gov.example"]').first.is_visible()
    assert "暂不提供在线申请" in public_page.inner_text("article")
    public_page.goto(public_site.at("apply-form.html"))
    assert public_page.get_by_text("填表说明").is_visible()
    screenshot(public_page, "apply-form")
