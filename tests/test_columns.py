"""The columns beyond the catalog listings (#15): 政府信息公开制度, 政策解读, 订阅与下载, the 404
page, the 备注说明 of empty columns and the guide's 公报 sentence, on the fixture catalog."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from generator.content.validate import check_content
from generator.core.records import Catalog, EmptyNotes, Gazette
from generator.core.settings import Settings
from generator.pages.plan import plan_pages
from tests.page_texts import render_pages

FIXTURE = Path(__file__).parent / "fixtures" / "site"
TODAY = date(2024, 7, 1)
LEGAL_BASIS = "《中华人民共和国政府信息公开条例》第二十条、第二十六条"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    checked = check_content(Settings(content_dir=FIXTURE, today=TODAY))
    assert checked.catalog is not None
    return checked.catalog


def pages_of(catalog: Catalog) -> dict[str, str]:
    return render_pages(catalog, plan_pages(catalog))


def without(catalog: Catalog, category: str) -> Catalog:
    return replace(catalog, records=tuple(r for r in catalog.records if r.category != category))


def test_an_empty_category_says_so_with_the_legal_basis_by_default(catalog: Catalog) -> None:
    page = pages_of(without(catalog, "services"))["categories/services/index.md"]
    assert "本栏目暂无信息" in page
    assert LEGAL_BASIS in page and "20 个工作日" in page
    assert "catalog-table" not in page


def test_empty_notes_of_site_yml_win_department_over_category_over_default(
    catalog: Catalog,
) -> None:
    notes = EmptyNotes(
        default="默认说明。",
        categories={"services": "本机关无行政许可事项。"},
        departments={"edu": "教育局信息由区政府办公室统一发布。"},
    )
    site = replace(catalog.site, empty_notes=notes)
    empty = replace(catalog, site=site, records=())
    pages = pages_of(empty)
    assert "备注说明：本机关无行政许可事项。" in pages["categories/services/index.md"]
    assert "备注说明：默认说明。" in pages["categories/policies/index.md"]
    assert "备注说明：教育局信息由区政府办公室统一发布。" in pages["departments/edu/index.md"]
    assert "备注说明：默认说明。" in pages["departments/office/index.md"]


def test_rules_column_lists_the_records_tagged_as_rules(catalog: Catalog) -> None:
    page = pages_of(catalog)["rules/index.md"]
    tagged = [r for r in catalog.records if "政府信息公开制度" in r.keywords]
    assert tagged
    for record in tagged:
        assert record.title in page
    assert page.count('class="col-title"><a') == len(tagged)


def test_interpretations_link_each_to_its_policy(catalog: Catalog) -> None:
    page = pages_of(catalog)["interpretations/index.md"]
    by_id = catalog.by_id()
    interpretations = [r for r in catalog.records if r.interprets]
    assert interpretations
    for record in interpretations:
        policy = by_id[record.interprets or ""]
        assert record.title in page
        assert f'{policy.slug}.html">{policy.title}</a>' in page


def test_subscribe_page_lists_every_feed_and_the_downloads(catalog: Catalog) -> None:
    page = pages_of(catalog)["subscribe.md"]
    for department in catalog.departments.values():
        assert f'href="feeds/{department.id}.xml"' in page
    for target in ("feeds/all.xml", "catalog.csv", "catalog.json", "sitemap.xml"):
        assert f'href="{target}"' in page


def test_not_found_page_is_chinese_and_links_home(catalog: Catalog) -> None:
    page = pages_of(catalog)["404.md"]
    assert 'title: "页面不存在"' in page
    assert 'href="index.html"' in page and catalog.site.office.phone in page


def test_guide_names_the_gazette_only_when_site_yml_configures_one(catalog: Catalog) -> None:
    assert catalog.site.gazette is None
    assert "公报" not in pages_of(catalog)["guide.md"].split("### （三）")[0]
    gazette = Gazette(name="青禾区人民政府公报", note="每月出版")
    with_gazette = replace(catalog, site=replace(catalog.site, gazette=gazette))
    assert "《青禾区人民政府公报》（每月出版）" in pages_of(with_gazette)["guide.md"]


def test_phone_numbers_and_addresses_are_tel_and_mailto_links(catalog: Catalog) -> None:
    pages = pages_of(catalog)
    office = catalog.site.office
    supervision = pages["supervision.md"]
    assert f'<a href="tel:{office.phone}">{office.phone}</a>' in supervision
    assert f'<a href="mailto:{office.email}">{office.email}</a>' in supervision
    edu = catalog.departments["edu"]
    assert f'<a href="tel:{edu.phone}">' in pages["departments/edu/index.md"]
    assert f'<a href="mailto:{edu.email}">' in pages["departments/edu/index.md"]


def test_phone_links_keep_the_wording_around_numbers() -> None:
    from generator.pages.contact_links import email_links, phone_links

    assert str(phone_links("0999-86601010（工作日）、12345")) == (
        '<a href="tel:0999-86601010">0999-86601010</a>（工作日）、<a href="tel:12345">12345</a>'
    )
    assert str(phone_links("<b>无</b>")) == "&lt;b&gt;无&lt;/b&gt;"
    assert (
        str(email_links("信箱 a.b@x.gov.cn"))
        == '信箱 <a href="mailto:a.b@x.gov.cn">a.b@x.gov.cn</a>'
    )
