"""A clerk's repository for the browser-editor tests: the fixture site committed on ``main``."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

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


class FakeForge(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []  # noqa: RUF012 (one fake per test, reset by the fixture)
    answer = 201

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeForge.received.append(
            {"path": self.path, "auth": self.headers["Authorization"], **body}
        )
        data = json.dumps({"html_url": f"http://127.0.0.1/pulls/{len(FakeForge.received)}"})
        self.send_response(FakeForge.answer)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data.encode())

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def forge_api() -> Iterator[str]:
    FakeForge.received = []
    FakeForge.answer = 201
    server = HTTPServer(("127.0.0.1", 0), FakeForge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/api/v1"
    server.shutdown()
    server.server_close()
