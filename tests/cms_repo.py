"""A clerk's repository for the browser-editor tests: the fixture site committed on ``main``."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

from generator.core.settings import Settings

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"
TODAY = date(2024, 7, 1)
IDENTITY = ["-c", "user.name=测试", "-c", "user.email=test@example.invalid"]


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *IDENTITY, *args], capture_output=True, text=True, check=True
    ).stdout


def make_repo(root: Path) -> Path:
    """``root`` with ``content/`` = the fixture site, committed on ``main``; returns content/."""
    shutil.copytree(FIXTURE, root / "content")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    return root / "content"


def settings_for(content: Path) -> Settings:
    return replace(Settings(), content_dir=content, today=TODAY, cache_dir=None)


NEW_RECORD = """---
title: 青禾区教育局关于做好2024年暑期托管服务的通知
category: policies
summary: 明确暑期托管服务的对象、时间、内容和收费。
written: 2024-06-10
published: 2024-06-12
topic: 科技、教育\\教育
doc_number: ''
keywords:
  - 暑期托管
  - 义务教育
attachments:
  - file: files/报名表.pdf
    title: 暑期托管报名表
---
各中小学：

现将2024年暑期托管服务有关事项通知如下。
"""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
