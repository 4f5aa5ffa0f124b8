"""Build orchestration: the Whoosh index beside the build (a forked child, inline when other
threads run) and the phase timings of ``CATALOG_TIMINGS=1``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import generator.builder.jobs as jobs_module
from generator.builder.build import build_site
from generator.builder.jobs import IndexBuildError, IndexJob
from generator.content.validate import check_content
from generator.core.records import Catalog
from generator.core.settings import Settings
from generator.search.whoosh_index import read_current

FIXTURE = Path(__file__).parent / "fixtures" / "site"


def settings_for(root: Path) -> Settings:
    return Settings(
        content_dir=FIXTURE,
        staging_dir=root / "build" / "docs",
        index_dir=root / "build" / "search-index",
        out_dir=root / "site",
        today=date(2024, 7, 1),
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    checked = check_content(settings_for(Path("/nonexistent")))
    assert checked.catalog is not None, checked.problems
    return checked.catalog


@pytest.fixture
def busy_thread() -> Iterator[None]:
    """Another thread alive, as in ``catalog serve --watch``."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield
    stop.set()
    thread.join()


def searchable_ids(index_dir: Path) -> set[str]:
    generation = read_current(index_dir)
    assert generation is not None
    with whoosh_index.open_dir(str(index_dir / generation)).searcher() as searcher:
        return {fields["id"] for fields in searcher.reader().all_stored_fields()}


def test_the_child_writes_the_whole_index(catalog: Catalog, tmp_path: Path) -> None:
    assert threading.active_count() == 1
    job = IndexJob(catalog, tmp_path / "index")
    assert job.process is not None  # forked, not inline
    job.wait()
    assert read_current(tmp_path / "index") is not None
    assert searchable_ids(tmp_path / "index") == {r.id for r in catalog.records}


def test_with_other_threads_the_index_is_written_inline(
    catalog: Catalog, tmp_path: Path, busy_thread: None
) -> None:
    job = IndexJob(catalog, tmp_path / "index")
    assert job.process is None
    assert searchable_ids(tmp_path / "index") == {r.id for r in catalog.records}
    job.wait()  # nothing to join


def test_a_large_catalog_is_indexed_inline(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs_module, "FORK_MAX_RECORDS", len(catalog.records) - 1)
    job = IndexJob(catalog, tmp_path / "index")
    assert job.process is None
    assert searchable_ids(tmp_path / "index") == {r.id for r in catalog.records}


def test_a_failed_index_fails_the_build_and_keeps_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path)
    assert build_site(settings).built
    before = {p: p.read_bytes() for p in settings.out_dir.rglob("*") if p.is_file()}

    def broken(catalog: Catalog, index_dir: Path) -> None:
        raise OSError("磁盘已满")

    monkeypatch.setattr(jobs_module, "build_index", broken)
    with pytest.raises(IndexBuildError) as failure:
        build_site(settings)
    assert "检索索引" in str(failure.value) and "原网站未改动" in str(failure.value)
    assert "磁盘已满" in failure.value.output  # the child's reason reaches the editor
    after = {p: p.read_bytes() for p in settings.out_dir.rglob("*") if p.is_file()}
    assert after == before


def test_timings_are_printed_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOG_TIMINGS", "1")
    result = build_site(settings_for(tmp_path))
    report = next(note for note in result.notes if note.startswith("各阶段耗时"))
    for phase in ("validation", "staging", "render", "Pagefind", "waiting for the Whoosh index"):
        assert phase in report
    monkeypatch.setenv("CATALOG_TIMINGS", "0")
    assert not any(n.startswith("各阶段耗时") for n in build_site(settings_for(tmp_path)).notes)
