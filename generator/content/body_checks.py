"""Checks of a record's Markdown body: raw HTML, dangerous links, size limits, links found.

Pure functions over text. Line numbers are absolute (``first_line`` is the body's first line).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from generator.core.problems import Problem, error, warning

MAX_BRACKETS = 5_000  # 20,000 "[" took Python-Markdown 81 s
MAX_LINE = 50_000
MAX_NESTING = 12  # list / blockquote levels (1,000 indented levels: RecursionError after 12 s)
MAX_LINES = 20_000  # 700,000 short paragraphs (2 MB) took 99 s to render
MAX_HEADINGS = 1_000  # heading ids are made unique pairwise: 20,000 equal headings took 8 s
MAX_FENCES = 50  # each unclosed ``` fence rescans the rest: 20,000 of them took 10 s
MAX_BACKTICKS = 2_000  # likewise each unclosed `code span`: 600 lines of ``…` took 3 s
TAB = 4  # Python-Markdown nests a list per 4 columns of indentation

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_COMMENT = re.compile(r"<!--")
_DANGEROUS_TAG = re.compile(
    r"<\s*/?\s*(script|iframe|style|object|embed|form|input|button|link|meta|base|svg|math|"
    r"frame|frameset|applet|textarea|template|noscript)\b",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
# An attribute inside a tag or an attribute list ({onclick=…}, {: .x onclick=…}). It is searched
# for only up to the next "<" or "{": with "[^>]*" a line of 10,000 unclosed "<a " backtracked
# quadratically (minutes for one line).
_ATTRIBUTE = r"(?:<[a-zA-Z][^<>]*\s|\{(?:[^{}\n]*[\s:])?)"
_EVENT_ATTR = re.compile(_ATTRIBUTE + r"(on[a-z]+)\s*=", re.IGNORECASE)
_STYLE_ATTR = re.compile(_ATTRIBUTE + r"style\s*=", re.IGNORECASE)
# The destination is "<any text>" (file names with spaces) or a run without spaces.
_INLINE_LINK = re.compile(
    r"(!?)\[[^\]\n]*\]\(\s*(?:<([^<>\n]*)>|([^)\s>]*))(?:\s+[\"'(][^)\n]*)?\)"
)
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*)>")
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file|blob|filesystem)\s*:", re.IGNORECASE)
# What a browser ignores in a URL: leading C0 controls and spaces, and tabs or newlines anywhere.
_URL_IGNORED = re.compile(r"^[\x00-\x20]+|[\t\n\r]")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_NESTING = re.compile(r"^((?:\s*(?:[-*+]|\d+[.)]|>)\s+)+)")
_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.MULTILINE)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_SETEXT_LINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")


@dataclass(frozen=True)
class BodyLink:
    target: str  # as written, without the anchor
    line: int
    column: int
    image: bool


def _code_free_lines(body: str) -> list[tuple[int, str]]:
    """Body lines outside fenced code, with inline code spans blanked out."""
    if "`" not in body and "~" not in body:  # no fence and no code span: every line as it is
        return list(enumerate(body.split("\n")))
    lines = []
    fenced = False
    for index, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((index, _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)))
    return lines


def check_limits(body: str, shown: str, first_line: int) -> list[Problem]:
    lines = body.split("\n")
    if len(lines) > MAX_LINES:  # checked first: nothing else reads so long a body
        return [
            error(
                shown,
                first_line + MAX_LINES,
                1,
                "markdown-limit",
                "body",
                f"正文（body）有 {len(lines)} 行，超过上限 {MAX_LINES} 行。"
                "请把大段数据（名单、明细表）作为附件上传，正文只写说明。",
            )
        ]
    problems = _too_many_marks(body, shown, first_line)
    if body.count("[") > MAX_BRACKETS:
        problems.append(
            error(
                shown,
                first_line,
                1,
                "markdown-limit",
                "body",
                f"正文（body）含有 {body.count('[')} 个“[”，超过上限 {MAX_BRACKETS}。"
                "这会让页面生成极慢。请检查是否误粘贴了数据；表格数据请作为附件上传。",
            )
        )
    problems += _too_many_headings(lines, shown, first_line)
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE:
            problems.append(
                error(
                    shown,
                    first_line + index,
                    1,
                    "markdown-limit",
                    "body",
                    f"正文（body）第 {first_line + index} 行长 {len(line)} 个字符，超过上限 {MAX_LINE}。"
                    "请在段落之间换行，或把大段数据作为附件上传。",
                )
            )
            break
        if nesting_level(line) > MAX_NESTING:
            problems.append(
                error(
                    shown,
                    first_line + index,
                    1,
                    "markdown-limit",
                    "body",
                    f"列表或引用嵌套超过 {MAX_NESTING} 层。请减少缩进层级。",
                )
            )
            break
    return problems


def _too_many_marks(body: str, shown: str, first_line: int) -> list[Problem]:
    fences = len(_FENCE_LINE.findall(body))
    if fences > MAX_FENCES:
        return [
            error(
                shown,
                first_line,
                1,
                "markdown-limit",
                "body",
                f"正文（body）中有 {fences} 行以“```”或“~~~”开头（代码块标记），超过上限 {MAX_FENCES}。"
                "政府信息正文一般不需要代码块；请删除这些标记。",
            )
        ]
    backticks = body.count("`")
    if backticks > MAX_BACKTICKS:
        return [
            error(
                shown,
                first_line,
                1,
                "markdown-limit",
                "body",
                f"正文（body）含有 {backticks} 个反引号“`”，超过上限 {MAX_BACKTICKS}。"
                "反引号在 Markdown 中表示代码；请删除多余的反引号，或改用中文引号。",
            )
        ]
    return []


def nesting_level(line: str) -> int:
    """List and quote levels a line opens: markers on it plus its indentation in tab stops."""
    nesting = _NESTING.match(line)
    if not nesting:
        return 0
    markers = len(re.findall(r"[-*+>]|\d+[.)]", nesting.group(1)))
    indent = len(line) - len(line.lstrip())
    return markers + len(line[:indent].expandtabs(TAB)) // TAB


def _too_many_headings(lines: list[str], shown: str, first_line: int) -> list[Problem]:
    if len(lines) <= MAX_HEADINGS:  # at most one heading a line
        return []
    count = 0
    for index, line in enumerate(lines):
        setext = index > 0 and lines[index - 1].strip() and _SETEXT_LINE.match(line)
        count += bool(setext or _ATX_HEADING.match(line))
        if count > MAX_HEADINGS:
            return [
                error(
                    shown,
                    first_line + index,
                    1,
                    "markdown-limit",
                    "body",
                    f"正文（body）中的标题超过 {MAX_HEADINGS} 个。请检查是否误把每一行都写成了标题"
                    "（行首的“#”，或下一行是“---”“===”）；大量条目请改用列表或作为附件上传。",
                )
            ]
    return []


def check_html(body: str, shown: str, first_line: int) -> list[Problem]:
    """Raw HTML is never published as HTML; dangerous HTML is an error, the rest a warning."""
    problems: list[Problem] = []
    if "<" not in body and "{" not in body:  # every pattern below needs one of them
        return problems
    for index, line in _code_free_lines(body):
        if "<" not in line and "{" not in line:
            continue
        number = first_line + index
        found = _first_html_problem(line, shown, number)
        if found:
            problems.append(found)
    return problems


def _first_html_problem(line: str, shown: str, number: int) -> Problem | None:
    fix = "正文只能使用 Markdown；请删除这段 HTML。"
    if match := _COMMENT.search(line):
        return error(
            shown,
            number,
            match.start() + 1,
            "unsafe-html",
            "body",
            "正文（body）含有 HTML 注释“<!-- -->”。注释不会显示，但会出现在网页源代码中，"
            "可能泄露电话号码等信息。请删除注释；需要说明的内容请直接写在正文里。",
        )
    if match := _DANGEROUS_TAG.search(line):
        return error(
            shown,
            number,
            match.start() + 1,
            "unsafe-html",
            "body",
            f"正文（body）含有不安全的 HTML 标签“{match.group().strip()}”。{fix}",
        )
    if match := _EVENT_ATTR.search(line):
        return error(
            shown,
            number,
            match.start(1) + 1,
            "unsafe-html",
            "body",
            f"正文（body）含有事件属性“{match.group(1)}=”，它能在访问者的浏览器里运行脚本。{fix}",
        )
    if match := _STYLE_ATTR.search(line):
        return error(
            shown,
            number,
            match.start() + 1,
            "unsafe-html",
            "body",
            f"正文（body）含有 style 样式属性，可能遮盖页面内容。{fix}",
        )
    if match := _ANY_TAG.search(line):
        return warning(
            shown,
            number,
            match.start() + 1,
            "unsafe-html",
            "body",
            f"正文（body）含有 HTML 标签“{match.group()[:40]}”，网页上会按原样显示为文字。"
            "请改用 Markdown（如 **加粗**、## 标题、- 列表）。",
        )
    return None


def first_tag(text: str) -> str | None:
    """The first HTML comment or tag in a plain-text value, as written (for the message)."""
    for pattern in (_COMMENT, _DANGEROUS_TAG, _ANY_TAG):
        if match := pattern.search(text):
            return match.group()[:40]
    return None


def find_links(body: str, first_line: int) -> list[BodyLink]:
    links: list[BodyLink] = []
    if "[" not in body and "<" not in body:  # every link form needs one of them
        return links
    for index, line in _code_free_lines(body):
        if "[" not in line and "<" not in line:
            continue
        number = first_line + index
        for match in _INLINE_LINK.finditer(line):
            target = match.group(2) if match.group(2) is not None else match.group(3)
            links.append(BodyLink(target, number, match.start() + 1, bool(match.group(1))))
        if ref := _REF_LINK.match(line):
            links.append(BodyLink(ref.group(1), number, ref.start(1) + 1, False))
        for match in _AUTOLINK.finditer(line):
            links.append(BodyLink(match.group(1), number, match.start() + 1, False))
    return links


def is_dangerous_url(target: str) -> bool:
    """As a browser reads it: entities decoded (``java&#x09;script:``), tabs removed."""
    return bool(_BAD_SCHEME.match(_URL_IGNORED.sub("", html.unescape(target))))


def is_external_url(target: str) -> bool:
    return bool(_SCHEME.match(target)) or target.startswith("//")


def check_link_schemes(links: list[BodyLink], shown: str) -> list[Problem]:
    return [
        error(
            shown,
            link.line,
            link.column,
            "unsafe-html",
            "body",
            f"正文（body）中的{'图片' if link.image else '链接'}地址“{link.target[:60]}”使用了不安全的协议。"
            "只允许 https://、http://、mailto: 和指向本目录其他记录或附件的相对路径。请改正或删除。",
        )
        for link in links
        if is_dangerous_url(link.target)
    ]
