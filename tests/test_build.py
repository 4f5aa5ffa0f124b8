"""End-to-end: `catalog build` of tests/fixtures/site (runs MkDocs; one build per module)."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.builder.build import PAGES_ONLY, BuildResult, Outputs, build_site, publish_catalog
from generator.builder.incremental import nav_pages
from generator.builder.mkdocs_run import split_pages
from generator.builder.site_render import render_pages
from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.core.settings import REPO_ROOT, Settings

FIXTURE = Path(__file__).parent / "fixtures" / "site"
EXPECTED = Path(__file__).parent / "expected" / "docs"
TODAY = date(2024, 7, 1)
SITE_URL = "https://www.qinghe.gov.example"
EXTERNAL = re.compile(
    r"<(?:link|script|img|source|iframe)\b[^>]*\b(?:src|href)=\"(?:https?:)?//[^\"]*", re.I
)


@dataclass(frozen=True)
class Built:
    settings: Settings
    result: BuildResult

    @property
    def site(self) -> Path:
        return self.settings.out_dir

    def html(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def settings_for(root: Path, content: Path = FIXTURE) -> Settings:
    return Settings(
        content_dir=content,
        staging_dir=root / "build" / "docs",
        index_dir=root / "build" / "search-index",
        out_dir=root / "site",
        today=TODAY,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    settings = settings_for(tmp_path_factory.mktemp("build"))
    result = build_site(settings)
    assert result.built, result.problems
    return Built(settings, result)


# Pages copied from repository files rather than generated from content: only their presence is
# golden, so editing CONTRIBUTING.md does not mean regenerating the golden tree.
NOT_FROM_CONTENT = {"contribute.md"}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_staging_matches_golden_tree(built: Built, update_goldens: bool) -> None:
    staged = tree(built.settings.staging_dir)
    if update_goldens:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(built.settings.staging_dir, EXPECTED)
    expected = tree(EXPECTED)
    assert sorted(staged) == sorted(expected)
    for path, data in staged.items():
        if path in NOT_FROM_CONTENT:
            continue
        assert data == expected[path], f"{path} differs; run pytest --update-goldens and review"


def test_expected_pages_exist(built: Built) -> None:
    for page in (
        "index.html", "guide.html", "browse.html", "search.html", "apply.html",
        "apply-form.html", "supervision.html", "reports.html", "art20.html",
        "categories/index.html", "categories/policies/index.html", "departments/edu/index.html",
        "years/2024/index.html", "records/office/policies/measures-2024.html",
        "files/office/policies/files/measures-2024.pdf",
        "assets/stylesheets/catalog.css", "assets/stylesheets/print.css",
    ):  # fmt: skip
        assert (built.site / page).is_file(), page
    assert not (built.site / "records/civil-affairs/future.html").exists()
    assert not (built.site / "search/search_index.json").exists()  # Material search is off


def test_record_page_shows_metadata_and_relations(built: Built) -> None:
    page = built.html("records/office/policies/measures-2024.html")
    for text in (
        "索引号",
        "11339901MB1C026154/2024-00012",
        "发文字号",
        "青政办发〔2024〕12号",
        "有效性",
        "公开方式",
        "政策解读",
        'href="interpretation-2024.html"',
        "0.1 KB",
    ):
        assert text in page, text
    assert '<meta name="ColumnType" content="政策文件">' in page
    assert '<meta name="PubDate" content="2024-04-03 00:00">' in page
    assert 'id="第一章-总则"' in page  # Unicode heading anchors


def test_records_are_not_in_the_nav(built: Built) -> None:
    page = built.html("index.html")
    assert "records/" not in "".join(re.findall(r'<nav class="md-nav.*?</nav>', page, re.S))


def test_no_page_references_an_external_url(built: Built) -> None:
    for html in built.site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        found = [m for m in EXTERNAL.findall(text) if not m.split('"')[-1].startswith(SITE_URL)]
        assert found == [], html
        assert "fonts.googleapis" not in text and "unpkg.com" not in text


def test_inline_scripts_are_allowed_by_the_csp_hashes(built: Built) -> None:
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    allowed = set(config["extra"]["csp_script_hashes"])
    page = built.html("records/edu/enrollment.html")
    assert "Content-Security-Policy" in page
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                         page, re.S)  # fmt: skip
    assert scripts
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed


def unsafe_catalog(catalog: Catalog) -> Catalog:
    body = (
        '<script>alert("x")</script>\n\n[点我](javascript:alert(1))\n\n'
        '<img src=x onerror="alert(2)">\n\n<a href="#" onclick="steal()">链接</a>\n'
    )
    records = tuple(replace(r, body=body) if r.slug == "enrollment" else r for r in catalog.records)
    return replace(catalog, records=records)


def test_unsafe_body_never_reaches_the_site(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    checked = check_content(settings)
    publish_catalog(unsafe_catalog(checked.catalog), settings, PAGES_ONLY)
    page = (settings.out_dir / "records/edu/enrollment.html").read_text(encoding="utf-8")
    body = page.split('class="record-body"')[1].split("</div>")[0]
    tags = " ".join(re.findall(r"<[^>]*>", body))
    for needle in ("<script", "javascript:", "onclick", "onerror", "<img"):
        assert needle not in tags, needle
    assert "&lt;script&gt;" in body  # shown as text, inert


def test_edited_record_shows_up_on_rebuild(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    settings = settings_for(tmp_path, content)
    assert build_site(settings, PAGES_ONLY).built
    record = content / "departments/edu/enrollment.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace("新生入学办事指南", "新生入学办事指南（修订）"),
        encoding="utf-8",
    )
    result = build_site(settings, PAGES_ONLY)
    assert result.built
    assert result.staged is not None
    assert "records/edu/enrollment.md" in result.staged.written
    assert "index.md" in result.staged.written  # the home page lists the latest titles
    assert "guide.md" not in result.staged.written  # unchanged pages keep their mtime
    page = (settings.out_dir / "records/edu/enrollment.html").read_text(encoding="utf-8")
    assert "新生入学办事指南（修订）" in page


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    settings.out_dir.mkdir()
    (settings.out_dir / "index.html").write_text("旧网站", encoding="utf-8")

    def broken_step(catalog: Catalog, site_dir: Path) -> None:
        raise RuntimeError("导出失败")

    with pytest.raises(RuntimeError, match="导出失败"):
        build_site(settings, Outputs(files=(broken_step,), pagefind=False))
    assert tree(settings.out_dir) == {"index.html": "旧网站".encode()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]


def test_content_errors_refuse_to_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "departments/edu/broken.md").write_text("---\ntitle: 缺字段\n---\n", "utf-8")
    settings = settings_for(tmp_path, content)
    result = build_site(settings, PAGES_ONLY)
    assert not result.built
    assert any(p.is_error and p.file.endswith("broken.md") for p in result.problems)
    assert not settings.out_dir.exists()


@pytest.mark.parametrize(
    ("files", "groups"),
    [
        (["index.md", "records/a/1.md", "f.pdf"], [["index.md", "records/a/1.md", "f.pdf"]]),
        (
            [
                "index.md",
                "categories/index.md",
                "categories/x/page-2.md",
                "records/a/1.md",
                "records/a/2.md",
                "records/b/3.md",
                "files/a.pdf",
            ],
            [
                [
                    "index.md",
                    "categories/index.md",
                    "categories/x/page-2.md",
                    "records/a/1.md",
                    "records/b/3.md",
                    "files/a.pdf",
                ],
                ["records/a/2.md", "index.md", "categories/index.md"],
            ],
        ),
    ],
    ids=["too-few-records", "every-other-record"],
)
def test_split_pages(files: list[str], groups: list[list[str]]) -> None:
    assert split_pages(files, min_records=2) == groups


def test_two_builder_processes_build_the_same_bytes_as_one(built: Built, tmp_path: Path) -> None:
    """Record pages rendered by a second MkDocs process and moved in: the same site, byte for
    byte (the staging tree of the module's build; exports and Pagefind are not part of this).
    Record pages from layouts are off: with them, MkDocs renders only samples and witnesses."""
    docs = built.settings.staging_dir
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    config = REPO_ROOT / "mkdocs.yml"
    single = render_pages(config, docs, one, split_from=10**9, fill=False)
    double = render_pages(config, docs, two, split_from=1, nav=nav_pages(config), fill=False)
    assert (single.processes, double.processes) == (1, 2)
    assert sum(1 for p in (two / "records").rglob("*.html")) > 2
    assert tree(two) == tree(one)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "two"]  # no leftovers


def test_the_guide_and_the_application_page_are_in_the_pages_shard(built: Built) -> None:
    """Pagefind indexes the prose pages the generator marks (front matter ``pagefind: body``)."""
    import json

    marked = [
        p
        for p in ("guide.html", "apply.html", "index.html", "supervision.html")
        if "data-pagefind-body" in built.html(p)
    ]
    assert marked == ["guide.html", "apply.html"]
    entry = json.loads((built.site / "pagefind/pages-pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["zh"]["page_count"] == 2
    assert "pages-pagefind" in json.loads(built.html("pagefind/shards.json"))["shards"]
