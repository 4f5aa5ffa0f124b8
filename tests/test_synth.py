"""`catalog synth`: a realistic synthetic content tree that validates clean, deterministically.

The corpus lives beside the repository (``../shared/corpus``); CI lays it beside the clone. A
missing corpus fails these tests with a message instead of skipping them.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.content.docnumber import normalize_doc_number
from generator.content.validate import check_content
from generator.core.settings import Settings
from generator.tools.synth import DEFAULT_BASE, SynthTargetError, synth_files, synthesize
from generator.tools.synth_corpus import (
    MAX_BODY,
    MIN_BODY,
    Corpus,
    CorpusMissingError,
    clean_paragraphs,
    default_corpus_dir,
    load_corpus,
)
from generator.tools.synth_planner import CATEGORY_WEIGHTS, SynthFile
from generator.tools.synth_text import (
    localize,
    move_into_range,
    relative_link,
    republished_number,
    slice_paragraphs,
    summarize,
)

COUNT = 300
TODAY = date(2026, 6, 30)  # every synthetic record is published by then (dates end in 2025)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    try:
        return load_corpus(default_corpus_dir())
    except CorpusMissingError as exc:
        pytest.fail(f"语料缺失，无法测试 catalog synth（CI 应把 shared/ 放在仓库旁）：{exc}")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Path:
    out = tmp_path_factory.mktemp("synth") / "content"
    synthesize(COUNT, out, seed=7)
    return out


def front_matter(text: str) -> dict[str, object]:
    _, front, _ = text.split("---\n", 2)
    loaded = yaml.safe_load(front)
    assert isinstance(loaded, dict)
    return loaded


def body_of(text: str) -> str:
    return text.split("---\n", 2)[2]


def records_in(tree: Path) -> dict[str, str]:
    return {
        p.relative_to(tree).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(tree.glob("departments/*/*/*.md"))
    }


def test_tree_validates_with_no_error_and_no_warning(tree: Path) -> None:
    result = check_content(Settings(content_dir=tree, today=TODAY))
    assert [f"{p.file}:{p.line}: {p.code} {p.message}" for p in result.problems] == []
    assert result.record_count == COUNT
    assert len(result.catalog.records) == COUNT
    assert result.catalog.scheduled == ()


def test_tree_covers_every_department_and_category(tree: Path) -> None:
    metas = [front_matter(t) for t in records_in(tree).values()]
    assert {m["category"] for m in metas} == set(CATEGORY_WEIGHTS)
    departments = {p.name for p in (tree / "departments").iterdir()}
    assert departments == {p.parent.name for p in DEFAULT_BASE.glob("departments/*/department.yml")}
    assert {path.split("/")[1] for path in records_in(tree)} == departments
    blocks = {"services": "service", "livelihood": "project", "supervision": "contacts"}
    for meta in metas:
        if meta["category"] in blocks:
            assert blocks[str(meta["category"])] in meta, meta["id"]


def test_site_and_departments_are_copied_from_the_sample(tree: Path) -> None:
    assert (tree / "site.yml").read_bytes() == (DEFAULT_BASE / "site.yml").read_bytes()
    for department in (DEFAULT_BASE / "departments").glob("*/department.yml"):
        copied = tree / "departments" / department.parent.name / "department.yml"
        assert copied.read_bytes() == department.read_bytes()


def test_ids_follow_the_template_with_consecutive_serials(tree: Path) -> None:
    serials: dict[tuple[str, str], list[int]] = {}
    for path, text in records_in(tree).items():
        meta = front_matter(text)
        department, year, name = path.split("/")[1:]
        org_code = yaml.safe_load(
            (tree / "departments" / department / "department.yml").read_text(encoding="utf-8")
        )["org_code"]
        assert meta["id"] == f"{org_code}/{year}-{name[:-3]}"
        assert str(meta["written"]).startswith(year)
        serials.setdefault((department, year), []).append(int(name[:-3]))
    for found in serials.values():
        assert sorted(found) == list(range(1, len(found) + 1))


def test_bodies_are_law_slices_of_one_to_eight_kilobytes_without_contacts(tree: Path) -> None:
    contact = re.compile(r"联系人|联系电话|@|[0-9]{3,4}-[0-9]{7,8}|1[3-9][0-9]{9}")
    for path, text in records_in(tree).items():
        body = body_of(text)
        meta = front_matter(text)
        high = MAX_BODY + 400 if "interprets" in meta else MAX_BODY + 1  # headings, link; "\n"
        assert MIN_BODY <= len(body.encode("utf-8")) <= high, path
        assert not contact.search(body), path
        assert 1 <= len(str(meta["summary"])) <= 100, path


def test_doc_numbers_are_canonical_and_dates_within_the_limit(tree: Path) -> None:
    numbers = Counter()
    for text in records_in(tree).values():
        meta = front_matter(text)
        if "doc_number" in meta:
            numbers[str(meta["doc_number"])] += 1
            assert normalize_doc_number(str(meta["doc_number"])).is_canonical
        written = date.fromisoformat(str(meta["written"]))
        published = date.fromisoformat(str(meta["published"]))
        assert date(2019, 1, 1) <= written <= published <= date(2026, 1, 31)
    assert len(numbers) > COUNT // 3  # most records carry a 文号
    own = [n for n in numbers if n.startswith("青禾")]
    assert len(own) == sum(numbers[n] for n in own)  # a department's own numbers never repeat


def test_interpretations_link_to_earlier_policies(tree: Path) -> None:
    metas = {str(m["id"]): m for m in map(front_matter, records_in(tree).values())}
    interpretations = [m for m in metas.values() if "interprets" in m]
    assert len(interpretations) >= 5
    for meta in interpretations:
        target = metas[str(meta["interprets"])]
        assert target["category"] == "policies"
        assert meta["form"] == "解读"
        assert str(meta["published"]) >= str(target["published"])
    referenced = [m for m in metas.values() if "related" in m or "repealed_by" in m]
    assert referenced


def test_same_seed_same_bytes_other_seed_other_bytes(corpus: Corpus) -> None:
    first = synth_files(80, 11, corpus)
    assert synth_files(80, 11, corpus) == first
    assert synth_files(80, 12, corpus) != first


def test_one_more_record_keeps_the_others(corpus: Corpus) -> None:
    """The benchmark's "add one record" is the last file of ``synth_files(n + 1)``."""
    fewer: list[SynthFile] = synth_files(60, 5, corpus)
    more = synth_files(61, 5, corpus)
    assert more[:60] == fewer
    assert more[60].path not in {f.path for f in fewer}


def test_cli_writes_a_tree_and_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "tree"
    result = runner.invoke(main, ["synth", "--records", "12", "--out", str(out), "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "已合成 12 条记录" in result.output
    assert len(list(out.glob("departments/*/*/*.md"))) == 12
    again = runner.invoke(main, ["synth", "--records", "12", "--out", str(out)])
    assert again.exit_code == 1
    assert "已存在且不为空" in again.output


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusMissingError, match=r"policies\.jsonl"):
        load_corpus(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "synth",
            "--records",
            "3",
            "--out",
            str(tmp_path / "o"),
            "--corpus",
            str(tmp_path / "nowhere"),
        ],
    )
    assert result.exit_code == 1
    assert "--corpus" in result.output
    assert not (tmp_path / "o").exists()


def test_non_empty_target_is_refused_before_writing(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SynthTargetError):
        synthesize(3, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 5, 6), date(2021, 5, 6)),
        (date(2018, 3, 1), date(2021, 3, 1)),  # 2019 + 2018 % 7
        (date(2004, 2, 29), date(2021, 2, 28)),  # no Feb 29 in 2021
        (date(1985, 12, 31), date(2023, 12, 31)),
    ],
)
def test_dates_fold_into_the_holiday_coverage(day: date, expected: date) -> None:
    assert move_into_range(day) == expected


@pytest.mark.parametrize(
    ("number", "year", "expected"),
    [
        ("国函〔2023〕98号", 2023, "国函〔2023〕98号"),
        ("国办发 [2017] 39号", 2024, "国办发〔2024〕39号"),
        ("国务院令第741号", 2021, "国务院令第741号"),
        ("豫政办 〔2009〕13号", 2020, "豫政办〔2020〕13号"),
        ("见附件", 2020, None),
        (None, 2020, None),
    ],
)
def test_reposted_numbers_are_normalised(
    number: str | None, year: int, expected: str | None
) -> None:
    assert republished_number(number, year) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("关于进一步做好全省规划工作的通知", "关于进一步做好全区规划工作的通知"),
        ("本市5G网络建设方案", "本区5G网络建设方案"),
        ("国务院工作规则", "国务院工作规则"),
    ],
)
def test_titles_speak_of_the_district(title: str, expected: str) -> None:
    assert localize(title) == expected


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("2021/00004", "2021/00001", "00001.md"),
        ("2022/00001", "2021/00007", "../2021/00007.md"),
    ],
)
def test_interpretation_links_are_relative(source: str, target: str, expected: str) -> None:
    assert relative_link(source, target) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "## 第一章 总则\n\n第一条 为了规范口岸开放，提高通关效率，制定本条例。\n\n第二条 其他。",
            "为了规范口岸开放，提高通关效率，制定本条例。",
        ),
        (
            "(一)短项；\n\n本办法所称的服务设施，是指为居民提供日常生活服务的场所和设备。",
            "本办法所称的服务设施，是指为居民提供日常生活服务的场所和设备。",
        ),
        ("第三条 " + "很长的句子" * 30 + "。", "很长的句子" * 19 + "很长的句…"),
    ],
)
def test_summaries_are_the_first_sentence(body: str, expected: str) -> None:
    assert summarize(body) == expected


def test_contact_details_and_markup_are_dropped_from_law_text() -> None:
    text = "\n\n".join(
        [
            "# 第一章 总则",
            "第一条 为了规范管理，制定本办法。",
            "联系人：张三，联系电话：0571-87654321。",
            "举报邮箱：jubao@example.gov.cn",
            "投诉请拨打13800138000。",
            "<div>网页残留</div>",
            "第二条 本办法自公布之日起施行。",
        ]
    )
    assert clean_paragraphs(text) == (
        "## 第一章 总则",
        "第一条 为了规范管理，制定本办法。",
        "第二条 本办法自公布之日起施行。",
    )


def test_slices_stay_within_the_byte_budget() -> None:
    paragraphs = tuple(f"第{i}条 " + "条文内容" * (10 + i % 40) for i in range(200))
    longest = max(len(p.encode("utf-8")) for p in paragraphs)
    rng = random.Random(3)
    for target in (MIN_BODY, 3000, MAX_BODY):
        size = len(slice_paragraphs(paragraphs, target, rng).encode("utf-8"))
        assert min(target, MAX_BODY - longest) <= size <= MAX_BODY


def test_full_text_tree_has_whole_laws_as_bodies_and_validates_clean(
    tmp_path: Path, corpus: Corpus
) -> None:
    """`catalog synth --full-text`: the benchmark's real-text corpus (whole laws, not slices)."""
    out = tmp_path / "content"
    result = CliRunner().invoke(
        main, ["synth", "--records", "120", "--out", str(out), "--seed", "3", "--full-text"]
    )
    assert result.exit_code == 0, result.output
    laws = {"\n\n".join(law.paragraphs) for law in corpus.laws}
    files = records_in(out)
    ordinary = [t for t in files.values() if "interprets:" not in t]
    assert all(body_of(text).rstrip("\n") in laws for text in ordinary)
    sizes = [len(body_of(text).encode("utf-8")) for text in ordinary]
    assert sum(sizes) / len(sizes) > MAX_BODY  # longer than any slice of the default corpus
    problems = check_content(Settings(content_dir=out, today=TODAY)).problems
    assert problems == []
    more = synth_files(121, 3, corpus, full_text=True)
    assert [f.text for f in more[:120]] == [files[f.path] for f in more[:120]]
