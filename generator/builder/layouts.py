"""Record pages filled into the layout of their kind instead of rendered one by one by MkDocs.

MkDocs + Material render one *sample* page per kind of record page (``PageKind``: its depth
and the shape of its front matter), and every record page of that kind is filled into the
sample's HTML by string substitution:

- a sample has the front matter of its kind with every non-empty string replaced by a marker,
  three marker headings and a marker paragraph; MkDocs renders it with the other pages;
- ``layout_from_sample`` cuts the sample's HTML into literal parts and slots (each front-matter
  value, the content, the table of contents, the first heading's anchor); anything it cannot
  explain (a marker missing, changed or left over, an irregular table of contents) gives no
  layout, and every page of that kind is rendered by MkDocs;
- ``fill`` joins the parts with a page's own values (``record_markdown.record_page``).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.builder.record_markdown import (
    Heading,
    PageKind,
    RecordPage,
    Structure,
    convert,
    page_kind,
    read_source,
    record_page,
)
from generator.core.site_paths import html_path

# ---------------------------------------------------------------- samples

# Markers: mixed case between two CJK characters, so that a filter that changes case, escapes
# or encodes non-ASCII text (urlencode, tojson) or cuts them short leaves a residue instead of a
# marker, and the sample gives no layout.
FIELD = "壳xCatShell{}x壳"
FIELD_MARKER = re.compile(r"壳xCatShell(\d+)x壳")
SAMPLE_HEADINGS = tuple(f"壳xCatShellH{n}x壳" for n in range(3))  # slugs: 壳xcatshellh0x壳…
HEADING_MARKER = re.compile(r"壳(?:xcatshellh([0-2])x|xCatShellH([0-2])x)壳")
SAMPLE_MARKDOWN = "".join(f"## {h}\n\n" for h in SAMPLE_HEADINGS) + "<p>壳xCatShellContentx壳</p>\n"
RESIDUE = "xcatshell"  # no literal part of a layout may hold this, in any case


def sample_path(kind: PageKind, number: int) -> str:
    """A staging path at the kind's depth that no record can have (department folders
    start with a letter or digit); its names carry the residue, so a page that shows its own
    path gives no layout."""
    depth = kind[0]
    folders = [f"_xcatshell-sample-{number}", *["_xcatshell"] * (depth - 1)]
    return "records/" + "/".join(folders[:depth]) + ".md"


def sample_meta(structure: Structure, counter: list[int]) -> dict[str, Any]:
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
            meta[key] = sample_meta(node[1], counter)
    return meta


def sample_source(kind: PageKind) -> str:
    """The sample's staging Markdown (JSON is YAML: the front matter needs no dumper)."""
    meta = sample_meta(kind[1], [0])
    return f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n\n{SAMPLE_MARKDOWN}"


def field_count(structure: Structure) -> int:
    return sum(
        1 if node[0] == "text" else field_count(node[1]) if node[0] == "map" else 0
        for _, node in structure
    )


# ---------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Slot:
    """A gap in a layout: ``field`` (index), ``content``, ``toc``, ``first-slug``/``first-text``
    (the first heading); in a table-of-contents entry ``slug``/``text``."""

    kind: str
    index: int = 0


Part = str | Slot


@dataclass(frozen=True)
class Layout:
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
    number: int  # which sample heading
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


SAMPLE_CONTENT = convert(SAMPLE_MARKDOWN)


def layout_from_sample(html: str, fields: int) -> Layout | None:
    """The layout in a sample's HTML, or None when any part of it cannot be explained."""
    if SAMPLE_CONTENT is None or html.count(SAMPLE_CONTENT.html) != 1:
        return None
    before, after = html.split(SAMPLE_CONTENT.html)
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
    return Layout(tuple(p for p in with_fields if p != ""), entry, between)


def fill(layout: Layout, page: RecordPage) -> bytes:
    """The page's HTML as MkDocs writes it: the layout's parts joined with the page's values."""
    first = page.content.headings[0]
    toc = layout.between.join(fill_entry(layout.entry, h) for h in page.content.headings)
    fixed = {"content": page.content.html, "toc": toc, "first-slug": first.slug,
             "first-text": first.text}  # fmt: skip
    return b"".join(
        part if isinstance(part, bytes)
        else encode(page.values[part.index] if part.kind == "field" else fixed[part.kind])
        for part in layout.encoded
    )  # fmt: skip


def fill_entry(entry: Iterable[Part], heading: Heading) -> str:
    return "".join(
        part if isinstance(part, str) else heading.slug if part.kind == "slug" else heading.text
        for part in entry
    )


# ---------------------------------------------------------------- the disk


def read_kinds(docs_dir: Path, staged: Iterable[str]) -> dict[str, PageKind]:
    """The kind of each record page among ``staged`` whose front matter suits a layout.

    Only kinds are kept (one object each), not the pages: the pages are read again when
    they are filled, so memory does not grow with the catalog (140 MB at 10,000 records).
    """
    kinds: dict[str, PageKind] = {}
    known: dict[PageKind, PageKind] = {}
    for path in staged:
        kind = page_kind(path, read_source(docs_dir / path))
        if kind is not None:
            kinds[path] = known.setdefault(kind, kind)
    return kinds


def plan_samples(kinds: Iterable[PageKind]) -> dict[PageKind, str]:
    """One sample per kind, in the order the kinds first occur: its staging path."""
    return {s: sample_path(s, n) for n, s in enumerate(dict.fromkeys(kinds))}


def read_layouts(site_dir: Path, samples: Mapping[PageKind, str]) -> dict[PageKind, Layout]:
    """The layouts in the built samples (a sample MkDocs did not write gives none)."""
    layouts = {}
    for kind, sample in samples.items():
        built = site_dir / html_path(sample)
        html = built.read_text(encoding="utf-8") if built.is_file() else ""
        found = layout_from_sample(html, field_count(kind[1]))
        if found is not None:
            layouts[kind] = found
    return layouts


def remove_samples(site_dir: Path, samples: Iterable[str]) -> None:
    """The samples' output, and the folders only they used."""
    for sample in samples:
        built = site_dir / html_path(sample)
        top = site_dir / "/".join(sample.split("/")[:2])
        if top.is_dir():
            shutil.rmtree(top)
        built.unlink(missing_ok=True)


def fill_pages(
    docs_dir: Path,
    site_dir: Path,
    kinds: Mapping[str, PageKind],
    layouts: Mapping[PageKind, Layout],
) -> list[str]:
    """Write every page of ``kinds`` that has a layout and whose Markdown converts; return
    the staging paths of the others, for MkDocs."""
    missed, made = [], set()
    for staged, kind in kinds.items():
        found = layouts.get(kind)
        page = record_page(staged, read_source(docs_dir / staged)) if found else None
        if found is None or page is None or page.kind != kind:
            missed.append(staged)
            continue
        target = site_dir / html_path(staged)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(fill(found, page))
    return missed


# ---------------------------------------------------------------- the build-time check


def choose_witnesses(docs_dir: Path, kinds: Mapping[str, PageKind]) -> dict[PageKind, str]:
    """One page of each kind that a layout could fill (the first in path order): MkDocs renders
    it as well, and its layout is used only if filling gives the same bytes."""
    chosen: dict[PageKind, str] = {}
    for staged in sorted(kinds):
        kind = kinds[staged]
        if kind not in chosen:
            page = record_page(staged, read_source(docs_dir / staged))
            if page is not None and page.kind == kind:
                chosen[kind] = staged
    return chosen


def failed_witnesses(
    docs_dir: Path,
    site_dir: Path,
    witnesses: Mapping[PageKind, str],
    layouts: Mapping[PageKind, Layout],
) -> dict[PageKind, str]:
    """The kinds whose witness, filled into the layout, differs from the page MkDocs wrote."""
    failed = {}
    for kind, staged in witnesses.items():
        layout, page = layouts.get(kind), record_page(staged, read_source(docs_dir / staged))
        if layout is None or page is None:
            continue
        if fill(layout, page) != (site_dir / html_path(staged)).read_bytes():
            failed[kind] = staged
    return failed
