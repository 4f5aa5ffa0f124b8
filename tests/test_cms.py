"""`catalog cms` and `catalog edit`: the Decap configuration from the schema, the vendored bundle,
and Decap's local-backend protocol answered in Python over a real git repository."""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.cms.admin import bundle_manifest, check_bundle, read_editors, write_admin
from generator.cms.config import Forge, department_config, enum_labels, form_hint
from generator.cms.edit_server import make_edit_server
from generator.cms.gitstore import GitStore
from generator.content.schema import load_schemas
from generator.core.settings import REPO_ROOT
from tests.cms_repo import NEW_RECORD, PDF, git, make_repo, settings_for
from tests.test_workflows import catalog_commands, load, steps

SCOPE = "content/departments/edu"


def test_bundle_matches_recorded_checksums_and_version() -> None:
    manifest = bundle_manifest()
    assert manifest["package"] == "decap-cms" and manifest["version"].startswith("3.16.")
    assert "decap-cms.js" in manifest["files"] and len(manifest["files"]) > 50
    assert check_bundle() == []


def test_every_schema_field_becomes_a_labelled_widget(tmp_path: Path) -> None:
    content = make_repo(tmp_path)
    editors = read_editors(settings_for(content))
    config = department_config(editors.schemas, editors.departments["edu"], Forge(), "content")
    (collection,) = config["collections"]
    schema = load_schemas(settings_for(content).schema_dir).record.schema
    fields = {f["name"]: f for f in collection["fields"]}
    assert list(fields) == [*schema["properties"], "body"]
    for name, prop in schema["properties"].items():
        assert fields[name]["label"] == prop["title"]
        # the 索引号 is required in the file but assigned by `catalog tidy`, not by the clerk
        assert fields[name]["required"] == (name in schema["required"] and name != "id")
    assert fields["body"]["widget"] == "text"  # IME-safe, no rich-text HTML
    assert fields["id"]["widget"] == "hidden"
    category = {o["value"]: o["label"] for o in fields["category"]["options"]}
    assert category["policies"].startswith("政策文件")
    validity = {o["value"]: o["label"] for o in fields["validity"]["options"]}
    assert validity == {"valid": "有效", "expired": "失效", "repealed": "废止", "amended": "已修订"}
    assert fields["written"]["pattern"][0] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    assert fields["channels"]["multiple"] is True
    attachment = {f["name"]: f for f in fields["attachments"]["fields"]}
    assert attachment["file"]["widget"] == "file"
    assert collection["folder"] == "content/departments/edu"
    assert collection["media_folder"] == "files" and collection["delete"] is False
    assert config["locale"] == "zh_Hans"
    project = {f["name"]: f for f in fields["project"]["fields"]}
    assert project["progress"] == {**project["progress"], "value_type": "int", "min": 0, "max": 100}


def test_enum_labels_read_from_the_description() -> None:
    text = "planned（计划中）、in-progress（实施中）或 done（已完成）"
    assert enum_labels(text) == {"planned": "计划中", "in-progress": "实施中", "done": "已完成"}


@pytest.mark.parametrize(
    ("forge", "expected"),
    [
        (Forge(), {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}),
        (
            Forge(type="github", repo="gkk/catalog", auth_url="https://auth.example"),
            {"name": "github", "repo": "gkk/catalog", "branch": "main",
             "base_url": "https://auth.example"},
        ),
        (
            Forge(type="forgejo", repo="gkk/catalog", url="https://git.example/", app_id="abc"),
            {"name": "gitea", "repo": "gkk/catalog", "branch": "cms/edu",
             "base_url": "https://git.example", "api_root": "https://git.example/api/v1",
             "app_id": "abc"},
        ),
    ],
)  # fmt: skip
def test_backend_follows_the_forge(tmp_path: Path, forge: Forge, expected: dict[str, Any]) -> None:
    content = make_repo(tmp_path)
    editors = read_editors(settings_for(content))
    config = department_config(editors.schemas, editors.departments["edu"], forge, "content")
    assert config["backend"] == expected
    assert ("publish_mode" in config) == (forge.type == "github")


def test_catalog_cms_writes_one_editor_per_department(tmp_path: Path) -> None:
    content = make_repo(tmp_path)
    site = content / "site.yml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + "forge:\n  type: gitea\n  url: https://git.qinghe.gov.example\n  repo: gkk/catalog\n",
        encoding="utf-8",
    )
    out = tmp_path / "admin"
    result = CliRunner().invoke(main, ["cms", "--content", str(content), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "civil-affairs", "decap", "edu", "index.html", "office",
    ]  # fmt: skip
    config = yaml.safe_load((out / "edu" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["branch"] == "cms/edu"
    page = (out / "edu" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../decap/decap-cms.js">' in page and "noindex" in page
    assert (out / "decap" / "decap-cms.js").stat().st_size > 4_000_000
    validate = CliRunner().invoke(main, ["validate", str(content)])
    assert validate.exit_code == 0, validate.output  # the forge block is part of the site schema


# ---- the local backend -------------------------------------------------------------------


class Proxy:
    def __init__(self, port: int) -> None:
        self.port = port

    def post(self, body: Any, host: str | None = None, origin: str | None = None) -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json", "Host": host or f"127.0.0.1:{self.port}"}
        if origin:
            headers["Origin"] = origin
        connection.request("POST", "/api/v1", json.dumps(body).encode(), headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data.startswith((b"{", b"[")) else None)

    def __call__(self, action: str, **params: Any) -> Any:
        status, value = self.post({"action": action, "params": {"branch": "main", **params}})
        assert status == 200, value
        return value


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[tuple[Proxy, Path]]:
    content = make_repo(tmp_path / "repo")
    editors = read_editors(settings_for(content), Forge())
    write_admin(editors, tmp_path / "admin", "edu")
    store = GitStore(editors.repo_root, "main", SCOPE, "cms/edu/")
    server = make_edit_server(tmp_path / "admin", store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Proxy(server.server_port), editors.repo_root
    server.shutdown()
    server.server_close()


def save_new_record(call: Proxy) -> None:
    call(
        "persistEntry",
        dataFiles=[{
            "slug": "暑期托管", "path": f"{SCOPE}/2026/青禾区教育局关于做好2024年暑期托管服务的通知.md",
            "raw": NEW_RECORD,
        }],
        assets=[{
            "path": f"{SCOPE}/2026/files/报名表.pdf",
            "content": base64.b64encode(PDF).decode(), "encoding": "base64",
        }],
        options={"commitMessage": "Create 暑期托管", "useWorkflow": False, "status": ""},
    )  # fmt: skip


def test_lists_reads_and_saves_on_a_branch_per_record(proxy: tuple[Proxy, Path]) -> None:
    call, root = proxy
    assert call("info")["type"] == "local_git"
    listed = call("entriesByFolder", folder=SCOPE, extension="md", depth=2)
    assert len(listed) == 4 and all(e["data"].startswith("---") for e in listed)
    save_new_record(call)
    assert git(root, "branch", "--list", "cms/*").split() == [
        "cms/edu/qing-he-qu-jiao-yu-ju-guan-yu-zuo-hao"
    ]
    assert git(root, "status", "--porcelain") == ""  # the clerk's checkout is left alone
    listed = call("entriesByFolder", folder=SCOPE, extension="md", depth=2)
    assert len(listed) == 5
    path = f"{SCOPE}/2026/青禾区教育局关于做好2024年暑期托管服务的通知.md"
    assert call("getEntry", path=path)["data"] == NEW_RECORD
    media = call("getMedia", mediaFolder=f"{SCOPE}/2026/files")
    assert [m["name"] for m in media] == ["报名表.pdf"]
    assert base64.b64decode(media[0]["content"]) == PDF
    # A second save of the same record goes to the same branch, as a second commit.
    call(
        "persistEntry",
        entry={"slug": "x", "path": path, "raw": NEW_RECORD.replace("各中小学", "各学校")},
        assets=[],
        options={"commitMessage": "Update", "useWorkflow": False},
    )
    assert len(git(root, "branch", "--list", "cms/*").split()) == 1
    log = git(root, "log", "--format=%s", "main..cms/edu/qing-he-qu-jiao-yu-ju-guan-yu-zuo-hao")
    assert log.split() == ["Update", "Create", "暑期托管"]


def test_refuses_paths_outside_the_department_and_foreign_hosts(
    proxy: tuple[Proxy, Path],
) -> None:
    call, _ = proxy
    status, value = call.post(
        {"action": "getEntry", "params": {"path": "content/departments/office/x.md"}}
    )
    assert status == 422 and "不在本部门的目录" in value["error"]
    status, value = call.post({"action": "getEntry", "params": {"path": f"{SCOPE}/../../site.yml"}})
    assert status == 422
    status, _ = call.post({"action": "info"}, host="attacker.example")
    assert status == 403
    status, _ = call.post({"action": "info"}, origin="http://attacker.example")
    assert status == 403
    status, value = call.post({"action": "nope", "params": {}})
    assert status == 422 and "Unknown action" in value["error"]


# ---- the editor-branch workflows -----------------------------------------------------------

CMS_WORKFLOWS = [REPO_ROOT / ".github/workflows/cms.yml", REPO_ROOT / ".gitea/workflows/cms.yml"]


@pytest.mark.parametrize("path", CMS_WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_editor_branch_workflow_tidies_pushes_then_validates(path: Path) -> None:
    workflow = load(path)
    assert workflow[True]["push"]["branches"] == ["cms/**"]  # PyYAML reads `on` as True
    runs = [step.get("run", "") for step in steps(workflow)]
    order = [
        next(i for i, run in enumerate(runs) if needle in run)
        for needle in ("catalog tidy --changed-since", "git push origin", "catalog validate")
    ]
    assert order == sorted(order)
    lines = [line for run in runs for line in run.splitlines() if line.startswith("catalog ")]
    commands = [found for line in lines for found in catalog_commands(line)]
    assert commands
    for command, options in commands:
        help_text = CliRunner().invoke(main, [command, "--help"])
        assert help_text.exit_code == 0, command
        assert all(option in help_text.output for option in options), (command, options)


def test_hints_keep_what_a_form_user_needs() -> None:
    date = '成文日期。格式 YYYY-MM-DD 并加引号，例如 written: "2024-03-01"。'
    assert form_hint(date, "written", select=False) == "成文日期。"
    topic = (
        "按主题分类表写，例如 topic: 综合政务\\政务公开。不要用双引号（双引号里的反斜杠是转义符）。"
    )
    assert form_hint(topic, "topic", select=False) == "按主题分类表写，例如 综合政务\\政务公开。"
    category = "九个目录分类之一，写英文编号：duties（职责）。例如 category: policies。"
    assert form_hint(category, "category", select=True) == ""


def test_catalog_edit_serves_the_editor_on_loopback(tmp_path: Path) -> None:
    content = make_repo(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "edit", "--department", "edu", "--port", "0",
         "--no-browser", "--content", str(content)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:(\d+)/edu/", line)
        assert url, line
        connection = http.client.HTTPConnection("127.0.0.1", int(url[1]), timeout=30)
        connection.request("GET", "/edu/config.yml")
        config = yaml.safe_load(connection.getresponse().read())
        assert config["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}
        connection.request("GET", "/decap/decap-cms.js")
        response = connection.getresponse()
        assert response.status == 200 and len(response.read()) > 4_000_000
    finally:
        process.terminate()
        process.wait(timeout=30)
