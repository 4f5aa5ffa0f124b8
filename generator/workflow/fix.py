"""`catalog fix`: apply, in place, every fix that cannot change meaning.

The source text is edited where the problem is, never re-serialised, so comments, key order and
quoting stay as the editor wrote them:

* invisible characters (zero-width spaces, soft hyphens, variation selectors …) removed
  everywhere; bidi controls are left for a person to look at;
* in front matter: ``key：`` → ``key: ``, full-width digits and letters → ASCII, dates in any
  common shape → ``"YYYY-MM-DD"``, 文号 → the canonical form, a value wrapped in Word's curly
  quotes → the value in straight quotes;
* a GBK/GB18030 file re-encoded as UTF-8.

``fix_text`` is pure; ``fix_paths`` reads and writes the files and returns what changed.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.content.checks import DATE_FIELDS, PROJECT_DATES
from generator.content.docnumber import normalize_doc_number
from generator.content.load import FULLWIDTH_COLON_KEY
from generator.content.normalize import (
    fold_fullwidth_alnum,
    normalize_date,
    strip_curly_quotes,
    strip_invisible,
)
from generator.content.pii import find_pii
from generator.content.yaml_spans import ScalarSpan, scalar_spans
from generator.workflow.scaffold_text import quote

DATE_PATHS = frozenset({(name,) for name in DATE_FIELDS} | {("project", n) for n in PROJECT_DATES})
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_SUFFIXES = (".md", ".yml", ".yaml")
_COLON_SLIP = re.compile(FULLWIDTH_COLON_KEY.pattern + "[ \t\u3000]*", re.MULTILINE)


@dataclass(frozen=True)
class FixedFile:
    path: Path
    before: str
    after: str
    was_gbk: bool

    @property
    def changed(self) -> bool:
        return self.was_gbk or self.before != self.after

    def diff(self, shown: str) -> str:
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"a/{shown}",
            tofile=f"b/{shown}",
        )
        text = "".join(
            masked(line) if line.endswith("\n") else masked(line) + "\n" for line in lines
        )
        note = f"# {shown}：已从 GBK/GB18030 编码转换为 UTF-8\n" if self.was_gbk else ""
        return note + text


def masked(line: str) -> str:
    """A diff line with personal numbers masked, as the validator shows them: the diff may be
    printed in a public CI log."""
    for match in reversed(find_pii(line)):
        line = line[: match.start] + match.masked + line[match.end :]
    return line


def fix_text(text: str, *, whole_yaml: bool = False) -> str:
    """A record file (front matter and body), or a whole YAML file, with its safe fixes applied."""
    newline = "\r\n" if "\r\n" in text else "\n"
    text = strip_invisible(text.replace("\r\n", "\n"))
    if whole_yaml:
        fixed = fix_front_matter(text)
    else:
        lines = text.split("\n")
        end = _front_matter_end(lines)
        if end is None or end == 1:
            return text.replace("\n", newline)
        front = fix_front_matter("\n".join(lines[1:end]))
        fixed = "\n".join([lines[0], front, *lines[end:]])
    return fixed.replace("\n", newline)


def _front_matter_end(lines: list[str]) -> int | None:
    if not lines or not _FENCE.match(lines[0]):
        return None
    return next((i for i in range(1, len(lines)) if _FENCE_END.match(lines[i])), None)


def fix_front_matter(text: str) -> str:
    """Character fixes first (so that the YAML parses), then the values at their offsets."""
    text = _COLON_SLIP.sub(lambda m: f"{m.group(1)}{m.group(2)}: ", text)
    text = fold_fullwidth_alnum(text)
    spans = scalar_spans(text)
    if not spans:
        return text
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        replacement = fixed_value(span)
        if replacement is not None:
            text = text[: span.start] + replacement + text[span.end :]
    return text


def fixed_value(span: ScalarSpan) -> str | None:
    """The text to write instead of a scalar, or None to leave it as written."""
    if span.path in DATE_PATHS:
        fixed = normalize_date(span.value)
        if fixed is not None and fixed != span.value:
            return quote(fixed)
        return None
    if span.path == ("doc_number",):
        check = normalize_doc_number(span.value)
        if check.recognized and not check.is_canonical:
            return quote(check.normalized)
        return None
    if span.plain and strip_curly_quotes(span.value) != span.value:
        return quote(strip_curly_quotes(span.value))
    return None


def content_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Record and YAML files under ``paths`` (folders are walked; symlinks are never followed)."""
    for path in paths:
        if path.is_symlink():
            continue
        if path.is_file():
            yield path
            continue
        for root, folders, names in os.walk(path):
            folders[:] = sorted(f for f in folders if not Path(root, f).is_symlink())
            for name in sorted(names):
                candidate = Path(root, name)
                if name.endswith(_SUFFIXES) and not candidate.is_symlink():
                    yield candidate


def fix_file(path: Path) -> FixedFile:
    raw = path.read_bytes()
    was_gbk = False
    try:
        before = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            before, was_gbk = raw.decode("gb18030"), True
        except UnicodeDecodeError:
            return FixedFile(path, "", "", False)  # unreadable: validate says why
    after = fix_text(before, whole_yaml=path.suffix in (".yml", ".yaml"))
    return FixedFile(path, before, after, was_gbk)


def fix_paths(paths: Iterable[Path], *, write: bool) -> list[FixedFile]:
    """The files that a fix changes (written back as UTF-8 when ``write``)."""
    changed = []
    for path in content_files(paths):
        fixed = fix_file(path)
        if not fixed.changed:
            continue
        changed.append(fixed)
        if write:
            path.write_bytes(fixed.after.encode("utf-8"))
    return changed
