"""What git knows: when each content file first reached the main line, and when files changed.

One ``git log`` pass over the whole content tree (oldest first, first-parent, renames followed)
gives every file's first appearance; a record moved to another folder keeps its first date.
``core.quotepath=false`` keeps Chinese file names readable. Without git, or outside a
repository, ``read_history`` returns ``None`` and the audit says which checks it skipped.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.content.load import parse_yaml
from generator.core.settings import SHANGHAI

IMPORT_TRAILER = "Catalog-Import"  # `Catalog-Import: yes` marks a commit made by an import
_SEP, _END = "\x1f", "\x1e"


@dataclass(frozen=True)
class Addition:
    """The commit that first brought a file onto the main line."""

    commit: str
    day: date  # committer date, in Asia/Shanghai
    imported: bool  # the repository's first commit, or a commit with the import trailer


@dataclass(frozen=True)
class History:
    root: Path  # the repository's top level
    additions: dict[Path, Addition]  # absolute path → first appearance

    def added(self, path: Path) -> Addition | None:
        return self.additions.get(path.resolve())

    def changes(self, path: Path) -> list[tuple[str, date]]:
        """Commits that changed ``path``, oldest first (commit, day)."""
        out = _git(
            self.root,
            "log",
            "--reverse",
            "--first-parent",
            "--diff-merges=first-parent",
            "--no-patch",
            f"--format=%H{_SEP}%ct",
            "--",
            str(path.resolve()),
        )
        rows = [line.split(_SEP) for line in out.splitlines() if line]
        return [(commit, _day(stamp)) for commit, stamp in rows]

    def last_changed(self, path: Path) -> date | None:
        changes = self.changes(path)
        return changes[-1][1] if changes else None

    def yaml_at(self, commit: str, path: Path) -> Any:
        """``path`` as it was at ``commit``, parsed by the hardened loader (None if unreadable)."""
        relative = path.resolve().relative_to(self.root).as_posix()
        try:
            text = _git(self.root, "show", f"{commit}:{relative}")
        except GitError:
            return None
        located, _ = parse_yaml(text, relative)
        return None if located is None else located.data


class GitError(RuntimeError):
    pass


def read_history(content_dir: Path) -> History | None:
    """The history of ``content_dir``, or None when it is not inside a git work tree."""
    try:
        top = _git(content_dir, "rev-parse", "--show-toplevel").strip()
        if not top:
            return None
        log = _git(
            content_dir,
            "log",
            "--reverse",
            "--first-parent",
            "--diff-merges=first-parent",
            "-M",
            "--name-status",
            "--diff-filter=AR",
            "-z",
            f"--format={_END}%H{_SEP}%ct{_SEP}%P{_SEP}"
            f"%(trailers:key={IMPORT_TRAILER},valueonly,separator=%x2C){_SEP}",
            "--",
            ".",
        )
    except GitError:
        return None
    root = Path(top).resolve()
    return History(root, _first_additions(root, log))


def _first_additions(root: Path, log: str) -> dict[Path, Addition]:
    additions: dict[Path, Addition] = {}
    for chunk in log.split(_END)[1:]:
        head, _, names = chunk.partition(_SEP + "\x00")
        commit, stamp, parents, trailer, *_ = [*head.split(_SEP), ""]
        imported = not parents.strip() or trailer.strip().lower() in {"yes", "true", "1"}
        addition = Addition(commit, _day(stamp), imported)
        tokens = [t for t in names.lstrip("\n").split("\x00") if t]
        for status, paths in _entries(tokens):
            new = (root / paths[-1]).resolve()
            if status.startswith("R"):
                additions[new] = additions.get((root / paths[0]).resolve(), addition)
            else:
                additions.setdefault(new, addition)
    return additions


def _entries(tokens: Sequence[str]) -> list[tuple[str, list[str]]]:
    entries, i = [], 0
    while i < len(tokens):
        status = tokens[i]
        width = 2 if status[:1] in {"R", "C"} else 1
        entries.append((status, list(tokens[i + 1 : i + 1 + width])))
        i += 1 + width
    return entries


def _day(stamp: str) -> date:
    return datetime.fromtimestamp(int(stamp), SHANGHAI).date()


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=false", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise GitError(str(exc)) from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip())
    return done.stdout
