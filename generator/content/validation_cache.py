"""Per-file validation results kept between runs: a warm validation checks only changed files.

An entry is keyed by the sha256 of a record file's bytes together with everything the single-file
checks read besides them: the path as shown in messages, where the content folder and the working
directory are, the schema directory (schemas, vocabularies, holidays), the site (public numbers,
deadlines, id template), the record's department, the file size limit, and the generator's code
and library versions. Its value is the file's problems, in order, and its Record without the body
(the body is cut from the file's text again, at the offset the entry keeps).

Attachments live outside the record file: an entry keeps the ``lstat`` of every attachment the
record names (and the file type of each folder on the way to it) and is used only while they are
the same, so an attachment deleted, replaced or turned into a symlink is checked again.
The checks that need the whole catalog (duplicate ids, references, links, id formats) never come
from the cache, and nothing here depends on "today": scheduled records are sorted out after.

One cache file (``generator/core/cache.py``) per content folder under ``validation/`` of the
cache folder, holding plain values (no objects are rebuilt by the loader, and unlike pickle
marshal needs no memo of every object written: at 10,000 records pickle's peak memory was 70 MB
higher). An unreadable, foreign or outdated file is ignored and replaced; a write that fails (a
read-only checkout) only costs speed next time.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.core.cache import CacheFile, fingerprint
from generator.core.problems import Problem, Severity
from generator.core.records import Attachment, Record, SiteInfo
from generator.core.settings import Settings

FORMAT = 3  # bump when an entry's shape changes
LIBRARIES = ("jsonschema", "PyYAML", "nh3", "pikepdf", "python-docx")
KEEP_FILES = 20  # caches of the most recently validated content folders
_CODE = Path(__file__).resolve().parents[1]
# The packages validation imports (a test and the import contract keep it so): an edit in them
# empties the cache; edits elsewhere in the generator (the build, the site) do not.
CHECKING_PACKAGES = ("core", "content")

# (st_mode,) for each folder on the way, (st_mode, st_size, st_mtime_ns, st_ino) for the file
# itself; None where the path stops existing.
AttachmentState = tuple[tuple[int, ...] | None, ...]


@dataclass(frozen=True)
class Entry:
    problems: tuple[Problem, ...]
    record: Record | None  # body left out
    body_start: int  # where the body starts in the decoded text
    attachments: tuple[str, ...]  # attachments[].file as written, when the record was built
    states: tuple[AttachmentState, ...]  # one per attachment


@lru_cache(maxsize=1)
def checking_code() -> bytes:
    """The checking code and the versions of the libraries whose output we keep."""
    code = [_CODE / "__init__.py"]
    code += sorted(p for package in CHECKING_PACKAGES for p in (_CODE / package).glob("*.py"))
    return fingerprint(FORMAT, files=code, packages=LIBRARIES)


def context_fingerprint(settings: Settings, site: SiteInfo | None) -> bytes:
    """What every file's result depends on besides the file and its department."""
    where = (os.path.abspath(settings.content_dir), os.getcwd())
    return fingerprint(
        checking_code(), repr(site), settings.max_file_bytes, where, files=[settings.schema_dir]
    )


def file_key(context: bytes, shown: str, department: str, raw: bytes) -> bytes:
    digest = hashlib.sha256(context)
    digest.update(shown.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(department.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(raw)
    return digest.digest()


def decoded(raw: bytes) -> str:
    """The text ``load.decode_text`` gives for bytes it accepted."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8").replace("\r\n", "\n")


def attachment_state(record_dir: Path, file: str, content: Path) -> AttachmentState:
    """What ``checks.attachments`` reads on the disk for one attachment, as ``lstat`` values."""
    root = os.path.abspath(content)
    candidate = os.path.normpath(os.path.join(os.path.abspath(record_dir), file))
    if os.path.isabs(file) or not candidate.startswith(root + os.sep):
        return ()  # refused on the path alone
    parts = candidate[len(root) + 1 :].split(os.sep)
    states: list[tuple[int, ...] | None] = []
    current = root
    for index, part in enumerate(parts):
        current = os.path.join(current, part)
        try:
            stat = os.lstat(current)
        except OSError:
            states.append(None)
            break
        last = index == len(parts) - 1
        states.append(
            (stat.st_mode, stat.st_size, stat.st_mtime_ns, stat.st_ino) if last else (stat.st_mode,)
        )
    return tuple(states)


def _states(path: Path, files: tuple[str, ...], content: Path) -> tuple[AttachmentState, ...]:
    return tuple(attachment_state(path.parent, file, content) for file in files)


class ValidationCache:
    """Entries of the last run; those looked up or stored in this run are written back."""

    def __init__(self, file: CacheFile, context: bytes, entries: dict[bytes, Any]) -> None:
        self.file = file
        self.context = context
        self.entries = entries  # key → packed entry, as read
        self.kept: dict[bytes, Any] = {}  # key → packed entry, to write back
        self.stored = 0

    @classmethod
    def open(cls, settings: Settings, site: SiteInfo | None) -> ValidationCache:
        caches = settings.caches()
        if caches.root is None:
            return cls(CacheFile(None), b"", {})
        context = context_fingerprint(settings, site)
        place = f"{os.path.abspath(settings.content_dir)}\0{os.getcwd()}"
        name = hashlib.sha256(place.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        file = caches.file(f"validation/{name}")
        entries = file.read(context)
        return cls(file, context, entries if isinstance(entries, dict) else {})

    def key(self, shown: str, department: str, raw: bytes) -> bytes:
        return file_key(self.context, shown, department, raw)

    def lookup(
        self, key: bytes, raw: bytes, path: Path, content: Path
    ) -> tuple[Record | None, list[Problem]] | None:
        """The file's record and problems as the checks would give them, or None to check it."""
        if self.file.path is None:
            return None
        packed = self.entries.get(key)
        if packed is None:
            return None
        try:
            entry = unpack(packed)
        except (TypeError, ValueError, IndexError, KeyError):
            return None  # a damaged entry is a cache miss
        if entry.states != _states(path, entry.attachments, content):
            return None
        self.kept[key] = packed
        record = entry.record
        if record is not None:
            record = replace(record, body=decoded(raw)[entry.body_start :])
        return record, list(entry.problems)

    def store(
        self,
        key: bytes,
        raw: bytes,
        path: Path,
        content: Path,
        checked: tuple[Record | None, list[Problem]],
        attachments: tuple[str, ...],
    ) -> None:
        if self.file.path is None:
            return
        record, problems = checked
        start = 0
        if record is not None:
            text = decoded(raw)
            if not text.endswith(record.body):
                return  # not a body cut from the text: check this file every time
            start = len(text) - len(record.body)
            record = replace(record, body="")
        states = _states(path, attachments, content)
        self.kept[key] = pack(Entry(tuple(problems), record, start, attachments, states))
        self.stored += 1

    def save(self) -> None:
        """Write this run's entries (only if they differ from the file's); never fails the run."""
        path = self.file.path
        if path is None or (not self.stored and len(self.kept) == len(self.entries)):
            return
        if self.file.write(self.context, self.kept):
            _prune(path.parent)


def _prune(folder: Path) -> None:
    """Keep the caches of the ``KEEP_FILES`` most recently validated content folders."""
    try:
        files = sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in files[KEEP_FILES:]:
            stale.unlink(missing_ok=True)
    except OSError:  # a file pruned by a run beside this one
        return


# Entries as plain values for marshal: dates as ordinals, problems and attachments as tuples.
_DATES = frozenset({"written", "published", "effective", "expires", "updated"})
_RECORD_FIELDS = tuple(f.name for f in fields(Record))


def pack(entry: Entry) -> tuple[Any, ...]:
    problems = tuple(
        (p.file, p.line, p.column, p.severity.value, p.code, p.field, p.message)
        for p in entry.problems
    )
    record = (
        None
        if entry.record is None
        else tuple(_pack_value(name, getattr(entry.record, name)) for name in _RECORD_FIELDS)
    )
    return (problems, record, entry.body_start, entry.attachments, entry.states)


def unpack(packed: tuple[Any, ...]) -> Entry:
    problems, record, body_start, attachments, states = packed
    return Entry(
        tuple(
            Problem(f, line, column, Severity(severity), code, field, message)
            for f, line, column, severity, code, field, message in problems
        ),
        None
        if record is None
        else Record(
            **{
                name: _unpack_value(name, value)
                for name, value in zip(_RECORD_FIELDS, record, strict=True)
            }
        ),
        body_start,
        attachments,
        states,
    )


def _pack_value(name: str, value: Any) -> Any:
    if name in _DATES:
        return None if value is None else value.toordinal()
    if name == "attachments":
        return tuple((a.file, a.path, a.title, a.size, a.kind) for a in value)
    return value


def _unpack_value(name: str, value: Any) -> Any:
    if name in _DATES:
        return None if value is None else date.fromordinal(value)
    if name == "attachments":
        return tuple(Attachment(*item) for item in value)
    return value
