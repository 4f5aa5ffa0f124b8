"""The `catalog` command: options → Settings → work → reporter → exit code."""

from __future__ import annotations

import errno
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from generator.content.report import FORMATTERS
from generator.core.problems import exit_code
from generator.core.settings import Settings
from generator.register.model import APPLICANT_TYPES, CHANNELS, EVENT_KINDS, RECEIPT_BASES


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
    callback=_date,
    metavar="YYYY-MM-DD",
    help="以这一天为“今天”判断定时发布（默认：北京时间今天）。",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="只报告自 git 引用 REF（如 origin/main）以来改动过的文件中的问题；"
    "跨记录检查仍针对全部内容。",
)
def validate(
    content_dir: Path, fmt: str, strict: bool, today: date | None, changed_since: str | None
) -> None:
    """校验内容目录 CONTENT_DIR（默认 content）中的全部文件，一次列出所有问题。

    退出码：0 无错误；1 有错误（--strict 时警告也算）；2 用法错误。
    """
    from generator.content.validate import check_content
    from generator.workflow.changes import ChangesError, changed_files, only_changed

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="CONTENT_DIR")
    try:
        changed = changed_files(changed_since, Path.cwd()) if changed_since is not None else None
    except ChangesError as exc:
        raise click.BadParameter(str(exc), param_hint="--changed-since") from None
    result = check_content(_settings(content_dir=content_dir, today=today))
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
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="内容目录。",
)
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
    callback=_date,
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
    wait: bool,
) -> None:
    """校验内容并生成静态网站；有错误时不构建，原网站保持不变。

    依申请公开登记簿（--register）位于内容目录或输出目录之内时拒绝构建（退出码 2）。
    """
    from generator.builder.build import build_site
    from generator.builder.lock import BuildLockedError, build_lock
    from generator.builder.mkdocs_run import SiteBuildError
    from generator.register.store import location_problem

    if not content_dir.is_dir():
        raise click.BadParameter(f"内容目录“{content_dir}”不存在。", param_hint="--content")
    out_dir = out_dir or Path("kiosk" if kiosk else "site")
    staging_dir = Path("build/kiosk/docs") if kiosk else None  # the public staging tree stays
    settings = _settings(
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
    try:
        with build_lock(settings, wait=wait):
            result = build_site(settings)
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
    if not result.built:
        click.echo(FORMATTERS[fmt](result.problems, result.record_count), nl=False)
        click.echo("内容有错误，未生成网站。", err=True)
        sys.exit(1)
    if result.problems:
        click.echo(FORMATTERS[fmt](result.problems, result.record_count), nl=False, err=True)
    for note in result.notes:
        click.echo(note, err=True)
    click.echo(f"已生成网站：{out_dir}（公开 {result.published} 条信息）")


@main.command("new")
@click.option(
    "--department", required=True, help="部门目录名（content/departments/ 下的文件夹，如 edu）。"
)
@click.option("--category", required=True, help="目录分类英文编号，如 policies、services。")
@click.option("--title", required=True, help="信息名称，与原件标题一致。")
@click.option(
    "--written", callback=_date, metavar="YYYY-MM-DD", help="成文日期（默认：北京时间今天）。"
)
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="内容目录。",
)
def new_command(
    department: str, category: str, title: str, written: date | None, content_dir: Path
) -> None:
    """新建一条记录：自动编排下一个索引号，带全部必填字段和中文说明，打印新文件的路径。"""
    from generator.workflow.scaffold import ScaffoldError, plan_record, write_new_file

    try:
        new = plan_record(_settings(content_dir=content_dir), department, category, title, written)
        write_new_file(new)
    except (ScaffoldError, FileExistsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(
        f"索引号 {new.id}。请把文件中的“（请填写…）”改为真实内容，然后运行 catalog validate。",
        err=True,
    )
    click.echo(new.path.as_posix())


@main.command("new-department")
@click.argument("dept_id", metavar="ID")
@click.option("--name", required=True, help="部门全称，如 青禾区教育局。")
@click.option("--short-name", required=True, help="部门简称，如 区教育局。")
@click.option("--org-code", required=True, help="18 位统一社会信用代码（校验 GB 32100 校验码）。")
@click.option("--head", help="负责人姓名。")
@click.option("--address", help="办公地址。")
@click.option("--hours", help="办公时间。")
@click.option("--phone", help="联系电话。")
@click.option("--fax", help="传真号码。")
@click.option("--email", help="电子邮箱。")
@click.option("--postcode", help="邮政编码。")
@click.option("--reviewer", "reviewers", multiple=True, help="审核人的代码托管账号（可重复）。")
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="内容目录。",
)
def new_department_command(
    dept_id: str, reviewers: tuple[str, ...], content_dir: Path, **fields: str | None
) -> None:
    """新建部门目录 ID 和带中文说明的 department.yml，打印新文件的路径。"""
    from generator.workflow.scaffold import ScaffoldError, plan_department, write_new_file

    try:
        new = plan_department(_settings(content_dir=content_dir), dept_id, fields, reviewers)
        write_new_file(new)
    except (ScaffoldError, FileExistsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(new.path.as_posix())


@main.command("codeowners")
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="内容目录。",
)
@click.option(
    "--output",
    default="CODEOWNERS",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="要写入的 CODEOWNERS 文件。",
)
@click.option("--check", is_flag=True, help="只检查文件是否最新；过期时退出码为 1（供 CI 使用）。")
def codeowners_command(content_dir: Path, output: Path, check: bool) -> None:
    """根据各部门 department.yml 的 reviewers 生成 CODEOWNERS，让每个部门的目录由本部门审核。"""
    from generator.workflow.codeowners import codeowners_text, read_owners, repository_prefix

    settings = _settings(content_dir=content_dir)
    text = codeowners_text(
        repository_prefix(content_dir, Path.cwd()),
        read_owners(content_dir, settings.max_file_bytes),
    )
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    if check:
        if current != text:
            click.echo(f"{output} 已过期：请运行 catalog codeowners 并提交结果。", err=True)
            sys.exit(1)
        click.echo(f"{output} 是最新的。")
        return
    if current != text:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"已写入 {output}。" if current != text else f"{output} 无变化。")


@main.command("clean-attachments")
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="内容目录。",
)
@click.option("--check", is_flag=True, help="只列出带作者等元数据的附件，不修改；有则退出码为 1。")
def clean_attachments_command(content_dir: Path, check: bool) -> None:
    """清除 PDF 和 DOCX 附件中的作者、创建程序、最后修改者等元数据（原地改写）。"""
    from generator.content.attachment_meta import clean_attachments, describe
    from generator.content.load import display_path

    results = clean_attachments(content_dir, check=check)
    for result in results:
        shown = display_path(result.path)
        if result.error:
            click.echo(f"{shown}：无法处理：{result.error}", err=True)
        elif check and result.found:
            click.echo(f"{shown}：{describe(result.found)}")
        elif result.changed:
            click.echo(f"已清除 {shown}" + (f"：{describe(result.found)}" if result.found else ""))
    dirty = sum(bool(r.found) if check else r.changed for r in results)
    failed = sum(r.error is not None for r in results)
    if check:
        click.echo(
            f"检查了 {len(results)} 个 PDF/DOCX 附件，{dirty} 个带有作者等元数据"
            + ("，请运行 catalog clean-attachments 清除。" if dirty else "。"),
            err=True,
        )
    else:
        click.echo(f"检查了 {len(results)} 个 PDF/DOCX 附件，清除了 {dirty} 个的元数据。", err=True)
    sys.exit(1 if failed or (check and dirty) else 0)


@main.command("fix")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--check",
    is_flag=True,
    help="只显示会做的修改，不写入；有要修改的则退出码为 1（供 CI 和 pre-commit）。",
)
def fix_command(paths: tuple[Path, ...], check: bool) -> None:
    """自动修正不会改变含义的问题（原地修改，并显示改了什么）。

    删除零宽空格等不可见字符；front matter 中的全角冒号、全角数字和字母改为半角；日期改为
    "YYYY-MM-DD"；文号改为规范写法；去掉值两端的中文引号；GBK 编码的文件转为 UTF-8。
    不指定 PATH 时处理 content 目录。
    """
    from generator.content.load import display_path
    from generator.workflow.fix import fix_paths

    changed = fix_paths(paths or (Path("content"),), write=not check)
    for fixed in changed:
        click.echo(fixed.diff(display_path(fixed.path)), nl=False)
    if not changed:
        click.echo("没有需要自动修正的内容。", err=True)
    elif check:
        click.echo(f"{len(changed)} 个文件可以自动修正：请运行 catalog fix 并提交结果。", err=True)
    else:
        click.echo(f"已修正 {len(changed)} 个文件。请用 catalog validate 检查其余问题。", err=True)
    sys.exit(1 if check and changed else 0)


@main.command("pages-changed")
@click.argument("ref")
@click.option("--content", "content_dir", default="content", show_default=True, type=Path)
@click.option("--preview-url", help="网站预览附件的下载地址（CI 中为 upload-artifact 的地址）。")
def pages_changed_command(ref: str, content_dir: Path, preview_url: str | None) -> None:
    """列出当前分支相对 REF 新增或修改的网页（Markdown 表格，供合并请求评论）。"""
    from generator.content.validate import check_content
    from generator.workflow.changes import ChangesError
    from generator.workflow.pages_changed import changed_pages, pages_markdown

    result = check_content(_settings(content_dir=content_dir))
    if result.catalog is None:
        raise click.ClickException("site.yml 有错误，无法列出网页；请先运行 catalog validate。")
    try:
        pages, everywhere = changed_pages(result.catalog, ref, Path.cwd())
    except ChangesError as exc:
        raise click.ClickException(str(exc)) from None
    site_url = result.catalog.site.site_url
    errors = sum(p.is_error for p in result.problems)
    click.echo(pages_markdown(pages, everywhere, preview_url, site_url, errors), nl=False)


@main.command("index")
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="内容目录。",
)
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

    settings = _settings(content_dir=content_dir, out_dir=site_dir, index_dir=index_dir)

    def rebuild() -> bool:
        try:
            with build_lock(settings, wait=True):  # a `catalog build` beside us goes first
                result = build_site(replace(settings, today=_settings().today))
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
    callback=_date,
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
    settings = _settings(content_dir=content_dir)
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
def synth_command(count: int, out_dir: Path, seed: int, corpus_dir: Path | None) -> None:
    """合成用于性能测试的内容目录：示例区的部门、九个分类、真实标题和正文，校验无问题。"""
    from generator.tools.synth import SynthTargetError, synthesize
    from generator.tools.synth_corpus import CorpusMissingError

    try:
        result = synthesize(count, out_dir, seed=seed, corpus_dir=corpus_dir)
    except (CorpusMissingError, SynthTargetError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"已合成 {result.records} 条记录：{out_dir}（种子 {seed}，"
        f"{len(result.departments)} 个部门，{len(result.categories)} 个分类）"
    )


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
        result = import_table(_settings(content_dir=content_dir), table, department, **options)
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
        kw.pop("register_dir"), _settings(content_dir=content_dir, today=today), *args, **kw
    )
    click.echo(output.text, nl=False)
    click.echo(output.errors, nl=False, err=True)
    sys.exit(output.exit_code)


_TODAY = click.option("--today", callback=_date, metavar="YYYY-MM-DD", help="以这一天为“今天”。")


@main.group("requests")
def requests_group() -> None:
    """依申请公开登记簿：登记申请、记录办理过程、计算法定期限、生成告知书和年报表三。

    登记簿含申请人的个人信息，保存在内容目录以外（默认 register/），绝不发布。
    """


@requests_group.command("new")
@click.option(
    "--received", required=True, callback=_date, metavar="YYYY-MM-DD", help="收到申请之日。"
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
@click.option("--date", "date", required=True, callback=_date, metavar="YYYY-MM-DD")
@click.option(
    "--outcome", default="", help="answered：办理结果（表三结果行的英文键，如 granted）。"
)
@click.option("--days", type=click.IntRange(1, 20), help="extension_approved：延长的工作日数。")
@click.option("--reason", default="", help="延期或不予公开、不予处理的理由。")
@click.option("--party", default="", help="第三方、转送或掌握信息的机关的名称。")
@click.option("--amount", default="", help="fee_notice：信息处理费金额（元）。")
@click.option("--deadline", callback=_date, metavar="YYYY-MM-DD", help="补正期限。")
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
@click.option("--on", callback=_date, metavar="YYYY-MM-DD", help="以这一天计算（默认今天）。")
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
