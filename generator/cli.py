"""The `catalog` command: options → Settings → work → reporter → exit code."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

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


def _settings(**changes: object) -> Settings:
    base = Settings()
    return replace(base, **{k: v for k, v in changes.items() if v is not None})


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
    click.echo(f"已生成网站：{out_dir}（{result.record_count} 条记录）")
