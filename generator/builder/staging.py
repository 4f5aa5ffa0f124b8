"""Write the staging tree: only changed files are rewritten, stale files are deleted.

Unchanged files keep their mtime, so ``mkdocs serve`` reloads quickly after a small edit. The
result carries the sha256 of every staging file: of pages from the bytes just written, of pages
kept from an earlier build from their ``WrittenPage`` (the file is not read again).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.cache import CacheFile, write_atomically
from generator.core.records import Catalog
from generator.core.settings import REPO_ROOT, Settings
from generator.kiosk.bundle import kiosk_stream, plan_kiosk_pages
from generator.pages.plan import AssetSpec, plan_assets, plan_pages
from generator.pages.render import PageStream


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # every staging file → sha256


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- pages written by the last build


@dataclass(frozen=True)
class WrittenPage:
    """What a build wrote to one staging page: its page key, digest, size and mtime."""

    key: str
    digest: str
    size: int
    mtime_ns: int


def written_page(path: Path, key: str, digest: str) -> WrittenPage:
    status = path.stat()
    return WrittenPage(key, digest, status.st_size, status.st_mtime_ns)


def untouched(path: Path, page: WrittenPage) -> bool:
    """The file is still the one written (same size and mtime: nobody rewrote it since)."""
    try:
        status = path.stat()
    except OSError:
        return False
    return status.st_size == page.size and status.st_mtime_ns == page.mtime_ns


def read_written_pages(file: CacheFile, staging_dir: Path) -> dict[str, WrittenPage]:
    """The pages the last build wrote that are still on disk as it wrote them."""
    kept = file.read(os.fsencode(staging_dir.resolve()))
    if not isinstance(kept, dict):
        return {}
    try:
        pages = {page: WrittenPage(*values) for page, values in kept.items()}
    except TypeError:
        return {}
    return {page: w for page, w in pages.items() if untouched(staging_dir / page, w)}


def write_written_pages(
    file: CacheFile, staging_dir: Path, pages: Mapping[str, WrittenPage]
) -> None:
    data = {page: (w.key, w.digest, w.size, w.mtime_ns) for page, w in pages.items()}
    file.write(os.fsencode(staging_dir.resolve()), data)


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly these bytes."""
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    write_atomically(target, data)
    return True


def copy_if_changed(source: Path, target: Path) -> bool:
    same_size = target.is_file() and target.stat().st_size == source.stat().st_size
    if same_size and target.read_bytes() == source.read_bytes():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return True


def existing_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def remove_empty_dirs(root: Path) -> None:
    for directory in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()


def write_staging(
    pages: Mapping[str, str],
    assets: Sequence[AssetSpec],
    content_dir: Path,
    staging_dir: Path,
    kept: Mapping[str, str] | None = None,
) -> WriteResult:
    """Make ``staging_dir`` hold exactly ``pages`` (text), ``assets`` (copied files) and ``kept``.

    ``kept`` (staging path → sha256) are pages already on disk from an earlier build, left as
    they are.
    """
    result = WriteResult()
    write_pages(result, sorted(pages.items()), staging_dir)
    return finish_staging(result, assets, content_dir, staging_dir, kept)


def write_pages(result: WriteResult, pages: Iterable[tuple[str, str]], staging_dir: Path) -> None:
    """Write each ``(staging path, text)`` as it comes (a build streams them from the renderer)."""
    for path, text in pages:
        data = text.encode("utf-8")
        changed = write_if_changed(staging_dir / path, data)
        result.digests[path] = sha256(data)
        record_outcome(result, path, changed)


def finish_staging(
    result: WriteResult,
    assets: Sequence[AssetSpec],
    content_dir: Path,
    staging_dir: Path,
    kept: Mapping[str, str] | None = None,
) -> WriteResult:
    """After the pages: the ``kept`` pages' digests, the assets, and nothing else left behind."""
    for path, digest in (kept or {}).items():
        result.digests[path] = digest
        record_outcome(result, path, False)
    for asset in assets:
        changed = copy_if_changed(content_dir / asset.source, staging_dir / asset.path)
        result.digests[asset.path] = sha256((staging_dir / asset.path).read_bytes())
        record_outcome(result, asset.path, changed)
    wanted = set(result.digests)
    for stale in sorted(existing_files(staging_dir) - wanted):
        (staging_dir / stale).unlink()
        result.deleted.append(stale)
    if staging_dir.is_dir():
        remove_empty_dirs(staging_dir)
    return result


def record_outcome(result: WriteResult, path: str, changed: bool) -> None:
    if changed:
        result.written.append(path)
    else:
        result.unchanged += 1


# ---------------------------------------------------------------- the staging stage


@dataclass(frozen=True)
class Staged:
    written: WriteResult
    bodies: dict[str, str]  # record id → body HTML, reused by the Pagefind step


def read_optional(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig") if path.is_file() else ""


def stage_site(
    catalog: Catalog, settings: Settings, related: Mapping[str, Sequence[str]] | None = None
) -> Staged:
    """Write the staging Markdown tree for ``catalog``; keep the rendered record bodies.

    Pages whose key (``render.page_key``) is that of the page still in the staging tree are not
    rendered nor written again (not for the kiosk, whose pages are rewritten after rendering).
    """
    guide = read_optional(settings.content_dir / "guide.md")  # the 指南's optional free text
    contributing = read_optional(REPO_ROOT / "CONTRIBUTING.md")
    specs = plan_pages(catalog, guide, related, contributing)
    if settings.kiosk:
        specs += plan_kiosk_pages(catalog)
    caches = settings.caches()
    pages_file = caches.file("staging-pages")
    before = {} if settings.kiosk else read_written_pages(pages_file, settings.staging_dir)
    fresh = {page: w.key for page, w in before.items()}
    stream = PageStream(catalog, specs, caches.file("record-bodies"), fresh)
    pages = kiosk_stream(catalog, stream) if settings.kiosk else iter(stream)
    pages_file.remove()  # written again below, once the tree is what it says
    written = WriteResult()
    write_pages(written, pages, settings.staging_dir)  # each page written as it is rendered
    kept = {page: before[page].digest for page in stream.page_keys.keys() - written.digests.keys()}
    finish_staging(written, plan_assets(catalog), settings.content_dir, settings.staging_dir, kept)
    if not settings.kiosk:
        now = {
            page: before[page]
            if page in kept
            else written_page(settings.staging_dir / page, key, written.digests[page])
            for page, key in stream.page_keys.items()
        }
        write_written_pages(pages_file, settings.staging_dir, now)
    return Staged(written, stream.bodies)


def stage_catalog(
    catalog: Catalog, settings: Settings, related: Mapping[str, Sequence[str]] | None = None
) -> WriteResult:
    """Write the staging Markdown tree for ``catalog`` (also used by the live-reload hook)."""
    return stage_site(catalog, settings, related).written
