"""`catalog fix`: the fixes that cannot change meaning, applied in place, and a second run is a no-op.

The big case is the one from the field: 10,000 real government titles (the corpus beside the
repository), 7 % of them with a zero-width space copied from a web page.
"""

from __future__ import annotations

import os
import random
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.content.load import decode_text
from generator.content.normalize import INVISIBLE, fold_fullwidth_alnum
from generator.content.validate import check_content
from generator.core.settings import Settings
from generator.tools.synth_corpus import default_corpus_dir, read_jsonl, to_policy
from generator.workflow.fix import fix_text
from tests.test_examples import lay_out

TODAY = date(2026, 11, 28)
RECORD = "content/departments/edu/2025/messy.md"
EDU = "11339901MB1111111F"


def record(**fields: str) -> str:
    values = {
        "id": f"{EDU}/2025-00003",
        "title": "关于做好2025年招生工作的通知",
        "category": "policies",
        "summary": "明确全区招生安排。",
        "written": '"2025-04-01"',
        "published": '"2025-04-08"',
        **fields,
    }
    lines = [f"{key}: {value}" for key, value in values.items()]
    return "\n".join(["---", "# 说明：保留", *lines, "---", "正文内容。", ""])


@pytest.mark.parametrize(
    ("field", "written", "fixed"),
    [
        ("written", "2025.4.1", '"2025-04-01"'),
        ("written", "2025年4月1日", '"2025-04-01"'),
        ("written", "2025-4-1", '"2025-04-01"'),
        ("written", "２０２５－０４－０１", '"2025-04-01"'),
        ("written", "“2025-04-01”", '"2025-04-01"'),
        ("written", "20250401", '"2025-04-01"'),
        ("written", '"2025-04-01"', '"2025-04-01"'),
        ("written", "2025-04-01", "2025-04-01"),  # valid as written: left alone
        ("written", "'2025-04-01'", "'2025-04-01'"),
        ("written", "2025-02-30", "2025-02-30"),  # not a real date: for a person to decide
        ("doc_number", "测教发 [2025] 第07号", '"测教发〔2025〕7号"'),
        ("doc_number", "测教发〔2025〕7号", "测教发〔2025〕7号"),
        ("form", "“通知”", '"通知"'),
        ("form", "关于“双减”的通知", "关于“双减”的通知"),  # quotes inside a value are text
        ("title", "关于做好\u200b２０２５年招生工作的通知", "关于做好2025年招生工作的通知"),
        ("title", "关于\u00ad印发\ufe0f的通知", "关于印发的通知"),
        ("title", "关于\u202e印发的通知", "关于\u202e印发的通知"),  # bidi: for a person to see
    ],
)
def test_values_are_fixed_where_they_are(field: str, written: str, fixed: str) -> None:
    before = record(**{field: written})
    after = fix_text(before)
    assert after == before.replace(f"{field}: {written}\n", f"{field}: {fixed}\n")
    assert fix_text(after) == after


def test_fullwidth_colon_becomes_a_key() -> None:
    before = record().replace("summary: ", "summary：　")
    assert fix_text(before) == record()


def test_comments_order_quoting_and_body_stay() -> None:
    before = record(keywords="[招生, ‘入学’]  # 行尾注释", written="2025年4月1日")
    after = fix_text(before)
    assert "# 说明：保留" in after and "# 行尾注释" in after
    assert 'keywords: [招生, "入学"]  # 行尾注释' in after  # Word's quotes around a whole value
    assert after.index("title:") < after.index("written:") < after.index("keywords:")
    assert after.endswith("---\n正文内容。\n")


def test_body_loses_only_invisible_characters() -> None:
    before = record() + "２０２５年，联系\u200b电话：见附件。\n"
    assert fix_text(before) == record() + "２０２５年，联系电话：见附件。\n"


def test_department_yml_is_fixed_as_whole_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    department = "content/departments/edu/department.yml"
    write_tree(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    clean = Path(department).read_text(encoding="utf-8")
    Path(department).write_text(
        clean.replace("head: ", "head：").replace("测试区", "测试\u200b区", 1), encoding="utf-8"
    )
    assert run("validate")[0] == 1
    assert run("fix")[0] == 0
    assert Path(department).read_text(encoding="utf-8") == clean
    assert run("validate", "--strict")[0] == 0


def test_diff_masks_personal_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`catalog fix --check` runs in CI, whose log may be public: no number is printed whole."""
    write_tree(tmp_path, {RECORD: record() + "联系\u200b人手机：13912345678。\n"})
    monkeypatch.chdir(tmp_path)
    code, diff, _ = run("fix", "--check")
    assert code == 1 and "+联系人手机：139******78。" in diff
    assert "13912345678" not in diff and "12345" not in diff


def test_crlf_files_keep_crlf() -> None:
    before = record(written="2025.4.1").replace("\n", "\r\n")
    assert fix_text(before) == record().replace("\n", "\r\n")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("a：: \n-\"“”２0年月日\u200b\u00ad#[]{}'"), max_size=80))
def test_fix_is_idempotent_on_any_text(noise: str) -> None:
    once = fix_text(record(title=noise.replace("\n", " ") or "x") + noise)
    assert fix_text(once) == once


def write_tree(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    lay_out(None, tmp_path)
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"CATALOG_TODAY": TODAY.isoformat()})
    return result.exit_code, result.stdout, result.stderr


def test_cli_check_then_fix_then_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messy = record(
        title="关于做好\u200b２０２５年招生工作的通知",
        written="2025年4月1日",
        published="“2025-04-08”",
        doc_number="测教发 [2025] 第07号",
    ).replace("summary: ", "summary：")
    gbk = record(id=f"{EDU}/2025-00004", title="关于公布学校名单的公告").encode("gbk")
    write_tree(tmp_path, {RECORD: messy, "content/departments/edu/2025/gbk.md": gbk})
    monkeypatch.chdir(tmp_path)
    assert run("validate")[0] == 1
    code, diff, said = run("fix", "--check")
    assert code == 1 and "2 个文件可以自动修正" in said
    assert "-written: 2025年4月1日\n" in diff and '+written: "2025-04-01"\n' in diff
    assert "+summary: 明确全区招生安排。" in diff
    assert "已从 GBK/GB18030 编码转换为 UTF-8" in diff
    assert Path(RECORD).read_text(encoding="utf-8") == messy  # --check writes nothing
    code, _, said = run("fix")
    assert code == 0 and "已修正 2 个文件" in said
    assert Path(RECORD).read_text(encoding="utf-8") == record(doc_number='"测教发〔2025〕7号"')
    code, out, _ = run("validate", "--strict")
    assert code == 0, out
    assert run("fix", "--check") == (0, "", "没有需要自动修正的内容。\n")


def corpus_titles(count: int) -> list[str]:
    """``count`` real titles from ``policies.jsonl`` (a missing corpus fails, never skips; a
    worktree away from ``shared/`` names it in ``CATALOG_CORPUS``)."""
    titles = list(all_titles())
    random.Random(17).shuffle(titles)
    return (titles * (count // len(titles) + 1))[:count]


@cache
def all_titles() -> tuple[str, ...]:
    path = Path(os.environ.get("CATALOG_CORPUS", default_corpus_dir())) / "policies.jsonl"
    assert path.is_file(), f"the corpus is expected at {path} (see tests/test_synth.py)"
    return tuple(sorted({p.title for p in map(to_policy, read_jsonl(path)) if p is not None}))


def test_ten_thousand_real_titles_with_zero_width_spaces(tmp_path: Path) -> None:
    titles = corpus_titles(10_000)
    rng = random.Random(7)
    dirty = set(rng.sample(range(len(titles)), 700))  # 7 %
    folder = tmp_path / "records"
    folder.mkdir()
    for index, title in enumerate(titles):
        if index in dirty:
            at = rng.randrange(1, len(title))
            title = title[:at] + "\u200b" + title[at:]
        text = record(id=f"{EDU}/2025-{index:05d}", title=f'"{title}"')
        (folder / f"{index:05d}.md").write_text(text, encoding="utf-8")
    warned = sum(
        any(p.code == "zero-width" for p in decode_text(path.read_bytes(), path.name).problems)
        for path in folder.iterdir()
    )
    assert warned == 700
    # Real titles also carry full-width digits (“２０２３年”): folded too, so that search finds them.
    fullwidth = {i for i, title in enumerate(titles) if fold_fullwidth_alnum(title) != title}
    changed = len(dirty | fullwidth)
    code, diff, said = run("fix", str(folder))
    assert code == 0 and f"已修正 {changed} 个文件" in said
    assert diff.count("\n+title: ") == changed
    for index, title in enumerate(titles):
        text = (folder / f"{index:05d}.md").read_text(encoding="utf-8")
        expected = fold_fullwidth_alnum(title)
        assert text == record(id=f"{EDU}/2025-{index:05d}", title=f'"{expected}"')
        assert not INVISIBLE.search(text)
    assert run("fix", "--check", str(folder)) == (0, "", "没有需要自动修正的内容。\n")


def test_fixed_zero_width_tree_validates_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warning before (the build drops the character), nothing after `catalog fix`."""
    titles = corpus_titles(40)
    files = {
        f"content/departments/edu/2025/r{i:03d}.md": record(
            id=f"{EDU}/2025-{i + 10:05d}", title=f'"{t[:5]}\u200b{t[5:]}"'
        )
        + "联系\u200b方式见附件。\n"
        for i, t in enumerate(titles)
    }
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = check_content(Settings(content_dir=Path("content"), today=TODAY))
    assert {p.code for p in result.problems} == {"zero-width"}
    assert not any(p.is_error for p in result.problems)
    built = {r.title for r in result.catalog.records}
    assert {fold_fullwidth_alnum(t) for t in titles} <= built  # no zero-width space in titles …
    bodies = [r.body for r in result.catalog.records if r.source in files]
    assert len(bodies) == 40 and all("联系方式见附件" in body for body in bodies)  # … nor bodies
    run("fix")
    assert check_content(Settings(content_dir=Path("content"), today=TODAY)).problems == []
