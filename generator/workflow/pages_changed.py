"""`catalog pages-changed REF`: the site pages a change adds or modifies, for the PR comment.

A reviewer (and the clerk who opened the pull request) sees which published pages will be new or
different after the merge, with links into the preview, instead of reading a diff of YAML. Pages
are found from the changed content files: a record file is its record page, a department.yml its
department page; site.yml, guide.md and the schemas change every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.core.records import Catalog, Record
from generator.outputs.exports import record_url
from generator.pages.paths import department_dir
from generator.workflow.changes import added_files, changed_files

EVERYWHERE = ("site.yml", "guide.md")


@dataclass(frozen=True)
class PageChange:
    added: bool
    title: str
    url: str  # relative to the site root
    source: str  # the content file, as shown in messages
    from_day: date | None = None  # a scheduled record: published on that day


def changed_pages(catalog: Catalog, ref: str, cwd: Path) -> tuple[list[PageChange], list[str]]:
    """The pages of the changed record and department files, and the changed files that change
    every page (site.yml, guide.md, the schemas)."""
    changed, added = changed_files(ref, cwd), added_files(ref, cwd)
    pages = [
        _record_change(record, Path(record.source).resolve() in added, catalog.today)
        for record in (*catalog.records, *catalog.scheduled)
        if Path(record.source).resolve() in changed
    ]
    for department in catalog.departments.values():
        source = Path(department.source).resolve()
        if source in changed:
            url = department_dir(department) + "/index.html"
            pages.append(PageChange(source in added, department.name, url, department.source))
    root_files = sorted(
        path.name for path in changed if path.name in EVERYWHERE or "catalog_schema" in path.parts
    )
    return sorted(pages, key=lambda p: (not p.added, p.url)), root_files


def _record_change(record: Record, added: bool, today: date) -> PageChange:
    later = record.published if record.published > today else None
    return PageChange(added, record.title, record_url(record), record.source, later)


def pages_markdown(
    pages: list[PageChange],
    everywhere: list[str],
    preview: str | None,
    site_url: str,
    errors: int = 0,
) -> str:
    """The pull-request comment: a table of pages with links, and where the preview is."""
    lines = ["### 本次修改涉及的网页", ""]
    if errors:
        lines += [
            f"**校验发现 {errors} 个错误**：有错误的记录不在下表中，网站也不会生成。"
            "请按“校验改动的文件”一步列出的提示修改（可先运行 `catalog fix`）。",
            "",
        ]
    if everywhere:
        lines += [f"修改了 {'、'.join(everywhere)}：合并后全站页面都会重新生成。", ""]
    if pages:
        lines += ["| 变化 | 页面 | 网址 |", "|---|---|---|"]
        for page in pages:
            kind = "新增" if page.added else "修改"
            if page.from_day:
                kind += f"（{page.from_day.isoformat()} 起公开）"
            title = page.title.replace("|", "｜")
            lines.append(f"| {kind} | {title} | `{page.url}` |")
        lines.append("")
    elif not everywhere:
        lines += ["没有网页变化（只改了说明、附件或其他文件）。", ""]
    if preview:
        lines.append(
            f"网站预览：[下载 site-preview]({preview})，解压后运行 "
            "`catalog serve --site site` 在浏览器中查看上面的网址。"
        )
        lines.append("")
    lines.append(
        f"合并后发布到 {site_url}（每天北京时间 0:10 另有一次定时生成，定时发布的信息当天上线）。"
    )
    return "\n".join(lines) + "\n"
