"""The `catalog` group and the option helpers every command module shares."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click

from generator.core.settings import Settings


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"应为 YYYY-MM-DD，实际为“{value}”") from None


def make_settings(**changes: Any) -> Settings:
    return replace(Settings(), **{k: v for k, v in changes.items() if v is not None})


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gov-disclosure-catalog")
def main() -> None:
    """政府信息主动公开目录生成器：校验、生成站点、检索。"""
    # The console may be a Windows code page or a pipe: Chinese must never crash printing.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


# The option most commands share: which content tree to work on.
content_option = click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="内容目录。",
)
