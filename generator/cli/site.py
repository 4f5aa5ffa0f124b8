"""Commands that check, build, index, search and serve the site: validate, build, index, search, serve, synth."""

from __future__ import annotations

import errno
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from generator.cli.common import content_option, main, make_settings, parse_date
from generator.content.report import FORMATTERS
from generator.core.problems import exit_code


@main.command()
@click.argument(
    "content_dir",
    required=False,
    default="content",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="输出格式：text 供人阅读，json 供程序，github 供 Actions 注释，junit 供 Gitea。",
)
@click.option("--strict", is_flag=True, help="把警告也当作错误（退出码 1）。")
@click.option(
    "--today",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="以这一天为“今天”判断定时发布（默认：北京时间今天）。",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="只报告自 git 引用 REF（如 origin/main）以来改动过的文件中的问题；"
    "跨记录检查仍针对全部内容。",
)
@click.option(
    "--quiet",
    is_flag=True,
    help="大目录（1000 个文件以上）校验时也不显示进度。",
)
def validate(
    content_dir: Path,
    fmt: str,
    strict: bool,
    today: date | None,
    changed_since: str | None,
    quiet: bool,
) -> None:
    """校验内容目录 CONTENT_DIR（默认 content）中的全部文件，一次列出所有问题。

    退出码：0 无错误；1 有错误（--strict 时警告也算）；2 用法错误。
    """
    from generator.builder.build import Timeline
    from generator.builder.progress import large_tree, phase_listener
    from generator.content.validate import check_content
    from generator.workflow.changes import ChangesError, changed_files, only_changed

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="CONTENT_DIR")
    try:
        changed = changed_files(changed_since, Path.cwd()) if changed_since is not None else None
    except ChangesError as exc:
        raise click.BadParameter(str(exc), param_hint="--changed-since") from None
    settings = make_settings(content_dir=content_dir, today=today)
    shown = not quiet and large_tree(content_dir)
    listener = phase_listener(not shown, settings.cache_root() / "phase-seconds.json")
    try:
        with Timeline(listener).phase("validation"):
            result = check_content(settings)
    finally:
        if listener is not None:
            listener.close()
    problems = result.problems if changed is None else only_changed(result.problems, changed)
    if changed is not None:
        click.echo(
            f"只报告自 {changed_since} 以来改动过的文件中的问题"
            f"（全部内容中共 {len(result.problems)} 个问题）。",
            err=True,
        )
    click.echo(FORMATTERS[fmt](problems, result.record_count), nl=False)
    sys.exit(exit_code(problems, strict=strict))


@main.command()
@content_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="输出的网站目录（构建成功后整体替换；默认 site，--kiosk 时默认 kiosk）。",
)
@click.option(
    "--index",
    "index_dir",
    default="build/search-index",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Whoosh 检索索引目录（增量更新）。",
)
@click.option(
    "--kiosk",
    is_flag=True,
    help="生成一体机（电子信息屏）离线包：触摸界面、二维码、检索索引和启动脚本（docs/kiosk.md）。",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="校验问题的输出格式（同 catalog validate）。",
)
@click.option(
    "--today",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="以这一天为“今天”判断定时发布（默认：北京时间今天）。",
)
@click.option(
    "--register",
    "register_dir",
    default="register",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="依申请公开登记簿目录：不读取、不发布，只检查它不在内容或输出目录之内。",
)
@click.option(
    "--quiet",
    is_flag=True,
    help="构建过程中不显示各阶段进度（终端上的进度条，或非终端时每阶段一行用时）。",
)
@click.option(
    "--wait",
    is_flag=True,
    help="另一个构建正在使用同一缓存目录时排队等待（默认：立即退出，退出码 2）。",
)
def build(
    content_dir: Path,
    out_dir: Path | None,
    index_dir: Path,
    kiosk: bool,
    fmt: str,
    today: date | None,
    register_dir: Path,
    quiet: bool,
    wait: bool,
) -> None:
    """校验内容并生成静态网站；有错误时不构建，原网站保持不变。

    依申请公开登记簿（--register）位于内容目录或输出目录之内时拒绝构建（退出码 2）。
    """
    from generator.builder.build import build_site
    from generator.builder.lock import BuildLockedError, build_lock
    from generator.builder.mkdocs_run import SiteBuildError
    from generator.builder.progress import phase_listener
    from generator.register.store import location_problem

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="--content")
    out_dir = out_dir or Path("kiosk" if kiosk else "site")
    staging_dir = Path("build/kiosk/docs") if kiosk else None  # the public staging tree stays
    settings = make_settings(
        content_dir=content_dir,
        out_dir=out_dir,
        index_dir=index_dir,
        kiosk=kiosk,
        today=today,
        staging_dir=staging_dir,
    )
    misplaced = location_problem(register_dir, settings)
    if misplaced:
        click.echo(f"错误：{misplaced}", err=True)
        sys.exit(2)
    listener = phase_listener(quiet, settings.cache_root() / "phase-seconds.json")
    try:
        with build_lock(settings, wait=wait):
            result = build_site(settings, listener=listener)
    except BuildLockedError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    except SiteBuildError as exc:
        click.echo(exc.output, err=True)
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
            raise
        raise click.ClickException(
            f"写入失败：{exc.strerror}（{exc.filename or settings.out_dir}）。原网站保持不变。"
            "请腾出磁盘空间或检查目录权限后重新构建。"
        ) from None
    finally:
        if listener is not None:
            listener.close()
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
@content_option
@click.option(
    "--index",
    "index_dir",
    default="build/search-index",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="搜索索引目录。",
)
@click.option(
    "--full", is_flag=True, help="全部重建（写入新目录后原子切换），而不是只更新变化的记录。"
)
def index_command(content_dir: Path, index_dir: Path, full: bool) -> None:
    """建立或更新离线搜索索引（Whoosh），只重新索引新增、修改和删除的记录。"""
    from generator.content.validate import check_content
    from generator.search.whoosh_index import LockError, build_index

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="--content")
    result = check_content(make_settings(content_dir=content_dir))
    if not result.ok or result.catalog is None:
        click.echo(FORMATTERS["text"](result.problems, result.record_count), nl=False)
        click.echo("内容有错误，未更新搜索索引。", err=True)
        sys.exit(1)
    try:
        stats = build_index(result.catalog, index_dir, full=full)
    except LockError as exc:
        raise click.ClickException(str(exc)) from None
    kind = "全部重建" if stats.full else "增量更新"
    click.echo(
        f"搜索索引已{kind}：{index_dir}（新增 {stats.added}，修改 {stats.updated}，"
        f"删除 {stats.deleted}，未变 {stats.unchanged}；{stats.seconds:.2f} 秒）"
    )


@main.command("search")
@click.argument("query")
@click.option("--category", help="只看这个分类（英文标识，如 policies）。")
@click.option("--department", help="只看这个部门（英文标识，即 content/departments/ 下的目录名）。")
@click.option("--year", type=int, help="只看这一年发布的记录。")
@click.option("--limit", "size", type=int, default=10, show_default=True, help="每页条数（1–50）。")
@click.option("--page", type=int, default=1, show_default=True, help="页码（1–100）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（与 /api/search 相同）。")
@click.option(
    "--index",
    "index_dir",
    default="build/search-index",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="搜索索引目录。",
)
def search_command(
    query: str,
    category: str | None,
    department: str | None,
    year: int | None,
    size: int,
    page: int,
    as_json: bool,
    index_dir: Path,
) -> None:
    """在离线索引中检索 QUERY：关键词、标题、索引号、文号或拼音（如 zfxxgk）。"""
    import json

    from generator.search.results import QueryError, describe_result
    from generator.search.whoosh_index import IndexMissingError
    from generator.search.whoosh_search import search

    try:
        result = search(
            index_dir,
            query,
            category=category,
            department=department,
            year=year,
            page=page,
            size=size,
        )
    except (QueryError, IndexMissingError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(describe_result(result, page, size), nl=False)


def _reloader(content_dir: Path, site_dir: Path, index_dir: Path) -> Any:
    """Rebuild like `catalog build` whenever content, theme overrides or templates change."""
    from generator.builder.build import build_site
    from generator.builder.lock import build_lock
    from generator.builder.mkdocs_run import SiteBuildError
    from generator.serve.livereload import Reloader

    settings = make_settings(content_dir=content_dir, out_dir=site_dir, index_dir=index_dir)

    def rebuild() -> bool:
        try:
            with build_lock(settings, wait=True):  # a `catalog build` beside us goes first
                result = build_site(replace(settings, today=make_settings().today))
        except SiteBuildError as exc:
            click.echo(f"{exc}\n{exc.output}", err=True)
            return False
        if result.problems:
            click.echo(FORMATTERS["text"](result.problems, result.record_count), nl=False, err=True)
        click.echo(
            "已重新生成。" if result.built else "内容有错误，页面保持上次成功生成的版本。", err=True
        )
        return result.built

    roots = [content_dir, settings.overrides_dir, Path(__file__).parent / "pages" / "templates"]
    return Reloader(roots, rebuild)


@main.command("serve")
@click.option(
    "--site",
    "site_dir",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="已生成的网站目录。",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="搜索索引目录（默认：一体机包自带的索引，否则 build/search-index）。",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="监听地址；默认只允许本机访问。"
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="端口。"
)
@click.option(
    "--kiosk",
    is_flag=True,
    help="一体机模式：只监听本机，根路径转到一体机首页（配合 catalog build --kiosk）。",
)
@click.option(
    "--watch",
    "watch_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="预览：监视这个内容目录，有改动就重新生成网站并刷新已打开的页面。",
)
def serve_command(
    site_dir: Path,
    index_dir: Path | None,
    host: str,
    port: int,
    kiosk: bool,
    watch_dir: Path | None,
) -> None:
    """在本机提供网站和检索接口 /api/search（内网、一体机离线使用）。"""
    from generator.kiosk.bundle import bundled_index
    from generator.serve.server import serve

    index_dir = index_dir or bundled_index(site_dir) or Path("build/search-index")
    if kiosk and host not in ("127.0.0.1", "localhost", "::1"):
        raise click.BadParameter("一体机模式只能监听本机地址（127.0.0.1）。", param_hint="--host")

    reloader = _reloader(watch_dir, site_dir, index_dir) if watch_dir else None
    if not (site_dir / "index.html").is_file():
        raise click.BadParameter(
            f"“{site_dir}”中没有网站，请先运行 catalog build。", param_hint="--site"
        )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"注意：监听 {host}，其他计算机也能访问本服务。", err=True)
    try:
        serve(site_dir, index_dir, host, port, kiosk=kiosk, reloader=reloader)
    except OSError as exc:
        raise click.ClickException(f"无法在 {host}:{port} 上启动服务：{exc.strerror}") from None


@main.command("synth")
@click.option(
    "--records", "count", type=click.IntRange(1, 1_000_000), required=True, help="合成的记录条数。"
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出的内容目录（须不存在或为空）。",
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="随机种子；相同种子生成相同的文件。"
)
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="语料目录（policies.jsonl、laws.jsonl），默认为仓库旁的 ../shared/corpus。",
)
@click.option(
    "--full-text",
    is_flag=True,
    help="正文使用整部法规全文（平均约 16 KB），而不是 1–8 KB 的片段：性能测试的真实文本语料。",
)
def synth_command(
    count: int, out_dir: Path, seed: int, corpus_dir: Path | None, full_text: bool
) -> None:
    """合成用于性能测试的内容目录：示例区的部门、九个分类、真实标题和正文，校验无问题。"""
    from generator.tools.synth import SynthTargetError, synthesize
    from generator.tools.synth_corpus import CorpusMissingError

    try:
        result = synthesize(count, out_dir, seed=seed, corpus_dir=corpus_dir, full_text=full_text)
    except (CorpusMissingError, SynthTargetError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"已合成 {result.records} 条记录：{out_dir}（种子 {seed}，"
        f"{len(result.departments)} 个部门，{len(result.categories)} 个分类）"
    )
