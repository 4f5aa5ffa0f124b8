"""发文字号: normalise the usual deviations towards 机关代字〔YYYY〕N号 and say what changed.

Each step is a pure ``str -> (str, change | None)`` function; the steps run in order and their
change descriptions, in Chinese, become ``DocNumberCheck.reason``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_CANONICAL = re.compile(r"[\u4e00-\u9fff]+〔[0-9]{4}〕[1-9][0-9]*号")
_DECREE = re.compile(r"[\u4e00-\u9fff]+令第[1-9][0-9]*号")
# Ministries number decrees and announcements per year: 海关总署公告2015年第41号.
_MINISTRY = re.compile(r"[\u4e00-\u9fff]+(?:令|公告)[0-9]{4}年第[1-9][0-9]*号")

_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_LABEL = re.compile(
    r"\A(?:\s*(?:(?:发文字号|发文文号|文件字号|文件编号|发文号)\s*[:：]?|(?:文号|字号)\s*[:：]))+\s*"
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_WHITESPACE = re.compile(r"\s+")
_OPENERS = "[［(（【〖﹝〔{｛"
_CLOSERS = "]］)）】〗﹞〕}｝"
_YEAR_BRACKETS = re.compile(f"([{re.escape(_OPENERS)}])([0-9]{{4}})([{re.escape(_CLOSERS)}])")
_BRACKET_NAMES = {
    "[]": "方括号 [ ]",
    "［］": "全角方括号［］",
    "()": "圆括号 ( )",
    "（）": "全角圆括号（）",
    "【】": "方头括号【】",
    "〖〗": "空心方头括号〖〗",
    "﹝﹞": "小六角括号﹝﹞",
    "{}": "花括号 { }",
    "｛｝": "全角花括号｛｝",
}
_ORDINAL = re.compile(r"(〔[0-9]{4}〕)第(?=[0-9])")
_LEADING_ZEROS = re.compile(r"(〔[0-9]{4}〕|令第)0+(?=[0-9])")
_YEAR = re.compile(r"〔([0-9]{4})〕|([0-9]{4})年第[0-9]+号")


@dataclass(frozen=True)
class DocNumberCheck:
    """The outcome of normalising one 发文字号.

    ``is_canonical``: the original was already canonical (recognised and unchanged).
    ``recognized``: the normalised form is ``机关代字〔YYYY〕N号`` or ``…令第N号``.
    ``reason``: what normalisation changed, in Chinese; ``None`` if nothing changed.
    """

    original: str
    normalized: str
    is_canonical: bool
    recognized: bool
    reason: str | None


def _drop_invisible(s: str) -> tuple[str, str | None]:
    out = _INVISIBLE.sub("", s)
    return out, "删除了不可见字符" if out != s else None


def _drop_label(s: str) -> tuple[str, str | None]:
    match = _LABEL.match(s)
    if not match or match.end() == len(s):
        return s, None
    return s[match.end() :], f"去掉了“{match[0].strip()}”标签"


def _halfwidth_digits(s: str) -> tuple[str, str | None]:
    out = s.translate(_FULLWIDTH_DIGITS)
    return out, "把全角数字改为半角数字" if out != s else None


def _drop_whitespace(s: str) -> tuple[str, str | None]:
    out = _WHITESPACE.sub("", s)
    return out, "删除了空格" if out != s else None


def _hexagonal_brackets(s: str) -> tuple[str, str | None]:
    pairs = [m[1] + m[3] for m in _YEAR_BRACKETS.finditer(s) if m[1] + m[3] != "〔〕"]
    if not pairs:
        return s, None
    names = "、".join(dict.fromkeys(_BRACKET_NAMES.get(p, f"“{p}”") for p in pairs))
    space = " " if names[-1] in "])}" else ""
    return _YEAR_BRACKETS.sub(r"〔\2〕", s), f"把{names}{space}改为六角括号〔〕"


def _drop_ordinal(s: str) -> tuple[str, str | None]:
    out = _ORDINAL.sub(r"\1", s)
    return out, "删除了年份后序号前的“第”" if out != s else None


def _drop_leading_zeros(s: str) -> tuple[str, str | None]:
    out = _LEADING_ZEROS.sub(r"\1", s)
    return out, "去掉了序号前多余的 0" if out != s else None


_STEPS: tuple[Callable[[str], tuple[str, str | None]], ...] = (
    _drop_invisible,
    _drop_label,
    _halfwidth_digits,
    _drop_whitespace,
    _hexagonal_brackets,
    _drop_ordinal,
    _drop_leading_zeros,
)


def is_recognized_doc_number(s: str) -> bool:
    """``机关代字〔YYYY〕N号``, decree style ``…令第N号`` or ``…公告YYYY年第N号``, exactly."""
    return any(p.fullmatch(s) is not None for p in (_CANONICAL, _DECREE, _MINISTRY))


def normalize_doc_number(s: str) -> DocNumberCheck:
    """Normalise a 发文字号 and explain each change (GB/T 9704-2012 form)."""
    normalized, changes = s, []
    for step in _STEPS:
        normalized, change = step(normalized)
        if change:
            changes.append(change)
    recognized = is_recognized_doc_number(normalized)
    return DocNumberCheck(
        original=s,
        normalized=normalized,
        is_canonical=recognized and not changes,
        recognized=recognized,
        reason="、".join(changes) or None,
    )


def doc_number_year(s: str) -> int | None:
    """The year written in a 发文字号 (``〔2024〕`` or ``2024年第N号``), after normalisation."""
    match = _YEAR.search(normalize_doc_number(s).normalized)
    if not match:
        return None
    year = int(match[1] or match[2])
    return year if 1900 <= year <= 2100 else None
