"""Where a content file came from: the mark `catalog import` writes on line 2 of its records.

The import keeps updating a file that carries the mark; the audit does not judge the dates of
such a file against git (its history predates the repository). An editor who deletes the line
takes the file over by hand.
"""

from __future__ import annotations

IMPORT_MARK = "# 本文件由 catalog import 导入"


def is_imported(text: str) -> bool:
    """Whether a record file's text was written by `catalog import` (and not taken over since)."""
    lines = text.split("\n", 2)
    return len(lines) > 1 and lines[1].startswith(IMPORT_MARK)
