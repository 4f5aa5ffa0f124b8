"""The public-domain corpus synthetic records are cut from: policies (titles, 文号, dates) and
laws (bodies), cleaned so that no paragraph trips a content check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.content.body_checks import check_html
from generator.content.load import unsafe_characters
from generator.content.pii import find_pii
from generator.core.settings import REPO_ROOT

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
MIN_BODY, MAX_BODY = 1024, 8192  # UTF-8 bytes

_CONTACT = re.compile(
    r"联系人|联系电话|咨询电话|举报电话|投诉电话|电话[:：]|传真|邮箱|信箱|E-?mail|@|https?://|www\.|"
    r"[0-9０-９]{7,}|[0-9]{3,4}[-－][0-9]{7,8}",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[<>`\[\]{}]|^\s*---|^\s*\|?\s*:?-{3,}")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


class CorpusMissingError(Exception):
    """The corpus files are not where they were looked for."""


@dataclass(frozen=True)
class Policy:
    title: str
    state_council: bool
    written: date
    published: date
    doc_number: str | None


@dataclass(frozen=True)
class Law:
    title: str
    paragraphs: tuple[str, ...]  # cleaned Markdown paragraphs


@dataclass(frozen=True)
class Corpus:
    policies: tuple[Policy, ...]
    laws: tuple[Law, ...]


def default_corpus_dir() -> Path:
    """``../shared/corpus`` beside the repository (CI lays it beside the clone)."""
    return DEFAULT_CORPUS


def load_corpus(corpus_dir: Path) -> Corpus:
    """Read ``policies.jsonl`` and ``laws.jsonl``; raise CorpusMissingError if either is absent."""
    files = [corpus_dir / "policies.jsonl", corpus_dir / "laws.jsonl"]
    missing = [f.as_posix() for f in files if not f.is_file()]
    if missing:
        raise CorpusMissingError(
            f"找不到语料文件：{'、'.join(missing)}。合成内容需要 policies.jsonl 和 laws.jsonl，"
            f"默认位于仓库旁的 ../shared/corpus/（{DEFAULT_CORPUS.as_posix()}）；"
            "请用 --corpus 指定所在目录。"
        )
    policies = tuple(p for p in map(to_policy, read_jsonl(files[0])) if p is not None)
    laws = tuple(law for law in map(to_law, read_jsonl(files[1])) if law_bytes(law) >= MIN_BODY + 2)
    return Corpus(policies, laws)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def to_policy(row: dict[str, Any]) -> Policy | None:
    try:
        written = date.fromisoformat(str(row["written"])[:10])
        published = date.fromisoformat(str(row["published"])[:10])
    except (KeyError, ValueError):
        return None
    title = plain_line(str(row.get("title") or ""))
    if not title:
        return None
    number = row.get("doc_number")
    return Policy(
        title,
        row.get("issuer_region") == "State Council",
        written,
        published,
        plain_line(number) if isinstance(number, str) and number.strip() else None,
    )


def plain_line(text: str) -> str:
    """One line of ordinary text: no invisible characters, white space runs become one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def to_law(row: dict[str, Any]) -> Law:
    return Law(
        plain_line(str(row.get("title") or "")), clean_paragraphs(str(row.get("text") or ""))
    )


def clean_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs fit for a public record: no contact details, numbers or markup to trip checks."""
    kept = []
    for paragraph in re.split(r"\n\s*\n", _INVISIBLE.sub("", text)):
        paragraph = paragraph.strip()
        if not paragraph or _CONTACT.search(paragraph) or _MARKUP.search(paragraph):
            continue
        if (
            find_pii(paragraph)
            or check_html(paragraph, "-", 1)
            or unsafe_characters(paragraph, "-")
        ):
            continue
        if paragraph.startswith("#"):
            paragraph = "## " + paragraph.lstrip("#").strip()  # record pages own the h1
        kept.append(paragraph)
    return tuple(kept)


def law_bytes(law: Law) -> int:
    return sum(len(p.encode("utf-8")) + 2 for p in law.paragraphs)
