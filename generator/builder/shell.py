"""Record pages from a shell: MkDocs + Material render one probe page per kind of record page,
and every record page of that kind is filled into the probe's HTML by string substitution.

A record page's HTML depends only on its front matter, its Markdown, its depth in the site and
the theme (``site.py``: the nav is fixed, links are ``.html``). Record pages are Markdown of a
small subset (``templates/record.md.j2``): ``## heading`` lines and raw HTML blocks, which
Python-Markdown passes through verbatim. For that subset this module converts the Markdown
itself, byte for byte as MkDocs would; the rest of the page comes from the probe:

- a probe has the front matter of its kind with every non-empty string replaced by a marker,
  three marker headings and a marker paragraph; MkDocs renders it with the other pages;
- ``analyse_probe`` cuts the probe's HTML into literal parts and slots (each front-matter value,
  the content, the table of contents, the first heading's anchor); anything it cannot explain
  (a marker missing, changed or left over, an irregular table of contents) gives no shell;
- ``fill`` joins the parts with a page's own values.

A page whose Markdown falls outside the subset, or whose values are not plain text (HTML
escaping, ``striptags`` and slugs must be identities or predictable), is not eligible: MkDocs
renders it as before. So does every page of a kind whose probe gives no shell. Never a guess.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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


# ---------------------------------------------------------------- eligibility, signatures

# A front-matter node: ("text",) a plain string, ("empty",) "", ("list", items) a list of
# strings kept as they are, ("map", structure) a nested mapping.
Node = tuple[Any, ...]
Structure = tuple[tuple[str, Node], ...]
Signature = tuple[int, Structure]  # directory depth of the page, front-matter structure


@dataclass(frozen=True)
class RecordPage:
    staged: str  # staging path, "records/…/x.md"
    signature: Signature
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
            node = ("list", tuple(value))  # kept in the probe as it is (``hide``)
        elif isinstance(value, dict) and (inner := structure_of(value, values)) is not None:
            node = ("map", inner)
        else:
            return None
        nodes.append((key, node))
    return tuple(nodes)


def front_matter_signature(
    staged: str, meta: Mapping[Any, Any], values: list[str]
) -> Signature | None:
    structure = structure_of(meta, values)
    return None if structure is None else (staged.count("/"), structure)


def page_signature(staged: str, source: str) -> Signature | None:
    """The page's signature when its front matter suits a shell (its Markdown is not looked at:
    ``record_page`` decides that when the page is filled)."""
    split = split_page(source)
    return None if split is None else front_matter_signature(staged, split[0], [])


def record_page(staged: str, source: str) -> RecordPage | None:
    """The page, when a shell can render it; None when MkDocs must."""
    split = split_page(source)
    if split is None:
        return None
    meta, markdown = split
    values: list[str] = []
    signature = front_matter_signature(staged, meta, values)
    content = convert(markdown) if signature is not None else None
    # Material prints the title as <h1> unless the content has one: the probe has none.
    if signature is None or content is None or not content.headings or "<h1" in content.html:
        return None
    return RecordPage(staged, signature, tuple(values), content)


# ---------------------------------------------------------------- probes

# Markers: mixed case between two CJK characters, so that a filter that changes case, escapes
# or encodes non-ASCII text (urlencode, tojson) or cuts them short leaves a residue instead of a
# marker, and the probe gives no shell.
FIELD = "壳xCatShell{}x壳"
FIELD_MARKER = re.compile(r"壳xCatShell(\d+)x壳")
PROBE_HEADINGS = tuple(f"壳xCatShellH{n}x壳" for n in range(3))  # slugs: 壳xcatshellh0x壳…
HEADING_MARKER = re.compile(r"壳(?:xcatshellh([0-2])x|xCatShellH([0-2])x)壳")
PROBE_MARKDOWN = "".join(f"## {h}\n\n" for h in PROBE_HEADINGS) + "<p>壳xCatShellContentx壳</p>\n"
RESIDUE = "xcatshell"  # no literal part of a shell may hold this, in any case


def probe_path(signature: Signature, number: int) -> str:
    """A staging path at the signature's depth that no record can have (department folders
    start with a letter or digit); its names carry the residue, so a page that shows its own
    path gives no shell."""
    depth = signature[0]
    folders = [f"_xcatshell-probe-{number}", *["_xcatshell"] * (depth - 1)]
    return "records/" + "/".join(folders[:depth]) + ".md"


def probe_meta(structure: Structure, counter: list[int]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, node in structure:
        if node[0] == "text":
            meta[key] = FIELD.format(counter[0])
            counter[0] += 1
        elif node[0] == "empty":
            meta[key] = ""
        elif node[0] == "list":
            meta[key] = list(node[1])
        else:
            meta[key] = probe_meta(node[1], counter)
    return meta


def probe_source(signature: Signature) -> str:
    """The probe's staging Markdown (JSON is YAML: the front matter needs no dumper)."""
    meta = probe_meta(signature[1], [0])
    return f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n\n{PROBE_MARKDOWN}"


def field_count(structure: Structure) -> int:
    return sum(
        1 if node[0] == "text" else field_count(node[1]) if node[0] == "map" else 0
        for _, node in structure
    )


# ---------------------------------------------------------------- shells


@dataclass(frozen=True)
class Slot:
    """A gap in a shell: ``field`` (index), ``content``, ``toc``, ``first-slug``/``first-text``
    (the first heading); in a table-of-contents entry ``slug``/``text``."""

    kind: str
    index: int = 0


Part = str | Slot


@dataclass(frozen=True)
class Shell:
    parts: tuple[Part, ...]
    entry: tuple[Part, ...] = ()  # one table-of-contents entry
    between: str = ""  # between two entries
    # The parts as MkDocs writes them, encoded once (encoding every page whole took 0.8 s at
    # 10,000 records; xmlcharrefreplace is MkDocs' choice, for lone surrogates).
    encoded: tuple[bytes | Slot, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        encoded = tuple(encode(p) if isinstance(p, str) else p for p in self.parts)
        object.__setattr__(self, "encoded", encoded)


def encode(text: str) -> bytes:
    return text.encode("utf-8", "xmlcharrefreplace")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    number: int  # which probe heading
    kind: str  # "slug" or "text"


def heading_tokens(text: str) -> list[Token]:
    return [
        Token(m.start(), m.end(), int(m[1] or m[2]), "slug" if m[1] else "text")
        for m in HEADING_MARKER.finditer(text)
    ]


def cut(text: str, tokens: Sequence[Token], kinds: Mapping[str, str]) -> list[Part]:
    """``text`` with each token replaced by a slot of the kind ``kinds`` maps its kind to."""
    parts: list[Part] = []
    position = 0
    for token in tokens:
        parts += [text[position : token.start], Slot(kinds[token.kind])]
        position = token.end
    parts.append(text[position:])
    return parts


FIRST = {"slug": "first-slug", "text": "first-text"}
ENTRY = {"slug": "slug", "text": "text"}


def renamed(text: str, number: int) -> str:
    """An entry of heading 0 as it would read for heading ``number``."""
    return text.replace("壳xcatshellh0x壳", f"壳xcatshellh{number}x壳").replace(
        "壳xCatShellH0x壳", f"壳xCatShellH{number}x壳"
    )


def cut_toc(text: str) -> tuple[list[Part], tuple[Part, ...], str] | None:
    """The table of contents in ``text``: its three entries must read alike and sit in a row.
    Returns the parts around it (a ``toc`` slot in its place), one entry and the text between
    two entries; the first heading's markers before it (Material's skip link) become slots."""
    tokens = heading_tokens(text)
    numbers = [t.number for t in tokens]
    width = numbers.count(1)
    start = numbers.index(1) - width if width else -1
    if start < 0 or len(tokens) != start + 3 * width or any(numbers[:start]):
        return None
    entries = [tokens[start + n * width : start + (n + 1) * width] for n in range(3)]
    kinds = [t.kind for t in entries[0]]
    if any([t.number for t in e] != [n] * width or [t.kind for t in e] != kinds
           for n, e in enumerate(entries)):  # fmt: skip
        return None
    spans = [text[e[0].start : e[-1].end] for e in entries]
    between = text[entries[0][-1].end : entries[1][0].start]
    if between != text[entries[1][-1].end : entries[2][0].start]:
        return None
    if any(spans[n] != renamed(spans[0], n) for n in (1, 2)):
        return None
    first = entries[0][0].start
    entry = cut(spans[0], [Token(t.start - first, t.end - first, 0, t.kind) for t in entries[0]],
                ENTRY)  # fmt: skip
    before = cut(text[:first], tokens[:start], FIRST)
    return [*before, Slot("toc"), text[entries[2][-1].end :]], tuple(entry), between


def cut_headings(parts: Sequence[Part]) -> tuple[list[Part], tuple[Part, ...], str] | None:
    """Heading markers outside the content: the table of contents (in one literal part) and the
    first heading's anchor elsewhere."""
    holders = [i for i, p in enumerate(parts) if isinstance(p, str)
               and any(t.number for t in heading_tokens(p))]  # fmt: skip
    if len(holders) > 1:
        return None
    result: list[Part] = []
    entry: tuple[Part, ...] = ()
    between = ""
    for i, part in enumerate(parts):
        if not isinstance(part, str):
            result.append(part)
        elif i in holders:
            toc = cut_toc(part)
            if toc is None:
                return None
            pieces, entry, between = toc
            result += pieces
        else:
            result += cut(part, heading_tokens(part), FIRST)
    return result, entry, between


def cut_fields(parts: Sequence[Part], fields: int) -> list[Part] | None:
    result: list[Part] = []
    for part in parts:
        if not isinstance(part, str):
            result.append(part)
            continue
        pieces = FIELD_MARKER.split(part)
        for n, piece in enumerate(pieces):
            if n % 2 == 0:
                result.append(piece)
            elif int(piece) < fields and piece == str(int(piece)):
                result.append(Slot("field", int(piece)))
            else:
                return None
    return result


PROBE_CONTENT = convert(PROBE_MARKDOWN)


def analyse_probe(html: str, fields: int) -> Shell | None:
    """The shell in a probe's HTML, or None when any part of it cannot be explained."""
    if PROBE_CONTENT is None or html.count(PROBE_CONTENT.html) != 1:
        return None
    before, after = html.split(PROBE_CONTENT.html)
    headings = cut_headings([before, Slot("content"), after])
    if headings is None:
        return None
    parts, entry, between = headings
    with_fields = cut_fields(parts, fields)
    if with_fields is None:
        return None
    literal = [p for p in (*with_fields, *entry, between) if isinstance(p, str)]
    if any(RESIDUE in p.casefold() for p in literal):
        return None
    return Shell(tuple(p for p in with_fields if p != ""), entry, between)


def fill(shell: Shell, page: RecordPage) -> bytes:
    """The page's HTML as MkDocs writes it: the shell's parts joined with the page's values."""
    first = page.content.headings[0]
    toc = shell.between.join(fill_entry(shell.entry, h) for h in page.content.headings)
    fixed = {"content": page.content.html, "toc": toc, "first-slug": first.slug,
             "first-text": first.text}  # fmt: skip
    return b"".join(
        part if isinstance(part, bytes)
        else encode(page.values[part.index] if part.kind == "field" else fixed[part.kind])
        for part in shell.encoded
    )  # fmt: skip


def fill_entry(entry: Iterable[Part], heading: Heading) -> str:
    return "".join(
        part if isinstance(part, str) else heading.slug if part.kind == "slug" else heading.text
        for part in entry
    )


# ---------------------------------------------------------------- the disk


def html_path(staged: str) -> str:
    return staged.removesuffix(".md") + ".html"


def read_signatures(docs_dir: Path, staged: Iterable[str]) -> dict[str, Signature]:
    """The signature of each record page among ``staged`` whose front matter suits a shell.

    Only signatures are kept (one object each), not the pages: the pages are read again when
    they are filled, so memory does not grow with the catalog (140 MB at 10,000 records).
    """
    signatures: dict[str, Signature] = {}
    known: dict[Signature, Signature] = {}
    for path in staged:
        signature = page_signature(path, read_source(docs_dir / path))
        if signature is not None:
            signatures[path] = known.setdefault(signature, signature)
    return signatures


def plan_probes(signatures: Iterable[Signature]) -> dict[Signature, str]:
    """One probe per signature, in the order the signatures first occur: its staging path."""
    return {s: probe_path(s, n) for n, s in enumerate(dict.fromkeys(signatures))}


def read_shells(site_dir: Path, probes: Mapping[Signature, str]) -> dict[Signature, Shell]:
    """The shells in the built probes (a probe MkDocs did not write gives none)."""
    shells = {}
    for signature, probe in probes.items():
        built = site_dir / html_path(probe)
        html = built.read_text(encoding="utf-8") if built.is_file() else ""
        found = analyse_probe(html, field_count(signature[1]))
        if found is not None:
            shells[signature] = found
    return shells


def remove_probes(site_dir: Path, probes: Iterable[str]) -> None:
    """The probes' output, and the folders only they used."""
    for probe in probes:
        built = site_dir / html_path(probe)
        top = site_dir / "/".join(probe.split("/")[:2])
        if top.is_dir():
            shutil.rmtree(top)
        built.unlink(missing_ok=True)


def fill_pages(
    docs_dir: Path,
    site_dir: Path,
    signatures: Mapping[str, Signature],
    shells: Mapping[Signature, Shell],
) -> list[str]:
    """Write every page of ``signatures`` that has a shell and whose Markdown converts; return
    the staging paths of the others, for MkDocs."""
    missed, made = [], set()
    for staged, signature in signatures.items():
        found = shells.get(signature)
        page = record_page(staged, read_source(docs_dir / staged)) if found else None
        if found is None or page is None or page.signature != signature:
            missed.append(staged)
            continue
        target = site_dir / html_path(staged)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(fill(found, page))
    return missed
