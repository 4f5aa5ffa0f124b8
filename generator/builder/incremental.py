"""What a warm build renders again, and what it takes from the site already built.

MkDocs renders each page from its own Markdown, the configuration and the theme; links are
written as ``.html`` by the generator, so a page's HTML does not depend on the other pages
being present (the nav is fixed in mkdocs.yml). A warm build therefore lets MkDocs render only
the staging files that changed since the site in ``--out`` was built (plus the nav's pages),
and takes every other page from the previous site. The ``site-sources`` cache file records
which staging bytes the current site was built from; it is removed before a swap and written
after it, so a crash in between means a cold build next time, never a stale page.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.core.cache import CacheFile, fingerprint
from generator.core.site_paths import html_path

BUILDER_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


@dataclass(frozen=True)
class SiteSources:
    """What the site in ``out_dir`` was built from: the builder's fingerprint (configuration,
    theme overrides, versions) and each staging file's sha256."""

    fingerprint: str
    out_dir: str
    files: dict[str, str]  # staging path → sha256 of its bytes


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digests(root: Path) -> dict[str, str]:
    """Relative POSIX path → sha256 of every file under ``root`` (empty when missing)."""
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): file_digest(p)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def builder_fingerprint(inputs: Sequence[Path]) -> str:
    """What every page depends on besides its own Markdown: files, package versions, the epoch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return fingerprint(epoch, files=inputs, packages=BUILDER_PACKAGES).hex()


def current_sources(
    config: Path,
    inputs: Sequence[Path],
    docs_dir: Path,
    out_dir: Path,
    digests: Mapping[str, str] | None,
) -> SiteSources:
    """``digests``: the staging files' sha256 when the caller knows them; else they are read."""
    files = dict(sorted(digests.items())) if digests is not None else tree_digests(docs_dir)
    return SiteSources(builder_fingerprint([config, *inputs]), str(out_dir.resolve()), files)


def read_sources(file: CacheFile, current: SiteSources) -> SiteSources | None:
    """The sources of the site built last, if it was built with the current builder."""
    kept = file.read(bytes.fromhex(current.fingerprint))
    if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], dict)):
        return None
    return SiteSources(current.fingerprint, str(kept[0]), kept[1])


def write_sources(file: CacheFile, sources: SiteSources) -> None:
    file.write(bytes.fromhex(sources.fingerprint), (sources.out_dir, sources.files))


def always_rendered(staged: str, nav: Collection[str] | None = None) -> bool:
    """The nav's pages, rendered on every build (MkDocs refuses a nav entry without its file).

    ``nav``: the pages named in the configuration's nav; without it every top-level page and
    section index (a superset: ``art20.md`` alone is 5 MB of Markdown at 10,000 records).
    """
    if staged == "404.md":  # every MkDocs run writes the theme's 404.html: ours must follow
        return True
    if nav is not None:
        return staged in nav
    parts = staged.split("/")
    return staged.endswith(".md") and (len(parts) == 1 or parts[1:] == ["index.md"])


NAV_BLOCK = re.compile(r"(?m)^nav:[ \t]*\n((?:(?:[ \t]+.*)?\n)*)")
NAV_ENTRY = re.compile(r"^\s*-\s*(?:[^:\n]+:\s*)?([^\s:'\"]+\.md)\s*$")


def nav_pages(config: Path) -> frozenset[str] | None:
    """The pages the ``nav:`` block of ``config`` names; None when it has no such block."""
    block = NAV_BLOCK.search(config.read_text(encoding="utf-8"))
    if block is None:
        return None
    pages = frozenset(m[1] for line in block[1].splitlines() if (m := NAV_ENTRY.match(line)))
    return pages or None


@dataclass(frozen=True)
class PartialPlan:
    render: list[str]  # staging files MkDocs renders now
    reuse: list[str]  # site files taken from the previous site


CHANGED_BUILDER = "mkdocs.yml、主题、模板或生成器版本与上次构建不同"


def plan_partial(
    previous: SiteSources | None,
    current: SiteSources,
    out_dir: Path,
    nav: Collection[str] | None = None,
) -> PartialPlan | str:
    """What a warm build renders and reuses, or (Chinese) why it must build everything: "" when
    there is no earlier build to start from."""
    if previous is None:
        return ""
    if previous.fingerprint != current.fingerprint:
        return CHANGED_BUILDER
    if previous.out_dir != current.out_dir or not out_dir.is_dir():
        return "输出目录与上次构建不同，或已被删除"
    render, reuse = [], []
    for staged, digest in current.files.items():
        if previous.files.get(staged) == digest and not always_rendered(staged, nav):
            reuse.append(html_path(staged))
        else:
            render.append(staged)
    missing = [path for path in reuse if not (out_dir / path).is_file()]
    if missing:
        return f"上次生成的网站缺少 {len(missing)} 个页面（如 {missing[0]}）"
    return PartialPlan(render, reuse)
