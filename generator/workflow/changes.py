"""`catalog validate --changed-since REF`: report only the problems in files changed since REF.

The whole catalog is still checked (duplicate ids and references need every record); only the
report is narrowed.  "Changed" means: committed on this branch since it left REF
(``git diff REF...HEAD``), plus staged and unstaged changes, plus untracked files.

A problem is reported when it lies in a changed file or its message names one (a duplicate id
is reported on one record and names the other).  A limit worth knowing: when a changed file
removes or renames a record, the problems this causes in *other, unchanged* files (a ``related``
or ``interprets`` pointing to the old id) are not reported here.  The full ``catalog validate``
run in CI reports them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.content.load import display_path
from generator.core.problems import Problem


class ChangesError(Exception):
    """git cannot tell what changed (not a repository, unknown REF, no merge base)."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=false", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError:
        raise ChangesError("找不到 git 命令。--changed-since 需要安装 git。") from None
    if result.returncode != 0:
        raise ChangesError(result.stderr.strip() or f"git {' '.join(args)} 失败")
    return result.stdout


def repository_root(cwd: Path) -> Path:
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    except ChangesError:
        raise ChangesError(
            f"“{cwd}”不在 git 仓库中，无法使用 --changed-since。"
            "请在仓库目录中运行，或去掉 --changed-since 校验全部文件。"
        ) from None


def changed_files(ref: str, cwd: Path) -> frozenset[Path]:
    """Absolute, resolved paths of every file changed since ``ref`` (see the module docstring)."""
    root = repository_root(cwd)
    if not ref or ref.startswith("-"):
        raise ChangesError(f"“{ref}”不是 git 引用。请写分支名、标签或提交号，例如 origin/main。")
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    except ChangesError:
        raise ChangesError(
            f"git 中找不到“{ref}”。请检查分支名；在 CI 中检出时需要完整历史"
            "（actions/checkout 的 fetch-depth: 0），并先 git fetch 目标分支。"
        ) from None
    try:
        committed = _git(["diff", "--name-only", "-z", f"{ref}...HEAD", "--"], root)
    except ChangesError as exc:
        raise ChangesError(
            f"无法比较“{ref}”与当前提交：{exc}。"
            "浅克隆（shallow clone）时请用 fetch-depth: 0 取得完整历史。"
        ) from None
    working = _git(["diff", "--name-only", "-z", "HEAD", "--"], root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    names = {
        name for output in (committed, working, untracked) for name in output.split("\0") if name
    }
    return frozenset((root / name).resolve() for name in names)


def only_changed(problems: list[Problem], changed: frozenset[Path]) -> list[Problem]:
    """The problems located in a changed file, or naming one in their message.

    A duplicate id is reported on one of the two records, whichever sorts later, and its
    message names the other: copying a record and forgetting to change its id must still be
    reported on the pull request that adds the copy.
    """
    shown = [display_path(path) for path in changed]
    return [
        p
        for p in problems
        if Path(p.file).resolve() in changed or any(name in p.message for name in shown)
    ]


def added_files(ref: str, cwd: Path) -> frozenset[Path]:
    """The files among ``changed_files`` that did not exist at ``ref`` (new, not modified)."""
    root = repository_root(cwd)
    committed = _git(["diff", "--name-only", "--diff-filter=A", "-z", f"{ref}...HEAD", "--"], root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    names = {name for output in (committed, untracked) for name in output.split("\0") if name}
    return frozenset((root / name).resolve() for name in names)
