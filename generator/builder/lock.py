"""One build at a time on the same caches: an exclusive ``flock`` on ``<cache>/build.lock``.

Two builds sharing ``build/`` overwrite each other's staging tree, caches and index; the second
one now stops with a message naming the first one's process (or waits for it).  The operating
system drops the lock when its holder dies, so a killed build never leaves a stale lock.  Folders
a killed build left behind (``partial-docs-*`` beside the staging tree) belong to no running build
once the lock is held, and are removed, as are the Pagefind stages beside the cached shards.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.core.settings import Settings
from generator.search.pagefind_index import STAGE_PREFIX

LOCK_NAME = "build.lock"
STALE_PREFIXES = ("partial-docs-",)  # temporary folders of a build, beside the staging tree


class BuildLockedError(Exception):
    """Another build holds the lock; the message names its process."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        who = f"进程 {holder}" if holder else "另一个进程"
        super().__init__(
            f"另一个构建（{who}）正在使用 {path.parent}，两个构建同时写同一批缓存会互相破坏。"
            "请等它完成后再运行；或加 --wait 排队等待。"
            f"如果确认没有构建在运行，说明锁文件 {path} 已无人持有，直接重试即可。"
        )


def lock_path(settings: Settings) -> Path:
    return settings.cache_root() / LOCK_NAME


@contextmanager
def build_lock(settings: Settings, *, wait: bool = False) -> Iterator[None]:
    """Hold the build lock for the ``with`` block; ``BuildLockedError`` if it is taken and not
    ``wait``.  The lock file keeps the holder's PID for the message of the next build."""
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        if not _lock(handle.fileno(), block=False):
            handle.seek(0)
            holder = handle.read().strip()
            if not wait:
                raise BuildLockedError(path, holder)
            _lock(handle.fileno(), block=True)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            remove_stale_folders(settings)
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle.fileno())


def remove_stale_folders(settings: Settings) -> list[Path]:
    """Temporary folders of killed builds: ``partial-docs-*`` beside the staging tree, Pagefind
    stages beside the cached shards (only call with the lock held)."""
    places = [(settings.staging_dir.parent, STALE_PREFIXES)]
    places.append((settings.cache_root() / "pagefind-shards", (STAGE_PREFIX,)))
    stale = [
        path
        for parent, prefixes in places
        if parent.is_dir()
        for path in parent.iterdir()
        if path.is_dir() and path.name.startswith(prefixes)
    ]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int, *, block: bool) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if block else msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int, *, block: bool) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
