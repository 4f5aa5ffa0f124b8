"""Fuzzing the loader and the validator: any input gives values or problems, never a traceback.

Beyond ``tests/test_loader_fuzz.py`` (random text and random slices): valid records mutated at
the YAML token level (a token deleted, doubled or replaced by a hostile one) and at the Markdown
block level (hostile fragments and odd indentation between the lines of a real body). Whatever
the validator lets through without an error must render to inert HTML.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.load import parse_yaml, split_front_matter
from generator.core.problems import Problem
from tests.adversarial.hostile import RECORD, Tree, make_tree, record
from tests.adversarial.test_rendering import HOSTILE_BODIES, assert_inert, render

SHOWN = f"content/{RECORD}"
FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
META = (
    "\n".join(record().split("---\n")[1].splitlines())
    + """
doc_number: 测教发〔2025〕9号
topic: '科技、教育\\教育'
keywords: [招生, 入学]
attachments:
  - {file: files/入学登记表.pdf, title: 入学登记表}
service:
  basis: 《中华人民共和国义务教育法》
  materials:
    - 户口簿
    - 居住证
"""
)
BODY = """## 一、招生对象

年满六周岁的适龄儿童。咨询电话：0999-12345678。

## 二、办理流程

1. 网上报名
2. 审核材料
   - 户口簿
   - 居住证

| 阶段 | 时间 |
|---|---|
| 报名 | 5 月 |

> 详见[招生解读](enrolment-explained.md)和[登记表](files/入学登记表.pdf)。
"""
HOSTILE_TOKENS = [
    "&a", "*a", "&a [x]", "<<: *a", "!!python/name:os.system", "!!binary", "!!set", "!x", "!<!>",
    "[", "]", "{", "}", "? ", "- ", ": ", ",", "|", ">", "|-", "'", '"', "\t", "#", "---", "...",
    "%YAML 1.1", "~", "null", "no", "on", "010", "0x10", "1e9", "9:30", "2024-02-30", "１２",
    "\ufeff", "\u202e", "\x00", "\\", "<script>", "13800138000", "\n", "\n  ", "'''", "@", "`",
]  # fmt: skip
MARKDOWN_NOISE = [
    *HOSTILE_BODIES, "", "    ", "\t", "- ", "1. ", "> ", "#", "```", "~~~", "|", "---", "===",
    "[", "](", "![", "<", "&", "*", "_", "`", "\\", "<!--", "-->", "{: #x }",
]  # fmt: skip


def yaml_tokens(text: str) -> list[tuple[int, int]]:
    """Character spans of the YAML tokens of ``text`` (scalars, indicators, keys…), as far as
    it still scans; the whole text when not even one token does."""
    spans = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            start, end = token.start_mark.index, token.end_mark.index
            if end > start:
                spans.append((start, end))
    except yaml.YAMLError:
        pass  # a mutation broke the text further on: the tokens before it are enough
    return spans or [(0, len(text))]


@st.composite
def token_mutations(draw: st.DrawFn) -> str:
    """The front matter with a few tokens deleted, doubled, replaced or followed by another."""
    text = META
    for _ in range(draw(st.integers(1, 3))):
        start, end = draw(st.sampled_from(yaml_tokens(text)))
        action = draw(st.sampled_from(["delete", "double", "replace", "insert"]))
        piece = text[start:end]
        new = {
            "delete": "",
            "double": piece + piece,
            "replace": draw(st.sampled_from(HOSTILE_TOKENS)),
            "insert": piece + draw(st.sampled_from(HOSTILE_TOKENS)),
        }[action]
        text = text[:start] + new + text[end:]
    return text


@st.composite
def markdown_mutations(draw: st.DrawFn) -> str:
    """The body with hostile fragments, odd indentation or repeated lines between its lines."""
    lines = BODY.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["insert", "indent", "repeat", "glue"]))
        if action == "insert":
            lines.insert(at, draw(st.sampled_from(MARKDOWN_NOISE)))
        elif lines and action == "indent":
            index = min(at, len(lines) - 1)
            lines[index] = draw(st.sampled_from(["  ", "    ", "\t", "> ", "- "])) + lines[index]
        elif lines and action == "repeat":
            index = min(at, len(lines) - 1)
            lines[index:index] = [lines[index]] * draw(st.integers(1, 30))
        elif lines:
            index = min(at, len(lines) - 1)
            lines[index] += draw(st.sampled_from(MARKDOWN_NOISE))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def shared_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tree]:
    tree = make_tree(tmp_path_factory.mktemp("fuzz"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tree.root)
        yield tree


def checked(tree: Tree, text: str) -> list[Problem]:
    tree.write(RECORD, text)
    result = tree.check()
    lines = text.count("\n") + 1
    mine = [p for p in result.problems if p.file == SHOWN]
    for problem in mine:
        assert problem.message and problem.code
        assert 1 <= problem.line <= lines + 1 and problem.column >= 1, problem
    assert {p.file for p in result.problems} <= {SHOWN}, result.problems
    return mine


@settings(max_examples=300, deadline=None)
@given(token_mutations())
def test_loader_never_raises_on_token_mutations(text: str) -> None:
    located, problems = parse_yaml(text, "x.yml")
    assert located is not None or problems
    for problem in problems:
        assert 1 <= problem.line <= text.count("\n") + 2


@settings(max_examples=300, deadline=None)
@given(token_mutations(), st.text(max_size=50))
def test_front_matter_split_never_raises(meta: str, body: str) -> None:
    document = split_front_matter(f"---\n{meta}\n---\n{body}", "x.md")
    assert document.meta is not None or document.problems


@FUZZ
@given(token_mutations())
def test_validator_never_raises_on_mutated_front_matter(shared_tree: Tree, meta: str) -> None:
    checked(shared_tree, f"---\n{meta}---\n{BODY}")


@FUZZ
@given(markdown_mutations())
def test_validator_passes_only_bodies_that_render_inert(shared_tree: Tree, body: str) -> None:
    problems = checked(shared_tree, f"---\n{META}---\n{body}")
    if not any(p.is_error for p in problems):
        assert_inert(render(body))


@FUZZ
@given(st.text(max_size=400))
def test_validator_never_raises_on_arbitrary_text(shared_tree: Tree, text: str) -> None:
    checked(shared_tree, text)


@FUZZ
@given(st.binary(max_size=400))
def test_validator_never_raises_on_arbitrary_bytes(shared_tree: Tree, data: bytes) -> None:
    shared_tree.write(RECORD, data)
    result = shared_tree.check()
    assert all(p.message for p in result.problems)
