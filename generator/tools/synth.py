"""Synthetic content trees for benchmarks: N realistic records that validate clean.

``catalog synth --records N --out DIR [--seed S]`` copies ``site.yml`` and every
``department.yml`` (plus the departments' sample attachments) from the sample ``content/`` and
writes N records over those departments and all nine categories:

- titles, 文号 and dates from ``../shared/corpus/policies.jsonl``: provincial documents are
  re-issued by the department (issuer and 机关代字 rewritten, serials per department and year),
  State Council documents are reposted with their real 文号; non-canonical 文号 are normalised and
  unrecognisable ones dropped, so no ``doc-number`` warning is produced;
- dates moved into 2019–2025 (inside the holiday data), published 0–15 working days after
  written (Art. 26 allows 20);
- bodies: 1–8 KB slices of ``laws.jsonl`` at paragraph boundaries, without contact details
  (``full_text``: each body a whole law, ~16 KB on average: the benchmark's real-text corpus);
- the category blocks (service / project / contacts), interpretations linked by ``interprets``
  (and by a relative link), ``related`` and ``repealed_by`` references to earlier records.

Records are planned one after another from one seeded generator, and each depends only on the
records before it: the same seed gives the same bytes, and ``plan_records(n + 1)`` starts with the
``n`` records of ``plan_records(n)`` (the benchmark adds "one more record" that way).

This module writes the tree; the corpus is read by ``synth_corpus``, the departments by
``synth_departments``, records are planned by ``synth_planner`` from the text of ``synth_text``.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.core.settings import REPO_ROOT
from generator.tools.synth_corpus import Corpus, default_corpus_dir, load_corpus
from generator.tools.synth_departments import base_files, load_profiles
from generator.tools.synth_planner import SynthFile, plan_records

DEFAULT_BASE = REPO_ROOT / "content"


class SynthTargetError(Exception):
    """The output directory cannot be used (exists and is not empty)."""


@dataclass
class SynthResult:
    out_dir: Path
    records: int
    categories: Counter[str] = field(default_factory=Counter)
    departments: Counter[str] = field(default_factory=Counter)


def synthesize(
    count: int,
    out_dir: Path,
    *,
    seed: int = 1,
    corpus_dir: Path | None = None,
    base_dir: Path = DEFAULT_BASE,
    full_text: bool = False,
) -> SynthResult:
    """Write a content tree of ``count`` records into ``out_dir`` (absent or empty)."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise SynthTargetError(
            f"输出目录“{out_dir}”已存在且不为空。请指定一个新目录，或先删除它（合成内容不覆盖已有文件）。"
        )
    corpus = load_corpus(corpus_dir or default_corpus_dir())
    files = synth_files(count, seed, corpus, base_dir, full_text=full_text)
    out_dir.mkdir(parents=True, exist_ok=True)
    profiles = load_profiles(base_dir)
    for source, target in base_files(base_dir, profiles):
        (out_dir / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out_dir / target)
    result = SynthResult(out_dir, count)
    for file in files:
        write_text(out_dir / file.path, file.text)
        result.departments[file.path.split("/")[1]] += 1
        result.categories[category_in(file.text)] += 1
    return result


def synth_files(
    count: int, seed: int, corpus: Corpus, base_dir: Path = DEFAULT_BASE, *, full_text: bool = False
) -> list[SynthFile]:
    """The record files of a tree built from ``base_dir`` (for tools that add one more)."""
    from generator.content.schema import load_schemas
    from generator.core.settings import Settings

    calendar = load_schemas(Settings().schema_dir).calendar
    site = yaml.safe_load((base_dir / "site.yml").read_text(encoding="utf-8"))
    profiles = load_profiles(base_dir)
    site_url = str(site["site_url"]).rstrip("/")
    return plan_records(count, seed, corpus, profiles, calendar, site_url, full_text=full_text)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def category_in(text: str) -> str:
    match = re.search(r"^category: (\S+)$", text, re.MULTILINE)
    return match.group(1) if match else ""
