"""Full-text search for the static site: Pagefind (extended, Chinese segmentation) indexes.

The generator knows every record's metadata, so it does not re-parse the themed record pages.
It writes one small search document per record, mirroring the record page's path
(``records/<department>/<slug>.html``), with the filters ``category``, ``department`` and
``year``, the sort key ``date`` and the meta ``title``/``date``/``id``/``doc_number``/
``department``/``validity`` as ``data-pagefind-*`` attributes; the body is the HTML the render pass already
made. Built pages outside ``records/`` that carry ``data-pagefind-body`` (the guide) are copied.

**Shards.** One Pagefind index over 10,000 records took 3 GB of memory; it is split into shards
of publication periods, listed newest first in ``pagefind/shards.json`` (``pagefind/2024-pagefind/``
…) plus one for the marked pages (``pagefind/pages-pagefind/``). A year is one shard while it
holds at most ``SHARD_RECORDS`` records, else it is cut at month boundaries into halves
(``2024-h2``, ``2024-h1``), quarters (``2024-q4`` …) or months (``2024-m12`` …), the coarsest cut
whose every part holds at most ``SHARD_RECORDS``: a warm build re-indexes one such part, and a
year's cut changes only when one of its parts crosses the limit. The search page loads every
shard and concatenates their results in this order: a search without words (filters only, sorted
by date in each shard) stays newest first, since every date lies in one shard and the shards'
periods follow each other. The ``-pagefind`` suffix keeps Pagefind's own file names
(``…pagefind/filter/``, ``…pagefind/pagefind-entry.json``) recognisable under the shard.

**Cache.** Each shard's bundle is kept under ``cache_dir`` with a key: the hash of its search
documents, the Pagefind version and the language. A build re-indexes only the shards whose key
changed (an edited record: its period's shard) and copies the others. The record shards need
nothing from MkDocs, so ``RecordShards`` can index them in a thread while one MkDocs process runs
(after MkDocs when two MkDocs processes already take both cores), one Pagefind process at a time
while MkDocs runs and ``PAGEFIND_WORKERS`` once the build only waits for them (a cold build:
the shards after MkDocs took half the build on one core).

Pagefind runs as a command over the staged documents, not through its Python service: the
service terminates the binary as soon as it has replied, while Pagefind's last file writes may
still be in flight (it writes with tokio and does not flush), and under load shards came out with
an empty ``pagefind-entry.json`` and WASM file; the command exits after its writes. (Nor
``add_custom_record`` per record: the service reads one reply per 100 ms poll, so it indexes at
most ~10 records a second.)
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import nh3
from pagefind.service import get_executable

from generator.core.cache import CacheFile, fingerprint
from generator.core.records import Catalog, Record
from generator.outputs.exports import record_url
from generator.pages.markdown_safe import BodyRenderer
from generator.search.static_lookup import write_static_lookups

OUTPUT_DIR = "pagefind"
SHARD_SUFFIX = "-pagefind"
SHARD_LIST = "shards.json"
PAGES_SHARD = "pages"
SHARD_RECORDS = 800  # records in a shard at most, where months allow (re-indexed in ~3 s)
# Pagefind processes at once when the build only waits for them (~300 MB each at 800 records).
PAGEFIND_WORKERS = 2
LANGUAGE = "zh"  # one index for every page, whatever its <html lang>
BUNDLE_FORMAT = 2  # part of every shard's key: 2, bundles of the Pagefind command
BODY_MARKER = "data-pagefind-body"
# Built folders that never hold pages to search (records come from the generator instead).
SKIPPED_DIRS = ("records/", "assets/", "search/", OUTPUT_DIR + "/")
# Only text matters to the index: links, images and every attribute are dropped.
TEXT_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "blockquote", "pre", "code", "strong", "em",
}  # fmt: skip


class PagefindError(RuntimeError):
    """Pagefind could not index the site (missing binary, nothing indexed, service error)."""


@dataclass(frozen=True)
class PagefindStats:
    records: int  # search documents written for records
    pages: int  # extra built pages indexed (guide …)
    indexed: int  # pages in the shards' indexes
    seconds: float
    output: Path
    reindexed: tuple[str, ...] = ()  # shards Pagefind indexed in this build (others: cached)


Documents = list[tuple[str, str]]  # (site-relative path, HTML)


def attribute(key: str, value: str) -> str:
    """``key:value`` for a ``data-pagefind-*`` attribute, escaped."""
    return html.escape(f"{key}:{value}", quote=True)


def search_document(catalog: Catalog, record: Record, body_html: str) -> str:
    """The HTML Pagefind indexes for one record (``body_html`` is the rendered body)."""
    e = html.escape
    category = catalog.categories.get(record.category)
    department = catalog.departments.get(record.department)
    category_name = category.short_name if category else record.category
    department_name = department.name if department else record.department
    published = record.published.isoformat()
    hidden = [
        f'<span data-pagefind-filter="{attribute("category", category_name)}"></span>',
        f'<span data-pagefind-filter="{attribute("department", department_name)}"></span>',
        f'<span data-pagefind-filter="{attribute("year", str(record.year))}"></span>',
        f'<span data-pagefind-sort="{attribute("date", published)}"></span>',
        f'<span data-pagefind-meta="{attribute("date", published)}"></span>',
        f'<span data-pagefind-meta="{attribute("id", record.id)}"></span>',
        f'<span data-pagefind-meta="{attribute("department", department_name)}"></span>',
        f'<span data-pagefind-meta="{attribute("validity", record.validity)}"></span>',
    ]
    if record.doc_number:
        hidden.append(
            f'<span data-pagefind-meta="{attribute("doc_number", record.doc_number)}"></span>'
        )
    details = " ".join(filter(None, [record.id, record.doc_number, department_name,
                                     " ".join(record.keywords)]))  # fmt: skip
    attachments = "".join(f"<li>{e(a.title)}</li>" for a in record.attachments)
    return "\n".join(
        [
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
            f"<title>{e(record.title)}</title></head><body>",
            f"<main {BODY_MARKER}>",
            f'<h1 data-pagefind-meta="title">{e(record.title)}</h1>',
            *hidden,
            f"<p>{e(record.summary)}</p>",
            f"<p>{e(details)}</p>",
            body_html,
            f"<ul>{attachments}</ul>" if attachments else "",
            "</main></body></html>",
        ]
    )


def text_html(body_html: str) -> str:
    """Only the text-bearing tags of a rendered body, without attributes."""
    return nh3.clean(body_html, tags=TEXT_TAGS, attributes={})


def rendered_bodies(catalog: Catalog) -> dict[str, str]:
    """Record id → safe body HTML, for callers that did not keep the render pass's bodies."""
    renderer = BodyRenderer()
    return {record.id: renderer.render(record.body, no_links) for record in catalog.records}


def no_links(url: str) -> None:
    return None


# How a year is cut: parts per year, the letter naming a part, and the width of its number.
YEAR_CUTS = ((1, "", 0), (2, "h", 1), (4, "q", 1), (12, "m", 2))


def year_cut(months: Counter[int]) -> tuple[int, str, int]:
    """The coarsest cut of a year (records per month given) whose parts hold at most
    ``SHARD_RECORDS`` records each; months when none does."""
    for parts, letter, width in YEAR_CUTS:
        sizes: Counter[int] = Counter()
        for month, count in months.items():
            sizes[(month - 1) * parts // 12] += count
        if max(sizes.values(), default=0) <= SHARD_RECORDS:
            return parts, letter, width
    return YEAR_CUTS[-1]


def shard_names(records: Iterable[Record]) -> dict[str, str]:
    """Record id → the name of its shard: ``2024``, or a part of it (``2024-h2``, ``2024-q3``,
    ``2024-m07``). Names sort like their periods."""
    months: dict[int, Counter[int]] = defaultdict(Counter)
    chosen = list(records)
    for record in chosen:
        months[record.year][record.published.month] += 1
    cuts = {year: year_cut(counted) for year, counted in months.items()}
    names = {}
    for record in chosen:
        parts, letter, width = cuts[record.year]
        if parts == 1:
            names[record.id] = str(record.year)
        else:
            part = (record.published.month - 1) * parts // 12 + 1
            names[record.id] = f"{record.year}-{letter}{part:0{width}d}"
    return names


def shard_records(catalog: Catalog) -> dict[str, list[Record]]:
    """Shard name → its records in catalog order, newest period first."""
    names = shard_names(catalog.records)
    shards: dict[str, list[Record]] = defaultdict(list)
    for record in catalog.records:
        shards[names[record.id]].append(record)
    return {name: shards[name] for name in sorted(shards, reverse=True)}


def shard_documents(
    catalog: Catalog, records: Iterable[Record], bodies: Mapping[str, str]
) -> Documents:
    """The search documents of one shard's records (bodies: record id → body HTML)."""
    return [(record_url(r), search_document(catalog, r, text_html(bodies[r.id]))) for r in records]


def marked_pages(site_dir: Path) -> list[Path]:
    """Built pages outside ``records/`` that ask to be searched (``data-pagefind-body``)."""
    pages = []
    for folder, subfolders, files in os.walk(site_dir):
        relative = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        # the skipped folders are not walked at all (records/ holds every record page)
        subfolders[:] = [d for d in subfolders if not (prefix + d + "/").startswith(SKIPPED_DIRS)]
        pages += [Path(folder, name) for name in files if name.endswith(".html")]
    marked = [p for p in pages if BODY_MARKER in p.read_text(encoding="utf-8", errors="replace")]
    return sorted(marked)


def page_documents(site_dir: Path) -> Documents:
    return [
        (page.relative_to(site_dir).as_posix(), page.read_text(encoding="utf-8"))
        for page in marked_pages(site_dir)
    ]


def stage_documents(documents: Iterable[tuple[str, str]], stage: Path) -> int:
    """Write the documents into ``stage``; return how many."""
    count = 0
    for relative, text in documents:
        target = stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        count += 1
    return count


MISSING_BINARY = "找不到 Pagefind 程序：请安装 pagefind[extended]（make setup）。"


def run_pagefind(stage: Path, output: Path) -> int:
    """Index ``stage`` with the Pagefind command; write the bundle to ``output``; return the
    number of pages in it (read from the bundle's ``pagefind-entry.json``)."""
    binary = get_executable()
    if binary is None:
        raise PagefindError(MISSING_BINARY)
    output = output.resolve()  # the command runs in the stage
    command = [str(binary), "--site", str(stage), "--output-path", str(output),
               "--force-language", LANGUAGE, "--silent"]  # fmt: skip
    # no PAGEFIND_* variables (Pagefind reads its options from them) and no config file (the
    # stage, its working directory, holds only our documents)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        done = subprocess.run(command, cwd=stage, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise PagefindError(MISSING_BINARY) from exc
    if done.returncode != 0:
        raise PagefindError(f"Pagefind 建立全文索引失败：{(done.stderr or done.stdout)[-500:]}")
    try:
        entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PagefindError(f"Pagefind 的索引不完整（{output}）：{exc}") from exc


def pagefind_version() -> str:
    try:
        return version("pagefind")
    except PackageNotFoundError:  # pragma: no cover - a binary given by PAGEFIND_BINARY_PATH
        return "unknown"


def pagefind_code() -> bytes:
    """What a cached bundle depends on besides its documents."""
    return fingerprint(BUNDLE_FORMAT, pagefind_version(), LANGUAGE)


def shard_key(documents: Documents) -> str:
    digest = hashlib.sha256()
    for relative, text in documents:
        digest.update(f"{relative}\0{text}\0".encode())
    return digest.hexdigest()


STAGE_PREFIX = "pagefind-stage-"


def key_file(name: str, cache_dir: Path) -> CacheFile:
    """The key of the documents the shard's cached bundle holds."""
    return CacheFile(cache_dir / f"{name}.marshal")


def index_shard(documents: Documents, output: Path) -> int:
    """A fresh Pagefind bundle for ``documents`` in ``output``; the number of pages indexed."""
    shutil.rmtree(output, ignore_errors=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    # beside the shard, not in /tmp: the next build removes what a killed one left (builder/lock)
    with tempfile.TemporaryDirectory(prefix=STAGE_PREFIX, dir=output.parent.resolve()) as tmp:
        staged = stage_documents(documents, Path(tmp))
        indexed = run_pagefind(Path(tmp), output)
    if indexed < staged or not (output / "pagefind.js").is_file():
        raise PagefindError(f"Pagefind 只索引了 {indexed} 个页面，应为 {staged} 个（{output}）。")
    return indexed


@dataclass(frozen=True)
class Shard:
    name: str
    bundle: Path  # the Pagefind bundle in the cache
    pages: int
    reindexed: bool


def stale_key(name: str, documents: Documents, cache_dir: Path) -> str | None:
    """The key of the shard's documents when its cached bundle is not theirs (or incomplete);
    None when it is."""
    key = shard_key(documents)
    bundle = cache_dir / (name + SHARD_SUFFIX)
    if key_file(name, cache_dir).read(pagefind_code()) == key and complete(bundle):
        return None
    return key


def complete(bundle: Path) -> bool:
    """The bundle's entry file names its metadata file, and both were written."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        metas = [
            bundle / f"pagefind.{lang['hash']}.pf_meta" for lang in entry["languages"].values()
        ]
        return bool(metas) and all(meta.stat().st_size > 0 for meta in metas)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def reindex_shard(name: str, documents: Documents, key: str, cache_dir: Path) -> Shard:
    """Index the shard into ``cache_dir`` and remember its key."""
    kept = key_file(name, cache_dir)
    kept.remove()
    bundle = cache_dir / (name + SHARD_SUFFIX)
    index_shard(documents, bundle)
    kept.write(pagefind_code(), key)
    return Shard(name, bundle, len(documents), reindexed=True)


def cached_shard(name: str, documents: Documents, cache_dir: Path) -> Shard:
    """The shard's bundle from ``cache_dir``, indexed again only when its documents changed."""
    key = stale_key(name, documents, cache_dir)
    if key is None:
        return Shard(name, cache_dir / (name + SHARD_SUFFIX), len(documents), reindexed=False)
    return reindex_shard(name, documents, key, cache_dir)


def prune_cache(names: Iterable[str], cache_dir: Path) -> None:
    """Remove the bundles and keys of shards that no longer exist."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    kept = {n + SHARD_SUFFIX for n in names} | {f"{n}.marshal" for n in names}
    for stale in cache_dir.iterdir():
        if stale.name not in kept:
            remove(stale)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


class RecordShards:
    """The record shards, indexed in background threads (they need no built page).

    ``start`` begins the work with one Pagefind process at a time (beside a single MkDocs
    process, warm builds); ``result`` starts it if nobody has, adds workers up to ``workers``
    once the build only waits for the shards (after MkDocs), and waits. One worker bounds the
    memory to one Pagefind process (~300 MB at ``SHARD_RECORDS``) when something big still runs.
    """

    def __init__(
        self,
        catalog: Catalog,
        bodies: Mapping[str, str] | None,
        cache_dir: Path,
        workers: int = PAGEFIND_WORKERS,
    ) -> None:
        self.catalog, self.bodies, self.cache_dir = catalog, bodies, cache_dir
        self.workers = max(1, workers)
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="pagefind")
        self._workers: list[Future[None]] = []
        self._planned = threading.Event()
        self._lock = threading.Lock()
        self._order: list[str] = []
        # Stale shards not yet taken, by their records: a shard's documents are made again when
        # it is indexed, so only two shards' documents are held at a time (all of them were
        # about a gigabyte at 100,000 records).
        self._pending: list[tuple[str, list[Record], str]] = []
        self._done: dict[str, Shard] = {}
        self._failed = False

    def start(self) -> None:
        if not self._workers:
            self._workers.append(self._pool.submit(self._plan_and_work))

    def result(self) -> list[Shard]:
        self.start()
        first = self._workers[0]
        while not self._planned.wait(0.1):
            if first.done():  # it failed before the plan was made
                first.result()
                break
        with self._lock:
            extra = min(self.workers - 1, len(self._pending))
        self._workers += [self._pool.submit(self._work) for _ in range(extra)]
        for worker in self._workers:
            worker.result()  # raises what a worker raised
        self._pool.shutdown()
        return [self._done[name] for name in self._order]

    def cancel(self) -> None:
        """Take no further shard (the build failed elsewhere); wait for the runs under way."""
        with self._lock:
            self._failed = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _documents(self, records: Iterable[Record]) -> Documents:
        if self.bodies is None:
            self.bodies = rendered_bodies(self.catalog)
        return shard_documents(self.catalog, records, self.bodies)

    def _plan_and_work(self) -> None:
        shards = shard_records(self.catalog)
        prune_cache([*shards, PAGES_SHARD], self.cache_dir)
        for name, records in shards.items():
            key = stale_key(name, self._documents(records), self.cache_dir)
            if key is None:
                bundle = self.cache_dir / (name + SHARD_SUFFIX)
                self._done[name] = Shard(name, bundle, len(records), reindexed=False)
            else:
                self._pending.append((name, records, key))
        self._order = list(shards)
        self._planned.set()
        self._work()

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._failed or not self._pending:
                    return
                name, records, key = self._pending.pop(0)
            try:
                shard = reindex_shard(name, self._documents(records), key, self.cache_dir)
            except BaseException:
                self._failed = True
                raise
            with self._lock:
                self._done[name] = shard


def link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (plain copies across devices).

    Safe because nothing writes into a bundle in place: a shard indexed again is a new folder.
    """

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def index_site(
    catalog: Catalog,
    site_dir: Path,
    *,
    bodies: Mapping[str, str] | None = None,
    cache_dir: Path | None = None,
    records: RecordShards | None = None,
) -> PagefindStats:
    """Build ``<site_dir>/pagefind/``: one shard per year, one for the marked pages.

    ``cache_dir`` keeps the shards between builds (a temporary folder when None); ``records``
    is the record-shard job started before MkDocs ran, if any.
    """
    site_dir = Path(site_dir).resolve()
    output = site_dir / OUTPUT_DIR
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pagefind-cache-") as scratch:
        cache = cache_dir or Path(scratch)
        shards = (records or RecordShards(catalog, bodies, cache)).result()
        pages = page_documents(site_dir)
        if pages:
            shards.append(cached_shard(PAGES_SHARD, pages, cache))
        shutil.rmtree(output, ignore_errors=True)
        output.mkdir(parents=True)
        for shard in shards:
            link_tree(shard.bundle, output / (shard.name + SHARD_SUFFIX))
    names = [shard.name + SHARD_SUFFIX for shard in shards]
    (output / SHARD_LIST).write_text(json.dumps({"shards": names}) + "\n", encoding="utf-8")
    write_static_lookups(catalog, site_dir, cache_dir)
    return PagefindStats(
        records=len(catalog.records),
        pages=len(pages),
        indexed=sum(shard.pages for shard in shards),
        seconds=time.perf_counter() - started,
        output=output,
        reindexed=tuple(shard.name for shard in shards if shard.reindexed),
    )
