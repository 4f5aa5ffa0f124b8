"""Old pages as safe Markdown: the article's text, without scripts, styles, frames or images.

BeautifulSoup removes what must not come along (its text included: ``markdownify``'s own
``strip`` keeps a script's text); links survive only with http(s) or mailto targets, because a
relative link of the old site points nowhere in ours. ``markdownify`` then escapes every ``<``,
so the validator's raw-HTML check sees text, never a tag.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Tag
from bs4.dammit import UnicodeDammit
from markdownify import markdownify

from generator.content.normalize import clean_text, strip_invisible

_DROPPED = ("script", "style", "noscript", "iframe", "frame", "object", "embed", "form", "svg")
_UNESCAPE = re.compile(r"\\(.)")
_SAFE_LINK = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)
# Where TRS, Hanweb, 开普云 and gkmlpt put the article text on a detail page, most specific first.
ARTICLE_SELECTORS = (
    "#zoom",
    ".TRS_Editor",
    ".trs_editor_view",
    "#UCAP-CONTENT",
    ".article-content",
    ".article_con",
    "#content",
    ".content",
    "article",
    "main",
    "body",
)


def parse_html(raw: bytes) -> BeautifulSoup:
    """Pages saved from old sites are UTF-8, GBK or GB2312; the meta charset or a guess decides."""
    dammit = UnicodeDammit(raw, ["utf-8", "gb18030"], is_html=True)
    return BeautifulSoup(dammit.unicode_markup or "", "html.parser")


def article(soup: BeautifulSoup, skip: Tag | None = None) -> Tag | None:
    """The element holding the article text; ``skip`` (the metadata table) is removed from it."""
    if skip is not None:
        skip.decompose()
    for selector in ARTICLE_SELECTORS:
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return found
    return None


def html_to_markdown(element: Tag | BeautifulSoup) -> str:
    for name in _DROPPED:
        for node in element.find_all(name):
            node.decompose()
    for comment in element.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for image in element.find_all("img"):
        alt = image.get("alt")
        image.replace_with(alt if isinstance(alt, str) else "")
    for link in element.find_all("a"):
        href = link.get("href")
        if not (isinstance(href, str) and _SAFE_LINK.match(href.strip())):
            link.unwrap()
    text = markdownify(str(element), heading_style="ATX", bullets="-", escape_misc=True)
    return tidy(text.replace("\\<", "&lt;").replace("\\>", "&gt;"))


def tidy(text: str) -> str:
    """No invisible characters, no trailing spaces (hard breaks), at most one blank line."""
    lines = [strip_invisible(line).rstrip().replace("\u3000", " ") for line in text.splitlines()]
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", joined)


def metadata_table(soup: BeautifulSoup, labels: frozenset[str]) -> Tag | None:
    """The first table with at least two cells that are known labels (索引号, 发布机构 …)."""
    for table in soup.find_all("table"):
        cells = [label_key(c.get_text(" ", strip=True)) for c in table.find_all(["td", "th"])]
        if sum(c in labels for c in cells) >= 2:
            return table
    return None


def metadata_pairs(table: Tag) -> list[tuple[str, str]]:
    """Label → value from cells in pairs, or from one cell written as 标签：值."""
    cells = [c.get_text(" ", strip=True) for c in table.find_all(["td", "th"])]
    pairs = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        label, colon, value = cell.partition("：") if "：" in cell else cell.partition(":")
        if colon and value.strip() and len(label.strip()) <= 12:
            pairs.append((label.strip(), value.strip()))
            index += 1
        elif index + 1 < len(cells) and 0 < len(cell) <= 12:
            pairs.append((cell.rstrip("：: "), cells[index + 1]))
            index += 2
        else:
            index += 1
    return pairs


def label_key(text: str) -> str:
    return re.sub(r"[\s:：*]+", "", strip_invisible(text))


def below_title(markdown: str, title: str) -> str:
    """The record page shows the title as its only level-1 heading: a repeated title goes, and
    the article's own level-1 headings become level 2."""
    lines = markdown.splitlines()
    if lines and lines[0].startswith("# ") and clean_text(lines[0][2:]) == title:
        lines = lines[1:]
    return "\n".join("#" + line if line.startswith("# ") else line for line in lines).strip()


def first_sentence(markdown: str, limit: int = 100) -> str:
    """A summary from the text when the export has none: the first plain paragraph's first
    sentence (or its first ``limit`` characters)."""
    for paragraph in markdown.split("\n\n"):
        text = clean_text(_UNESCAPE.sub(r"\1", paragraph.replace("\n", "")))
        if text and not text.startswith(("#", "-", "|", "本条信息从")):
            end = text.find("。")
            if 0 <= end < limit:
                return text[: end + 1]
            return text[:limit] + ("…" if len(text) > limit else "")
    return ""


def read_local_html(path: Path, labels: frozenset[str] = frozenset()) -> str:
    soup = parse_html(path.read_bytes())
    found = article(soup, metadata_table(soup, labels) if labels else None)
    return html_to_markdown(found) if found is not None else ""


def origin_note(link: str) -> str:
    """The body of a record whose text stayed in the old system: where to read it."""
    if _SAFE_LINK.match(link):
        return f"本条信息从原政府信息公开目录导入，正文见原发布页面：<{link}>"
    if link:
        return f"本条信息从原政府信息公开目录导入，原发布位置：{escape_markdown(link)}"
    return "本条信息从原政府信息公开目录导入，原系统未提供正文。"


def escape_markdown(text: str) -> str:
    """Literal text in Markdown; ``<`` as an entity, which the raw-HTML check reads as text."""
    escaped = re.sub(r"([\\`*_{}\[\]()#+!|~-])", r"\\\1", text)
    return escaped.replace("<", "&lt;").replace(">", "&gt;")
