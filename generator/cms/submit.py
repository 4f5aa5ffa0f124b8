"""`catalog submit`: push the record branches `catalog edit` made and open one pull request each.

The forge comes from site.yml (``forge``); the token from the forge's usual environment variable
(``GITHUB_TOKEN`` for GitHub, ``GITEA_TOKEN`` for Gitea and Forgejo). A pull request that exists
already is not opened again (the branch is only pushed), so submitting twice is harmless.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from generator.cms.config import Forge
from generator.cms.gitstore import GitStore, StoreError
from generator.content.load import split_front_matter

TOKEN_VARIABLES = {"github": "GITHUB_TOKEN", "gitea": "GITEA_TOKEN", "forgejo": "GITEA_TOKEN"}


class SubmitError(Exception):
    """Submitting cannot go on (no token, push refused …); message in Chinese."""


@dataclass(frozen=True)
class Submitted:
    branch: str
    title: str
    pull_request: str  # its web address, or "" when it existed already
    existed: bool


def api_root(forge: Forge, override: str | None) -> str:
    if override:
        return override.rstrip("/")
    if forge.type == "github":
        return os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    if forge.type in ("gitea", "forgejo") and forge.url:
        return forge.url.rstrip("/") + "/api/v1"
    raise SubmitError(
        "site.yml 中没有配置代码托管平台（forge: type、repo、url），无法提交合并请求。"
        "请联系政务公开科按 docs/cms.md 配置。"
    )


def token_for(forge: Forge) -> str:
    variable = TOKEN_VARIABLES.get(forge.type, "GITHUB_TOKEN")
    token = os.environ.get(variable, "")
    if not token:
        raise SubmitError(
            f"没有找到访问令牌：请先设置环境变量 {variable}（在代码托管平台的“设置 → 应用 → "
            "访问令牌”中生成，勾选仓库读写权限）。"
        )
    return token


def record_title(store: GitStore, branch: str) -> str:
    """The title of the first record the branch changes, for the pull request's name."""
    for status, path in store.changes(branch):
        if status != "D" and path.endswith(".md"):
            text = store.git("show", f"{branch}:{path}").decode("utf-8", "replace")
            meta = split_front_matter(text, path).meta
            if meta is not None and isinstance(meta.data, dict) and meta.data.get("title"):
                return str(meta.data["title"])
            return PurePosixPath(path).stem
    return branch


def open_pull_request(
    forge: Forge, api: str, token: str, branch: str, title: str, body: str
) -> tuple[str, bool]:
    """POST the pull request; (web address, existed already)."""
    scheme = "Bearer" if forge.type == "github" else "token"
    request = urllib.request.Request(
        f"{api}/repos/{forge.repo}/pulls",
        data=json.dumps(
            {"title": title, "head": branch, "base": forge.branch, "body": body}
        ).encode("utf-8"),
        headers={
            "Authorization": f"{scheme} {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer: dict[str, Any] = json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code in (409, 422):  # GitHub 422 / Gitea 409: one is open for this branch already
            return "", True
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise SubmitError(f"代码托管平台拒绝了合并请求（HTTP {exc.code}）：{detail}") from None
    except urllib.error.URLError as exc:
        raise SubmitError(f"连不上代码托管平台 {api}：{exc.reason}。请检查网络。") from None
    return str(answer.get("html_url", "")), False


def submit(
    store: GitStore, forge: Forge, remote: str, api_override: str | None = None
) -> list[Submitted]:
    branches = store.branches()
    if not branches:
        return []
    api = api_root(forge, api_override)
    token = token_for(forge)
    done = []
    for branch in branches:
        try:
            store.git("push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}")
        except StoreError as exc:
            raise SubmitError(
                f"推送分支 {branch} 失败：{exc}。可能是有人在平台上改过这个分支；"
                "请联系政务公开科处理。"
            ) from None
        title = f"网页编辑：{record_title(store, branch)}"
        body = (
            f"由 catalog edit 保存、catalog submit 提交（分支 {branch}）。\n\n"
            "CI 会先运行 catalog tidy（编索引号、按成文年份归档、统一字段写法），再运行 "
            "catalog validate；审核人请在保密审查后合并。"
        )
        url, existed = open_pull_request(forge, api, token, branch, title, body)
        done.append(Submitted(branch, title, url, existed))
    return done
