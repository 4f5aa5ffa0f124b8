"""`catalog tidy` on what the browser editor saves, and `catalog submit` against a fake forge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.cms.config import Forge
from generator.cms.gitstore import GitStore
from generator.cms.submit import SubmitError, submit
from generator.content.validate import check_content
from generator.workflow.scaffold_text import record_file_text
from generator.workflow.tidy import tidy_changed
from tests.cms_repo import (
    NEW_RECORD,
    PDF,
    FakeForge,
    forge_api,  # noqa: F401 (a fixture)
    git,
    make_repo,
    settings_for,
)

EDU = "content/departments/edu"
DECAP_PATH = f"{EDU}/2026/青禾区教育局关于做好2024年暑期托管服务的通知.md"


def save_as_decap(root: Path, store: GitStore) -> str:
    branch = store.branch_for(DECAP_PATH)
    store.commit(
        branch,
        {DECAP_PATH: NEW_RECORD.encode(), f"{EDU}/2026/files/报名表.pdf": PDF},
        "Create 暑期托管",
    )
    return branch


def test_new_record_gets_id_year_folder_slug_and_validates(tmp_path: Path) -> None:
    content = make_repo(tmp_path)
    store = GitStore(tmp_path, "main", EDU, "cms/edu/")
    git(tmp_path, "switch", "-q", save_as_decap(tmp_path, store))  # what CI checks out
    settings = settings_for(content)
    (done,) = tidy_changed(settings, "main")
    target = (
        content
        / "departments/edu/2024/qing-he-qu-jiao-yu-ju-guan-yu-zuo-hao-2024-nian-shu-qi-tuo.md"
    )
    assert done.target == target.resolve()
    assert (
        done.id == "11339901MB1C0475XN/2024-00031"
    )  # next after the fixture's highest, 2024-00030
    assert not (content / "departments/edu/2026").exists() or not any(
        (content / "departments/edu/2026").rglob("*.md")
    )
    assert (content / "departments/edu/2024/files/报名表.pdf").read_bytes() == PDF
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[:7] == [
        "---",
        'id: "11339901MB1C0475XN/2024-00031"',
        'title: "青禾区教育局关于做好2024年暑期托管服务的通知"',
        "category: policies",
        'summary: "明确暑期托管服务的对象、时间、内容和收费。"',
        'written: "2024-06-10"',
        'published: "2024-06-12"',
    ]
    assert "doc_number" not in text  # Decap's empty optional value is left out
    assert "topic: '科技、教育\\教育'" in text
    result = check_content(settings)
    shown = [p for p in result.problems if "2024/qing-he" in p.file]
    assert shown == [] and result.ok, [p.message for p in result.problems]
    assert tidy_changed(settings, "main") == []  # tidy is idempotent


def test_edit_of_published_record_keeps_its_front_matter_text(tmp_path: Path) -> None:
    content = make_repo(tmp_path)
    record = content / "departments/edu/enrollment.md"
    original = record.read_text(encoding="utf-8")
    head, body = original.split("\n---\n", 1)
    # Decap re-serialises the same values in its own style and the clerk edits one sentence.
    from generator.content.load import split_front_matter

    data = split_front_matter(original, "x").meta.data  # type: ignore[union-attr]
    restyled = "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in
                                   reversed(list(data.items()))) + "\n---\n"  # fmt: skip
    record.write_text(restyled + body.replace("。", "！", 1), encoding="utf-8")
    tidy_changed(settings_for(content), "main")
    diff = git(tmp_path, "diff", "--unified=0", "--", str(record))
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert len(changed) == 2 and "！" in changed[1]
    assert record.read_text(encoding="utf-8").startswith(head + "\n---\n")


def test_canonical_writer_orders_by_schema_and_drops_empty_values() -> None:
    schema = {"properties": {"id": {}, "title": {}, "project": {"properties": {"budget": {}}}}}
    data = {
        "project": {"budget": 12.5, "status": ""}, "extra": "x", "title": "标题", "id": "A/1",
        "form": "", "service": {"basis": "", "steps": [""]}, "keywords": [],
    }  # fmt: skip
    assert record_file_text(data, schema, "\n\n正文\n\n") == (
        '---\nid: "A/1"\ntitle: "标题"\nproject:\n  budget: 12.5\nextra: x\n---\n正文\n'
    )


def test_tidy_command_reports_in_chinese(tmp_path: Path) -> None:
    content = make_repo(tmp_path)
    store = GitStore(tmp_path, "main", EDU, "cms/edu/")
    git(tmp_path, "switch", "-q", save_as_decap(tmp_path, store))
    result = CliRunner().invoke(
        main, ["tidy", "--changed-since", "main", "--content", str(content)]
    )
    assert result.exit_code == 0, result.output
    assert "索引号 11339901MB1C0475XN/2024-00031" in result.output and "附件" in result.output
    bad = CliRunner().invoke(main, ["tidy", "--changed-since", "nope", "--content", str(content)])
    assert bad.exit_code == 1 and "找不到“nope”" in bad.output


# ---- catalog submit ----------------------------------------------------------------------


def test_submit_pushes_each_branch_and_opens_a_pull_request(
    tmp_path: Path,
    forge_api: str,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_repo(tmp_path / "clerk")
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(tmp_path / "clerk", "remote", "add", "origin", str(tmp_path / "remote.git"))
    store = GitStore(tmp_path / "clerk", "main", "content", "cms/")
    branch = save_as_decap(tmp_path / "clerk", store)
    forge = Forge(type="gitea", repo="gkk/catalog", url="http://127.0.0.1:1")
    monkeypatch.delenv("GITEA_TOKEN", raising=False)
    with pytest.raises(SubmitError, match="GITEA_TOKEN"):
        submit(store, forge, "origin", forge_api)
    monkeypatch.setenv("GITEA_TOKEN", "t0ken")
    (done,) = submit(store, forge, "origin", forge_api)
    assert done.branch == branch and not done.existed
    assert git(tmp_path / "remote.git", "branch", "--list", "cms/*").split() == [branch]
    (request,) = FakeForge.received
    assert request["path"] == "/api/v1/repos/gkk/catalog/pulls"
    assert request["auth"] == "token t0ken"
    assert request["head"] == branch and request["base"] == "main"
    assert request["title"] == "网页编辑：青禾区教育局关于做好2024年暑期托管服务的通知"
    FakeForge.answer = 409  # Gitea: a pull request for this branch is open already
    (again,) = submit(store, forge, "origin", forge_api)
    assert again.existed


def test_new_record_whose_number_was_taken_meanwhile_is_numbered_again(tmp_path: Path) -> None:
    content = make_repo(tmp_path)
    store = GitStore(tmp_path, "main", EDU, "cms/edu/")
    branch = save_as_decap(tmp_path, store)
    git(tmp_path, "switch", "-q", branch)
    settings = settings_for(content)
    (first,) = tidy_changed(settings, "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "catalog tidy")
    # Another editor's record took the same number on main first; then main is merged in here.
    git(tmp_path, "switch", "-q", "main")
    taken = (content / "departments/edu/notice-2022.md").read_text(encoding="utf-8")
    other = content / "departments/edu/2024/other.md"
    other.parent.mkdir()
    other.write_text(taken.replace("11339901MB1C0475XN/2022-00007", first.id or ""), "utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "another editor's record")
    git(tmp_path, "switch", "-q", branch)
    git(tmp_path, "merge", "-q", "--no-edit", "main")
    (again,) = tidy_changed(settings, "main")
    assert again.source == again.target == first.target
    assert again.id == "11339901MB1C0475XN/2024-00032"
