"""Builds: killed at any moment they leave the published site as it was; the same input gives the
same bytes; degenerate content trees give a message and an exit code, or an empty valid site.

These tests run ``catalog build`` as a subprocess, as CI does, in their own working directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.adversarial.html_scan import scan

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"
CATALOG = [sys.executable, "-m", "generator"]
ENVIRONMENT = {"SOURCE_DATE_EPOCH": "1719792000", "CATALOG_TODAY": "2024-07-01"}
# Pagefind writes its filter shards from a Rust HashMap, in an order that changes from run to
# run, and names them (and the manifest that lists them) by their hash. Everything else of the
# site, Pagefind's word index and fragments included, is byte-identical.
NOT_REPRODUCIBLE = re.compile(
    r"^pagefind/(?:.+/)?(?:filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)$"
)
KILLS = 10

Tree = dict[str, str]  # relative path → sha256 of the bytes


def environment() -> dict[str, str]:
    return {**os.environ, **ENVIRONMENT}


def build_command(content: Path, out: str = "site", *extra: str) -> list[str]:
    return [*CATALOG, "build", "--content", str(content), "--out", out, *extra]


def catalog_build(cwd: Path, content: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        build_command(content, "site", *extra), cwd=cwd, env=environment(), capture_output=True,
        text=True, timeout=600, check=False,
    )  # fmt: skip


def tree_of(root: Path) -> Tree:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def reproducible(tree: Tree) -> Tree:
    return {path: digest for path, digest in tree.items() if not NOT_REPRODUCIBLE.search(path)}


def edited_fixture(target: Path) -> Path:
    """The fixture with one title changed and one record added: a build that changes the site."""
    content = target / "content"
    shutil.copytree(FIXTURE, content)
    record = content / "departments/edu/enrollment.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("新生入学办事指南", "新生入学办事指南（修订）"), "utf-8")
    added = (content / "departments/edu/notice-2022.md").read_text(encoding="utf-8")
    added = added.replace("2022-00007", "2022-00008").replace("开学工作", "放假工作")
    (content / "departments/edu/notice-2022b.md").write_text(added, encoding="utf-8")
    return content


@dataclass(frozen=True)
class Build:
    root: Path
    seconds: float

    @property
    def site(self) -> Path:
        return self.root / "site"


def timed_build(root: Path, content: Path) -> Build:
    started = time.perf_counter()
    completed = catalog_build(root, content)
    assert completed.returncode == 0, completed.stderr
    return Build(root, time.perf_counter() - started)


@pytest.fixture(scope="module")
def clean_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    """The fixture site built twice from scratch, in two different folders."""
    return (
        timed_build(tmp_path_factory.mktemp("first"), FIXTURE),
        timed_build(tmp_path_factory.mktemp("second"), FIXTURE),
    )


def test_two_clean_builds_are_byte_identical(clean_builds: tuple[Build, Build]) -> None:
    first, second = (tree_of(build.site) for build in clean_builds)
    assert len(first) > 100
    assert reproducible(first) == reproducible(second)
    excepted = [path for path in first if NOT_REPRODUCIBLE.search(path)]
    assert excepted and len(excepted) == len(first) - len(reproducible(first))
    assert len(first) == len(second)


def live_members(group: int) -> list[int]:
    """Processes of a process group that are still running (zombies do not write)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def kill_during_build(root: Path, content: Path, delay: float) -> bool:
    """Start a build, SIGKILL its main process after ``delay`` seconds; True if it was running."""
    process = subprocess.Popen(
        build_command(content), cwd=root, env=environment(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    time.sleep(delay)
    running = process.poll() is None
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while live_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = live_members(process.pid)
    for pid in left:  # never leave a writer behind, even if the assertion below fails
        os.kill(pid, 9)
    assert left == [], "the builder outlived catalog build"
    return running


def test_a_killed_build_leaves_the_previous_site_intact(
    clean_builds: tuple[Build, Build], tmp_path: Path
) -> None:
    reference = timed_build(tmp_path / "reference", edited_fixture(tmp_path / "reference"))
    new = reproducible(tree_of(reference.site))
    root = tmp_path / "killed"
    content = edited_fixture(root)
    shutil.copytree(clean_builds[0].site, root / "site")
    old = tree_of(root / "site")
    outcomes = []
    for kill in range(1, KILLS + 1):
        delay = reference.seconds * kill / (KILLS + 1)
        running = kill_during_build(root, content, delay)
        current = tree_of(root / "site")
        assert current == old or reproducible(current) == new, f"site changed by kill {kill}"
        leftovers = sorted(p.name for p in root.iterdir() if p.name.startswith(".site-"))
        outcomes.append((round(delay, 2), running, current == old, leftovers))
    assert any(running and leftovers for _, running, _, leftovers in outcomes), outcomes
    completed = catalog_build(root, content)
    assert completed.returncode == 0, completed.stderr
    assert reproducible(tree_of(root / "site")) == new
    assert sorted(p.name for p in root.iterdir()) == ["build", "content", "site"]


# ---------------------------------------------------------------- degenerate content trees


def test_empty_content_tree_is_a_message_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    completed = catalog_build(tmp_path, tmp_path / "content")
    assert completed.returncode == 1
    assert "找不到 site.yml" in completed.stdout and "未生成网站" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "site").exists()


def test_site_without_departments_is_an_empty_valid_site(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    shutil.copy(FIXTURE / "site.yml", tmp_path / "content/site.yml")
    completed = catalog_build(tmp_path, tmp_path / "content")
    assert completed.returncode == 0, completed.stderr
    assert "公开 0 条信息" in completed.stdout
    assert_empty_valid_site(tmp_path / "site")


def assert_empty_valid_site(site: Path) -> None:
    assert json.loads((site / "catalog.json").read_text(encoding="utf-8"))["count"] == 0
    assert not (site / "records").exists()
    for page in ("index.html", "guide.html", "browse.html", "404.html"):
        assert scan((site / page).read_text(encoding="utf-8")).meta("Content-Security-Policy")


def test_tree_with_only_errors_refuses_and_keeps_the_old_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for record in content.glob("departments/**/*.md"):
        record.write_text("---\ntitle: [未闭合\n---\n正文\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text("旧网站", encoding="utf-8")
    completed = catalog_build(tmp_path, content)
    assert completed.returncode == 1
    assert completed.stdout.count("[yaml-syntax]") == len(list(content.glob("departments/**/*.md")))
    assert "Traceback" not in completed.stderr
    assert tree_of(tmp_path / "site") == {
        "index.html": hashlib.sha256("旧网站".encode()).hexdigest()
    }


def test_every_record_scheduled_is_an_empty_valid_site(tmp_path: Path) -> None:
    completed = catalog_build(tmp_path, FIXTURE, "--today", "2020-01-01")
    assert completed.returncode == 0, completed.stderr
    assert "公开 0 条信息" in completed.stdout
    site = tmp_path / "site"
    assert_empty_valid_site(site)
    embargoed = "青禾区义务教育阶段新生入学办事指南"  # a record title: published later
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".js"):
            assert embargoed not in path.read_text(encoding="utf-8", errors="replace"), path
