"""What the built site shows: internal links and attachments that lead nowhere (链接可用性), and
record pages of amended, repealed or expired documents that do not say so (国办发〔2017〕47号)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.audit.model import DEVELOPMENT, INSPECTION, Finding, Level
from generator.core.records import Catalog
from generator.pages.paths import record_page_path
from generator.pages.rows import VALIDITY_ZH

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


class _ValidityParser(HTMLParser):
    """The text inside elements whose class names a validity (``validity-banner``, ``…-badge``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if self.depth or "validity" in classes:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def marked_validity(html: str) -> str:
    parser = _ValidityParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.text)


def check_validity_marks(site: Path, catalog: Catalog) -> Iterator[Finding]:
    rule = f"{DEVELOPMENT}（规范性文件修改、废止、失效应在文件页面标注）"
    for record in catalog.records:
        if record.validity == "valid":
            continue
        page = site / record_page_path(record).removesuffix(".md")
        page = page.with_name(page.name + ".html")
        if not page.is_file():
            continue
        label = VALIDITY_ZH[record.validity]
        if label in marked_validity(page.read_text(encoding="utf-8", errors="replace")):
            continue
        shown = page.relative_to(site).as_posix()
        yield Finding(
            "expired-valid",
            Level.DEDUCTION,
            record.department,
            record.category,
            record.id,
            rule,
            f"{record.source} 的有效性是“{label}”，但网站上的页面 {shown} 没有醒目标注“{label}”。"
            "请重新构建网站；如仍未标注，请检查记录页模板（site_overrides/ 或 generator/pages/templates/）。",
        )
