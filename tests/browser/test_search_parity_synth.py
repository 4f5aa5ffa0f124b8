"""Known items on 1,000 synthetic records of real texts (``catalog synth``), built once and
searched through the search page both ways: served by ``catalog serve`` (Whoosh) and by a plain
``python -m http.server`` (Pagefind and the static lookups). 索引号, 文号 and whole titles must
give the same first result, and it must be the record."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from generator.builder.build import build_site
from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.core.settings import Settings
from generator.tools.synth import synthesize
from generator.tools.synth_corpus import CorpusMissingError, default_corpus_dir
from tests.browser.conftest import Served, serve
from tests.browser.test_search_parity import free_port, wait_for

RECORDS = 1000
SAMPLE = 10


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, Path]:
    root = tmp_path_factory.mktemp("synth-site")
    corpus = Path(os.environ.get("CATALOG_CORPUS", default_corpus_dir()))
    try:
        synthesize(RECORDS, root / "content", seed=5, corpus_dir=corpus)
    except CorpusMissingError as exc:
        pytest.fail(f"语料缺失（CI 应把 shared/ 放在仓库旁，或用 CATALOG_CORPUS 指定）：{exc}")
    settings = Settings(
        content_dir=root / "content",
        staging_dir=root / "build" / "docs",
        out_dir=root / "site",
        index_dir=root / "build" / "search-index",
    )
    assert build_site(settings).built
    checked = check_content(Settings(content_dir=root / "content", cache_dir=None))
    return checked.catalog, settings.out_dir


@pytest.fixture(scope="module")
def served(synthetic_site: tuple[Catalog, Path]) -> Iterator[Served]:
    yield from serve(synthetic_site[1], kiosk=False)


@pytest.fixture(scope="module")
def static(synthetic_site: tuple[Catalog, Path]) -> Iterator[Served]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(synthetic_site[1])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port)
        yield Served(synthetic_site[1], f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        server.wait(timeout=10)


def first_title(page: Page, site: Served, query: str) -> str:
    page.goto(site.at("search.html?q=" + quote(query)))
    expect(page.locator(".search-app__status")).to_contain_text("共", timeout=20_000)
    return page.locator(".search-app__hit .search-app__title").first.inner_text()


def test_known_items_come_first_served_and_static(
    synthetic_site: tuple[Catalog, Path], served: Served, static: Served, public_page: Page
) -> None:
    catalog = synthetic_site[0]
    sample = random.Random(3).sample(sorted(catalog.records, key=lambda r: r.id), SAMPLE)
    differ = []
    for record in sample:
        for query in filter(None, (record.id, record.doc_number, record.title)):
            answers = (
                first_title(public_page, served, query),
                first_title(public_page, static, query),
            )
            if answers != (record.title, record.title):
                differ.append((query, *answers))
    assert differ == []
