"""Render UNTRUSTED record bodies (department Markdown) to sanitized HTML.

Raw HTML is escaped, not interpreted; only a small, fixed set of Markdown extensions runs (no
attr_list, md_in_html or snippets); link targets are limited to http(s), mailto and relative
paths; relative links to other records' ``.md`` files become page URLs; and the HTML finally
passes through ``nh3`` with an explicit allowlist.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from html import escape
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.treeprocessors import InlineProcessor
from pymdownx.slugs import slugify

from generator.content.body_checks import check_limits
from generator.core.site_paths import html_path

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del",
        "s", "sub", "sup", "code", "pre", "blockquote", "ul", "ol", "li", "table", "thead",
        "tbody", "tr", "th", "td", "a", "img", "dl", "dt", "dd",
    }
)  # fmt: skip
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{h: {"id"} for h in HEADINGS},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
FILES_DIR = "files"
# The record page's title is <h1> and its sections (正文, 附件 …) are <h2>. Editors write their
# top-level sections as "##" (the contributor guide says so), which must become <h3>, so "#" is
# shifted to <h2>: no heading level is skipped.
BODY_BASE_LEVEL = 2


# Every inline pattern of ``new_markdown`` needs one of these to match (backtick, escape, links
# and images, autolinks, the two-space line break, entities, emphasis); tests/test_markdown_safe.py
# checks the registered patterns are still exactly those.
INLINE_PATTERNS = (
    "backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
    "short_image_ref", "autolink", "automail", "linebreak", "entity", "em_strong",
)  # fmt: skip
INLINE_TRIGGER = re.compile(r"[`\\\[<&*_]|  \n")


class QuickInline(InlineProcessor):
    """Python-Markdown's inline pass, which returns text that no pattern can match at once.

    Running the thirteen patterns over every text node (most paragraphs of a Chinese document
    have no ASCII punctuation at all) was a third of converting a body.
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if patternIndex == 0 and not INLINE_TRIGGER.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def new_markdown() -> markdown.Markdown:
    """A Markdown instance that treats every ``<`` in the input as text."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc"],
        extension_configs={
            "toc": {"slugify": slugify(case="lower"), "baselevel": BODY_BASE_LEVEL},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(QuickInline(md), "inline", 20)
    return md


def record_link_resolver(
    source_dir: str, page_dir: str, record_pages: Mapping[str, str]
) -> Callable[[str], str | None]:
    """Map a relative link written in a record body to a URL valid on the record's page.

    ``source_dir`` is the record file's folder relative to ``departments/`` (e.g. ``edu/sub``),
    ``page_dir`` the page's folder in the staging tree, ``record_pages`` maps each published
    record's key (``<dept>/<slug>``) to its staging path. A link to a ``.md`` file that names no
    published record is dropped (the validator reports it as ``broken-link``); other relative
    links point at files, which the site serves under ``files/`` mirroring ``departments/``.
    """

    def resolve(url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return url if parts.scheme in LINK_SCHEMES else None
        if parts.path.startswith("/"):
            return None
        if not parts.path:
            return url  # a fragment on the same page
        target = posixpath.normpath(posixpath.join(source_dir, parts.path))
        if target.startswith("../"):
            return None
        if target.endswith(".md"):
            page = record_pages.get(target.removesuffix(".md"))
            if page is None:
                return None
            relative = posixpath.relpath(html_path(page), page_dir)
        else:
            relative = posixpath.relpath(f"{FILES_DIR}/{target}", page_dir)
        return relative + (f"#{parts.fragment}" if parts.fragment else "")

    return resolve


def is_local_source(url: str) -> bool:
    """Images must come from the site itself: no scheme, no host, no absolute path."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or parts.path.startswith("/"))


class BodyRenderer:
    """Reuses one Markdown instance (``reset()`` between bodies): creating one costs ~1 ms."""

    def __init__(self) -> None:
        self._md = new_markdown()

    def render(self, body: str, resolve_link: Callable[[str], str | None]) -> str:
        if check_limits(body, "", 1):  # the validator refuses it; never hand it to Markdown
            return f"<pre>{escape(body)}</pre>"
        self._md.reset()
        html = self._md.convert(body)
        return sanitize_html(html, resolve_link)


def sanitize_html(html: str, resolve_link: Callable[[str], str | None]) -> str:
    def filter_attribute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return resolve_link(value)
        if tag == "img" and attribute == "src":
            return resolve_link(value) if is_local_source(value) else None
        return value

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(LINK_SCHEMES),
        attribute_filter=filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
