"""Names in the content tree that would break the published site: characters a URL cannot carry
as written (``#`` starts a fragment, ``?`` a query, ``%`` an escape), two names that differ only
in case (one overwrites the other on Windows, macOS and most static hosts), and department
folders and 统一社会信用代码 that ``catalog new-department`` would refuse.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from generator.content.load import display_path
from generator.core.problems import Problem, error
from generator.core.records import Department

DEPARTMENT_FOLDER = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}", re.ASCII)  # as new-department
URL_BREAKING = re.compile(r"[#?%\\]")


def name_problems(paths: Iterable[Path], content: Path) -> list[Problem]:
    """Every file and folder under ``departments/`` whose name breaks a URL or collides."""
    problems = []
    seen: dict[str, Path] = {}
    for path in sorted(paths):
        relative = path.relative_to(content).as_posix()
        bad = URL_BREAKING.findall(path.name)
        if bad:
            problems.append(
                error(
                    display_path(path),
                    1,
                    1,
                    "file-name",
                    None,
                    f"文件名“{path.name}”含有“{'”“'.join(sorted(set(bad)))}”：网址中 # 表示页内位置、"
                    "? 表示查询参数、% 表示转义，发布后的链接会失效。请改名（可用汉字、字母、数字、"
                    "连字符或下划线），并同步修改引用它的链接和 attachments。",
                )
            )
        folded = relative.casefold()
        if folded in seen:
            problems.append(
                error(
                    display_path(path),
                    1,
                    1,
                    "file-name",
                    None,
                    f"“{relative}”与“{seen[folded].relative_to(content).as_posix()}”只差大小写。"
                    "在 Windows、macOS 和多数网站服务器上它们是同一个文件，发布时一个会覆盖另一个。"
                    "请给其中一个改名。",
                )
            )
        else:
            seen[folded] = path
    return problems


def tree_paths(content: Path) -> list[Path]:
    """Files and folders inside the department folders (symlinked folders listed, not entered)."""
    found: list[Path] = []
    folder = content / "departments"
    if not folder.is_dir():
        return found
    for dept_dir in sorted(folder.iterdir()):
        if dept_dir.is_dir() and not dept_dir.is_symlink():
            for root, folders, files in os.walk(dept_dir):
                found += [Path(root, name) for name in (*folders, *files)]
    return found


def department_problems(folder: Path, departments: dict[str, Department]) -> list[Problem]:
    """Department folder names and org codes, checked as ``catalog new-department`` checks them."""
    problems = []
    if folder.is_dir():
        for dept_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            if not DEPARTMENT_FOLDER.fullmatch(dept_dir.name):
                problems.append(
                    error(
                        display_path(dept_dir / "department.yml"),
                        1,
                        1,
                        "file-name",
                        None,
                        f"部门目录名“{dept_dir.name}”不合规：它是网址和部门代号的一部分，只能用小写"
                        "英文字母、数字、连字符和下划线（以字母或数字开头，最长 64 个字符），如 edu、"
                        "civil-affairs。请改名，并同步修改记录中的 lead_department 等引用。",
                    )
                )
    owner: dict[str, Department] = {}
    for department in sorted(departments.values(), key=lambda d: d.id):
        first = owner.setdefault(department.org_code, department)
        if first is not department:
            problems.append(
                error(
                    department.source,
                    1,
                    1,
                    "org-code",
                    "org_code",
                    f"org_code（统一社会信用代码）“{department.org_code}”已由部门“{first.id}”"
                    f"（{first.source}）使用。每个部门的代码是它索引号的前缀，必须各不相同。"
                    "请核对本单位的法人证书或登记证书。",
                )
            )
    return problems
