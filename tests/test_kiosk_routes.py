"""Kiosk link rerouting and its own pages (#15), without a browser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content.validate import check_content
from generator.core.settings import Settings
from generator.kiosk.bundle import kiosk_pages, plan_kiosk_pages
from generator.kiosk.routes import kiosk_target, reroute_links
from generator.pages.plan import plan_pages
from tests.page_texts import render_pages

FIXTURE = Path(__file__).parent / "fixtures" / "site"


def test_keyboard_and_print_pages_map_to_kiosk_pages_or_text() -> None:
    assert kiosk_target("browse.html") == "kiosk/index.html"
    assert kiosk_target("apply-form.html") == "kiosk/apply.html"
    assert kiosk_target("categories/policies/index.html") == "kiosk/categories/policies/index.html"
    assert kiosk_target("departments/edu/page-2.html") == "kiosk/departments/edu.html"
    assert kiosk_target("print/all.html") == ""
    assert kiosk_target("records/edu/enrollment.html") is None
    assert kiosk_target("guide.html") is None


def test_links_are_rewritten_relative_to_the_page() -> None:
    text = (
        '<a href="../search.html?q=%E5%85%A5">检索</a> <a href="../apply-form.html">申请表</a> '
        '<a href="../print/all.html">打印版</a> <a href="../guide.html#a">指南</a>'
    )
    assert reroute_links(text, "records/x.md") == (
        '<a href="../kiosk/search.html?q=%E5%85%A5">检索</a> <a href="../kiosk/apply.html">申请表</a> '
        '<span class="kiosk-offline-link">打印版</span> <a href="../guide.html#a">指南</a>'
    )


def test_kiosk_record_pages_open_attachments_in_the_viewer() -> None:
    catalog = check_content(Settings(content_dir=FIXTURE, today=date(2024, 7, 1))).catalog
    assert catalog is not None
    specs = plan_pages(catalog) + plan_kiosk_pages(catalog, FIXTURE)
    pages = kiosk_pages(catalog, render_pages(catalog, specs))
    record = pages["records/office/policies/measures-2024.md"]
    viewer = "../../../kiosk/files/office/policies/files/measures-2024.pdf.html"
    assert f'<a class="kiosk-action kiosk-action--file" href="{viewer}">查看</a>' in record
    page = pages["kiosk/files/office/policies/files/measures-2024.pdf.md"]
    assert "measures-2024.pdf.page-1.png" in page and "data:image/svg+xml" in page
    assert "kiosk/departments/edu.md" in pages and "kiosk/apply.md" in pages
    assert "Ctrl" not in pages["kiosk/apply.md"]
    home = pages["kiosk/index.md"]
    assert 'href="departments/index.html"' in home and 'href="apply.html"' in home


def test_attachment_pages_become_images_once(tmp_path: Path) -> None:
    from PIL import Image

    from generator.kiosk.routes import write_attachment_images

    catalog = check_content(Settings(content_dir=FIXTURE, today=date(2024, 7, 1))).catalog
    assert catalog is not None
    site = tmp_path / "site"
    source = FIXTURE / "departments/office/policies/files/measures-2024.pdf"
    target = site / "files/office/policies/files/measures-2024.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(source.read_bytes())
    images = write_attachment_images(catalog, site, tmp_path / "cache")
    assert [p.name for p in images] == ["measures-2024.pdf.page-1.png"]
    assert Image.open(images[0]).width == 1000
    cached = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    assert write_attachment_images(catalog, site, tmp_path / "cache") == images
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == cached
