"""`catalog cms`: the ``admin/`` folder of browser editors, never part of the public site.

``admin/decap/`` holds the pinned Decap bundle (checked against ``vendor/decap.json``),
``admin/<dept>/`` one editor per department (``index.html`` + ``config.yml``), and
``admin/index.html`` a list of them.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.cms.config import Forge, department_config, forge_from_site
from generator.content.load import load_yaml_file
from generator.content.schema import Schemas, load_schemas
from generator.content.validate import load_departments, load_site
from generator.core.records import Department
from generator.core.settings import Settings

VENDOR = Path(__file__).resolve().parent / "vendor"
BUNDLE = VENDOR / "decap-cms"


class CmsError(Exception):
    """Something the office has to fix before the editor can be written; message in Chinese."""


@dataclass(frozen=True)
class Editors:
    schemas: Schemas
    departments: dict[str, Department]
    forge: Forge
    repo_root: Path
    content_root: str  # the content folder, relative to the repository root, with "/"


def bundle_manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VENDOR / "decap.json").read_text(encoding="utf-8"))
    return data


def check_bundle() -> list[str]:
    """Names of vendored files that are missing or differ from the recorded sha256."""
    wrong = []
    for name, digest in bundle_manifest()["files"].items():
        path = BUNDLE / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            wrong.append(name)
    return wrong


def repository_root(folder: Path) -> Path:
    """The git work tree holding ``folder`` (the editor's paths are relative to it)."""
    result = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CmsError(
            f"{folder} 不在 git 仓库中。网页编辑器按仓库保存，请在仓库的工作副本中运行。"
        )
    return Path(result.stdout.strip()).resolve()


def read_editors(settings: Settings, forge: Forge | None = None) -> Editors:
    content = settings.content_dir
    schemas = load_schemas(settings.schema_dir)
    site, problems = load_site(content / "site.yml", schemas, settings)
    if site is None:
        first = problems[0].message if problems else f"找不到 {content / 'site.yml'}"
        raise CmsError(f"site.yml 有错误，请先运行 catalog validate 并修正。（{first}）")
    departments, _ = load_departments(content / "departments", schemas, settings, site)
    if forge is None:
        located, _ = load_yaml_file(content / "site.yml", max_bytes=settings.max_file_bytes)
        forge = forge_from_site(located.data.get("forge") if located else None)
    root = repository_root(content)
    relative = content.resolve().relative_to(root).as_posix()
    return Editors(schemas, departments, forge, root, relative)


def config_text(editors: Editors, dept_id: str) -> str:
    config = department_config(
        editors.schemas, editors.departments[dept_id], editors.forge, editors.content_root
    )
    head = "# 由 catalog cms 生成，请勿手改：字段来自 catalog_schema/record.schema.json。\n"
    return head + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)


def index_html(title: str, bundle: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link href="config.yml" type="text/yaml" rel="cms-config-url">\n'
        f'</head>\n<body>\n<script src="{bundle}"></script>\n</body>\n</html>\n'
    )


def list_html(departments: list[Department]) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(d.id)}/">{html.escape(d.name)}</a></li>' for d in departments
    )
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="robots" content="noindex, nofollow">\n<title>网页编辑</title>\n</head>\n'
        f"<body>\n<h1>网页编辑：请选择本部门</h1>\n<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


def write_admin(editors: Editors, out: Path, only: str | None = None) -> list[Path]:
    """Write the bundle and the editors of every department (or only ``only``)."""
    if wrong := check_bundle():
        raise CmsError(
            f"Decap 编辑器文件与 vendor/decap.json 记录的校验值不符：{'、'.join(wrong[:5])}。"
            "请运行 make decap 重新获取。"
        )
    chosen = sorted(editors.departments.values(), key=lambda d: d.id)
    if only is not None:
        if only not in editors.departments:
            names = "；".join(f"{d.id}（{d.name}）" for d in chosen)
            raise CmsError(f"未知部门“{only}”。可选的部门：{names}。")
        chosen = [editors.departments[only]]
    shutil.rmtree(out / "decap", ignore_errors=True)
    shutil.copytree(BUNDLE, out / "decap")
    written = [out / "decap"]
    for department in chosen:
        folder = out / department.id
        folder.mkdir(parents=True, exist_ok=True)
        title = f"网页编辑 · {department.name}"
        (folder / "index.html").write_text(index_html(title, "../decap/decap-cms.js"), "utf-8")
        (folder / "config.yml").write_text(config_text(editors, department.id), "utf-8")
        written.append(folder)
    (out / "index.html").write_text(list_html(chosen), encoding="utf-8")
    return written


def current_branch(root: Path) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), "symbolic-ref", "--quiet", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CmsError("仓库当前不在任何分支上（detached HEAD）。请先 git switch main。")
    return result.stdout.strip()
