"""The catalog browser's compact data: lossless, deterministic and within its size budget."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.records import Catalog
from generator.outputs.browse_data import (
    DATA_PATH,
    build_dictionary,
    compress_texts,
    encode_browser_data,
    phrase_gain,
    split_number,
    split_slug,
    write_browser_data,
)
from generator.outputs.exports import record_url
from tests.catalog_factory import catalog, record, small_catalog, synthetic_catalog

BUDGET_BYTES = 1_500_000  # at 10,000 records, uncompressed (issue 3)
CODED = re.compile("\ue000([\ue000-\uf8ff])|[\ue001-\uf8ff]")


# A Python mirror of decode() in catalog-browser.js: if this round-trips, the format is lossless.


def expand(dictionary: list[str], text: str) -> str:
    return CODED.sub(lambda m: m.group(1) or dictionary[ord(m.group()) - 0xE001], text)


def pattern_text(pattern: list[Any], number: int) -> str:
    head, width, tail = pattern
    return head if width < 0 else head + str(number).zfill(width) + tail


def decode(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows, day = [], 0
    for i in range(data["count"]):
        day = data["published"][0] if i == 0 else day - data["published"][i]
        dept = data["departments"][data["department"][i]][0]
        topic = data["topic"][i]
        name = expand(data["dictionary"], data["name"][i])
        rows.append(
            {
                "title": expand(data["dictionary"], data["title"][i]),
                "published": date(1970, 1, 1) + timedelta(days=day),
                "department": dept,
                "category": data["categories"][data["category"][i]][0],
                "topic": data["topics"][topic] if topic >= 0 else None,
                "validity": data["validity"][data["validity_of"][i]][0],
                "id": pattern_text(data["patterns"][data["id_pattern"][i]], data["id_number"][i]),
                "doc_number": pattern_text(
                    data["patterns"][data["doc_pattern"][i]], data["doc_number"][i]
                )
                or None,
                "url": f"records/{dept}/{data['dirs'][data['dir'][i]]}{name}.html",
            }
        )
    return rows


def expected_rows(cat: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "title": r.title, "published": r.published, "department": r.department,
            "category": r.category, "topic": r.topic, "validity": r.validity, "id": r.id,
            "doc_number": r.doc_number, "url": record_url(r),
        }
        for r in cat.records
    ]  # fmt: skip


def load(cat: Catalog) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(encode_browser_data(cat))
    return data


def test_small_catalog_round_trips() -> None:
    data = load(small_catalog())
    assert data["version"] == 1
    assert [d[0] for d in data["departments"]] == ["edu", "empty", "health"]
    assert data["categories"][1] == ["policies", "政策文件"]
    assert ["repealed", "废止"] in data["validity"]
    assert decode(data) == expected_rows(small_catalog())


@pytest.fixture(scope="module")
def ten_thousand() -> tuple[Catalog, bytes]:
    cat = synthetic_catalog(10_000)
    return cat, encode_browser_data(cat)


def test_ten_thousand_records_fit_the_budget(ten_thousand: tuple[Catalog, bytes]) -> None:
    cat, data = ten_thousand
    # Measured: 953,591 bytes (corpus titles averaging 33 characters, kebab-case slugs).
    assert len(data) <= BUDGET_BYTES, f"{len(data):,} bytes"
    assert decode(json.loads(data)) == expected_rows(cat)


def test_output_is_deterministic(ten_thousand: tuple[Catalog, bytes]) -> None:
    cat, data = ten_thousand
    assert encode_browser_data(cat) == data


@pytest.mark.parametrize(
    ("text", "pattern", "number"),
    [
        ("11339901MB0123456X/2024-00012", ("11339901MB0123456X/2024-", 5, ""), 12),
        ("青禾教发〔2024〕3号", ("青禾教发〔2024〕", 0, "号"), 3),
        ("青禾区人民政府令第12号", ("青禾区人民政府令第", 0, "号"), 12),
        ("", ("", -1, ""), 0),
        ("无编号", ("无编号", -1, ""), 0),
        ("0", ("", 1, ""), 0),
        ("X-123456789012345678", ("X-123", 0, ""), 456789012345678),
    ],
)
def test_split_number(text: str, pattern: tuple[str, int, str], number: int) -> None:
    assert split_number(text) == (pattern, number)
    assert pattern_text(list(pattern), number) == text


@pytest.mark.parametrize(
    ("slug", "parts"),
    [("2024/plan", ("2024/", "plan")), ("plan", ("", "plan")), ("a/b/c", ("a/b/", "c"))],
)
def test_split_slug(slug: str, parts: tuple[str, str]) -> None:
    assert split_slug(slug) == parts


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_number_text_round_trips(text: str) -> None:
    pattern, number = split_number(text)
    assert pattern_text(list(pattern), number) == text


# Titles from old systems carry private-use characters: they must survive the dictionary.
TITLES = st.lists(
    st.text(alphabet=st.sampled_from("关于印发通知的青禾区\ue000\ue001\uf8ff-ab12 "), max_size=30),
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(TITLES)
def test_any_titles_round_trip_through_the_dictionary(titles: list[str]) -> None:
    dictionary, encoded = compress_texts(titles)
    assert [expand(dictionary, t) for t in encoded] == titles


def test_repeated_phrases_are_coded() -> None:
    titles = [f"青禾区人民政府办公室关于印发第{n}号实施方案的通知" for n in range(200)]
    dictionary, encoded = compress_texts(titles)
    assert "关于" in "".join(dictionary)
    assert sum(len(t.encode()) for t in encoded) < sum(len(t.encode()) for t in titles) / 2


def test_records_without_topic_and_other_validity() -> None:
    second = record(id="X/2024-00002", slug="2024/b", validity="amended", topic=None)
    cat = catalog([record(), second])
    data = load(cat)
    assert data["topic"] == [0, -1]
    assert decode(data) == expected_rows(cat)


def test_write_browser_data(tmp_path: Path) -> None:
    path = write_browser_data(small_catalog(), tmp_path)
    assert path == tmp_path / DATA_PATH == tmp_path / "assets" / "catalog-browser.json"
    assert path.read_bytes() == encode_browser_data(small_catalog())


def test_empty_catalog() -> None:
    data = load(replace(small_catalog(), records=()))
    assert data["count"] == 0
    assert data["title"] == data["published"] == []


# The definitions the faster code must keep: the number is the last run of at most 15 digits…
NUMBER_DEFINITION = re.compile(r"^(.*?)([0-9]{1,15})([^0-9]*)$", re.DOTALL)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789０٣a-/〔〕号\n"), max_size=40) | st.text())
def test_split_number_takes_the_last_run_of_at_most_15_digits(text: str) -> None:
    match = NUMBER_DEFINITION.match(text)
    if match is None:
        assert split_number(text) == ((text, -1, ""), 0)
    else:
        head, digits, tail = match.groups()
        width = len(digits) if digits.startswith("0") else 0
        assert split_number(text) == ((head, width, tail), int(digits))


def plain_dictionary(texts: list[list[str]], size: int) -> list[str]:
    """…and the dictionary holds the ``size`` best phrases of every run of 1 to 3 words."""
    counts: dict[str, int] = {}
    for words in texts:
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                phrase = "".join(words[i : i + n])
                counts[phrase] = counts.get(phrase, 0) + 1
    ranked = sorted(
        ((phrase_gain(p, c), p) for p, c in counts.items()), key=lambda g: (-g[0], g[1])
    )
    return [p for gain, p in ranked[:size] if gain > 0 and not re.search("[\ue000-\uf8ff]", p)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["关于", "印发", "通知", "的", "青禾区", "\ue001", "ab", "12"]),
                      max_size=12), max_size=25),
    st.integers(1, 12),
)  # fmt: skip
def test_dictionary_is_the_best_phrases_of_all_runs(texts: list[list[str]], size: int) -> None:
    assert build_dictionary(texts, size) == plain_dictionary(texts, size)
