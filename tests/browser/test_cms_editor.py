"""The browser editor in Chromium with the real Decap bundle: a clerk lists the department's
records, creates one typing Chinese through the IME composition path, attaches a file and saves;
the saved record validates after `catalog tidy`, and no request leaves 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, CDPSession, Page, expect

from generator.cms.admin import read_editors, write_admin
from generator.cms.config import Forge
from generator.cms.edit_server import make_edit_server
from generator.cms.gitstore import GitStore
from generator.cms.submit import submit
from generator.content.validate import check_content
from generator.workflow.tidy import tidy_changed
from tests.browser.conftest import DESKTOP, Watch, open_page, screenshot
from tests.cms_repo import (
    PDF,
    FakeForge,
    forge_api,  # noqa: F401 (a fixture)
    git,
    make_repo,
    settings_for,
)

TITLE = "青禾区教育局关于做好2024年暑期托管服务的通知"


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    content = make_repo(tmp_path / "repo")
    editors = read_editors(settings_for(content), Forge())
    write_admin(editors, tmp_path / "admin", "edu")
    store = GitStore(editors.repo_root, "main", "content/departments/edu", "cms/edu/")
    server = make_edit_server(tmp_path / "admin", store)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/edu/", tmp_path / "repo"
    server.shutdown()
    server.server_close()


def type_chinese(page: Page, cdp: CDPSession, selector: str, pinyin: str, text: str) -> None:
    """The pinyin pre-edit key by key (compositionstart/update), then the Hanzi (compositionend)."""
    page.click(selector)
    for end in range(1, len(pinyin) + 1):
        cdp.send(
            "Input.imeSetComposition",
            {"text": pinyin[:end], "selectionStart": end, "selectionEnd": end},
        )
    cdp.send("Input.insertText", {"text": text})


def test_clerk_creates_a_record_in_chinese_that_validates_after_tidy(
    browser: Browser,
    watch: Watch,
    editor: tuple[str, Path],
    tmp_path: Path,
    forge_api: str,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The clerk's whole path: catalog edit, the form in Chinese, save, catalog submit, and the
    pull request's branch validates after catalog tidy (as CI runs it)."""
    url, repo = editor
    context, page = open_page(browser, watch, viewport=DESKTOP)
    cdp = context.new_cdp_session(page)
    page.goto(url)
    page.get_by_role("button", name="登录").click()
    for title in ("关于做好 2022 年秋季学期开学工作的通知", "青禾区教育局政务公开监督投诉渠道"):
        expect(page.get_by_text(title, exact=False)).to_be_visible(timeout=30_000)
    screenshot(page, "cms-list")

    page.get_by_text("＋ 一条信息").click()
    page.wait_for_selector("[id^=title-field]")
    type_chinese(page, cdp, "[id^=title-field]", "qinghequ", TITLE)
    page.click("[id^=category-field]")
    page.keyboard.insert_text("政策文件")
    page.keyboard.press("Enter")
    type_chinese(
        page, cdp, "[id^=summary-field]", "mingque", "明确暑期托管服务的对象、时间、内容和收费。"
    )
    page.fill("[id^=written-field]", "2024-06-10")
    page.fill("[id^=published-field]", "2024-06-12")
    type_chinese(
        page, cdp, "[id^=body-field]", "gezhongxiaoxue", "各中小学：现将有关事项通知如下。"
    )

    pdf = tmp_path / "报名表.pdf"
    pdf.write_bytes(PDF)
    page.get_by_role("button", name="新增附件").click()
    page.get_by_role("button", name="选择文件").first.click()
    page.set_input_files("input[type=file]", str(pdf))
    page.get_by_role("button", name="选用已选中项目").click()
    attachment_title = page.locator("[id^=title-field]").last
    type_chinese(page, cdp, f"#{attachment_title.get_attribute('id')}", "baoming", "暑期托管报名表")
    expect(page.locator("[id^=title-field]").first).to_have_value(TITLE)
    screenshot(page, "cms-form")

    page.get_by_role("button", name="发布").click()
    page.get_by_text("立即发布").click()
    branch = "cms/edu/qing-he-qu-jiao-yu-ju-guan-yu-zuo-hao"
    expect(page.get_by_text("含未保存的修改")).to_have_count(0, timeout=30_000)
    context.close()

    assert git(repo, "branch", "--list", "cms/*").split() == [branch]
    saved = git(repo, "show", f"{branch}:content/departments/edu/2026/{TITLE}.md")
    assert f"title: {TITLE}" in saved and "file: files/报名表.pdf" in saved
    assert "各中小学：现将有关事项通知如下。" in saved

    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(repo, "remote", "add", "origin", str(tmp_path / "remote.git"))
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    forge = Forge(type="github", repo="gkk/catalog")
    store = GitStore(repo, "main", "content", "cms/")
    (submitted,) = submit(store, forge, "origin", forge_api)
    assert submitted.pull_request and FakeForge.received[0]["head"] == branch
    assert FakeForge.received[0]["title"] == f"网页编辑：{TITLE}"

    git(repo, "switch", "-q", branch)  # what the CI job on the editor branch does
    settings = settings_for(repo / "content")
    (tidied,) = tidy_changed(settings, "main")
    assert tidied.id == "11339901MB1C0475XN/2024-00031"
    assert tidied.target.parent.name == "2024"
    result = check_content(settings)
    assert result.ok, [p.message for p in result.problems]
    assert result.catalog is not None
    assert TITLE in [r.title for r in result.catalog.records]


def test_the_editor_is_not_in_the_built_site_or_kiosk(sites: dict[str, Path]) -> None:
    for site in sites.values():
        names = {p.name for p in site.rglob("*")}
        assert "decap-cms.js" not in names and "config.yml" not in names
        assert not (site / "admin").exists()


def test_editing_a_published_record_changes_only_what_the_clerk_changed(
    browser: Browser, watch: Watch, editor: tuple[str, Path]
) -> None:
    url, repo = editor
    context, page = open_page(browser, watch, viewport=DESKTOP)
    cdp = context.new_cdp_session(page)
    page.goto(url)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("关于做好 2022 年秋季学期开学工作的通知").click()
    page.wait_for_selector("[id^=body-field]")
    page.click("[id^=body-field]")
    page.keyboard.press("Control+End")
    type_chinese(page, cdp, "[id^=body-field]", "buchong", "补充一句。")
    page.get_by_role("button", name="发布").click()
    page.get_by_text("立即发布").click()
    expect(page.get_by_text("含未保存的修改")).to_have_count(0, timeout=30_000)
    context.close()

    git(repo, "switch", "-q", "cms/edu/notice-2022")
    tidy_changed(settings_for(repo / "content"), "main")
    diff = git(repo, "diff", "--unified=0", "main", "--", "content")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert changed == ["+补充一句。"]  # the body ends with a newline: a line of its own
