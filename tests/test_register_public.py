"""The public side of 依申请公开 names only the channels site.yml configures (apply.channels)."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.core.settings import Settings
from generator.pages.plan import plan_guide, plan_static_pages
from generator.pages.render import tel_href
from tests.page_texts import render_pages

FIXTURE = Path(__file__).parent / "fixtures" / "site"
TODAY = date(2024, 7, 1)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    checked = check_content(Settings(content_dir=FIXTURE, today=TODAY))
    assert checked.catalog is not None
    return checked.catalog


def pages(catalog: Catalog, **apply: object) -> dict[str, str]:
    site = replace(catalog.site, **apply)  # type: ignore[arg-type]
    shown = replace(catalog, site=site)
    specs = [s for s in plan_static_pages(shown) if s.path in ("apply.md", "apply-form.md")]
    return render_pages(shown, [*specs, plan_guide(shown, "")])


def channel_rows(text: str) -> list[str]:
    table = text.split("## 申请渠道", 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row">([^<]+)</th>', table)


def test_sample_site_offers_what_its_office_has(catalog: Catalog) -> None:
    rendered = pages(catalog)
    assert channel_rows(rendered["apply.md"]) == [
        "当面提交",
        "邮寄",
        "传真",
        "电子邮件",
        "咨询电话",
    ]
    assert "暂不提供在线申请" in rendered["apply.md"]
    assert '<a href="tel:0999-86601010">0999-86601010</a>' in rendered["apply.md"]
    assert '<a href="mailto:gkk@qinghe.gov.example">' in rendered["apply.md"]
    assert '<a href="tel:0999-86601010">' in rendered["guide.md"]
    assert "在线申请平台" not in rendered["guide.md"]


def test_only_configured_channels_are_named(catalog: Catalog) -> None:
    rendered = pages(catalog, apply_channels=("当面", "邮寄"))
    assert channel_rows(rendered["apply.md"]) == ["当面提交", "邮寄", "咨询电话"]
    assert "通过当面提交、邮寄的方式" in rendered["guide.md"]
    assert "电子邮件" not in rendered["apply.md"].split("## 申请渠道")[1].split("</table>")[0]
    steps = rendered["guide.md"].split("<strong>提出申请。</strong>")[1].split("</li>")[0]
    assert "电子邮件" not in steps and "传真" not in steps
    assert "传真：" not in rendered["apply-form.md"]
    assert "可以当面提交、邮寄，" in rendered["apply-form.md"]


def test_an_online_platform_is_linked(catalog: Catalog) -> None:
    url = "https://ysqgk.qinghe.gov.example/apply"
    rendered = pages(catalog, apply_channels=("网络", "邮寄"), apply_online_url=url)
    assert channel_rows(rendered["apply.md"]) == ["在线申请", "邮寄", "咨询电话"]
    assert f'<a href="{url}">{url}</a>' in rendered["apply.md"]
    assert "暂不提供在线申请" not in rendered["apply.md"] + rendered["guide.md"]
    assert "在线申请平台、邮寄的方式" in rendered["guide.md"]
    assert "口头提出" not in rendered["guide.md"]  # no counter to speak at


def test_the_form_has_instructions_and_room(catalog: Catalog) -> None:
    form = pages(catalog)["apply-form.md"]
    assert "填表说明" in form and "至少填写一项" in form and "第二十九条" in form
    assert 'style="height: 10em"' in form


@pytest.mark.parametrize(
    ("apply", "expected"),
    [
        ({"channels": ["当面", "网络"]}, "online_url（在线申请平台地址）"),
        ({"channels": ["当面", "传真"]}, "office 中没有 fax（传真号码）"),
        ({"channels": ["当面", "微信"]}, "apply.channels"),
        ({"channels": ["网络"], "online_url": "http://x.example"}, "online_url"),
    ],
)
def test_site_yml_apply_is_checked(tmp_path: Path, apply: dict[str, object], expected: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    site_file = content / "site.yml"
    data = yaml.safe_load(site_file.read_text(encoding="utf-8"))
    if "传真" in apply.get("channels", []):  # type: ignore[operator]
        data["office"].pop("fax")
    data["apply"] = apply
    site_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = check_content(Settings(content_dir=content, today=TODAY)).problems
    messages = [f"{p.field} {p.message}" for p in problems if p.is_error]
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("0999-86601010", "tel:0999-86601010"),
        ("0999 8660 1010（工作日）", "tel:099986601010"),
        ("12345", "tel:12345"),
        ("请见网站", ""),
    ],
)
def test_tel_href(phone: str, href: str) -> None:
    assert tel_href(phone) == href
