"""The loader and the validator never raise on arbitrary input: always values or problems."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.load import decode_text, parse_yaml, split_front_matter
from generator.content.validate import check_content
from generator.core.settings import Settings

EXAMPLES = Path(__file__).parent / "examples"
RECORD = (EXAMPLES / "base/departments/edu/2025/enrolment-policy.md").read_text(encoding="utf-8")

yaml_alphabet = st.sampled_from(
    list(":-[]{}&*!|>'\"#%@`,?\n\t ") + list("ab1０中文") + ["\x00", "\u202e"]
)
yamlish = st.lists(yaml_alphabet, max_size=200).map("".join)


@given(st.binary(max_size=400))
def test_decode_never_raises(raw: bytes) -> None:
    source = decode_text(raw, "x.md")
    assert source.text is not None or source.problems


@given(st.one_of(st.text(max_size=300), yamlish))
def test_parse_yaml_never_raises(text: str) -> None:
    located, problems = parse_yaml(text, "x.yml")
    assert located is not None or problems
    lines = text.count("\n") + 1
    for problem in problems:
        assert 1 <= problem.line <= lines + 1


@given(st.one_of(st.text(max_size=300), yamlish))
def test_split_front_matter_never_raises(text: str) -> None:
    document = split_front_matter("---\n" + text, "x.md")
    assert document.meta is not None or document.problems


@st.composite
def mutated_record(draw: st.DrawFn) -> str:
    """A valid record with a random slice replaced by random YAML-ish text."""
    start = draw(st.integers(0, len(RECORD)))
    end = draw(st.integers(start, min(len(RECORD), start + 40)))
    return RECORD[:start] + draw(yamlish) + RECORD[end:]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=mutated_record())
def test_validator_never_raises_on_mutated_records(text: str, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("content")
    content = root / "content"
    shutil.copytree(EXAMPLES / "base", content)
    (content / "departments/edu/2025/enrolment-policy.md").write_text(text, encoding="utf-8")
    result = check_content(Settings(content_dir=content, today=date(2026, 11, 28)))
    assert result.record_count == 3
    for problem in result.problems:
        assert problem.message and problem.code
