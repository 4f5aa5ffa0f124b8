"""The new site is built in a fresh directory beside ``--out`` and swapped in atomically.

Only when every stage has succeeded does that directory replace ``--out``, in one atomic
exchange on Linux. A failed or killed build leaves the previous site as it was; its leftovers
are removed by the next build.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.builder.processes import libc


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_dirs(out_dir: Path) -> list[Path]:
    """Delete the temporary siblings of ``out_dir`` left by builds that were killed.

    Their names carry the builder's process id; a directory whose process is gone is stale.
    """
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}-(?:new|old)-(\d+)-\w+")
    removed = []
    for sibling in sorted(out_dir.parent.glob(f".{out_dir.name}-*")):
        match = pattern.fullmatch(sibling.name)
        if match and sibling.is_dir() and not sibling.is_symlink() and not _alive(int(match[1])):
            shutil.rmtree(sibling, ignore_errors=True)
            removed.append(sibling)
    return removed


@contextmanager
def fresh_site_dir(out_dir: Path) -> Iterator[Path]:
    """A new empty directory beside ``out_dir``; removed again if the build does not finish."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_dirs(out_dir)
    temporary = Path(
        tempfile.mkdtemp(prefix=f".{out_dir.name}-new-{os.getpid()}-", dir=out_dir.parent)
    )
    try:
        yield temporary
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)


def exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux ``renameat2(RENAME_EXCHANGE)``).

    False where the system or file system cannot; an ``OSError`` for any other failure.
    """
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``new_dir`` and delete the old site.

    With an atomic exchange there is no moment without a site; elsewhere the old site is
    renamed away first and put back if ``new_dir`` cannot take its place.
    """
    new_dir.chmod(0o755)
    if out_dir.is_dir() and not out_dir.is_symlink() and exchange(new_dir, out_dir):
        shutil.rmtree(new_dir)  # it now holds the old site
        return
    old = None
    if out_dir.exists():
        prefix = f".{out_dir.name}-old-{os.getpid()}-"
        old = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
        old.rmdir()
        out_dir.rename(old)
    try:
        new_dir.rename(out_dir)
    except OSError:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old)
