"""Names that break the published site are caught by ``validate``: characters a URL cannot carry,
names that differ only in case, department folders and org codes ``new-department`` refuses, and
links to files the site will not publish.
"""

from __future__ import annotations

import shutil

import pytest

from tests.adversarial.hostile import BODY_LINE, RECORD, Tree, record

EDU = "departments/edu"


def problems(tree: Tree, code: str) -> list[tuple[str, int, str]]:
    return [(p.file, p.line, p.message) for p in tree.check().problems if p.code == code]


@pytest.mark.parametrize("name", ["第1#通知.md", "问答?.md", "100%完成.md", "files/表#1.pdf"])
def test_names_that_break_urls_are_refused(tree: Tree, name: str) -> None:
    tree.write(f"{EDU}/2025/{name}", record() if name.endswith(".md") else b"%PDF-1.4\n")
    [(file, line, message)] = problems(tree, "file-name")
    assert file.endswith(name) and line == 1
    assert "网址中 # 表示页内位置" in message and "请改名" in message


def test_names_differing_only_in_case_are_refused(tree: Tree) -> None:
    tree.write(f"{EDU}/2025/Notice.md", record(id='"11339901MB1111111F/2025-00011"'))
    tree.write(f"{EDU}/2025/notice.md", record(id='"11339901MB1111111F/2025-00012"'))
    [(file, _, message)] = problems(tree, "file-name")
    assert file.endswith("notice.md") and "只差大小写" in message
    assert "departments/edu/2025/Notice.md" in message


@pytest.mark.parametrize("folder", ["教育局", "Edu", "edu dept", "-edu"])
def test_department_folders_new_department_refuses(tree: Tree, folder: str) -> None:
    shutil.copytree(tree.content / EDU, tree.content / "departments" / folder)
    found = problems(tree, "file-name")
    assert any(f"部门目录名“{folder}”不合规" in message for _, _, message in found), found


def test_two_departments_with_one_org_code(tree: Tree) -> None:
    (tree.content / "departments/edu2").mkdir()
    shutil.copy(tree.content / EDU / "department.yml", tree.content / "departments/edu2")
    [(file, _, message)] = problems(tree, "org-code")
    assert file.endswith("departments/edu2/department.yml")
    assert "已由部门“edu”" in message


@pytest.mark.parametrize("link", ["[表](files/未列出.pdf)", "![图](files/未列出.png)"])
def test_a_linked_file_not_listed_as_attachment_is_a_broken_link(tree: Tree, link: str) -> None:
    target = link.split("(")[1].rstrip(")")
    tree.write(f"{EDU}/2025/{target}", b"\x89PNG\r\n" if target.endswith("png") else b"%PDF-1.4\n")
    tree.write(RECORD, record(body=f"见{link}。\n"))
    [(file, line, message)] = problems(tree, "broken-link")
    assert file.endswith(RECORD) and line == BODY_LINE
    assert "没有列在本记录的 attachments" in message and f"{{file: {target}" in message
    listed = f"[{{file: {target}, title: 附件}}]"
    tree.write(RECORD, record(body=f"见{link}。\n", attachments=listed))
    assert problems(tree, "broken-link") == []
