"""Digits as the reader sees them: the text the PII scan reads, with offsets back to the source.

A number can hide from a scan of the source and still show whole on the page or in a copy:
character references (``&#49;3800138000``), percent escapes in a URL, soft hyphens and
zero-width characters (invisible), Markdown backslash escapes (``138\\-0013``), a line break
inside the number (a wrapped paragraph or ``summary: |`` block), en dashes, U+2010 hyphens, thin
spaces, tabs and dots between the groups (Word and PDF copies).  ``fold`` rewrites every stretch of
digits and such characters: digits become ASCII digits, invisible characters and line breaks
vanish, any other separator becomes one space (so the groups stay groups for the scanner).  A dot
folds only between groups of three or more digits: ``3.14`` stays a decimal.  Everything else is
copied unchanged, so the folded text of a clean paragraph is the paragraph.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass

_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});"
_DIGIT_CHARS = "0-9\uff10-\uff19"
_INVISIBLE = "\u00ad\u180e\u200b-\u200d\u2060\ufeff"
_BREAK = r"\r?\n[ \t>]*"
_SPACES = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_DASHES = "\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_DOTS = ".\u00b7\u30fb\uff0e"
_TOKEN = (
    rf"{_ENTITY}|%3[0-9]|\\(?=[{_DASHES}{_DOTS}])|{_BREAK}"
    rf"|[{_DIGIT_CHARS}{_INVISIBLE}{_SPACES}{_DASHES}{_DOTS}]"
)
_DIGITISH = rf"[{_DIGIT_CHARS}]|&#0*(?:4[89]|5[0-7]);|&#[xX]0*3[0-9];|%3[0-9]"
_STRETCH = re.compile(rf"(?:{_DIGITISH})(?:{_TOKEN})*")  # from a digit: the rest is not looked at
_START = re.compile(rf"[{_DIGIT_CHARS}]|&#|%3")
_PLAIN = re.compile(
    rf"[{_DIGIT_CHARS}]+(?:[ \u00a0\u3000\-\uff0d][{_DIGIT_CHARS}]+)*[ \u3000\-\uff0d.\uff0e]?"
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Folded:
    """``text`` and, for each piece of it, where it came from in the source."""

    text: str
    starts: tuple[int, ...]  # folded offset where each piece starts
    sources: tuple[tuple[int, int, bool], ...]  # (source start, source end, copied verbatim)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source offsets of the folded ``text[start:end]``."""
        return self._source(start, first=True), self._source(end - 1, first=False)

    def _source(self, at: int, *, first: bool) -> int:
        piece = bisect_right(self.starts, at) - 1
        source_start, source_end, verbatim = self.sources[piece]
        if verbatim:
            return source_start + at - self.starts[piece] + (0 if first else 1)
        return source_start if first else source_end


def fold(text: str) -> Folded:
    """The text with every digit stretch folded (see the module docstring)."""
    parts: list[str] = []
    starts: list[int] = []
    sources: list[tuple[int, int, bool]] = []
    length = 0
    copied = 0

    def emit(piece: str, source_start: int, source_end: int, verbatim: bool) -> None:
        nonlocal length
        if piece:
            parts.append(piece)
            starts.append(length)
            sources.append((source_start, source_end, verbatim))
            length += len(piece)

    at = 0
    while (first := _START.search(text, at)) is not None:
        stretch = _STRETCH.match(text, first.start())
        if stretch is None:  # "&#" or "%3" that is no digit
            at = first.end()
            continue
        at = stretch.end()
        if _PLAIN.fullmatch(stretch[0]):
            continue  # digits and the separators the scanner reads itself: nothing to fold
        emit(text[copied : stretch.start()], copied, stretch.start(), True)
        for piece, start, end in _fold_stretch(text, stretch.start(), stretch.end()):
            emit(piece, start, end, False)
        copied = stretch.end()
    emit(text[copied:], copied, len(text), True)
    if not parts:
        return Folded("", (0,), ((0, 0, True),))
    return Folded("".join(parts), tuple(starts), tuple(sources))


_Token = tuple[str, str, int, int]  # kind ("digit" | "gap" | "dot" | "hidden" | "other"), text


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    tokens = []
    for match in re.finditer(_TOKEN, text[start:end]):
        raw = match[0]
        s, e = start + match.start(), start + match.end()
        char = html.unescape(raw) if raw.startswith("&") else raw
        if raw.startswith("%3"):
            char = raw[2]
        char = char.translate(_FULLWIDTH)
        if len(char) == 1 and char.isascii() and (char.isdigit() or (raw != char and char in "Xx")):
            tokens.append(("digit", char, s, e))  # an ID's final X may be a reference too
        elif raw.startswith(("\n", "\r", "\\")) or (len(char) == 1 and char in _INVISIBLE_SET):
            tokens.append(("hidden", "", s, e))
        elif len(char) == 1 and char in _DOT_SET:
            tokens.append(("dot", raw, s, e))
        elif len(char) == 1 and (char in _GAP_SET or char.isspace()):
            tokens.append(("gap", raw, s, e))
        else:
            tokens.append(("other", raw, s, e))  # an entity for some other character
    return tokens


def _fold_stretch(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Pieces of the folded stretch: digits, one space per visible gap, dots kept or folded."""
    tokens = _tokens(text, start, end)
    before, after = _digits_around(tokens)
    pieces: list[tuple[str, int, int]] = []
    index = 0
    while index < len(tokens):
        kind, char, s, e = tokens[index]
        if kind in ("digit", "other"):
            pieces.append((char, s, e))
            index += 1
            continue
        last = index
        while last + 1 < len(tokens) and tokens[last + 1][0] in _GAP_KINDS:
            last += 1
        gap = tokens[index : last + 1]
        folded = _folded_gap(gap, before[index], after[last])
        pieces.append((folded, gap[0][2], gap[-1][3]))
        index = last + 1
    return pieces


_GAP_KINDS = ("gap", "dot", "hidden")


def _folded_gap(gap: list[_Token], before: int, after: int) -> str:
    """``before``/``after``: the digits of the groups on each side (0 at the stretch's edge)."""
    kinds = {kind for kind, *_ in gap}
    raw = "".join(char if kind != "hidden" else "" for kind, char, *_ in gap)
    if not before or not after:
        return raw
    if kinds == {"hidden"}:
        return ""
    if "dot" in kinds and min(before, after) < 3:
        return raw  # a decimal point
    return " "


def _digits_around(tokens: list[_Token]) -> tuple[list[int], list[int]]:
    """For each token, the digits of the group just before and just after it (hidden tokens
    join digits; other separators end a group)."""
    before = [0] * len(tokens)
    after = [0] * len(tokens)
    count = 0
    for i, token in enumerate(tokens):
        before[i] = count
        count = count + 1 if token[0] == "digit" else count if token[0] == "hidden" else 0
    count = 0
    for i in range(len(tokens) - 1, -1, -1):
        after[i] = count
        count = count + 1 if tokens[i][0] == "digit" else count if tokens[i][0] == "hidden" else 0
    return before, after


_INVISIBLE_SET = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff")
_DOT_SET = frozenset(_DOTS)
_GAP_SET = frozenset(" \t\u00a0\u1680\u202f\u205f\u3000-\u2010\u2011\u2012\u2013\u2014\u2015")
_GAP_SET |= frozenset("\u2212\ufe58\ufe63\uff0d") | frozenset(map(chr, range(0x2000, 0x200B)))
