"""Where a staging file ends up in the built site."""

from __future__ import annotations


def html_path(staged: str) -> str:
    """The site file MkDocs makes of a staging file (``use_directory_urls: false``): a page
    ``a/b.md`` becomes ``a/b.html``; any other file keeps its path."""
    return staged.removesuffix(".md") + ".html" if staged.endswith(".md") else staged
