"""What runs keep between them: one folder, one fingerprint, one file format, one atomic write.

Every cache of the generator (validation results, related records, rendered record bodies, the
staging pages written, the sources of the built site, Pagefind's shards) lives under
``Settings.cache_root()``: ``build/cache`` beside the staging tree (the kiosk's
``build/kiosk/cache``), or ``Settings.cache_dir``. A cache file is ``marshal`` of
``(FORMAT, Python version, fingerprint, value)``: the fingerprint hashes everything the value was
computed from besides what its own keys say (code, library versions, settings). A file that is
missing, damaged, foreign or of another fingerprint reads as None, and a write that fails (a
read-only checkout) is ignored: a cache only ever costs speed, never correctness.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

FORMAT = 1  # bump when the layout of a cache file changes
PYTHON = sys.version  # marshal's format and our values' reprs may change with it


def fingerprint(*values: object, files: Iterable[Path] = (), packages: Iterable[str] = ()) -> bytes:
    """sha256 of ``values`` (their ``repr``), the installed versions of ``packages`` and the
    bytes of ``files`` (a folder: every file under it, by relative path)."""
    digest = hashlib.sha256(repr(values).encode("utf-8", "surrogatepass"))
    for name in packages:
        try:
            digest.update(f"\0{name}={version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{name}=-".encode())
    for path in files:
        digest.update(b"\0" + os.fsencode(path.resolve()))
        below = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in below:
            digest.update(b"\0" + file.relative_to(path).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.digest()


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one step: a reader sees the old bytes or the new ones."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named by process and thread (no two writers share it), created as any file (umask).
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class CacheFile:
    """One cache file; ``path`` None: caching is off, nothing is read or written."""

    path: Path | None

    def read(self, made_from: bytes) -> Any:
        """The value written with the fingerprint ``made_from``; None for anything else."""
        if self.path is None:
            return None
        try:
            found: Any = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if (
            isinstance(found, tuple)
            and len(found) == 4
            and found[:3] == (FORMAT, PYTHON, made_from)
        ):
            return found[3]
        return None

    def write(self, made_from: bytes, value: Any) -> bool:
        """Keep ``value``; False when it could not be written (the run goes on without)."""
        if self.path is None:
            return False
        try:
            write_atomically(self.path, marshal.dumps((FORMAT, PYTHON, made_from, value)))
        except (OSError, ValueError):  # ValueError: a value marshal cannot write
            return False
        return True

    def remove(self) -> None:
        """Forget the value (before the thing it describes changes, so a crash leaves none)."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class CacheFolder:
    """The caches of one run: ``root`` None when caching is off."""

    root: Path | None

    def file(self, name: str) -> CacheFile:
        return CacheFile(None if self.root is None else self.root / f"{name}.marshal")

    def folder(self, name: str) -> Path | None:
        """A folder for a cache that is not one value (Pagefind's shard bundles)."""
        return None if self.root is None else self.root / name


NO_CACHE = CacheFile(None)  # a default for callers that keep nothing between runs
