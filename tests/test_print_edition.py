"""Print editions (#15): the A4 catalog per department and for the whole catalog, the guide and
the 公告栏 sheet, as HTML and as PDFs that open and list every record; without a PDF engine, the
HTML edition and a Chinese notice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pypdfium2
import pytest

from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.core.settings import Settings
from generator.outputs import print_edition
from generator.outputs.print_edition import plan_print_editions, write_print_editions

FIXTURE = Path(__file__).parent / "fixtures" / "site"
TODAY = date(2024, 7, 1)
GUIDE_PAGE = (
    '<html><body><article class="md-content__inner md-typeset"><h1>公开指南</h1>'
    '<h2 id="a">一、政府信息公开工作机构<a class="headerlink" href="#a">¶</a></h2>'
    '<p>工作机构：<a href="x.html">政务公开科</a></p></article></body></html>'
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    checked = check_content(Settings(content_dir=FIXTURE, today=TODAY))
    assert checked.catalog is not None
    return checked.catalog


def pdf_text(path: Path) -> tuple[int, str]:
    document = pypdfium2.PdfDocument(path)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    return len(document), text.replace("\r", "").replace("\n", "")


def site_with_guide(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "guide.html").write_text(GUIDE_PAGE, encoding="utf-8")
    return root


def test_editions_list_every_record_of_their_scope(catalog: Catalog) -> None:
    editions = {e.name: e.html for e in plan_print_editions(catalog, "<p>指南正文</p>")}
    assert set(editions) == {"all", "guide", "bulletin"} | {
        f"departments/{d}" for d in catalog.departments
    }
    for record in catalog.records:
        assert record.id in editions["all"]
        assert record.id in editions[f"departments/{record.department}"]
    assert "指南正文" in editions["all"] and "指南正文" in editions["guide"]
    assert (
        "<style" not in editions["all"]
        and 'href="../print-edition.css"' in editions["departments/edu"]
    )
    assert "target-counter" in print_edition.STYLE and "counter(pages)" in print_edition.STYLE
    assert "<dt>印制日期</dt><dd>2024-07-01</dd>" in editions["all"]


def test_bulletin_holds_the_last_month_only(catalog: Catalog) -> None:
    bulletin = next(e.html for e in plan_print_editions(catalog, "") if e.name == "bulletin")
    recent = [r for r in catalog.records if (TODAY - r.published).days < 31]
    older = [r for r in catalog.records if (TODAY - r.published).days >= 31]
    assert recent and older
    assert all(r.id in bulletin for r in recent)
    assert not any(r.id in bulletin for r in older)


def test_pdfs_open_with_page_numbers_and_every_record(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tests/conftest.py turns PDFs off for the other builds.
    monkeypatch.delenv("CATALOG_PRINT_PDF", raising=False)
    if print_edition.pdf_converter() is None:
        pytest.fail("没有 PDF 引擎：请安装 WeasyPrint 所需的 libpango-1.0-0 libpangoft2-1.0-0")
    site = site_with_guide(tmp_path / "site")
    written = write_print_editions(catalog, site, cache_dir=tmp_path / "cache")
    assert site / "print" / "all.pdf" in written
    pages, text = pdf_text(site / "print" / "all.pdf")
    assert pages >= 3
    assert f"共 {pages} 页" in text  # the page footer
    for record in catalog.records:
        assert record.id in text, record.id
    assert "政府信息公开工作机构" in text and "¶" not in text
    pages, text = pdf_text(site / "print" / "bulletin.pdf")
    assert pages == 1 and "公告栏" in text
    html = (site / "print" / "departments" / "edu.html").read_text(encoding="utf-8")
    assert 'href="edu.pdf"' in html
    # A second build with the same editions converts nothing: every PDF comes from the cache.
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    write_print_editions(catalog, site, cache_dir=tmp_path / "cache")
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == before
    # The next day only the 公告栏 sheet (its month moved) may be converted again.
    write_print_editions(
        replace(catalog, today=TODAY + timedelta(days=1)), site, tmp_path / "cache"
    )
    assert len(set((tmp_path / "cache").iterdir()) - set(before)) <= 1
    assert "<dd>2024-07-02</dd>" in (site / "print" / "all.html").read_text(encoding="utf-8")
    assert "印制日期 2024-07-02" in (site / "print" / "print-edition.css").read_text("utf-8")


def test_without_a_pdf_engine_the_html_edition_says_how_to_print(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(print_edition, "pdf_converter", lambda: None)
    site = site_with_guide(tmp_path / "site")
    written = write_print_editions(catalog, site)
    assert written and all(p.suffix in (".html", ".css") for p in written)
    html = (site / "print" / "all.html").read_text(encoding="utf-8")
    assert "本次构建没有生成 PDF" in html and ".pdf" not in html
