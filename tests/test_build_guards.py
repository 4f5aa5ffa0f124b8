"""The build checks its fast paths as it runs and falls back, saying so, when one is off or
wrong: record pages from layouts (a witness page per kind rendered by MkDocs too), the Whoosh
index (read back), and a failed stage stops the work running beside it."""

from __future__ import annotations

import multiprocessing
import re
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import generator.builder.jobs as jobs
from generator.builder import layouts, mkdocs_run, site_render
from generator.builder.build import PAGES_ONLY, build_site
from generator.builder.layouts import Layout
from generator.builder.mkdocs_run import SiteBuildError
from generator.builder.record_markdown import RecordPage
from generator.builder.staging import stage_catalog
from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.core.settings import REPO_ROOT, Settings
from generator.search.whoosh_index import build_index, index_mismatch, read_current
from tests.test_build import FIXTURE, settings_for


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def config_with_site_url(folder: Path) -> Path:
    """mkdocs.yml with a ``site_url`` (Material then writes each page's canonical address)."""
    text = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("site_name:", "site_url: https://www.qinghe.gov.example/\nsite_name:", 1)
    for relative in ("site_overrides", "generator/builder/mkdocs_hook.py", "content",
                     "generator/pages/templates"):  # fmt: skip
        text = re.sub(rf"(?m)^(\s*(?:- |custom_dir: )){re.escape(relative)}$",
                      rf"\g<1>{REPO_ROOT / relative}", text)  # fmt: skip
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def test_a_site_url_turns_layouts_off_says_why_and_builds_the_mkdocs_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = replace(settings_for(tmp_path), mkdocs_config=config_with_site_url(tmp_path))
    result = build_site(settings, PAGES_ONLY)
    assert result.built
    [line] = [note for note in result.notes if note.startswith("提示：记录页快速生成已关闭")]
    assert "mkdocs.yml 设置了 site_url" in line and "构建约慢" in line
    page = (settings.out_dir / "records/edu/enrollment.html").read_text(encoding="utf-8")
    assert 'href="https://www.qinghe.gov.example/records/edu/enrollment.html"' in page
    monkeypatch.setattr(site_render, "FILL_RECORD_PAGES", False)
    slow = replace(settings, out_dir=tmp_path / "slow", staging_dir=tmp_path / "slow-build/docs")
    assert build_site(slow, PAGES_ONLY).built
    # MkDocs' sitemap lists the pages of its first run only; the exports replace it (exports.py)
    made_by_exports = {"sitemap.xml", "sitemap.xml.gz"}
    fast_tree, slow_tree = tree(settings.out_dir), tree(slow.out_dir)
    assert fast_tree.keys() == slow_tree.keys()
    assert [p for p in fast_tree if fast_tree[p] != slow_tree[p]] == sorted(made_by_exports)


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture's staging tree and the pages MkDocs alone makes of it."""
    root = tmp_path_factory.mktemp("staged")
    settings = settings_for(root)
    checked = check_content(settings)
    assert checked.catalog is not None
    stage_catalog(checked.catalog, settings)
    slow = root / "slow"
    slow.mkdir()
    site_render.render_pages(settings.mkdocs_config, settings.staging_dir, slow, fill=False)
    return settings.staging_dir, slow


def test_without_a_fault_the_witnesses_pass_and_nothing_is_said(
    staged: tuple[Path, Path], tmp_path: Path
) -> None:
    docs, slow = staged
    run = site_render.render_pages(REPO_ROOT / "mkdocs.yml", docs, tmp_path)
    assert run.filled > 0 and run.slow_paths == ()
    assert tree(tmp_path) == tree(slow)


def test_a_witness_that_differs_sends_its_kind_to_mkdocs(
    staged: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layout that fills wrongly (here: one byte more) never reaches the site."""
    docs, slow = staged
    filled = layouts.fill

    def wrong(layout: Layout, page: RecordPage) -> bytes:
        return filled(layout, page) + b" "

    monkeypatch.setattr(layouts, "fill", wrong)
    run = site_render.render_pages(REPO_ROOT / "mkdocs.yml", docs, tmp_path)
    assert run.filled == 0
    [line] = run.slow_paths
    assert "抽查页 records/" in line and "与 MkDocs 渲染的不一致" in line
    assert tree(tmp_path) == tree(slow)


def test_layouts_switched_off_are_announced(
    staged: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site_render, "FILL_RECORD_PAGES", False)
    run = site_render.render_pages(REPO_ROOT / "mkdocs.yml", staged[0], tmp_path)
    [line] = run.slow_paths
    assert "FILL_RECORD_PAGES" in line and "构建约慢 1.5 倍" in line


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    checked = check_content(Settings(content_dir=FIXTURE, use_cache=False))
    assert checked.catalog is not None
    return checked.catalog


def test_an_index_that_does_not_read_back_is_written_again_by_whoosh(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def short(catalog: Catalog, index_dir: Path) -> None:  # the fast writer loses a record
        build_index(replace(catalog, records=catalog.records[1:]), index_dir)

    monkeypatch.setattr(jobs, "build_index", short)
    job = jobs.IndexJob(catalog, tmp_path / "index")
    [line] = job.finish()
    assert "读回检查" in line and "Whoosh 自带的写入器" in line
    assert index_mismatch(catalog, tmp_path / "index") is None
    generation = read_current(tmp_path / "index")
    assert generation is not None
    with whoosh_index.open_dir(str(tmp_path / "index" / generation)).searcher() as searcher:
        assert {f["id"] for f in searcher.all_stored_fields()} == {r.id for r in catalog.records}


def test_the_read_back_finds_a_stored_field_that_differs(catalog: Catalog, tmp_path: Path) -> None:
    build_index(catalog, tmp_path)
    assert index_mismatch(catalog, tmp_path) is None
    first = min(catalog.records, key=lambda r: r.id)
    retitled = tuple(replace(r, title="别的标题") if r is first else r for r in catalog.records)
    assert first.id in str(index_mismatch(replace(catalog, records=retitled), tmp_path))


def test_a_failed_mkdocs_run_stops_pagefind_and_the_index_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_: object) -> mkdocs_run.BuilderRun:
        raise SiteBuildError("MkDocs 构建失败（退出码 1），原网站未改动。")

    monkeypatch.setattr(mkdocs_run, "run_builders", failing)
    settings = settings_for(tmp_path)
    with pytest.raises(SiteBuildError):
        build_site(settings)
    assert not [t for t in threading.enumerate() if t.name.startswith("pagefind")]
    assert multiprocessing.active_children() == []
    assert not settings.out_dir.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    shutil.rmtree(tmp_path / "build")
