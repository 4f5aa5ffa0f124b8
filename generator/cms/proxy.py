"""Decap's local-backend protocol (what `decap-server` answers on ``/api/v1``), in Python.

One JSON ``{"action": ..., "params": {...}}`` per POST. Answers follow decap-server 3.x
(``packages/decap-server/src/middlewares/localFs``): entries as ``{data, file: {path, id}}``,
media as ``{id, content, encoding, path, name}``. Publish mode is ``simple`` for the CMS, but every
save is committed on the record's own branch by `GitStore` (the git mode of decap-server without
its editorial board), so no Node.js is needed on the clerk's machine.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from generator.cms.gitstore import GitStore, StoreError

Answer = tuple[int, Any]


def _entry(path: str, data: bytes | None) -> dict[str, Any]:
    file = {"path": path, "id": hashlib.sha256(data).hexdigest() if data is not None else None}
    return {"data": data.decode("utf-8") if data is not None else None, "file": file}


def _entries(store: GitStore, paths: list[str]) -> list[dict[str, Any]]:
    contents = store.read_many(paths)
    return [_entry(path, contents[path]) for path in paths]


def _media(store: GitStore, path: str) -> dict[str, Any]:
    data = store.read(path) or b""
    return {
        "id": hashlib.sha256(data).hexdigest(),
        "content": base64.b64encode(data).decode("ascii"),
        "encoding": "base64",
        "path": path,
        "name": PurePosixPath(path).name,
    }


def _asset_bytes(asset: dict[str, Any]) -> bytes:
    if asset.get("encoding") == "base64":
        return base64.b64decode(asset["content"])
    return str(asset["content"]).encode("utf-8")


def info(store: GitStore, params: dict[str, Any]) -> Answer:
    name = store.root.name
    return 200, {"repo": name, "publish_modes": ["simple"], "type": "local_git"}


def entries_by_folder(store: GitStore, params: dict[str, Any]) -> Answer:
    paths = store.list_files(params["folder"], params.get("extension", ""), params.get("depth", 1))
    return 200, _entries(store, paths)


def entries_by_files(store: GitStore, params: dict[str, Any]) -> Answer:
    return 200, _entries(store, [store.checked(f["path"]) for f in params["files"]])


def get_entry(store: GitStore, params: dict[str, Any]) -> Answer:
    return 200, _entries(store, [store.checked(params["path"])])[0]


def persist_entry(store: GitStore, params: dict[str, Any]) -> Answer:
    data_files = params.get("dataFiles") or [params["entry"]]
    files: dict[str, bytes | None] = {}
    for data_file in data_files:
        target = data_file.get("newPath") or data_file["path"]
        if data_file.get("newPath"):
            files[data_file["path"]] = None
        files[target] = data_file["raw"].encode("utf-8")
    for asset in params.get("assets", []):
        files[asset["path"]] = _asset_bytes(asset)
    first = store.checked(data_files[0]["path"])
    branch = store.branch_for(first)
    message = params.get("options", {}).get("commitMessage") or f"网页编辑：{first}"
    store.commit(branch, files, message)
    return 200, {"message": f"entry persisted on {branch}"}


def get_media(store: GitStore, params: dict[str, Any]) -> Answer:
    return 200, [_media(store, p) for p in store.list_files(params["mediaFolder"], "", 1)]


def get_media_file(store: GitStore, params: dict[str, Any]) -> Answer:
    return 200, _media(store, store.checked(params["path"]))


def persist_media(store: GitStore, params: dict[str, Any]) -> Answer:
    asset = params["asset"]
    path = store.checked(asset["path"])
    message = params.get("options", {}).get("commitMessage") or f"网页编辑：上传 {path}"
    store.commit(store.branch_for(path), {path: _asset_bytes(asset)}, message)
    return 200, _media(store, path)


def delete_files(store: GitStore, params: dict[str, Any]) -> Answer:
    paths = params.get("paths") or [params["path"]]
    checked = [store.checked(p) for p in paths]
    message = params.get("options", {}).get("commitMessage") or "网页编辑：删除文件"
    store.commit(store.branch_for(checked[0]), dict.fromkeys(checked), message)
    return 200, {"message": f"deleted files {', '.join(checked)}"}


ACTIONS: dict[str, Callable[[GitStore, dict[str, Any]], Answer]] = {
    "info": info,
    "entriesByFolder": entries_by_folder,
    "entriesByFiles": entries_by_files,
    "getEntry": get_entry,
    "persistEntry": persist_entry,
    "getMedia": get_media,
    "getMediaFile": get_media_file,
    "persistMedia": persist_media,
    "deleteFile": delete_files,
    "deleteFiles": delete_files,
    "getDeployPreview": lambda store, params: (200, None),
}


def answer(store: GitStore, body: Any) -> Answer:
    """One request of the protocol → (HTTP status, JSON value)."""
    if not isinstance(body, dict) or not isinstance(body.get("params", {}), dict):
        return 422, {"error": "请求应为 {action, params} 形式的 JSON 对象。"}
    action = ACTIONS.get(str(body.get("action")))
    if action is None:
        return 422, {"error": f"Unknown action {body.get('action')}"}
    try:
        return action(store, body.get("params") or {})
    except StoreError as exc:
        return 422, {"error": str(exc)}
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
        return 422, {"error": f"请求缺少或写错了参数：{exc}"}
