"""Decap CMS configuration from the record schema: one collection per department.

Every field of ``record.schema.json`` becomes a Decap widget whose label is the schema's Chinese
``title`` and whose hint is its ``description``; enums become selects with the Chinese names
written in the description (``valid（有效，默认）``), patterns and required flags become Decap's
own checks. The body is a plain text area: Decap's Markdown widget has a history of Chinese IME
bugs and would write rich-text HTML the body checks refuse (stack-notes.md, "Browser editor").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.content.schema import Schemas
from generator.core.records import Department

# Kept as they are, never shown: the 索引号 is assigned by `catalog tidy`, the department comes
# from the folder, and PII exemptions are written by a reviewer after the privacy review.
HIDDEN = ("id", "department", "pii_exemptions")
FILE_FIELDS = ("attachments.file",)
BODY_HINT = (
    "正文用纯文本书写：“## ”开头的行是小标题，“- ”开头的行是列表，空一行分段。"
    "不要粘贴网页或 Word 中的格式。"
)
FORGES = ("github", "gitea", "forgejo", "local")
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True)
class Forge:
    """Where the browser editor saves: a forge (sign-in through its OAuth app) or the local proxy."""

    type: str = "local"  # github | gitea | forgejo | local
    repo: str = ""  # owner/name
    url: str = ""  # the forge's web address (Gitea/Forgejo)
    branch: str = "main"
    app_id: str = ""  # OAuth application client id (Gitea/Forgejo, PKCE)
    auth_url: str = ""  # GitHub: the OAuth proxy's base address
    proxy_url: str = "/api/v1"  # local: the `catalog edit` server


def forge_from_site(data: Mapping[str, Any] | None) -> Forge:
    """The ``forge`` block of site.yml (already schema-checked), or the local backend."""
    if not data:
        return Forge()
    return Forge(**{key: str(value) for key, value in data.items()})


def backend(forge: Forge, dept_id: str) -> dict[str, Any]:
    """Decap's ``backend`` block.

    GitHub uses the editorial workflow (one pull request per record). Gitea and Forgejo commit to
    the department's branch ``cms/<dept>`` in simple mode (Forgejo's editorial workflow cannot
    create entries yet); the Gitea workflow `cms-pr.yml` opens the pull request for that branch.
    """
    if forge.type == "github":
        block: dict[str, Any] = {"name": "github", "repo": forge.repo, "branch": forge.branch}
        if forge.auth_url:
            block["base_url"] = forge.auth_url
        return block
    if forge.type in ("gitea", "forgejo"):
        base = forge.url.rstrip("/")
        return {
            "name": "gitea",
            "repo": forge.repo,
            "branch": f"cms/{dept_id}",
            "base_url": base,
            "api_root": f"{base}/api/v1",
            "app_id": forge.app_id,
        }
    return {"name": "proxy", "proxy_url": forge.proxy_url, "branch": forge.branch}


def department_config(
    schemas: Schemas, department: Department, forge: Forge, content_root: str
) -> dict[str, Any]:
    """The whole ``config.yml`` of one department's editor."""
    folder = f"{content_root}/departments/{department.id}"
    config: dict[str, Any] = {
        "backend": backend(forge, department.id),
        "locale": "zh_Hans",
        "site_url": "",
        "media_folder": f"{folder}/files",
        "public_folder": "files",
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "collections": [record_collection(schemas, department, folder)],
    }
    if forge.type == "github":
        config["publish_mode"] = "editorial_workflow"
    return config


def record_collection(schemas: Schemas, department: Department, folder: str) -> dict[str, Any]:
    schema = schemas.record.schema
    return {
        "name": "records",
        "label": f"{department.short_name}的目录信息",
        "label_singular": "一条信息",
        "description": (
            f"{department.name}的主动公开目录信息。保存后由 catalog tidy 编索引号、"
            "按成文年份归档，再经审核合并发布。"
        ),
        "folder": folder,
        "path": "{{year}}/{{slug}}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "delete": False,
        "media_folder": "files",
        "public_folder": "files",
        "identifier_field": "title",
        "summary": "{{title}}（{{written}}）",
        "sortable_fields": ["written", "published", "title"],
        "fields": [
            *fields_of(schema, schemas, prefix=""),
            {"name": "body", "label": "正文", "widget": "text", "hint": BODY_HINT},
        ],
    }


def fields_of(schema: Mapping[str, Any], schemas: Schemas, prefix: str) -> list[dict[str, Any]]:
    required = set(schema.get("required", ()))
    defs = schemas.record.schema.get("$defs", {})
    return [
        decap_field(name, _resolved(prop, defs), name in required, schemas, prefix + name)
        for name, prop in schema.get("properties", {}).items()
    ]


def decap_field(
    name: str, prop: Mapping[str, Any], required: bool, schemas: Schemas, path: str
) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "label": prop.get("title", name)}
    if hint := form_hint(str(prop.get("description", "")), name, "enum" in prop):
        field["hint"] = hint
    field["required"] = required
    if path in HIDDEN:
        return {"name": name, "label": field["label"], "widget": "hidden", "required": False}
    field.update(_widget(prop, schemas, path))
    return field


def _widget(prop: Mapping[str, Any], schemas: Schemas, path: str) -> dict[str, Any]:
    kind = prop.get("type")
    if path in FILE_FIELDS:
        return {"widget": "file", "choose_url": False}
    if "enum" in prop:
        return {"widget": "select", "options": _options(prop, schemas, path)}
    if kind == "array":
        return _array(prop, schemas, path)
    if kind == "object":
        return {
            "widget": "object",
            "collapsed": False,
            "fields": fields_of(prop, schemas, path + "."),
        }
    if kind in ("number", "integer"):
        widget: dict[str, Any] = {
            "widget": "number",
            "value_type": "int" if kind == "integer" else "float",
        }
        for key in ("minimum", "maximum"):
            if key in prop:
                widget[key[:3]] = prop[key]
        return widget
    widget = {"widget": "string"}
    if prop.get("pattern") == DATE_PATTERN:
        widget["pattern"] = [DATE_PATTERN, "应为 YYYY-MM-DD 格式的日期，例如 2024-06-10。"]
        return widget
    if "pattern" in prop:
        widget["pattern"] = [prop["pattern"], _pattern_message(prop)]
    return widget


def _array(prop: Mapping[str, Any], schemas: Schemas, path: str) -> dict[str, Any]:
    items = prop.get("items", {})
    if "enum" in items:
        return {"widget": "select", "multiple": True, "options": _options(items, schemas, path)}
    if path == "art20":
        options = [{"label": f"第{n}项：{text}", "value": n} for n, text in schemas.art20.items()]
        return {"widget": "select", "multiple": True, "options": options}
    if items.get("type") == "object":
        return {
            "widget": "list",
            "collapsed": False,
            "fields": fields_of(items, schemas, path + "."),
        }
    defs = schemas.record.schema.get("$defs", {})
    item = _resolved(items, defs)
    inner: dict[str, Any] = {"name": "item", "label": item.get("title", "一项"), "widget": "string"}
    if "pattern" in item:
        inner["pattern"] = [item["pattern"], _pattern_message(item)]
    return {"widget": "list", "field": inner}


def _options(prop: Mapping[str, Any], schemas: Schemas, path: str) -> list[dict[str, Any]]:
    if path == "category":
        names = {c.id: f"{c.short_name}（{c.name}）" for c in schemas.categories.values()}
    else:
        names = enum_labels(prop.get("description", ""))
    return [{"label": names.get(value, value), "value": value} for value in prop["enum"]]


def form_hint(description: str, key: str, select: bool) -> str:
    """The schema's description without what only a YAML author needs: sentences about quotes,
    English ids or ``key: value`` examples (the form handles those)."""
    yaml_only = ("引号", "英文编号", "YAML")
    description = description.replace(f"{key}: ", "")
    sentences = [s for s in description.split("。") if s.strip()]
    kept = [s for s in sentences if not any(word in s for word in yaml_only)]
    if select:
        kept = [s for s in kept if not re.search(r"[a-z]+（", s) and not s.startswith("例如")]
    text = "。".join(kept)
    return text + "。" if text else ""


def enum_labels(description: str) -> dict[str, str]:
    """``valid（有效，默认）、expired（失效）`` → {"valid": "有效", "expired": "失效"}."""
    return {
        value: label.split("，")[0]
        for value, label in re.findall(r"([a-z][a-z0-9-]*)（([^）]+)）", description)
    }


def _pattern_message(prop: Mapping[str, Any]) -> str:
    description = str(prop.get("description", ""))
    return description.split("。")[0] + "。" if description else "格式不对。"


def _resolved(prop: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    """A property with its ``$ref`` merged in; the property's own title and description win."""
    ref = prop.get("$ref", "")
    if not ref.startswith("#/$defs/"):
        return dict(prop)
    merged = {**defs[ref.removeprefix("#/$defs/")], **prop}
    merged.pop("$ref")
    return merged
