"""A content tree in a git repository, for the audit tests: one department, one fresh record per
category, annual reports on time, commits dated with ``GIT_COMMITTER_DATE``.

Audited on ``ON`` it has no finding at all; each test changes one thing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"
ON = date(2025, 6, 16)  # a Monday
ROOT_DAY = date(2025, 1, 2)
FRESH = date(2025, 6, 10)  # a Tuesday
EDU = "11339901MB1C0475XN"
TEMPLATES = {  # one fixture record per category
    "duties": "office/duties.md",
    "policies": "edu/notice-2022.md",
    "services": "edu/enrollment.md",
    "livelihood": "edu/renovation.md",
    "public-interest": "civil-affairs/dibao.md",
    "rights-affecting": "civil-affairs/penalty.md",
    "commitments": "civil-affairs/commitment.md",
    "supervision": "edu/supervision.md",
    "hot-topics": "civil-affairs/heating.md",
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "编辑",
    "GIT_AUTHOR_EMAIL": "editor@example.invalid",
    "GIT_COMMITTER_NAME": "编辑",
    "GIT_COMMITTER_EMAIL": "editor@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class Tree:
    repo: Path
    seq: int = 0

    @property
    def content(self) -> Path:
        return self.repo / "content"

    def git(self, *args: str, day: date | None = None) -> str:
        env = {**os.environ, **GIT_ENV}
        if day is not None:
            stamp = f"{day.isoformat()}T10:00:00+08:00"
            env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        done = subprocess.run(
            ["git", *args], cwd=self.repo, check=True, capture_output=True, text=True, env=env
        )
        return done.stdout

    def commit(self, day: date, message: str = "更新", *, trailer: str | None = None) -> None:
        self.git("add", "-A")
        text = message if trailer is None else f"{message}\n\n{trailer}"
        self.git("commit", "-q", "-m", text, day=day)

    def record(self, slug: str, category: str, published: date, **fields: Any) -> str:
        """Write a valid record of ``category``; returns its 索引号."""
        self.seq += 1
        source = FIXTURE / "departments" / TEMPLATES[category]
        _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
        body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)  # links to other fixture records
        data = yaml.safe_load(front)
        for key in ("related", "validity", "expires", "doc_number", "art20"):
            data.pop(key, None)
        written = fields.pop("written", published)
        record_id = fields.pop("id", f"{EDU}/{published.year}-{self.seq:05d}")
        data |= {
            "id": record_id,
            "written": written.isoformat(),
            "published": published.isoformat(),
        }
        data |= {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}
        data = {k: v for k, v in data.items() if v is not None}
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path = self.content / "departments" / "edu" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        return record_id

    def remove(self, slug: str) -> None:
        (self.content / "departments" / "edu" / f"{slug}.md").unlink()

    def report(self, year: int, body: str, published: date | None) -> None:
        path = self.content / "reports" / str(year) / f"{body}.yml"
        if published is None:
            path.unlink()
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_text(published), encoding="utf-8")
        site = (self.content / "site.yml").read_text(encoding="utf-8")
        if body == "government" and "government_department:" not in site:
            self.site_yml("government_department: edu\n")  # its catalog lists the district's

    def site_yml(self, extra: str) -> None:
        path = self.content / "site.yml"
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")

    def replace_in_site_yml(self, old: str, new: str) -> None:
        path = self.content / "site.yml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")


def make_tree(repo: Path, **published: date) -> Tree:
    """The clean tree: the skeleton in the first commit, then each record committed on the day
    it was published (2025-06-10 unless ``published`` gives its category another day)."""
    tree = Tree(repo)
    content = tree.content
    content.mkdir(parents=True)
    shutil.copy(FIXTURE / "site.yml", content / "site.yml")
    shutil.copy(FIXTURE / "guide.md", content / "guide.md")
    (content / "departments" / "edu").mkdir(parents=True)
    shutil.copy(FIXTURE / "departments/edu/department.yml", content / "departments/edu")
    tree.report(2024, "edu", date(2025, 1, 20))
    tree.report(2024, "government", date(2025, 3, 20))
    tree.git("init", "-q", "-b", "main")
    tree.commit(ROOT_DAY, "骨架")
    days = {category: published.get(category.replace("-", "_"), FRESH) for category in TEMPLATES}
    for category, day in sorted(days.items(), key=lambda item: item[1]):
        art20 = list(range(1, 16)) if category == "duties" else None
        tree.record(category, category, day, written=day - timedelta(days=1), art20=art20)
        tree.commit(day, f"发布{category}")
    return tree


SAMPLE_REPORT = Path(__file__).resolve().parent.parent / "content" / "reports" / "2025" / "edu.yml"


def report_text(published: date) -> str:
    """A valid annual report (the sample's text, every table number 0) of a body in ``edu``."""
    text = SAMPLE_REPORT.read_text(encoding="utf-8")
    zeros = lambda m: "[" + ", ".join("0" for _ in m[0].split(",")) + "]"  # noqa: E731
    text = re.sub(r"\[[0-9, .]+\]", zeros, text)
    day = published.isoformat()
    text = re.sub(r'^published: "[0-9-]+"', f'published: "{day}"', text, flags=re.M)
    serial = f"{published.year}-09{published.month:02d}{published.day % 10}"
    return re.sub(r"^id: \S+", f"id: {EDU}/{serial}", text, flags=re.M)
