"""Incremental builds: a warm build renders only changed pages and equals a clean cold build."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.builder.build import PAGES_ONLY, build_site
from generator.builder.incremental import (
    PartialPlan,
    SiteSources,
    always_rendered,
    nav_pages,
    plan_partial,
    tree_digests,
)
from generator.core.settings import REPO_ROOT, Settings
from generator.core.site_paths import html_path
from tests.test_build import FIXTURE, settings_for

# Pagefind writes its filter shards from a Rust HashMap in an order that changes from run to run
# and names them, and the files listing them, by their hash (tests/adversarial/test_builds.py):
# the only files in which two builds of the same content may differ.
NOT_REPRODUCIBLE = re.compile(
    r"pagefind/[^/]+-pagefind/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta"
    r"|pagefind-entry\.json)$"
)
EPOCH = "1719792000"

Edit = Callable[[Path], None]


def site_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not NOT_REPRODUCIBLE.search(p.relative_to(root).as_posix())
    }


def retitle(content: Path) -> None:
    record = content / "departments/edu/enrollment.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("新生入学办事指南", "新生入学办事指南（修订）"), "utf-8")


def add_and_remove(content: Path) -> None:
    source = content / "departments/edu/enrollment.md"
    text = source.read_text(encoding="utf-8")
    copy = re.sub(r"(?m)^id: (.*)-(\d+)$", lambda m: f"id: {m[1]}-{int(m[2]) + 900:05d}", text)
    assert copy != text
    (content / "departments/edu/enrollment-copy.md").write_text(
        copy.replace("新生入学办事指南", "新生入学办事指南（副本）"), "utf-8"
    )
    (content / "departments/civil-affairs/penalty.md").unlink()


def fresh_content(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    return content


@pytest.mark.parametrize("edit", [retitle, add_and_remove], ids=["edit", "add-remove"])
def test_warm_build_equals_a_clean_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    warm_root, cold_root = tmp_path / "warm", tmp_path / "cold"
    warm = settings_for(warm_root, fresh_content(warm_root))
    assert build_site(warm).ok
    first = site_tree(warm.out_dir)
    edit(warm.content_dir)
    result = build_site(warm)
    assert result.ok, result.problems
    assert any("增量构建" in note for note in result.notes)  # only changed pages were rendered
    cold = settings_for(cold_root, fresh_content(cold_root))
    edit(cold.content_dir)
    assert build_site(cold).ok
    assert site_tree(warm.out_dir) == site_tree(cold.out_dir)
    assert site_tree(warm.out_dir) != first


def test_warm_build_renders_only_the_pages_whose_inputs_changed(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, fresh_content(tmp_path))
    cold = build_site(settings, PAGES_ONLY)
    assert cold.ok and cold.staged is not None
    assert cold.staged.digests == tree_digests(settings.staging_dir)
    unchanged = build_site(settings, PAGES_ONLY)
    assert unchanged.staged is not None and unchanged.staged.written == []
    retitle(settings.content_dir)
    warm = build_site(settings, PAGES_ONLY)
    assert warm.ok and warm.staged is not None
    assert "records/edu/enrollment.md" in warm.staged.written
    assert "categories/index.md" not in warm.staged.written  # no row of it changed
    assert "records/office/policies/measures-2023.md" not in warm.staged.written
    assert len(warm.staged.written) < len(cold.staged.written) / 3
    # the digests of pages not rendered again come from the stamps, and are still right
    assert warm.staged.digests == tree_digests(settings.staging_dir)


def test_a_staging_page_changed_by_hand_is_rendered_again(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, fresh_content(tmp_path))
    assert build_site(settings, PAGES_ONLY).ok
    page = settings.staging_dir / "records/edu/enrollment.md"
    original = page.read_bytes()
    page.write_bytes(original.replace("新生入学".encode(), "改过的".encode()))
    warm = build_site(settings, PAGES_ONLY)
    assert warm.staged is not None and warm.staged.written == ["records/edu/enrollment.md"]
    assert page.read_bytes() == original


def test_changed_configuration_builds_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    settings = settings_for(tmp_path)
    assert build_site(settings, PAGES_ONLY).ok
    assert build_site(settings, PAGES_ONLY).notes  # nothing changed: a warm build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # part of the builder's fingerprint
    [line] = build_site(settings, PAGES_ONLY).notes
    assert line.startswith(
        "提示：本次不能增量构建（mkdocs.yml、主题、模板或生成器版本与上次构建不同）"
    )


def test_a_page_missing_from_the_last_site_says_why_everything_is_built(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    assert build_site(settings, PAGES_ONLY).ok
    (settings.out_dir / "records/edu/enrollment.html").unlink()
    [line] = build_site(settings, PAGES_ONLY).notes
    assert "上次生成的网站缺少 1 个页面（如 records/edu/enrollment.html）" in line
    assert (settings.out_dir / "records/edu/enrollment.html").is_file()


def manifest(files: dict[str, str], fingerprint: str = "f", out: str = "/site") -> SiteSources:
    return SiteSources(fingerprint, out, files)


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    for path in ("records/a.html", "records/b.html", "index.html", "files/x.pdf"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("old", encoding="utf-8")
    return tmp_path


OLD_FILES = {"records/a.md": "1", "records/b.md": "2", "index.md": "3", "files/x.pdf": "4"}


def test_plan_renders_changed_and_nav_pages_and_reuses_the_rest(old_site: Path) -> None:
    previous = manifest(OLD_FILES, out=str(old_site))
    current = manifest(OLD_FILES | {"records/b.md": "9", "records/c.md": "5"}, out=str(old_site))
    assert plan_partial(previous, current, old_site) == PartialPlan(
        render=["records/b.md", "index.md", "records/c.md"],
        reuse=["records/a.html", "files/x.pdf"],
    )


@pytest.mark.parametrize(
    ("previous", "current"),
    [
        (None, manifest(OLD_FILES)),
        (manifest(OLD_FILES), manifest(OLD_FILES, fingerprint="other")),
        (manifest(OLD_FILES), manifest(OLD_FILES, out="/elsewhere")),
        (manifest(OLD_FILES | {"records/d.md": "6"}), manifest(OLD_FILES | {"records/d.md": "6"})),
    ],
    ids=["no-manifest", "new-config", "other-out-dir", "page-missing-from-site"],
)
def test_plan_falls_back_to_a_full_build(
    previous: SiteSources | None, current: SiteSources, old_site: Path
) -> None:
    def here(m: SiteSources | None) -> SiteSources | None:
        return m and SiteSources(m.fingerprint, m.out_dir.replace("/site", str(old_site)), m.files)

    assert isinstance(plan_partial(here(previous), here(current), old_site), str)


@pytest.mark.parametrize(
    ("staged", "built", "always"),
    [
        ("index.md", "index.html", True),
        ("categories/index.md", "categories/index.html", True),
        ("categories/policy/page-2.md", "categories/policy/page-2.html", False),
        ("records/edu/a.md", "records/edu/a.html", False),
        ("files/edu/a.pdf", "files/edu/a.pdf", False),
    ],
)
def test_built_paths(staged: str, built: str, always: bool) -> None:
    assert html_path(staged) == built
    assert always_rendered(staged) is always


def test_the_caches_are_beside_the_staging_tree_unless_settings_say_where() -> None:
    assert Settings().cache_root() == Path("build/cache")
    kiosk = Settings(staging_dir=Path("build/kiosk/docs"))
    assert kiosk.cache_root() == Path("build/kiosk/cache")
    assert Settings(cache_dir=Path("elsewhere")).cache_root() == Path("elsewhere")
    assert Settings(use_cache=False).caches().file("x").path is None


def test_nav_pages_are_the_pages_the_configuration_names(tmp_path: Path) -> None:
    nav = nav_pages(REPO_ROOT / "mkdocs.yml")
    assert nav is not None and {"index.md", "categories/index.md", "supervision.md"} <= nav
    assert always_rendered("index.md", nav)
    assert not always_rendered("art20.md", nav)  # a top-level page out of the nav
    assert not always_rendered("years/index.md", nav)
    bare = tmp_path / "mkdocs.yml"
    bare.write_text("site_name: x\nINHERIT: ../mkdocs.yml\n", encoding="utf-8")
    assert nav_pages(bare) is None  # then every top-level page and section index
