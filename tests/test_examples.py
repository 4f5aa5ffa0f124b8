"""Example folders, found automatically.

``tests/examples/base/`` is a small clean content tree. Each ``valid/<case>/`` and
``invalid/<case>/`` folder holds files laid over a copy of it (same relative paths; a file named
``<name>.delete`` removes ``<name>``). An invalid case lists the problems it must produce in
``expected.yml`` — exactly those (file, line, code), no more, no fewer.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.content.validate import check_content
from generator.core.settings import Settings

EXAMPLES = Path(__file__).parent / "examples"
TODAY = date(2026, 11, 28)


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (EXAMPLES / kind).iterdir() if p.is_dir())


def lay_out(case: Path | None, target: Path) -> Path:
    content = target / "content"
    shutil.copytree(EXAMPLES / "base", content)
    if case is None:
        return content
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_dir() or relative.as_posix() == "expected.yml":
            continue
        if source.suffix == ".delete":
            (content / relative.with_suffix("")).unlink()
            continue
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, content / relative)
    return content


def problems_for(case: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> set[tuple]:
    lay_out(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = check_content(Settings(content_dir=Path("content"), today=TODAY))
    return {
        (p.file.removeprefix("content/"), p.line, p.code, p.severity.value) for p in result.problems
    }


def test_base_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert problems_for(None, tmp_path, monkeypatch) == set()


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_example(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert problems_for(case, tmp_path, monkeypatch) == set()


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_example(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_doc = yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
    expected = {
        (p["file"], p["line"], p["code"], p.get("severity", "error"))
        for p in expected_doc["problems"]
    }
    assert problems_for(case, tmp_path, monkeypatch) == expected
