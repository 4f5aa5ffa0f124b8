"""The `catalog` command: options → Settings → work → reporter → exit code."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from generator.problems import exit_code
from generator.report import FORMATTERS
from generator.settings import Settings


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"应为 YYYY-MM-DD，实际为“{value}”") from None


def _settings(**changes: Any) -> Settings:
    return replace(Settings(), **{k: v for k, v in changes.items() if v is not None})


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gov-disclosure-catalog")
def main() -> None:
    """政府信息主动公开目录生成器：校验、生成站点、检索。"""
    # The console may be a Windows code page or a pipe: Chinese must never crash printing.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


@main.command()
@click.argument("content_dir", required=False, default="content",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text",
              show_default=True, help="输出格式：text 供人阅读，json 供程序，github 供 Actions 注释，junit 供 Gitea。")
@click.option("--strict", is_flag=True, help="把警告也当作错误（退出码 1）。")
@click.option("--today", callback=_date, metavar="YYYY-MM-DD",
              help="以这一天为“今天”判断定时发布（默认：北京时间今天）。")
def validate(content_dir: Path, fmt: str, strict: bool, today: date | None) -> None:
    """校验内容目录 CONTENT_DIR（默认 content）中的全部文件，一次列出所有问题。

    退出码：0 无错误；1 有错误（--strict 时警告也算）；2 用法错误。
    """
    from generator.validate import check_content

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="CONTENT_DIR")
    result = check_content(_settings(content_dir=content_dir, today=today))
    click.echo(FORMATTERS[fmt](result.problems, result.record_count), nl=False)
    sys.exit(exit_code(result.problems, strict=strict))


@main.command()
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="内容目录。")
@click.option("--out", "out_dir", default="site", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="输出的网站目录（构建成功后整体替换）。")
@click.option("--kiosk", is_flag=True, help="生成自助查询终端（一体机）版本。")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text",
              show_default=True, help="校验问题的输出格式（同 catalog validate）。")
@click.option("--today", callback=_date, metavar="YYYY-MM-DD",
              help="以这一天为“今天”判断定时发布（默认：北京时间今天）。")
def build(content_dir: Path, out_dir: Path, kiosk: bool, fmt: str, today: date | None) -> None:
    """校验内容并生成静态网站；有错误时不构建，原网站保持不变。"""
    from generator.build import build_site
    from generator.site import SiteBuildError

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="--content")
    settings = _settings(content_dir=content_dir, out_dir=out_dir, kiosk=kiosk, today=today)
    try:
        result = build_site(settings)
    except SiteBuildError as exc:
        click.echo(exc.output, err=True)
        raise click.ClickException(str(exc)) from None
    if not result.built:
        click.echo(FORMATTERS[fmt](result.problems, result.record_count), nl=False)
        click.echo("内容有错误，未生成网站。", err=True)
        sys.exit(1)
    if result.problems:
        click.echo(FORMATTERS[fmt](result.problems, result.record_count), nl=False, err=True)
    for note in result.notes:
        click.echo(note, err=True)
    click.echo(f"已生成网站：{out_dir}（公开 {result.published} 条信息）")


@main.command("index")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="内容目录。")
@click.option("--index", "index_dir", default="build/search-index", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="搜索索引目录。")
@click.option("--full", is_flag=True,
              help="全部重建（写入新目录后原子切换），而不是只更新变化的记录。")
def index_command(content_dir: Path, index_dir: Path, full: bool) -> None:
    """建立或更新离线搜索索引（Whoosh），只重新索引新增、修改和删除的记录。"""
    from generator.search_index import LockError, build_index
    from generator.validate import check_content

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="--content")
    result = check_content(_settings(content_dir=content_dir))
    if not result.ok or result.catalog is None:
        click.echo(FORMATTERS["text"](result.problems, result.record_count), nl=False)
        click.echo("内容有错误，未更新搜索索引。", err=True)
        sys.exit(1)
    try:
        stats = build_index(result.catalog, index_dir, full=full)
    except LockError as exc:
        raise click.ClickException(str(exc)) from None
    kind = "全部重建" if stats.full else "增量更新"
    click.echo(f"搜索索引已{kind}：{index_dir}（新增 {stats.added}，修改 {stats.updated}，"
               f"删除 {stats.deleted}，未变 {stats.unchanged}；{stats.seconds:.2f} 秒）")


@main.command("search")
@click.argument("query")
@click.option("--category", help="只看这个分类（英文标识，如 policies）。")
@click.option("--department", help="只看这个部门（英文标识，即 content/departments/ 下的目录名）。")
@click.option("--year", type=int, help="只看这一年发布的记录。")
@click.option("--limit", "size", type=int, default=10, show_default=True, help="每页条数（1–50）。")
@click.option("--page", type=int, default=1, show_default=True, help="页码（1–100）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（与 /api/search 相同）。")
@click.option("--index", "index_dir", default="build/search-index", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="搜索索引目录。")
def search_command(query: str, category: str | None, department: str | None, year: int | None,
                   size: int, page: int, as_json: bool, index_dir: Path) -> None:
    """在离线索引中检索 QUERY：关键词、标题、索引号、文号或拼音（如 zfxxgk）。"""
    import json

    from generator.search_index import IndexMissingError, QueryError, describe_result, search

    try:
        result = search(index_dir, query, category=category, department=department, year=year,
                        page=page, size=size)
    except (QueryError, IndexMissingError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(describe_result(result, page, size), nl=False)


@main.command("serve")
@click.option("--site", "site_dir", default="site", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="已生成的网站目录。")
@click.option("--index", "index_dir", default="build/search-index", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="搜索索引目录。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；默认只允许本机访问。")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="端口。")
@click.option("--kiosk", is_flag=True, help="触摸屏（一体机）模式。")
def serve_command(site_dir: Path, index_dir: Path, host: str, port: int, kiosk: bool) -> None:
    """在本机提供网站和检索接口 /api/search（内网、一体机离线使用）。"""
    from generator.serve import serve

    if not (site_dir / "index.html").is_file():
        raise click.BadParameter(f"“{site_dir}”中没有网站，请先运行 catalog build。",
                                 param_hint="--site")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"注意：监听 {host}，其他计算机也能访问本服务。", err=True)
    try:
        serve(site_dir, index_dir, host, port, kiosk=kiosk)
    except OSError as exc:
        raise click.ClickException(f"无法在 {host}:{port} 上启动服务：{exc.strerror}") from None
