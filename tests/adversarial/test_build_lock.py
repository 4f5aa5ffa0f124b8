"""One build at a time: a second ``catalog build`` on the same folders exits 2 naming the first
one's process (or waits with ``--wait``), never a traceback; stale partial folders are removed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from generator.builder.lock import BuildLockedError, build_lock
from generator.core.settings import Settings
from tests.adversarial.test_builds import CATALOG, FIXTURE, environment


def settings_in(root: Path) -> Settings:
    return replace(Settings(), cache_dir=root / "build/cache", staging_dir=root / "build/docs")


def catalog_build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CATALOG, "build", "--content", "content", *extra], cwd=root, env=environment(),
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path


def test_a_second_build_exits_2_naming_the_first(root: Path) -> None:
    with build_lock(settings_in(root)):
        completed = catalog_build(root)
    assert completed.returncode == 2
    assert f"另一个构建（进程 {os.getpid()}）正在使用" in completed.stderr
    assert "--wait" in completed.stderr and "Traceback" not in completed.stderr
    assert not (root / "site").exists()
    assert catalog_build(root).returncode == 0  # the lock went with its holder


def test_a_waiting_build_runs_when_the_first_ends(root: Path) -> None:
    release = threading.Event()
    holding = threading.Event()

    def hold() -> None:
        with build_lock(settings_in(root)):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    process = subprocess.Popen(
        [*CATALOG, "build", "--content", "content", "--wait"], cwd=root, env=environment(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=3)  # still waiting: nothing built
        assert not (root / "site").exists()
    finally:
        release.set()
        holder.join()
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert (root / "site/index.html").is_file()


def test_a_lock_in_use_raises_in_process(tmp_path: Path) -> None:
    with (
        build_lock(settings_in(tmp_path)),
        pytest.raises(BuildLockedError, match=f"进程 {os.getpid()}"),
        build_lock(settings_in(tmp_path)),
    ):
        pass


def test_stale_partial_folders_of_killed_builds_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / "build/partial-docs-k1ll3d"
    (stale / "records").mkdir(parents=True)
    stage = tmp_path / "build/cache/pagefind-shards/pagefind-stage-k1ll3d"
    stage.mkdir(parents=True)
    kept = tmp_path / "build/docs"
    kept.mkdir()
    with build_lock(settings_in(tmp_path)):
        assert not stale.exists() and not stage.exists() and kept.is_dir()


def test_two_builds_at_once_never_corrupt_or_crash(root: Path) -> None:
    command = [*CATALOG, "build", "--content", "content"]
    processes = [
        subprocess.Popen(command, cwd=root, env=environment(), stderr=subprocess.PIPE, text=True)
        for _ in "ab"
    ]
    results = [(p.wait(timeout=600), p.communicate()[1]) for p in processes]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2]), results
    assert all("Traceback" not in err for _, err in results)
    assert (root / "site/index.html").is_file()
