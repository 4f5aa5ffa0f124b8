"""The disclosure office's commands: audit, import, import-pages, and the private register (requests …)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from generator.cli.common import main, make_settings, parse_date
from generator.content.report import FORMATTERS
from generator.register.model import APPLICANT_TYPES, CHANNELS, EVENT_KINDS, RECEIPT_BASES

_FILE = click.Path(dir_okay=False, path_type=Path)
_FOLDER = click.Path(file_okay=False, path_type=Path)
_IMPORT_OPTIONS = (
    click.option("--department", required=True, help="导入到哪个部门（部门目录名，如 edu）。"),
    click.option(
        "--map", "map_file", type=_FILE, help="映射文件：列名、目录分类等的对应（README 迁移）。"
    ),
    click.option("--category", help="目录分类列缺失或为空时使用的目录分类，如 policies。"),
    click.option("--dry-run", is_flag=True, help="只校验并列出计划，不写入任何文件。"),
    click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), help="摘要格式（默认 text）。"
    ),
    click.option("--content", "content_dir", default="content", type=_FOLDER, help="内容目录。"),
)


@main.command("audit")
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="内容目录（在 git 仓库中时同时检查提交历史）。",
)
@click.option(
    "--on",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="检查日（默认：北京时间今天）；只看这一天及以前发布的信息。",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="输出格式：text 供人阅读，json 供 CI，html 为可打印的监督检查报告（单个离线文件）。",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="把结果写入这个文件（默认输出到终端）。",
)
@click.option(
    "--site",
    "site_dir",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="已构建的网站目录，用于检查失效链接和附件；不存在时跳过这一项并说明。",
)
def audit_command(
    content_dir: Path, on: date | None, fmt: str, out_file: Path | None, site_dir: Path
) -> None:
    """按政府网站检查指标检查整个目录：首页和栏目更新、空白栏目、发布日期、时限、解读、有效性、
    年度报告、指南、链接。

    退出码：0 无单项否决项；1 存在单项否决项；2 内容无法检查或用法错误。
    """
    from generator.audit.html import as_html
    from generator.audit.report import as_json, as_text
    from generator.audit.run import AuditError, audit

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="--content")
    settings = make_settings(content_dir=content_dir)
    try:
        report = audit(settings, on or settings.today, site_dir)
    except AuditError as exc:
        click.echo(FORMATTERS["text"](exc.problems, 0), err=True, nl=False)
        click.echo("内容目录无法检查：请先按上面的提示改正 site.yml。", err=True)
        sys.exit(2)
    output = {"text": as_text, "json": as_json, "html": as_html}[fmt](report)
    if out_file is None:
        click.echo(output, nl=False)
    else:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(output, encoding="utf-8")
        click.echo(f"监督检查报告已写入 {out_file}", err=True)
    sys.exit(1 if report.veto else 0)


def _import_options(command: Any) -> Any:
    for option in reversed(_IMPORT_OPTIONS):
        command = option(command)
    return command


def _run_import(
    read: Any, content_dir: Path, fmt: str | None, department: str, **options: Any
) -> None:
    import json

    from generator.migrate.run import describe, import_table
    from generator.migrate.sources import MigrateError

    try:
        table = read()
        result = import_table(make_settings(content_dir=content_dir), table, department, **options)
    except MigrateError as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "json":  # None (not given) is text
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(describe(result, content_dir, table.row_label), nl=False)
    sys.exit(1 if result.skipped else 0)


@main.command("import")
@click.argument("source", type=_FILE)
@_import_options
def import_command(source: Path, **options: Any) -> None:
    """从旧系统导出的目录表（.xlsx、.csv、.json）导入记录，保留原索引号。

    先校验全部行，只写入通过校验的记录；再次导入按索引号更新。有行被跳过时退出码为 1。
    """
    from generator.migrate.sources import read_source

    _run_import(lambda: read_source(source), **options)


@main.command("import-pages")
@click.argument("folder", type=_FOLDER)
@_import_options
def import_pages_command(folder: Path, **options: Any) -> None:
    """从保存的旧网站详情页（.html）导入记录：读取页面顶部的元数据表和正文。"""
    from generator.migrate.pages import read_pages

    _run_import(lambda: read_pages(folder, options["map_file"]), **options)


# ── 依申请公开登记簿 (docs/register.md; the work is in generator/register/commands.py) ──────


def _register_options(command: Any) -> Any:
    for option in (
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                     show_default=True, help="输出格式：text 供人阅读，json 供程序。"),
        click.option("--content", "content_dir", default="content", show_default=True,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="内容目录（读取 site.yml 的办理时限和工作机构）。"),
        click.option("--register", "register_dir", default="register", show_default=True,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="登记簿目录（私有，不得位于内容目录之内）。"),
    ):  # fmt: skip
        command = option(command)
    return command


def _run_register(
    command: Any, content_dir: Path, today: date | None, *args: Any, **kw: Any
) -> None:
    output = command(
        kw.pop("register_dir"), make_settings(content_dir=content_dir, today=today), *args, **kw
    )
    click.echo(output.text, nl=False)
    click.echo(output.errors, nl=False, err=True)
    sys.exit(output.exit_code)


_TODAY = click.option(
    "--today", callback=parse_date, metavar="YYYY-MM-DD", help="以这一天为“今天”。"
)


@main.group("requests")
def requests_group() -> None:
    """依申请公开登记簿：登记申请、记录办理过程、计算法定期限、生成告知书和年报表三。

    登记簿含申请人的个人信息，保存在内容目录以外（默认 register/），绝不发布。
    """


@requests_group.command("new")
@click.option(
    "--received", required=True, callback=parse_date, metavar="YYYY-MM-DD", help="收到申请之日。"
)
@click.option("--channel", required=True, type=click.Choice(CHANNELS), help="申请渠道。")
@click.option("--applicant", "applicant_type", required=True, type=click.Choice(APPLICANT_TYPES),
              help="申请人类型（年报表三的列）。")  # fmt: skip
@click.option("--subject", required=True, help="申请公开的信息（名称、文号或特征描述）。")
@click.option("--name", default="", help="申请人姓名或名称。")
@click.option("--contact", default="", help="申请人联系方式。")
@click.option("--basis", type=click.Choice(list(RECEIPT_BASES)),
              help="收到日期的确定方式（默认按渠道：当面提交之日、签收之日或双方确认之日）。")  # fmt: skip
@click.option("--body", default="government", show_default=True, help="办理机关（部门目录名）。")
@click.option("--form", default="", help="申请人要求的获取方式。")
@_TODAY
@_register_options
def requests_new(fmt: str, content_dir: Path, today: date | None, **fields: Any) -> None:
    """登记一件新申请，打印登记号和答复期限。"""
    from generator.register import commands

    _run_register(commands.new, content_dir, today, fmt, **fields)


@requests_group.command("event")
@click.argument("app_id", metavar="ID")
@click.argument("kind", type=click.Choice(list(EVENT_KINDS)))
@click.option("--date", "date", required=True, callback=parse_date, metavar="YYYY-MM-DD")
@click.option(
    "--outcome", default="", help="answered：办理结果（表三结果行的英文键，如 granted）。"
)
@click.option("--days", type=click.IntRange(1, 20), help="extension_approved：延长的工作日数。")
@click.option("--reason", default="", help="延期或不予公开、不予处理的理由。")
@click.option("--party", default="", help="第三方、转送或掌握信息的机关的名称。")
@click.option("--amount", default="", help="fee_notice：信息处理费金额（元）。")
@click.option("--deadline", callback=parse_date, metavar="YYYY-MM-DD", help="补正期限。")
@click.option("--note", default="", help="说明（写入告知书）。")
@_TODAY
@_register_options
def requests_event(
    fmt: str, content_dir: Path, today: date | None, app_id: str, **fields: Any
) -> None:
    """在申请 ID 的办理过程中记录一个事件 KIND，打印新的期限。"""
    from generator.register import commands

    _run_register(commands.event, content_dir, today, fmt, app_id, **fields)


@requests_group.command("due")
@click.option("--on", callback=parse_date, metavar="YYYY-MM-DD", help="以这一天计算（默认今天）。")
@_register_options
def requests_due(fmt: str, content_dir: Path, register_dir: Path, on: date | None) -> None:
    """列出到期和逾期的申请，按剩余工作日排序，并说明每个期限的由来。"""
    from generator.register import commands

    _run_register(commands.due, content_dir, None, fmt, on, register_dir=register_dir)


@requests_group.command("show")
@click.argument("app_id", metavar="ID")
@_register_options
def requests_show(fmt: str, content_dir: Path, register_dir: Path, app_id: str) -> None:
    """显示申请 ID 的登记信息（个人信息已遮盖）、办理过程和期限的计算过程。"""
    from generator.register import commands

    _run_register(commands.show, content_dir, None, fmt, app_id, register_dir=register_dir)


@requests_group.command("letter")
@click.argument("app_id", metavar="ID")
@click.option("--kind", type=click.Choice(["receipt", "correction", "consultation", "extension",
              "fee", "answer"]), help="告知书种类（默认：按当前办理状态）。")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="输出文件（默认：登记簿目录下 letters/ID-种类.html）。")  # fmt: skip
@_register_options
def requests_letter(fmt: str, content_dir: Path, register_dir: Path, **options: Any) -> None:
    """生成申请 ID 当前状态的告知书：可打印的 A4 HTML 页面（含法律依据和救济途径）。

    告知书含申请人的姓名和联系方式，只写在登记簿目录中；用浏览器打印或另存为 PDF。
    """
    from generator.register import commands

    _run_register(commands.letter, content_dir, None, fmt, register_dir=register_dir, **options)


@requests_group.command("stats")
@click.option("--year", type=int, required=True, help="统计年度。")
@click.option("--body", default="government", show_default=True, help="机关（部门目录名）。")
@_register_options
def requests_stats(fmt: str, content_dir: Path, register_dir: Path, year: int, body: str) -> None:
    """由登记簿计算年度报告的表三，输出与年报文件相同的 YAML（text）或 JSON。"""
    from generator.register import commands

    _run_register(commands.stats, content_dir, None, fmt, year, body, register_dir=register_dir)
