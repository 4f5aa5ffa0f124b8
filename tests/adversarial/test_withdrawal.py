"""Withdrawal is total: a record that leaves the published set, by deletion or by moving its
``published`` date into the future, leaves every byte of the site, the Whoosh index and the kiosk
bundle in the next (incremental) build.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.adversarial.test_builds import CATALOG, FIXTURE, environment

NAME = "翟翾翿"  # a personal name no other file holds
NOTICE = f"""---
id: 11339901MB1C0475XN/2022-00091
title: 关于{NAME}同志任职的通知
category: policies
summary: 任命{NAME}为区教育局办公室主任。
written: 2022-08-15
published: 2022-08-17
---
经研究决定，任命{NAME}同志为区教育局办公室主任。
"""


def build(root: Path, *extra: str) -> None:
    completed = subprocess.run(
        [*CATALOG, "build", "--content", "content", *extra], cwd=root, env=environment(),
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr


def holders(folder: Path) -> list[str]:
    """Files under ``folder`` whose raw bytes hold the name (UTF-8, or escaped as JSON does)."""
    needles = (NAME.encode(), NAME.encode("unicode_escape"), NAME.encode("unicode_escape").upper())
    return [
        p.relative_to(folder).as_posix()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and any(n in p.read_bytes() for n in needles)
    ]


@pytest.mark.parametrize("how", ["deleted", "rescheduled"])
def test_a_withdrawn_record_leaves_site_index_and_kiosk(tmp_path: Path, how: str) -> None:
    shutil.copytree(FIXTURE, tmp_path / "content")
    notice = tmp_path / "content/departments/edu/appointment.md"
    notice.write_text(NOTICE, encoding="utf-8")
    build(tmp_path)
    build(tmp_path, "--kiosk")
    published = {f: holders(tmp_path / f) for f in ("site", "build/search-index", "kiosk")}
    assert all(published.values()), published  # the name was there: the search below means it
    if how == "deleted":
        notice.unlink()
    else:
        notice.write_text(NOTICE.replace("published: 2022-08-17", "published: 2099-01-04"), "utf-8")
    build(tmp_path)
    build(tmp_path, "--kiosk")
    left = {f: holders(tmp_path / f) for f in ("site", "build/search-index", "kiosk")}
    assert left == {"site": [], "build/search-index": [], "kiosk": []}
