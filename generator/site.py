"""Run the site builder on the staging tree and swap the result in atomically.

The builder is a subprocess (MkDocs + Material today; any program that reads ``mkdocs.yml`` can
replace it). It writes into a fresh directory next to ``--out``; only when every step has
succeeded does that directory replace ``--out``, in one atomic exchange on Linux. A failed or
killed build leaves the previous site as it was; its leftovers are removed by the next build.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# ``mkdocs build`` has no option for docs_dir; load_config takes it as an override, exactly as
# the CLI passes ``--site-dir``. Paths arrive absolute, so the working directory does not matter.
MKDOCS_SCRIPT = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file=sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3],
                     strict=True)
build(config)
"""


class SiteBuildError(Exception):
    """The site builder failed; ``output`` is what it printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


@dataclass(frozen=True)
class BuilderRun:
    output: str


def builder_command(config: Path, docs_dir: Path, site_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        MKDOCS_SCRIPT,
        str(config.resolve()),
        str(docs_dir.resolve()),
        str(site_dir.resolve()),
    ]


def builder_environment() -> dict[str, str]:
    """The caller's environment (``SOURCE_DATE_EPOCH`` passes through) without the 2.0 banner."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}


def _libc() -> ctypes.CDLL | None:
    return ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the builder is killed when ``catalog build`` dies (a killed build leaves no writer)."""
    libc = _libc()
    if libc is not None:
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


def run_builder(config: Path, docs_dir: Path, site_dir: Path) -> BuilderRun:
    completed = subprocess.run(
        builder_command(config, docs_dir, site_dir),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=builder_environment(),
        check=False,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise SiteBuildError(
            f"MkDocs 构建失败（退出码 {completed.returncode}），原网站未改动。", output
        )
    return BuilderRun(output=output)


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
    libc = _libc()
    renameat2 = getattr(libc, "renameat2", None)
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


SiteStep = Callable[[Path], object]


def build_site_dir(
    config: Path, docs_dir: Path, out_dir: Path, steps: list[SiteStep]
) -> BuilderRun:
    """Builder into a fresh directory, then each step on it (exports, Pagefind…), then swap."""
    with fresh_site_dir(out_dir) as new_dir:
        run = run_builder(config, docs_dir, new_dir)
        for step in steps:
            step(new_dir)
        new_dir.chmod(0o755)
        swap_in(new_dir, out_dir)
    return run
