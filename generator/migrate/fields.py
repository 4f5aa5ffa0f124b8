"""Which column holds which field, and an old system's words for categories, topics and validity.

The built-in tables cover the usual Chinese names of TRS, Hanweb, 开普云 and gkmlpt exports; a map
file (``--map``) adds to them or overrides them:

    columns:        {信息索引号: id, 发布时间: published}
    categories:     {政策法规: policies, 工作动态: hot-topics}
    topics:         {教育: 科技、教育\\教育}
    validity:       {现行有效: valid}
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content.load import load_yaml_file
from generator.content.normalize import clean_text, fold_fullwidth
from generator.core.records import Category
from generator.migrate.sources import MigrateError

FIELD_NAMES = {
    "id": "索引号",
    "title": "信息名称",
    "publisher": "发布机构",
    "written": "成文日期",
    "published": "发布日期",
    "doc_number": "文号",
    "category": "目录分类",
    "topic": "主题分类",
    "form": "体裁分类",
    "keywords": "主题词",
    "summary": "内容概述",
    "validity": "有效性",
    "effective": "生效日期",
    "expires": "终止日期",
    "link": "链接",
    "file": "本地文件",
    "attachments": "附件",
    "expired_flag": "是否失效",
    "abolished_flag": "是否废止",
}

COLUMN_ALIASES = {
    "id": "索引号 信息索引号 索引编号 索引 identifier indexnum index_no",
    "title": "信息名称 标题 名称 文件名称 文件标题 信息标题 题名 title",
    "publisher": "发布机构 发文机关 发文单位 发布单位 发布部门 信息来源 来源 publisher",
    "written": "成文日期 生成日期 产生日期 形成日期 制发日期 签发日期 成文时间 written",
    "published": "发布日期 发布时间 公开日期 公开时间 published publish_date pubdate date",
    "doc_number": "文号 发文字号 文件编号 发文文号 文件字号 document_number doc_number fileno",
    "category": "目录分类 信息分类 信息类别 公开目录 所属栏目 栏目 分类 category classify_main_name",
    "topic": "主题分类 组配分类 topic classify_theme_name",
    "form": "体裁分类 公文种类 文种 体裁 form classify_genre_name",
    "keywords": "主题词 关键词 关键字 keywords keyword",
    "summary": "内容概述 摘要 内容摘要 内容简介 简介 abstract summary description",
    "validity": "有效性 时效 时效性 效力状态 是否有效 validity",
    "effective": "生效时间 生效日期 施行日期 实施日期 effective",
    "expires": "终止时间 终止日期 失效日期 失效时间 有效期至 expires",
    "link": "链接 网址 原文链接 原文地址 页面地址 详情页 url link href",
    "file": "本地文件 正文文件 文件路径 正文 file local_file",
    "attachments": "附件 attachment attachments appendix appendixs",
    "expired_flag": "is_expired",
    "abolished_flag": "is_abolished",
}

# The old systems' usual words for the nine categories, besides their seed and short names.
CATEGORY_WORDS = {
    "duties": "机构职能 机构设置 机构概况 领导信息 领导分工 内设机构 部门职责 职责",
    "policies": "政策文件 政策法规 法律法规 规范性文件 法规文件 规章 规划计划 规划 政策解读 政策 文件",
    "services": "办事服务 办事指南 服务事项 行政许可 办事",
    "livelihood": "为民办实事 民生实事 实事项目",
    "public-interest": "公众利益 行政执行 执法信息 执法",
    "rights-affecting": "行政处罚 行政强制 行政确认 权益",
    "commitments": "便民措施 服务承诺 便民服务 承诺 便民",
    "supervision": "监督办法 投诉举报 责任追究 监督 投诉 举报",
    "hot-topics": "热点问题 群众关心 热点",
}

VALIDITY_WORDS = {
    "valid": "有效 现行有效 是 生效 继续有效",
    "expired": "失效 已失效 否 无效 过期",
    "repealed": "废止 已废止 宣布废止",
    "amended": "已修订 修订 已修改 修改",
}


KNOWN_LABELS = frozenset(
    word for words in COLUMN_ALIASES.values() for word in words.split() if not word.isascii()
)


def _words(table: dict[str, str]) -> dict[str, str]:
    return {word: key for key, words in table.items() for word in words.split()}


@dataclass(frozen=True)
class ImportMap:
    columns: dict[str, str] = field(default_factory=dict)  # normalised header → field
    categories: dict[str, str] = field(default_factory=dict)  # old word → category id
    topics: dict[str, str] = field(default_factory=dict)  # old word → 一级\二级
    validity: dict[str, str] = field(default_factory=dict)


def header_key(header: str) -> str:
    """Headers compare without spaces, colons, full-width forms or case: 发布日期： = 发布日期."""
    text = fold_fullwidth(unicodedata.normalize("NFKC", clean_text(header)))
    return re.sub(r"[\s:*]+", "", text).casefold()


def load_map(path: Path | None, categories: dict[str, Category], max_bytes: int) -> ImportMap:
    if path is None:
        return ImportMap()
    located, problems = load_yaml_file(path, max_bytes=max_bytes)
    errors = [p for p in problems if p.is_error]
    if located is None or errors:
        raise MigrateError(f"映射文件有错误：{errors[0].message if errors else path}")
    data = located.data
    unknown = sorted(set(data) - {"columns", "categories", "topics", "validity"})
    if unknown:
        raise MigrateError(
            f"映射文件 {path} 中有未知的键 {'、'.join(unknown)}：只能有 columns、categories、topics、validity。"
        )
    sections = {name: _section(data, name, path) for name in ("columns", "categories", "topics")}
    validity = _section(data, "validity", path)
    _check_targets(sections["columns"], set(FIELD_NAMES), "columns", path)
    _check_targets(sections["categories"], set(categories), "categories", path)
    _check_targets(validity, set(VALIDITY_WORDS), "validity", path)
    return ImportMap(
        columns={header_key(k): v for k, v in sections["columns"].items()},
        categories={clean_text(k): v for k, v in sections["categories"].items()},
        topics={clean_text(k): v for k, v in sections["topics"].items()},
        validity={clean_text(k): v for k, v in validity.items()},
    )


def _section(data: dict[str, Any], name: str, path: Path) -> dict[str, str]:
    value = data.get(name) or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise MigrateError(f"映射文件 {path} 的 {name} 应是“旧名称: 新值”的映射。")
    return {str(k): v for k, v in value.items()}


def _check_targets(section: dict[str, str], allowed: set[str], name: str, path: Path) -> None:
    for old, new in section.items():
        if new not in allowed:
            raise MigrateError(
                f"映射文件 {path} 的 {name} 中“{old}: {new}”的“{new}”无效，可选：{'、'.join(sorted(allowed))}。"
            )


def match_columns(headers: tuple[str, ...], mapping: ImportMap) -> dict[str, str]:
    """field → the header that holds it (the first such header); the map file wins."""
    aliases = {header_key(a): f for f, words in COLUMN_ALIASES.items() for a in words.split()}
    found: dict[str, str] = {}
    for header in headers:
        key = header_key(header)
        name = mapping.columns.get(key) or aliases.get(key)
        if name and name not in found:
            found[name] = header
    return found


def category_for(word: str, categories: dict[str, Category], mapping: ImportMap) -> str | None:
    """The category id for an old system's category word, or None when it cannot be told."""
    word = clean_text(word)
    if word in mapping.categories:
        return mapping.categories[word]
    if word in categories:
        return word
    known = _words(CATEGORY_WORDS)
    for category in categories.values():
        known[category.name] = known[category.short_name] = category.id
    if word in known:
        return known[word]
    for candidate in sorted(known, key=len, reverse=True):  # 政策文件 before 文件
        if len(candidate) >= 2 and candidate in word:
            return known[candidate]
    return None


def topic_for(word: str, topics: dict[str, tuple[str, ...]], mapping: ImportMap) -> str | None:
    """``一级\\二级`` from 综合政务/政务公开, 综合政务\\政务公开, 政务公开 (unique) or the map."""
    word = clean_text(word)
    if word in mapping.topics:
        return mapping.topics[word]
    parts = [p.strip() for p in re.split(r"[\\/／＼>＞|]+", word) if p.strip()]
    if len(parts) == 2 and parts[0] in topics and parts[1] in topics[parts[0]]:
        return f"{parts[0]}\\{parts[1]}"
    if len(parts) == 1:
        if parts[0] in topics and not topics[parts[0]]:
            return parts[0]
        parents = [first for first, seconds in topics.items() if parts[0] in seconds]
        if len(parents) == 1:
            return f"{parents[0]}\\{parts[0]}"
    return None


def validity_for(word: str, mapping: ImportMap) -> str | None:
    word = clean_text(word)
    return mapping.validity.get(word) or _words(VALIDITY_WORDS).get(word)


def keywords_from(text: str) -> list[str]:
    """主题词 split on the usual separators, each once, at most 20 of at most 30 characters."""
    words: dict[str, None] = {}
    for word in re.split(r"[,，;；、\s]+", clean_text(text)):
        if word and len(word) <= 30:
            words[word] = None
    return list(words)[:20]
