"""Frozen settings; the defaults match the repository layout."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.core.cache import CacheFolder

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPO_ROOT = Path(__file__).resolve().parents[2]


def today_in_shanghai() -> date:
    """'Today' for publication dates is China's calendar day, not the machine's UTC day.

    ``CATALOG_TODAY=YYYY-MM-DD`` pins it (tests, reproducible builds).
    """
    pinned = os.environ.get("CATALOG_TODAY")
    if pinned:
        return date.fromisoformat(pinned)
    return datetime.now(SHANGHAI).date()


@dataclass(frozen=True)
class Settings:
    content_dir: Path = Path("content")
    schema_dir: Path = REPO_ROOT / "catalog_schema"
    out_dir: Path = Path("site")
    staging_dir: Path = Path("build/docs")
    index_dir: Path = Path("build/search-index")
    mkdocs_config: Path = REPO_ROOT / "mkdocs.yml"
    overrides_dir: Path = REPO_ROOT / "site_overrides"
    kiosk: bool = False
    today: date = field(default_factory=today_in_shanghai)
    max_file_bytes: int = 2 * 1024 * 1024  # a record file larger than this is refused
    # Where runs keep their caches (generator/core/cache.py); None: beside the staging tree, so a
    # kiosk build (build/kiosk/docs) does not take the public site's caches for its own.
    cache_dir: Path | None = None
    use_cache: bool = True

    def cache_root(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else self.staging_dir.parent / "cache"

    def caches(self) -> CacheFolder:
        """The run's caches; ``use_cache=False``: every cache reads empty and writes nothing."""
        return CacheFolder(self.cache_root() if self.use_cache else None)
