"""Thin live-reload adapter for ``mkdocs serve``: regenerate the staging tree before each build.

It holds no logic: validation, the page plan and rendering are the generator's, exactly as in
``catalog build``. ``mkdocs build`` (what ``catalog build`` runs) leaves the staging tree alone.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from generator.builder.staging import stage_catalog
from generator.core.settings import Settings

log = logging.getLogger("mkdocs.hooks.catalog")
serving = {"active": False}  # set once per process by on_startup


def on_startup(command: str, dirty: bool) -> None:
    serving["active"] = command == "serve"


def on_pre_build(config: Any) -> None:
    if not serving["active"]:
        return
    from generator.content.validate import check_content

    settings = Settings(staging_dir=Path(config["docs_dir"]))
    checked = check_content(settings)
    # INFO, not WARNING: strict mode would abort the preview server on a content typo.
    for problem in checked.problems:
        log.info("%s:%d: [%s] %s", problem.file, problem.line, problem.code, problem.message)
    if not checked.ok:
        log.info("内容有错误，预览仍显示上次成功生成的页面。")
    if checked.ok and checked.catalog is not None:
        written = stage_catalog(checked.catalog, settings)
        log.info("staging: %d written, %d deleted", len(written.written), len(written.deleted))
