"""Characters a content file may not hold: controls, bidi controls and invisible characters.

Zero-width spaces and joiners, which web pages and Word put into ordinary text, are a warning
(the loader drops them from values, the build from bodies); the rest is an error. Every problem
but the controls' and bidi controls' is fixed by ``catalog fix``.
"""

from __future__ import annotations

import re

from generator.content.normalize import BIDI_CONTROLS, FIX_HINT, INVISIBLE, ZERO_WIDTH
from generator.core.problems import Problem, error, warning

# Characters that never belong in a record: C0/C1 controls (except tab, LF, CR), DEL, bidi
# overrides/isolates that make text read differently from what it is (Trojan Source), and the
# invisible characters of ``normalize.INVISIBLE``. Zero-width spaces and joiners, which web pages
# and Word put into ordinary text, are only a warning: the loader drops them from every value.
_UNSAFE_CHARS = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|{BIDI_CONTROLS.pattern}|{INVISIBLE.pattern}"
)
_UNSAFE_NAMES = {
    "\x00": "NUL 空字符",
    "\u00ad": "软连字符 U+00AD",
    "\u034f": "组合用字形连接符 U+034F",
    "\u061c": "阿拉伯文字母标记 U+061C",
    "\u200b": "零宽空格 U+200B",
    "\u200c": "零宽非连接符 U+200C",
    "\u200d": "零宽连接符 U+200D",
    "\u200e": "从左到右标记 U+200E",
    "\u200f": "从右到左标记 U+200F",
    "\u2060": "零宽不换行符 U+2060",
    "\u202e": "从右到左覆盖 U+202E",
    "\u3164": "韩文填充符 U+3164",
    "\ufeff": "零宽不换行空格 U+FEFF",
}
MAX_CHARACTER_PROBLEMS = 20


def unsafe_characters(text: str, shown: str) -> list[Problem]:
    """Controls, bidi controls and invisible characters, one problem per line they are on."""
    problems: list[Problem] = []
    seen: set[tuple[int, str, bool]] = set()
    for match in _UNSAFE_CHARS.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problem = _character_problem(match.group(), shown, line, column)
        kind = (line, problem.code, problem.message.endswith(FIX_HINT))
        if kind in seen:
            continue
        seen.add(kind)
        problems.append(problem)
        if len(problems) >= MAX_CHARACTER_PROBLEMS:
            break
    return problems


def _character_problem(char: str, shown: str, line: int, column: int) -> Problem:
    name = _UNSAFE_NAMES.get(char)
    if ZERO_WIDTH.match(char):
        return warning(
            shown,
            line,
            column,
            "zero-width",
            None,
            f"这一行含有零宽字符（{name or f'U+{ord(char):04X}'}），常随网页或 Word 中复制的文字带入："
            f"看不见，却会让检索找不到这段文字。生成网站时会自动删除；{FIX_HINT}",
        )
    if INVISIBLE.match(char):
        return error(
            shown,
            line,
            column,
            "unsafe-text",
            None,
            f"这一行含有不可见字符（{name or f'不可见字符 U+{ord(char):04X}'}），它会隐藏文字、"
            f"干扰审核和检索。请删除该字符；{FIX_HINT}",
        )
    name = name or f"控制字符 U+{ord(char):04X}"
    return error(
        shown,
        line,
        column,
        "unsafe-text",
        None,
        f"含有不可见或控制字符（{name}），它会隐藏或颠倒文字、干扰审核。请删除该字符后重新输入这段文字。",
    )
