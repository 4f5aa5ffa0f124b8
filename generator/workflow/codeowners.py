"""`catalog codeowners`: a CODEOWNERS file from each department's ``reviewers``.

So every department's folder is reviewed by its own people.  One file serves both forges:
GitHub reads gitignore-style paths (``/content/departments/edu/``) and Gitea/Forgejo read Go
regular expressions anchored at both ends (``content/departments/edu/.*``).  Each department
gets one line of each kind with the same reviewers; on either forge the other line matches
nothing it should not (Gitea paths have no leading "/", and the GitHub reading of ``.*`` only
adds dot-files of the same folder to the same people).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.content.load import load_yaml_file

HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,38}", re.ASCII)
_REGEX_SPECIAL = set(".+*?()|[]{}^$\\")

HEADER = """\
# 代码所有者（CODEOWNERS）：由 `catalog codeowners` 根据各部门 department.yml 的 reviewers 生成，
# 请勿手工修改。要更换审核人，请修改 {content}/departments/<部门>/department.yml 中的 reviewers，
# 然后运行 catalog codeowners 并一起提交。
# 每个部门两行规则、审核人相同：第一行供 GitHub（路径写法），第二行供 Gitea/Forgejo（正则写法）。
"""


@dataclass(frozen=True)
class DepartmentOwners:
    id: str
    name: str
    reviewers: tuple[str, ...]


def read_owners(content: Path, max_bytes: int) -> list[DepartmentOwners]:
    """Reviewers of every department folder; invalid handles are left to `catalog validate`."""
    folder = content / "departments"
    folders = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    owners = []
    for dept_dir in folders:
        located, _ = load_yaml_file(dept_dir / "department.yml", max_bytes=max_bytes)
        data = located.data if located is not None else {}
        name = data.get("name")
        listed = data.get("reviewers")
        handles = (
            tuple(h for h in listed if isinstance(h, str) and HANDLE.fullmatch(h))
            if isinstance(listed, list)
            else ()
        )
        owners.append(
            DepartmentOwners(
                dept_dir.name, name if isinstance(name, str) else dept_dir.name, handles
            )
        )
    return owners


def repository_prefix(content: Path, root: Path) -> str:
    """The content folder as a path from the repository root, with "/" separators."""
    relative = os.path.relpath(content.resolve(), root.resolve())
    return Path(relative).as_posix().strip("/")


def _gitea_escape(text: str) -> str:
    # Gitea unescapes "\\" to "\" before compiling the regexp, so specials need a double backslash.
    return _escape_spaces("".join(f"\\\\{ch}" if ch in _REGEX_SPECIAL else ch for ch in text))


def _escape_spaces(text: str) -> str:
    return text.replace(" ", "\\ ")  # both forges read "\ " as a space inside a pattern


def codeowners_text(prefix: str, owners: list[DepartmentOwners]) -> str:
    lines = [HEADER.format(content=prefix)]
    for department in owners:
        folder = f"{prefix}/departments/{department.id}/"
        lines.append(f"# {department.name}（{department.id}）")
        if not department.reviewers:
            lines.append(
                f"# 注意：{folder}department.yml 没有填写 reviewers，本部门目录暂无指定审核人。"
            )
        else:
            handles = " ".join(f"@{h}" for h in department.reviewers)
            lines.append(f"/{_escape_spaces(folder)} {handles}")
            lines.append(f"{_gitea_escape(folder)}.* {handles}")
        lines.append("")
    return "\n".join(lines)
