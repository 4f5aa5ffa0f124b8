"""``render.relative_path`` is ``posixpath.relpath`` for the staging tree's paths."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.pages.render import page_url, relative_path

SEGMENT = st.sampled_from(["records", "edu", "2024", "a.md", "index.md", "部门", "x", ".", ".."])
PATH = st.lists(SEGMENT, max_size=5).map("/".join)


@given(PATH, PATH)
def test_same_as_relpath(target: str, start: str) -> None:
    if not target:
        return  # relpath refuses an empty path; the generator never links to one
    assert relative_path(target, start) == posixpath.relpath(target, start or ".")


def test_page_urls() -> None:
    assert page_url("records/edu/2024/a.md", "records/edu/2024/b.md") == "a.html"
    assert page_url("index.md", "records/edu/2024/b.md") == "../../../index.html"
    assert page_url("categories/policies/index.md", "index.md") == "categories/policies/index.html"
    assert page_url("records/edu/2024/a.md", "records/hs/2023/c.md") == "../../edu/2024/a.html"
    assert page_url("index.md", "index.md") == "index.html"
    assert page_url("files/edu/x.pdf", "files/edu/y.md") == "x.pdf"
