"""The one hardened loader for content files: bytes → text → YAML values with positions.

Used by `catalog validate`, the build and every tool, so CI and the site judge the same values.

* strict UTF-8 (a GBK/GB18030 file is recognised and the editor told how to re-save it), BOM
  tolerated, a size cap per file;
* NUL, control, bidi-control and invisible characters refused with their line and column;
  zero-width spaces and joiners (copied from web pages) only warned about and dropped from
  values, full-width digits and letters in values folded to ASCII (``catalog fix`` does both in
  the file);
* ``key：value`` (a full-width colon) named as such, and the rest of the front matter still read;
* YAML through libyaml's event stream: anchors, aliases and explicit tags refused before anything
  is constructed (no alias bombs, no ``!!python/...``), duplicate keys refused, nesting bounded;
* YAML-1.2-like typing: only ``true``/``false``, ``null``, decimal integers and floats are typed;
  dates, ``no``, ``010``, ``9:30`` stay strings so the schema judges them;
* every value mapped to its line and column (1-based) by its path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.content.characters import unsafe_characters
from generator.content.normalize import (
    FIX_HINT,
    FULLWIDTH_ALNUM,
    INVISIBLE,
    fold_fullwidth_alnum,
    strip_invisible,
)
from generator.core.problems import Problem, error

Path_ = tuple[str | int, ...]

try:  # libyaml is ~8x faster; the pure-Python parser is the fallback.
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader


def yaml_parser() -> type:
    """libyaml's loader class when PyYAML was built with it, else the pure-Python one."""
    return _Parser


MAX_DEPTH = 20  # real front matter nests 3 levels; 1,000-deep lists are an attack
# jsonschema's uniqueItems compares unhashable items pairwise: 3,000 mappings in one list took
# 8 s, 100,000 never finished. Real files hold a few hundred values and lists of tens.
MAX_ITEMS = 500  # per list
MAX_NODES = 10_000  # values per document

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)", re.ASCII)
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", re.ASCII)
_NULL = {"", "~", "null", "Null", "NULL"}
_KEY_LINE = re.compile(r"\n[ \t]*[^\s:#'\"]+:(?:[ \t]|$)", re.MULTILINE)
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

# Identifiers are cited character for character elsewhere (索引号, 信用代码): a full-width digit in
# one is reported by the schema (catalog fix folds it), never silently folded.
_EXACT = frozenset({("id",), ("interprets",), ("repealed_by",), ("related",), ("org_code",)})


@dataclass(frozen=True)
class Located:
    """A parsed YAML document with the position of every value and key."""

    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of its nearest located parent."""
        for end in range(len(path), -1, -1):
            found = self.values.get(tuple(path[:end]))
            if found:
                return found
        return (1, 1)

    def key_position(self, path: Path_) -> tuple[int, int]:
        return self.keys.get(tuple(path)) or self.position(path)


@dataclass(frozen=True)
class SourceText:
    text: str | None
    problems: list[Problem]


class _Reject(Exception):
    """A YAML feature we refuse; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory when possible.

    Lexical, not ``resolve()``: a symlink is named where the editor put it, not where it points.
    """
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd:
        return "."
    prefix = cwd if cwd.endswith("/") else cwd + "/"
    if os.sep == "/" and absolute.startswith(prefix):  # what Path.relative_to does, 20x cheaper
        return absolute[len(prefix) :]
    try:
        return Path(absolute).relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def symlink_problem(path: Path, what: str = "文件") -> Problem:
    return error(
        display_path(path),
        1,
        1,
        "symlink",
        None,
        f"{what}“{path.name}”是符号链接。内容目录中不允许符号链接：它可能把仓库以外的文件发布到网站上，"
        "审核时也看不到真正发布的内容。请删除这个链接，把文件或文件夹本身放在这里。",
    )


def read_text(path: Path, *, max_bytes: int, shown: str | None = None) -> SourceText:
    """Read a content file as strict UTF-8 and refuse invisible or control characters."""
    shown = shown or display_path(path)
    raw, problems = read_bytes(path, max_bytes=max_bytes, shown=shown)
    if raw is None:
        return SourceText(None, problems)
    return decode_text(raw, shown)


def read_bytes(path: Path, *, max_bytes: int, shown: str) -> tuple[bytes | None, list[Problem]]:
    """A content file's bytes, or why it cannot be read (a symlink, too large, unreadable)."""
    try:
        if path.is_symlink():
            return None, [symlink_problem(path)]
        size = path.stat().st_size
        if size > max_bytes:
            return None, [_too_large(shown, size, max_bytes)]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [error(shown, 1, 1, "encoding", None, f"无法读取文件：{exc}")]


def decode_text(raw: bytes, shown: str) -> SourceText:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return SourceText(None, [_encoding_problem(raw, exc, shown)])
    text = text.replace("\r\n", "\n")
    return SourceText(text, unsafe_characters(text, shown))


def decode_legacy(raw: bytes) -> str | None:
    """A GBK/GB18030 file's text, so that its other problems are found in the same run."""
    try:
        text = raw.decode("gb18030").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None
    return text


def _too_large(shown: str, size: int, limit: int) -> Problem:
    return error(
        shown,
        1,
        1,
        "file-too-large",
        None,
        f"文件大小为 {size / 1024 / 1024:.1f} MB，超过上限 {limit / 1024 / 1024:.1f} MB。"
        "请把正文拆分为多条记录，或把大段内容作为附件（PDF 等）上传。",
    )


def _encoding_problem(raw: bytes, exc: UnicodeDecodeError, shown: str) -> Problem:
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    try:
        raw.decode("gb18030")
        guess = "文件看起来是 GBK/GB18030 编码（常见于 Windows 记事本或 WPS 的默认保存方式）。"
    except UnicodeDecodeError:
        guess = "文件含有无法识别的字节。"
    return error(
        shown,
        line,
        column,
        "encoding",
        None,
        f"文件不是 UTF-8 编码：{guess}请用编辑器“另存为”并选择 UTF-8 编码"
        "（VS Code：右下角点击编码 → 通过编码保存 → UTF-8）。",
    )


def parse_yaml(
    text: str, shown: str, *, line_offset: int = 0
) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document into plain values with positions, or report why not."""
    composer = _EventComposer(shown, line_offset)
    try:
        return composer.compose(text), []
    except _Reject as rejected:
        return None, [rejected.problem]
    except yaml.MarkedYAMLError as exc:
        colons = fullwidth_colon_problems(text, shown, line_offset)
        if colons:  # the rest is read as if the colons were right, so that it is checked too
            repaired = FULLWIDTH_COLON_KEY.sub(lambda m: f"{m.group(1)}{m.group(2)}: ", text)
            located, _ = parse_yaml(repaired, shown, line_offset=line_offset)
            return located, colons
        quote = _unpaired_quote(exc, composer.spanning_quote)
        if quote is not None:
            return None, [_quote_problem(quote, shown, line_offset)]
        return None, [_syntax_problem(exc, shown, line_offset)]
    except yaml.YAMLError as exc:  # reader errors without a mark
        return None, [
            error(shown, 1 + line_offset, 1, "yaml-syntax", None, f"YAML 无法解析：{exc}")
        ]


FULLWIDTH_COLON_KEY = re.compile(r"^([ \t]*(?:-[ \t]+)?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*：", re.M)


def fullwidth_colon_problems(text: str, shown: str, line_offset: int = 0) -> list[Problem]:
    """``summary：…`` (the commonest IME slip): YAML sees no key there, only text."""
    problems = []
    for match in FULLWIDTH_COLON_KEY.finditer(text):
        line = text.count("\n", 0, match.start()) + 1 + line_offset
        key = match.group(2)
        problems.append(
            error(
                shown,
                line,
                match.end() - match.start(),
                "yaml-syntax",
                key,
                f"“{key}”后面是中文全角冒号“：”，YAML 只认英文冒号加空格。"
                f"请改为“{key}: ”；{FIX_HINT}",
            )
        )
    return problems


Quote = tuple[int, int, int | None]  # 0-based line and column where it opened, line it closed


def _unpaired_quote(exc: yaml.MarkedYAMLError, spanning: Quote | None) -> Quote | None:
    """Where a quote left open began (and the line where YAML closed it), if that is the cause.

    A quote left open swallows the next lines up to the next quote; YAML then fails there, or at
    the end of the file: the editor must look at the line where the quote began.
    """
    context = exc.context_mark
    if exc.context == "while scanning a quoted scalar" and context is not None:
        return context.line, context.column, None
    problem = exc.problem_mark
    if spanning is not None and problem is not None and spanning[2] == problem.line:
        return spanning
    return None


def _quote_problem(quote: Quote, shown: str, line_offset: int) -> Problem:
    start, column, closed = quote
    line = start + 1 + line_offset
    until = (
        f"YAML 把直到第 {closed + 1 + line_offset} 行的内容都当作了这个值"
        if closed is not None
        else "直到文件结束也没有找到另一半"
    )
    return error(
        shown,
        line,
        column + 1,
        "yaml-syntax",
        None,
        f"第 {line} 行的引号没有配对：{until}。请在这个值的末尾补上同样的引号，"
        "或删除开头的引号（值中需要引号时，请用中文引号“”）。",
    )


def _syntax_problem(exc: yaml.MarkedYAMLError, shown: str, line_offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (1 + line_offset, 1)
    if mark is not None:
        line, column = mark.line + 1 + line_offset, mark.column + 1
    detail = "; ".join(str(part) for part in (exc.context, exc.problem) if part)
    return error(
        shown,
        line,
        column,
        "yaml-syntax",
        None,
        f"YAML 语法错误（{detail}）。常见原因：冒号后缺少空格、缩进不一致（请用空格，不要用 Tab）、"
        "值里含有“: ”或“#”却没有加引号、引号没有成对。请检查这一行及上一行。",
    )


class _EventComposer:
    """Builds values straight from libyaml's events, refusing what we do not allow."""

    def __init__(self, shown: str, line_offset: int) -> None:
        self.shown = shown
        self.line_offset = line_offset
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.nodes = 0
        self.spanning_quote: Quote | None = None  # the last quoted value that swallowed a line
        self.text = ""  # looking like "key: value" (as an unpaired quote does)
        self.strip = False  # the text holds invisible characters, to be dropped from values
        self.fold = False  # … or full-width digits and letters, to be folded (search finds them)

    def compose(self, text: str) -> Located:
        self.text = text
        self.strip = INVISIBLE.search(text) is not None
        self.fold = FULLWIDTH_ALNUM.search(text) is not None
        events = yaml.parse(text, Loader=yaml_parser())
        documents = 0
        data: Any = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Reject(
                        self._problem(
                            event,
                            "yaml-syntax",
                            None,
                            "只能有一个 YAML 文档：front matter 中出现了第二个“---”。"
                            "请删除多余的“---”，或把它放在正文中并前后留空行。",
                        )
                    )
                data = self._node(events, next(events), ())
        return Located(data, self.values, self.keys)

    def _position(self, event: yaml.Event) -> tuple[int, int]:
        mark = event.start_mark
        if mark is None:  # libyaml always sets marks; the pure-Python parser may not
            return (1 + self.line_offset, 1)
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def _problem(
        self, event: yaml.Event, code: str, field_name: str | None, message: str
    ) -> Problem:
        line, column = self._position(event)
        return error(self.shown, line, column, code, field_name, message)

    def _check_features(self, event: yaml.Event, path: Path_) -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Reject(
                self._problem(
                    event,
                    "forbidden-yaml",
                    _dotted(path),
                    "不允许使用 YAML 锚点（&）和别名（*）。请把要重复的内容直接写出来。",
                )
            )
        tag = getattr(event, "tag", None)
        if tag and tag != "!" and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]):
            raise _Reject(
                self._problem(
                    event,
                    "forbidden-yaml",
                    _dotted(path),
                    f"不允许使用 YAML 标签（{tag}）。请删除以“!”开头的标签，直接写值；"
                    "需要文字时请加引号。",
                )
            )
        if len(path) > MAX_DEPTH:
            raise _Reject(
                self._problem(
                    event,
                    "forbidden-yaml",
                    _dotted(path),
                    f"嵌套层数超过 {MAX_DEPTH} 层。记录的 front matter 不需要这么深的结构，请检查缩进。",
                )
            )

    def _check_size(self, event: yaml.Event, path: Path_, position: int) -> None:
        """Count one more value (and, inside a list, its 1-based position) against the limits."""
        self.nodes += 1
        if position > MAX_ITEMS:
            raise _Reject(
                self._problem(
                    event,
                    "forbidden-yaml",
                    _dotted(path),
                    f"列表超过 {MAX_ITEMS} 项。请检查是否误粘贴了数据；大量数据请作为附件上传。",
                )
            )
        if self.nodes > MAX_NODES:
            raise _Reject(
                self._problem(
                    event,
                    "forbidden-yaml",
                    _dotted(path),
                    f"文件中的值超过 {MAX_NODES} 个。请检查是否误粘贴了数据；大量数据请作为附件上传。",
                )
            )

    def _node(self, events: Any, event: yaml.Event, path: Path_, position: int = 0) -> Any:
        self._check_features(event, path)
        self._check_size(event, path, position)
        self.values[path] = self._position(event)
        if isinstance(event, yaml.ScalarEvent):
            self._note_quote(event)
            value = strip_invisible(event.value) if self.strip else event.value
            value = fold_fullwidth_alnum(value) if self.fold and path[:1] not in _EXACT else value
            return resolve_scalar(value, plain=bool(event.implicit[0]) and not event.style)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(item_event := next(events), yaml.SequenceEndEvent):
                index = len(items)
                items.append(self._node(events, item_event, (*path, index), index + 1))
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(events, path)
        raise _Reject(self._problem(event, "yaml-syntax", _dotted(path), "无法识别的 YAML 结构。"))

    def _note_quote(self, event: yaml.ScalarEvent) -> None:
        start, end = event.start_mark, event.end_mark
        if event.style not in ("'", '"') or start is None or end is None or start.line == end.line:
            return
        if _KEY_LINE.search(self.text, start.index, end.index):
            self.spanning_quote = (start.line, start.column, end.line)

    def _mapping(self, events: Any, path: Path_) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        while True:
            key_event = next(events)
            if isinstance(key_event, yaml.MappingEndEvent):
                return mapping
            self._check_features(key_event, path)
            if not isinstance(key_event, yaml.ScalarEvent):
                raise _Reject(
                    self._problem(
                        key_event,
                        "yaml-syntax",
                        _dotted(path),
                        "键必须是简单的文字，不能是列表或映射。",
                    )
                )
            key = strip_invisible(key_event.value) if self.strip else key_event.value
            child = (*path, key)
            if key in mapping:
                first_line = self.keys[child][0]
                raise _Reject(
                    self._problem(
                        key_event,
                        "duplicate-key",
                        _dotted(child),
                        f"键“{key}”重复出现（第一次在第 {first_line} 行）。"
                        "YAML 会悄悄只保留最后一个值，请删除其中一个。",
                    )
                )
            self.keys[child] = self._position(key_event)
            mapping[key] = self._node(events, next(events), child)


def resolve_scalar(value: str, *, plain: bool) -> Any:
    """YAML-1.2-like core typing for plain scalars; everything else stays a string."""
    if not plain:
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


def _dotted(path: Path_) -> str | None:
    if not path:
        return None
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


dotted = _dotted


@dataclass(frozen=True)
class FrontMatterDocument:
    """A record file split into its front matter (parsed) and Markdown body."""

    meta: Located | None
    body: str
    body_line: int  # 1-based line of the first body line
    problems: list[Problem]


_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def split_front_matter(text: str, shown: str) -> FrontMatterDocument:
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatterDocument(
            None,
            text,
            1,
            [
                error(
                    shown,
                    1,
                    1,
                    "front-matter",
                    None,
                    "文件开头缺少 front matter。记录文件的第一行必须是“---”，随后是 id、title 等字段，"
                    "再以一行“---”结束，之后才是正文。可用 `catalog new` 生成模板。",
                )
            ],
        )
    for index in range(1, len(lines)):
        if _FENCE_END.match(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            meta, problems = parse_yaml(yaml_text, shown, line_offset=1)
            if meta is not None and not isinstance(meta.data, dict):
                problems = fullwidth_colon_problems(yaml_text, shown, 1) or [
                    error(
                        shown,
                        2,
                        1,
                        "front-matter",
                        None,
                        "front matter 应是“键: 值”形式的映射（例如 title: 关于……的通知），实际不是。",
                    )
                ]
                meta = None
            return FrontMatterDocument(meta, body, index + 2, problems)
    return FrontMatterDocument(
        None,
        "",
        len(lines),
        [
            error(
                shown,
                1,
                1,
                "front-matter",
                None,
                "front matter 没有结束：找不到第二行“---”。请在字段之后、正文之前加一行“---”。",
            )
        ],
    )


def load_yaml_file(path: Path, *, max_bytes: int) -> tuple[Located | None, list[Problem]]:
    """Read and parse a whole-YAML content file (site.yml, department.yml)."""
    source = read_text(path, max_bytes=max_bytes)
    if source.text is None:
        return None, source.problems
    located, problems = parse_yaml(source.text, display_path(path))
    if located is not None and not isinstance(located.data, dict):
        shown = display_path(path)
        return None, [
            *source.problems,
            error(
                shown, 1, 1, "schema", None, "文件内容应是“键: 值”形式的映射，实际为空或不是映射。"
            ),
        ]
    return located, source.problems + problems
