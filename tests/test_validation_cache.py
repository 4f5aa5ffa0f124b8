"""The validation cache gives exactly what checking every file again gives.

Each example folder (the clean base, every valid and invalid case) is validated without a cache,
then with an empty cache (filled), then warm (every record file from the cache): problems, in
order, and the catalog must be the same. Then edits that must reach a warm run, as data.
"""

from __future__ import annotations

import copy
import marshal
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator.content import validate
from generator.content.schema import load_schemas
from generator.content.schema_problems import fast_valid, fast_verdict
from generator.content.validate import ValidationResult, check_content
from generator.content.validation_cache import CHECKING_PACKAGES, ValidationCache, unpack
from generator.core.problems import Problem
from generator.core.records import Catalog, Record
from generator.core.settings import Settings
from tests.test_examples import EXAMPLES, lay_out

TODAY = date(2026, 11, 28)
CASES = [
    None,
    *sorted(p for kind in ("valid", "invalid") for p in (EXAMPLES / kind).iterdir() if p.is_dir()),
]
POLICY = "departments/edu/2025/enrolment-policy.md"
ATTACHMENT = "departments/edu/2025/files/入学登记表.pdf"


def run(tmp_path: Path, cache: bool = True) -> ValidationResult:
    settings = Settings(
        content_dir=Path("content"), today=TODAY, cache_dir=tmp_path / "cache", use_cache=cache
    )
    return check_content(settings)


def snapshot(result: ValidationResult) -> tuple[list[Problem], int, object]:
    """Everything a caller can see, positions included (Record equality leaves them out)."""
    catalog: Catalog | None = result.catalog

    def records(items: tuple[Record, ...]) -> list[tuple[Record, dict[str, tuple[int, int]]]]:
        return [(r, r.positions) for r in items]

    shown = None
    if catalog is not None:
        shown = (
            catalog.site,
            catalog.departments,
            records(catalog.records),
            records(catalog.scheduled),
        )
    return (result.problems, result.record_count, shown)


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record files actually checked (not taken from the cache) from now on."""
    checked: list[Path] = []
    original = validate.check_record_bytes

    def counting(raw: bytes, path: Path, *args: object, **kwargs: object) -> object:
        checked.append(path)
        return original(raw, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "check_record_bytes", counting)
    return checked


@pytest.mark.parametrize("case", CASES, ids=lambda p: "base" if p is None else p.name)
def test_cache_gives_the_same_result(
    case: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    fresh = snapshot(run(tmp_path, cache=False))
    assert not (tmp_path / "cache").exists()
    assert snapshot(run(tmp_path)) == fresh  # cold: fills the cache
    checked = count_checks(monkeypatch)
    assert snapshot(run(tmp_path)) == fresh  # warm
    assert checked == []


def _append(path: str, text: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        with (content / path).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return edit


def _replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        file = content / path
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    return edit


def _delete(path: str) -> Callable[[Path], None]:
    return lambda content: (content / path).unlink()


def _move(path: str, to: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        (content / path).rename(content / to)

    return edit


def _symlink_attachment(content: Path) -> None:
    target = content / ATTACHMENT
    moved = content.parent / "elsewhere.pdf"
    shutil.move(target, moved)
    target.symlink_to(moved)


def _rewrite_attachment(content: Path) -> None:
    pdf = content / ATTACHMENT
    pdf.write_bytes(pdf.read_bytes() + b"\n% one more line\n")


def _publish_mobile(content: Path) -> None:
    _append(POLICY, "\n值班手机 13812345678。\n")(content)
    _replace("site.yml", "public_numbers: [", 'public_numbers: ["13812345678", ')(content)


# (name, edit of the content tree after a warm cache exists, a problem code it must bring)
EDITS: list[tuple[str, Callable[[Path], None], str | None]] = [
    ("body gets a phone number", _append(POLICY, "\n联系人手机 13987654321。\n"), "pii"),
    ("attachment deleted", _delete(ATTACHMENT), "missing-attachment"),
    ("attachment becomes a symlink", _symlink_attachment, "missing-attachment"),
    ("attachment rewritten", _rewrite_attachment, None),
    (
        "site no longer publishes the mobile number",
        _replace("site.yml", '"13812345678", ', ""),
        "pii",
    ),
    (
        "proactive deadline shortened",
        _replace("site.yml", "proactive: 20", "proactive: 1"),
        "timeliness",
    ),
    (
        "record moved to another department",
        _move(POLICY, "departments/civil/2025/policy.md"),
        "id-format",
    ),
    (
        "department code changed",
        _replace("departments/edu/department.yml", "MB1111111F", "MB2222222F"),
        None,
    ),
]


@pytest.mark.parametrize("name, edit, code", EDITS, ids=[e[0] for e in EDITS])
def test_a_warm_run_sees_the_edit(
    name: str,
    edit: Callable[[Path], None],
    code: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = lay_out(None, tmp_path)
    _publish_mobile(content)
    monkeypatch.chdir(tmp_path)
    assert snapshot(run(tmp_path)) == snapshot(run(tmp_path, cache=False))
    edit(content)
    warm = snapshot(run(tmp_path))
    assert warm == snapshot(run(tmp_path, cache=False))
    if code is not None:
        assert code in {p.code for p in warm[0]}


def test_a_changed_schema_directory_checks_every_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(None, tmp_path)
    schemas = shutil.copytree(Settings().schema_dir, tmp_path / "schema")
    monkeypatch.chdir(tmp_path)
    settings = Settings(
        content_dir=Path("content"), today=TODAY, cache_dir=tmp_path / "cache", schema_dir=schemas
    )
    check_content(settings)
    checked = count_checks(monkeypatch)
    check_content(settings)
    assert checked == []
    with (schemas / "holidays.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    check_content(settings)
    assert len(checked) == 3


def test_one_edited_file_is_the_only_one_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    run(tmp_path)
    _append(POLICY, "\n补充一段。\n")(content)
    checked = count_checks(monkeypatch)
    run(tmp_path)
    assert checked == [Path("content") / POLICY]


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xe9\x03\x00\x00\x00", b"N"])
def test_a_damaged_cache_file_is_ignored(
    damage: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    fresh = snapshot(run(tmp_path))
    [cache_file] = (tmp_path / "cache" / "validation").glob("*.marshal")
    cache_file.write_bytes(damage)
    assert snapshot(run(tmp_path)) == fresh
    assert cache_file.stat().st_size > len(damage)  # written again


def test_an_unwritable_cache_directory_does_not_fail_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    assert snapshot(run(tmp_path)) == snapshot(run(tmp_path, cache=False))


def test_a_body_not_cut_from_the_text_is_not_stored(tmp_path: Path) -> None:
    settings = Settings(content_dir=tmp_path, cache_dir=tmp_path / "cache")
    cache = ValidationCache.open(settings, None)
    record = Record(
        id="x",
        title="t",
        category="policies",
        summary="s",
        written=TODAY,
        published=TODAY,
        department="d",
        slug="r",
        source="r.md",
        body="其他",
        body_line=3,
    )
    cache.store(
        b"k", "---\nid: x\n---\n正文".encode(), tmp_path / "r.md", tmp_path, (record, []), ()
    )
    assert cache.kept == {}
    cache.store(
        b"k", "---\nid: x\n---\n其他".encode(), tmp_path / "r.md", tmp_path, (record, []), ()
    )
    entry = unpack(cache.kept[b"k"])
    assert entry.record == replace(record, body="")
    assert entry.body_start == len("---\nid: x\n---\n")


# The compiled schema check answers as jsonschema does, on records mutated at random.
_VALUES = [
    None,
    True,
    False,
    0,
    1,
    1.0,
    2.5,
    -1,
    99999,
    "",
    "x",
    "2024-02-30",
    "2024-3-1",
    "services",
    "livelihood",
    "supervision",
    "policies",
    "valid",
    "website",
    "a" * 300,
    "https://a.example/x",
    "a@b.cn",
    "010-12345",
    [],
    ["a"],
    ["a", "a"],
    [1, 1],
    [True, 1],
    [1, 1.0],
    [{"a": 1}, {"a": 1}],
    {},
    {"file": "a.pdf", "title": "t"},
    {"x": 1},
]
_KEYS = [
    "id",
    "title",
    "category",
    "summary",
    "written",
    "published",
    "keywords",
    "related",
    "attachments",
    "service",
    "project",
    "contacts",
    "validity",
    "channels",
    "art20",
    "pii_exemptions",
    "topic",
    "unknown_key",
]
_BASE_RECORDS = [
    yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])
    for p in sorted((EXAMPLES / "base").rglob("*.md"))
]


RECORD_SCHEMA = load_schemas(Settings().schema_dir).record


@st.composite
def mutated_records(draw: st.DrawFn) -> dict[str, object]:
    record = copy.deepcopy(draw(st.sampled_from(_BASE_RECORDS)))
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(_KEYS))
        nested = draw(st.sampled_from([None, "file", "steps", "status", "mailbox"]))
        value = copy.deepcopy(draw(st.sampled_from(_VALUES)))
        if draw(st.booleans()) and key in record:
            del record[key]
        elif nested and isinstance(record.get(key), dict):
            record[key][nested] = value
        elif nested and isinstance(record.get(key), list) and record[key]:
            record[key][0] = {nested: value} if draw(st.booleans()) else value
        else:
            record[key] = value
    return record


@given(mutated_records())
@settings(max_examples=300, deadline=None)
def test_the_compiled_schema_check_agrees_with_jsonschema(record: dict[str, object]) -> None:
    validator = RECORD_SCHEMA
    verdict = fast_verdict(validator, record)
    if verdict is not None:
        assert verdict == validator.is_valid(record)
    assert fast_valid(validator, record) <= validator.is_valid(record)


@cache
def site_validator() -> Draft202012Validator:
    return load_schemas(Settings().schema_dir).site


@settings(deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "channels": st.lists(st.sampled_from(["当面", "邮寄", "网络", 1]), max_size=3),
            "online_url": st.sampled_from(["https://example.gov.cn/ysqgk/", "ftp://x"]),
        },
    )
)
def test_the_compiled_contains_check_agrees_with_jsonschema(apply: dict[str, object]) -> None:
    validator = site_validator()
    schema = validator.schema["properties"]["apply"]
    sub = validator.evolve(schema=schema)
    assert fast_verdict(sub, apply) in (None, sub.is_valid(apply))


@settings(deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["services", "edu", "Bad Key", "stale-column", "nope"]),
        st.sampled_from(["本机关无对外办事服务事项。", 3, {"points": 1}]),
        max_size=3,
    )
)
def test_the_compiled_property_names_check_agrees_with_jsonschema(names: dict[str, object]) -> None:
    validator = site_validator()
    properties = validator.schema["properties"]
    for schema in (
        properties["empty_notes"]["properties"]["categories"],
        properties["audit"]["properties"]["deductions"],
    ):
        sub = validator.evolve(schema=schema)
        assert fast_verdict(sub, names) in (None, sub.is_valid(names))


def test_the_compiled_check_covers_our_schemas() -> None:
    schemas = load_schemas(Settings().schema_dir)
    for validator in (schemas.record, schemas.site, schemas.department):
        assert fast_verdict(validator, {}) is False  # judged (required keys missing)


@pytest.mark.parametrize("garbage", [None, 5, (), ("a",) * 5, ((("f", 1),), None, 0, (), ())])
def test_a_damaged_entry_is_a_miss(
    garbage: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    fresh = snapshot(run(tmp_path))
    [cache_file] = (tmp_path / "cache" / "validation").glob("*.marshal")
    form, python, context, entries = marshal.loads(cache_file.read_bytes())
    garbled = (form, python, context, dict.fromkeys(entries, garbage))
    cache_file.write_bytes(marshal.dumps(garbled))
    assert snapshot(run(tmp_path)) == fresh


def test_the_code_fingerprint_covers_every_module_validation_imports() -> None:
    probe = "import sys, generator.content.validate; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    ).stdout.split()
    packages = {m.split(".")[1] for m in loaded if m.startswith("generator.")}
    assert packages == set(CHECKING_PACKAGES)
