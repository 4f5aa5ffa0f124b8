"""Commands for the content tree: new, new-department, new-report, codeowners, clean-attachments, fix, pages-changed."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from generator.cli.common import content_option, main, make_settings, parse_date


@main.command("new")
@click.option(
    "--department", required=True, help="部门目录名（content/departments/ 下的文件夹，如 edu）。"
)
@click.option("--category", required=True, help="目录分类英文编号，如 policies、services。")
@click.option("--title", required=True, help="信息名称，与原件标题一致。")
@click.option(
    "--written", callback=parse_date, metavar="YYYY-MM-DD", help="成文日期（默认：北京时间今天）。"
)
@content_option
def new_command(
    department: str, category: str, title: str, written: date | None, content_dir: Path
) -> None:
    """新建一条记录：自动编排下一个索引号，带全部必填字段和中文说明，打印新文件的路径。"""
    from generator.workflow.scaffold import ScaffoldError, plan_record, write_new_file

    try:
        new = plan_record(
            make_settings(content_dir=content_dir), department, category, title, written
        )
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
@content_option
def new_department_command(
    dept_id: str, reviewers: tuple[str, ...], content_dir: Path, **fields: str | None
) -> None:
    """新建部门目录 ID 和带中文说明的 department.yml，打印新文件的路径。"""
    from generator.workflow.scaffold import ScaffoldError, plan_department, write_new_file

    try:
        new = plan_department(make_settings(content_dir=content_dir), dept_id, fields, reviewers)
        write_new_file(new)
    except (ScaffoldError, FileExistsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(new.path.as_posix())


@main.command("new-report")
@click.option("--year", required=True, type=click.IntRange(2019, 2100), help="报告年度，如 2025。")
@click.option(
    "--body", required=True, help="报告主体：government（本级政府）或部门目录名，如 edu。"
)
@click.option(
    "--published",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="发布日期（默认：今天或法定期限）。",
)
@content_option
@click.option(
    "--register",
    "register_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="依申请公开登记簿目录：给出时表三按登记簿统计填好（与 catalog requests stats 相同）。",
)
def new_report_command(
    year: int, body: str, published: date | None, content_dir: Path, register_dir: Path | None
) -> None:
    """新建年度报告 content/reports/YEAR/BODY.yml：全部表格行、上年结转和表二已按目录填好。"""
    from generator.workflow.report_scaffold import plan_report
    from generator.workflow.scaffold import ScaffoldError, write_new_file

    table3 = None
    if register_dir is not None:
        from generator.register.stats import table3_from_register

        table3 = table3_from_register(register_dir, year, body)
    try:
        new = plan_report(make_settings(content_dir=content_dir), year, body, published, table3)
        write_new_file(new)
    except (ScaffoldError, FileExistsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"索引号 {new.id}。请填写文字部分和表格数字，然后运行 catalog validate。", err=True)
    click.echo(new.path.as_posix())


@main.command("codeowners")
@content_option
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

    settings = make_settings(content_dir=content_dir)
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
@content_option
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

    result = check_content(make_settings(content_dir=content_dir))
    if result.catalog is None:
        raise click.ClickException("site.yml 有错误，无法列出网页；请先运行 catalog validate。")
    try:
        pages, everywhere = changed_pages(result.catalog, ref, Path.cwd())
    except ChangesError as exc:
        raise click.ClickException(str(exc)) from None
    site_url = result.catalog.site.site_url
    errors = sum(p.is_error for p in result.problems)
    click.echo(pages_markdown(pages, everywhere, preview_url, site_url, errors), nl=False)
