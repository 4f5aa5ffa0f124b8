"""Run the site builder on the staging tree and swap the result in atomically.

The builder is a subprocess (MkDocs + Material today; any program that reads ``mkdocs.yml`` can
replace it). It writes into a fresh directory next to ``--out``; only when every step has
succeeded does that directory replace ``--out``. A failed build leaves the previous site as it was.
"""

from __future__ import annotations

import os
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


def run_builder(config: Path, docs_dir: Path, site_dir: Path) -> BuilderRun:
    completed = subprocess.run(
        builder_command(config, docs_dir, site_dir),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=builder_environment(),
        check=False,
    )
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise SiteBuildError(
            f"MkDocs 构建失败（退出码 {completed.returncode}），原网站未改动。", output
        )
    return BuilderRun(output=output)


@contextmanager
def fresh_site_dir(out_dir: Path) -> Iterator[Path]:
    """A new empty directory beside ``out_dir``; removed again if the build does not finish."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    try:
        yield temporary
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Replace ``out_dir``: rename the old away, rename ``new_dir`` in, delete the old."""
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
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
