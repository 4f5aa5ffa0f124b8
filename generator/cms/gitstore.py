"""The clerk's repository as the editor sees it: the base branch plus every saved record's branch.

Saving never checks anything out and never touches the working tree: each record is committed on
its own branch ``cms/<dept>/<slug>`` with git's plumbing (a temporary index, ``commit-tree``,
``update-ref``), so the clerk's checkout stays as it was and `catalog submit` only pushes
branches. Reading overlays those branches on the base: a record saved but not yet merged is
listed with its new text. Every path goes through git with ``-z``, so Chinese file names are
never quoted (``core.quotePath``).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.workflow.scaffold import slugify

ZERO = "0" * 40
_FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "网页编辑",
    "GIT_AUTHOR_EMAIL": "cms@localhost",
    "GIT_COMMITTER_NAME": "网页编辑",
    "GIT_COMMITTER_EMAIL": "cms@localhost",
}


class StoreError(Exception):
    """A request the store refuses (a path outside the department …); message in Chinese."""


@dataclass(frozen=True)
class GitStore:
    root: Path  # the work tree
    base: str  # the branch records are published from, e.g. main
    scope: str  # the only folder the editor may touch, e.g. content/departments/edu
    prefix: str  # branch prefix of this department, e.g. cms/edu/

    def git(
        self, *args: str, data: bytes | None = None, env: dict[str, str] | None = None
    ) -> bytes:
        result = subprocess.run(
            ["git", "-C", str(self.root), *args],
            input=data,
            capture_output=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip()
            raise StoreError(f"git {args[0]} 失败：{message}")
        return result.stdout

    # ---- reading --------------------------------------------------------------------------

    def branches(self) -> list[str]:
        """This department's record branches, oldest commit first (later ones win)."""
        out = self.git(
            "for-each-ref",
            "--sort=committerdate",
            "--format=%(refname:short)",
            f"refs/heads/{self.prefix}",
        )
        return [line for line in out.decode().splitlines() if line]

    def overlay(self) -> dict[str, str]:
        """Every file of the scope → the ref whose version the editor shows."""
        files = {path: self.base for path in self._ls(self.base)}
        for branch in self.branches():
            for status, path in self.changes(branch):
                if status == "D":
                    files.pop(path, None)
                else:
                    files[path] = branch
        return files

    def owner(self, path: str) -> str | None:
        """The record branch that changed ``path``, if any (its later saves go there too)."""
        owners = [b for b in self.branches() if any(p == path for _, p in self.changes(b))]
        return owners[-1] if owners else None

    def list_files(self, folder: str, extension: str, depth: int) -> list[str]:
        folder = self.checked(folder)
        found = []
        for path in self.overlay():
            relative = PurePosixPath(path).relative_to(folder) if path.startswith(folder) else None
            if relative is None or len(relative.parts) > depth:
                continue
            if path.endswith(extension):
                found.append(path)
        return sorted(found)

    def read(self, path: str) -> bytes | None:
        return self.read_many([path])[path]

    def read_many(self, paths: list[str]) -> dict[str, bytes | None]:
        """Several files at once: one overlay and one ``git cat-file --batch`` for all of them
        (a department's listing reads every record)."""
        overlay = self.overlay()
        wanted = [(p, overlay.get(self.checked(p))) for p in paths]
        found = [(p, ref) for p, ref in wanted if ref is not None]
        request = "".join(f"{ref}:{p}\n" for p, ref in found).encode("utf-8")
        out = self.git("cat-file", "--batch", data=request) if found else b""
        contents: dict[str, bytes | None] = dict.fromkeys(paths)
        offset = 0
        for path, _ in found:
            header_end = out.index(b"\n", offset)
            size = int(out[offset:header_end].split()[2])
            contents[path] = out[header_end + 1 : header_end + 1 + size]
            offset = header_end + 1 + size + 1  # the blob is followed by a newline
        return contents

    def _ls(self, ref: str) -> list[str]:
        out = self.git("ls-tree", "-r", "-z", "--name-only", ref, "--", self.scope)
        return [p for p in out.decode("utf-8").split("\0") if p]

    def changes(self, branch: str) -> list[tuple[str, str]]:
        out = self.git(
            "diff", "--name-status", "-z", "--no-renames", f"{self.base}...{branch}", "--",
            self.scope,
        )  # fmt: skip
        fields = [f for f in out.decode("utf-8").split("\0") if f]
        return list(zip(fields[0::2], fields[1::2], strict=True))

    # ---- writing --------------------------------------------------------------------------

    def checked(self, path: str) -> str:
        """A repository-relative path inside the department's folder, or StoreError."""
        pure = PurePosixPath(path.replace("\\", "/"))
        scope = PurePosixPath(self.scope)
        if pure.is_absolute() or ".." in pure.parts or not (pure == scope or scope in pure.parents):
            raise StoreError(f"路径“{path}”不在本部门的目录 {self.scope}/ 之内，不能读写。")
        return pure.as_posix()

    def branch_for(self, path: str) -> str:
        """The branch a save of ``path`` goes to: the one that already holds it, or a new one."""
        owner = self.owner(path)
        if owner:
            return owner
        taken = set(self.branches())
        stem = f"{self.prefix}{slugify(PurePosixPath(path).stem, 40)}"
        name, number = stem, 2
        while name in taken:
            name, number = f"{stem}-{number}", number + 1
        return name

    def commit(self, branch: str, files: dict[str, bytes | None], message: str) -> str:
        """Commit ``files`` (None: delete) on ``branch``, created from the base if new."""
        paths = {self.checked(path): data for path, data in files.items()}
        exists = bool(self.git("for-each-ref", f"refs/heads/{branch}").strip())
        old = self._rev(branch) if exists else ZERO
        parent = old if exists else self._rev(self.base)
        with tempfile.TemporaryDirectory() as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index"), **self._identity()}
            self.git("read-tree", parent, env=env)
            for path, data in paths.items():
                if data is None:
                    self.git("update-index", "--force-remove", "--", path, env=env)
                    continue
                blob = self.git("hash-object", "-w", "--stdin", data=data).decode().strip()
                self.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            tree = self.git("write-tree", env=env).decode().strip()
        new = self.git("commit-tree", tree, "-p", parent, "-m", message, env=env).decode().strip()
        self.git("update-ref", f"refs/heads/{branch}", new, old)
        return new

    def _rev(self, ref: str) -> str:
        return self.git("rev-parse", "--verify", f"{ref}^{{commit}}").decode().strip()

    def _identity(self) -> dict[str, str]:
        named = subprocess.run(
            ["git", "-C", str(self.root), "config", "user.email"], capture_output=True, check=False
        )
        return {} if named.stdout.strip() else dict(_FALLBACK_IDENTITY)
