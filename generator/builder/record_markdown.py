"""What a record page contributes to its HTML: its front matter and its Markdown, read as MkDocs
reads them, for the subset record pages are written in.

A record page's HTML depends only on its front matter, its Markdown, its depth in the site and
the theme (the nav is fixed, links are ``.html``). Record pages are Markdown of a small subset
(``templates/record.md.j2``): ``## heading`` lines and raw HTML blocks, which Python-Markdown
passes through verbatim. For that subset this module converts the Markdown itself, byte for byte
as MkDocs would; ``layouts.py`` supplies the rest of the page. A page whose Markdown falls
outside the subset, or whose values are not plain text (HTML escaping, ``striptags`` and slugs
must be identities or predictable), is not eligible: MkDocs renders it. Never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pymdownx.slugs import slugify

# The toc extension's slugifier as mkdocs.yml configures it.
SLUGIFY = slugify(case="lower")

# ---------------------------------------------------------------- front matter

# MkDocs' own front-matter rule (mkdocs.utils.meta.get_data), so both split a page alike.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def split_page(source: str) -> tuple[dict[str, Any], str] | None:
    """Front matter and Markdown as MkDocs reads them; None without a front-matter mapping."""
    match = FRONT_MATTER.match(source)
    if match is None:
        return None
    meta = quick_front_matter(match[1])
    if meta is None:
        try:
            meta = yaml.load(match[1], Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return None
    if not isinstance(meta, dict):
        return None
    return meta, source[match.end() :].lstrip("\n")


# The front matter ``render.dump_front_matter`` writes, read 5x faster than libyaml does: keys,
# double-quoted strings without escapes, "- " lists at the key's indent, mappings two spaces
# further in. Anything else (and any character YAML might refuse or treat specially) is None,
# and libyaml reads it.
FM_KEY = re.compile(r'( *)([A-Za-z_][A-Za-z0-9_]*):(?: "([^"\\]*)"| (\[\]|\{\}))?')
FM_ITEM = re.compile(r'( *)- "([^"\\]*)"')
FM_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
YAML_WORDS = frozenset({  # plain scalars YAML 1.1 reads as booleans or null, not as keys
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
})  # fmt: skip


def quick_front_matter(text: str) -> dict[str, Any] | None:
    if FM_UNUSUAL.search(text):
        return None
    lines = text.split("\n")[:-1]
    parsed = quick_mapping(lines, 0, 0)
    return parsed[0] if parsed is not None and parsed[1] == len(lines) else None


def quick_mapping(lines: Sequence[str], i: int, indent: int) -> tuple[dict[str, Any], int] | None:
    result: dict[str, Any] = {}
    while i < len(lines):
        match = FM_KEY.fullmatch(lines[i])
        if match is None or len(match[1]) > indent or match[2] in YAML_WORDS:
            return None
        if len(match[1]) < indent:
            break
        i += 1
        if match[3] is not None or match[4] is not None:
            result[match[2]] = match[3] if match[3] is not None else [] if match[4] == "[]" else {}
        elif i < len(lines) and lines[i].startswith(" " * indent + "- "):
            items = []
            while (
                i < len(lines) and (item := FM_ITEM.fullmatch(lines[i])) and len(item[1]) == indent
            ):
                items.append(item[2])
                i += 1
            result[match[2]] = items
        else:
            inner = quick_mapping(lines, i, indent + 2)
            if inner is None or not inner[0]:
                return None
            result[match[2]], i = inner
    return result, i


def read_source(path: Path) -> str:
    """A staging file exactly as MkDocs reads it (BOM dropped, universal newlines)."""
    with path.open(encoding="utf-8-sig", errors="strict") as handle:
        return handle.read()


# ---------------------------------------------------------------- plain values


# What HTML escaping or ``striptags`` would change (markup characters, whitespace other than
# single inner spaces) and control characters.
NOT_PLAIN = re.compile(r"""[&<>"'\x00-\x1f\x7f-\x9f\ud800-\udfff]|[^\S ]|  |^ | $""")


def is_plain(text: str) -> bool:
    """Text every template filter leaves alone: non-empty, nothing HTML escaping or
    ``striptags`` would touch, no control character, no outer or double spaces."""
    return bool(text) and NOT_PLAIN.search(text) is None


# Markdown's inline syntax (escapes, code, emphasis, links, images, HTML, entities), attr_list's
# braces, closing hashes and table pipes: a heading holding none of them is its own text.
HEADING_SYNTAX = frozenset("\\`*_[]{}()!<>&#|~\"'")


def is_plain_heading(text: str) -> bool:
    return is_plain(text) and not any(c in HEADING_SYNTAX for c in text)


# ---------------------------------------------------------------- the Markdown subset


@dataclass(frozen=True)
class Heading:
    slug: str  # the id the toc extension gives it
    text: str


@dataclass(frozen=True)
class Converted:
    html: str  # what Python-Markdown makes of the page's Markdown
    headings: tuple[Heading, ...]


# Tags Python-Markdown treats as block-level and that may open a raw HTML block here.
RAW_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "main", "nav", "ol", "p", "pre",
    "section", "table", "ul",
})  # fmt: skip
# Tags whose content HTMLParser reads as text (CDATA/RCDATA, depending on the Python version).
TEXT_CONTENT_TAGS = frozenset({
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    "plaintext",
})  # fmt: skip
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
})  # fmt: skip
# An end tag, or a start tag with its attributes (closes_at_end refuses "<" in a value).
TAG = re.compile(
    r"""</([A-Za-z][A-Za-z0-9]*)>|<([A-Za-z][A-Za-z0-9]*)"""
    r"""(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
    r"""\s*(/?)>"""
)
BLANK_LINES = re.compile(r"\n{2,}")
# What Python-Markdown's whitespace normalisation would change, and its placeholder characters.
UNNORMALISED = re.compile(r"[\t\r\x02\x03]|\n[ \t]+\n|^[ \t]+\n")
HEADING_LINE = re.compile(r"## (\S[^\n]*)")


def raw_block_end(text: str, start: int) -> int | None:
    """Where the raw HTML block starting at ``start`` ends, as Python-Markdown's HTML extractor
    sees it (the end of the tag that empties its stack), or None if it is not one we know.

    The block ends at a blank line, or at a later one when its tags are still open there (a
    ``<pre>`` holding a blank line).
    """
    end = start
    while end < len(text):
        found = text.find("\n\n", end + 1)
        end = len(text) if found == -1 else found
        closes = closes_at_end(text[start:end])
        if closes is not None:
            return end if closes else None
    return None


def closes_at_end(block: str) -> bool | None:
    """True when the block's first tag is closed by its last one (and not before), False when
    it is closed before that or the block is not ours, None when it is still open."""
    tags = TAG.findall(block)
    # Every "<" starts a tag we read: no comment, declaration or stray "<", no "<" in a value.
    if not tags or block.count("<") != len(tags) or tags[0][0]:
        return False
    if tags[0][1].lower() not in RAW_BLOCK_TAGS or tags[0][2]:
        return False
    stack: list[str] = []
    for number, (closing, opening, self_closing) in enumerate(tags):
        if closing:
            name = closing.lower()
            if name in stack:
                while stack.pop() != name:
                    pass
                if not stack:
                    last = block.rfind("<")
                    return number == len(tags) - 1 and TAG.fullmatch(block, last) is not None
        else:
            name = opening.lower()
            if name in TEXT_CONTENT_TAGS:
                return False
            if not self_closing and name != "hr":
                stack.append(name)
    return None


def convert(markdown: str) -> Converted | None:
    """The HTML Python-Markdown (toc, tables, attr_list, admonition) makes of ``markdown``,
    for pages of ``## heading`` lines and raw HTML blocks separated by blank lines; None for
    anything else."""
    if UNNORMALISED.search(markdown):
        return None
    text = markdown.rstrip("\n")
    pieces: list[str] = []
    headings: list[Heading] = []
    position = 0
    while position < len(text):
        if text.startswith("## ", position):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end == -1 else line_end
            heading = heading_of(text[position:line_end])
            if heading is None or any(h.slug == heading.slug for h in headings):
                return None
            headings.append(heading)
            pieces.append(f'<h2 id="{heading.slug}">{heading.text}</h2>')
            end = line_end
        elif text.startswith("<", position):
            block_end = raw_block_end(text, position)
            if block_end is None:
                return None
            pieces.append(text[position:block_end] + "\n")
            end = block_end
        else:
            return None
        gap = BLANK_LINES.match(text, end)
        if gap is None and end < len(text):
            return None  # more on the same line, or a block not followed by a blank line
        position = gap.end() if gap else end
    return Converted("\n".join(pieces).strip(), tuple(headings))


def heading_of(line: str) -> Heading | None:
    match = HEADING_LINE.fullmatch(line)
    if match is None or not is_plain_heading(match[1]):
        return None
    slug = SLUGIFY(match[1], "-")
    return Heading(slug, match[1]) if slug and is_plain(slug) else None


# ---------------------------------------------------------------- eligibility, kinds

# A front-matter node: ("text",) a plain string, ("empty",) "", ("list", items) a list of
# strings kept as they are, ("map", structure) a nested mapping.
Node = tuple[Any, ...]
Structure = tuple[tuple[str, Node], ...]
PageKind = tuple[int, Structure]  # directory depth of the page, front-matter structure


@dataclass(frozen=True)
class RecordPage:
    staged: str  # staging path, "records/…/x.md"
    kind: PageKind
    values: tuple[str, ...]  # the plain strings of the front matter, in order
    content: Converted


def structure_of(meta: Mapping[Any, Any], values: list[str]) -> Structure | None:
    """The front matter's shape (its plain strings appended to ``values``); None when a value
    is neither a plain or empty string, nor a list of plain strings, nor a mapping of these."""
    nodes: list[tuple[str, Node]] = []
    for key, value in meta.items():
        node: Node
        if not isinstance(key, str):
            return None
        if isinstance(value, str) and is_plain(value):
            values.append(value)
            node = ("text",)
        elif value == "":
            node = ("empty",)
        elif isinstance(value, list) and all(isinstance(v, str) and is_plain(v) for v in value):
            node = ("list", tuple(value))  # kept in the sample as it is (``hide``)
        elif isinstance(value, dict) and (inner := structure_of(value, values)) is not None:
            node = ("map", inner)
        else:
            return None
        nodes.append((key, node))
    return tuple(nodes)


def front_matter_kind(staged: str, meta: Mapping[Any, Any], values: list[str]) -> PageKind | None:
    structure = structure_of(meta, values)
    return None if structure is None else (staged.count("/"), structure)


def page_kind(staged: str, source: str) -> PageKind | None:
    """The page's kind when its front matter suits a layout (its Markdown is not looked at:
    ``record_page`` decides that when the page is filled)."""
    split = split_page(source)
    return None if split is None else front_matter_kind(staged, split[0], [])


def record_page(staged: str, source: str) -> RecordPage | None:
    """The page, when a layout can render it; None when MkDocs must."""
    split = split_page(source)
    if split is None:
        return None
    meta, markdown = split
    values: list[str] = []
    kind = front_matter_kind(staged, meta, values)
    content = convert(markdown) if kind is not None else None
    # Material prints the title as <h1> unless the content has one: the sample has none.
    if kind is None or content is None or not content.headings or "<h1" in content.html:
        return None
    return RecordPage(staged, kind, tuple(values), content)
