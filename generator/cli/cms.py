"""The browser-editor commands (`cms`, `edit`, `submit`, `tidy`), added to the `catalog` group.

Like the rest of `generator.cli`, the only place that knows click.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from generator.cli.common import content_option
from generator.core.settings import Settings


def _settings(content_dir: Path) -> Settings:
    return replace(Settings(), content_dir=content_dir)


@click.command("cms")
@content_option
@click.option(
    "--out",
    "out_dir",
    default="admin",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="编辑器的输出目录（不属于公开站点，不要放进 site/）。",
)
@click.option("--department", help="只生成这个部门的编辑器（默认：全部部门）。")
def cms_command(content_dir: Path, out_dir: Path, department: str | None) -> None:
    """生成网页编辑器（Decap CMS）：每个部门一个表单，字段来自 catalog_schema。"""
    from generator.cms.admin import CmsError, read_editors, write_admin

    try:
        editors = read_editors(_settings(content_dir))
        written = write_admin(editors, out_dir, department)
    except CmsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"已生成 {len(written) - 1} 个部门的网页编辑器：{out_dir}/<部门>/index.html"
        f"（保存到：{editors.forge.type}）。"
    )


@click.command("edit")
@click.option("--department", required=True, help="部门目录名（content/departments/ 下的文件夹）。")
@content_option
@click.option(
    "--port", type=int, default=8090, show_default=True, help="本机端口（0：任选空闲端口）。"
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
def edit_command(department: str, content_dir: Path, port: int, no_browser: bool) -> None:
    """在本机打开网页编辑器：每保存一条信息，提交到它自己的分支 cms/<部门>/<名称>。"""
    import tempfile
    import webbrowser

    from generator.cms.admin import CmsError, current_branch, read_editors, write_admin
    from generator.cms.config import Forge
    from generator.cms.edit_server import make_edit_server
    from generator.cms.gitstore import GitStore

    try:
        editors = read_editors(_settings(content_dir), Forge(type="local"))
        base = current_branch(editors.repo_root)
        if base.startswith("cms/"):
            raise CmsError(
                f"仓库当前在编辑分支 {base} 上。请先运行 git switch main，再打开编辑器。"
            )
        editors = replace(editors, forge=Forge(type="local", branch=base))
        admin = Path(tempfile.mkdtemp(prefix="catalog-edit-"))
        write_admin(editors, admin, department)
    except CmsError as exc:
        raise click.ClickException(str(exc)) from None
    scope = f"{editors.content_root}/departments/{department}".removeprefix("./")
    store = GitStore(editors.repo_root, base, scope, f"cms/{department}/")
    server = make_edit_server(admin, store, port)
    url = f"http://127.0.0.1:{server.server_port}/{department}/"
    click.echo(f"网页编辑器：{url}（保存的信息在分支 cms/{department}/…；按 Ctrl+C 结束）")
    click.echo("编辑完成后运行 catalog submit 提交审核。", err=True)
    if not no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@click.command("tidy")
@click.option(
    "--changed-since",
    "ref",
    required=True,
    metavar="REF",
    help="只整理相对于这个 git 引用（如 origin/main）改动过的记录文件。",
)
@content_option
def tidy_command(ref: str, content_dir: Path) -> None:
    """整理网页编辑器保存的记录：新记录编索引号、按成文年份归档并改用拼音文件名；统一字段顺序和写法。"""
    from generator.workflow.changes import ChangesError
    from generator.workflow.scaffold import ScaffoldError
    from generator.workflow.tidy import tidy_changed

    try:
        done = tidy_changed(_settings(content_dir), ref)
    except (ChangesError, ScaffoldError) as exc:
        raise click.ClickException(str(exc)) from None
    for item in done:
        where = f" → {item.target.as_posix()}" if item.target != item.source else ""
        assigned = f"，索引号 {item.id}" if item.id else ""
        click.echo(f"已整理 {item.source.as_posix()}{where}{assigned}")
        for origin, target in item.moved:
            click.echo(f"  附件 {origin.as_posix()} → {target.as_posix()}")
    click.echo(f"共整理 {len(done)} 个文件。", err=True)


@click.command("submit")
@click.option("--department", help="只提交这个部门的分支（默认：全部 cms/ 分支）。")
@content_option
@click.option("--remote", default="origin", show_default=True, help="推送到哪个 git 远程仓库。")
@click.option("--api-url", help="代码托管平台的 API 地址（默认按 site.yml 的 forge 推算）。")
def submit_command(
    department: str | None, content_dir: Path, remote: str, api_url: str | None
) -> None:
    """推送 catalog edit 保存的分支，并为每条信息开一个合并请求（令牌：GITHUB_TOKEN 或 GITEA_TOKEN）。"""
    from generator.cms.admin import CmsError, read_editors
    from generator.cms.gitstore import GitStore
    from generator.cms.submit import SubmitError, submit

    try:
        editors = read_editors(_settings(content_dir))
        prefix = f"cms/{department}/" if department else "cms/"
        store = GitStore(editors.repo_root, editors.forge.branch, editors.content_root, prefix)
        done = submit(store, editors.forge, remote, api_url)
    except (CmsError, SubmitError) as exc:
        raise click.ClickException(str(exc)) from None
    for item in done:
        state = (
            "合并请求已存在，已推送更新" if item.existed else f"已开合并请求 {item.pull_request}"
        )
        click.echo(f"{item.branch}：{item.title}（{state}）")
    click.echo(f"共提交 {len(done)} 个分支。" if done else "没有要提交的分支。", err=True)


CMS_COMMANDS = (cms_command, edit_command, submit_command, tidy_command)
