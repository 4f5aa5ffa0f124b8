"""The static site's lookups (``search/static_lookup.py``): exact 索引号/文号 buckets and the
pinyin words, written beside Pagefind's index."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from generator.search.static_lookup import (
    BUCKETS,
    LOOKUP_DIR,
    PINYIN_WORDS,
    bucket_of,
    lookup_buckets,
    lookup_key,
    write_static_lookups,
)
from tests.search_fixtures import RECORDS, catalog


def found(folder: Path, typed: str) -> list[str]:
    key = lookup_key(typed)
    bucket = folder / LOOKUP_DIR / f"{bucket_of(key)}.json"
    entries = json.loads(bucket.read_text(encoding="utf-8")) if bucket.is_file() else {}
    return [entry["id"] for entry in entries.get(key, [])]


def test_identifiers_are_found_however_they_are_typed(tmp_path: Path) -> None:
    write_static_lookups(catalog(), tmp_path, None)
    assert found(tmp_path, "GO/2019-00007") == ["GO/2019-00007"]
    assert found(tmp_path, "ＧＯ／２０１９－０００07") == ["GO/2019-00007"]  # full width
    assert found(tmp_path, "示教发[2023] 5号") == ["EDU/2023-00003"]  # as written
    assert found(tmp_path, "示教发〔2023〕5号") == ["EDU/2023-00003"]  # normal form
    assert found(tmp_path, "示教发（2023）第05号") == ["EDU/2023-00003"]
    assert found(tmp_path, "城市道路养护计划") == ["HS/2023-00002"]  # a whole title


def test_buckets_stay_small_and_spread(tmp_path: Path) -> None:
    many = tuple(
        replace(
            RECORDS[0],
            id=f"GO/2024-{n:05d}",
            slug=f"r{n}",
            doc_number=f"示政发〔2024〕{n}号",
            title=f"关于公布第{n}批示范项目名单的通知",
        )
        for n in range(1, 2001)
    )
    buckets = lookup_buckets(replace(catalog(), records=many))
    assert len(buckets) > BUCKETS * 0.9
    biggest = max(len(json.dumps(b, ensure_ascii=False).encode()) for b in buckets.values())
    assert biggest < 30_000  # 2,000 records; ~5× that at 10,000, still one small download


def test_pinyin_words_are_cached_by_what_they_are_made_of(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    write_static_lookups(catalog(), tmp_path / "a", cache)
    words = json.loads((tmp_path / "a" / PINYIN_WORDS).read_text(encoding="utf-8"))
    assert "招生" in words["words"] and len(list(cache.glob("pinyin-words-*.json"))) == 1
    (cache / next(cache.glob("pinyin-words-*.json")).name).write_text('{"cached":1}')
    write_static_lookups(catalog(), tmp_path / "b", cache)
    assert (tmp_path / "b" / PINYIN_WORDS).read_text(encoding="utf-8") == '{"cached":1}'
    changed = replace(catalog(), records=RECORDS[:2])
    write_static_lookups(changed, tmp_path / "c", cache)
    assert "cached" not in (tmp_path / "c" / PINYIN_WORDS).read_text(encoding="utf-8")
    assert len(list(cache.glob("pinyin-words-*.json"))) == 1
