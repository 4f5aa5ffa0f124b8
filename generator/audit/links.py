"""Internal links and attachments of the built site that lead nowhere (链接可用性)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.audit.model import INSPECTION, Finding, Level

LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
    "embed": "src",
    "object": "data",
}


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LINK_ATTRIBUTES.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value.strip())


def page_links(html: str) -> list[str]:
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    return parser.links


def internal_target(site: Path, page: Path, link: str) -> Path | None:
    """The file an internal link points at, or None for external, mail, script or anchor links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = site if path.startswith("/") else page.parent
    target = Path(os.path.normpath(base / path.lstrip("/")))
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_links(site: Path, departments: set[str]) -> Iterator[Finding]:
    rule = f"{INSPECTION} 扣分指标·链接可用性"
    for page in sorted(site.rglob("*.html")):
        shown = page.relative_to(site).as_posix()
        seen: set[str] = set()
        for link in page_links(page.read_text(encoding="utf-8", errors="replace")):
            target = internal_target(site, page, link)
            if target is None or link in seen or target.is_file():
                continue
            seen.add(link)
            where = "首页" if shown == "index.html" else f"页面 {shown}"
            outside = not target.resolve().is_relative_to(site.resolve())
            reason = "指向网站目录以外" if outside else "目标文件不存在"
            yield Finding(
                "broken-link",
                Level.DEDUCTION,
                _department(shown, departments),
                None,
                shown,
                rule,
                f"{where}中的链接“{link}”{reason}。请改正链接所在的记录、附件路径或模板，重新构建网站。",
            )


def _department(shown: str, departments: set[str]) -> str | None:
    parts = shown.split("/")
    if (
        len(parts) > 2
        and parts[0] in {"records", "departments", "files"}
        and parts[1] in departments
    ):
        return parts[1]
    return None
