"""Benchmark the offline Whoosh search on synthetic records built from ../shared/corpus/.

    .venv/bin/python bench/search_bench.py --records 2000
    .venv/bin/python bench/search_bench.py --records 10000 --queries 400

Measures: a full index, a re-index after one changed record, a re-index with nothing changed,
query latency (p50/p95, facets and highlights included, some with a filter) and related-record
lookups.  Prints a table; not a test (the numbers depend on the machine).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.records import Catalog, Category, Department, Office, Record, SiteInfo
from generator.search_index import (
    CatalogSearcher,
    SearchRequest,
    build_index,
)
from generator.tokenize_zh import plain_text

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
DEPARTMENTS = ("gov-office", "drc", "edu", "health", "housing", "hrss", "market", "civil", "env")
CATEGORIES = (
    "duties", "policies", "services", "livelihood", "public-interest", "rights-affecting",
    "commitments", "supervision", "hot-topics",
)  # fmt: skip
BODY_CHARS = 5000


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def synthetic_records(count: int, seed: int = 4) -> list[Record]:
    """``count`` records: real policy titles and 文号, bodies cut from real laws."""
    rng = random.Random(seed)
    policies = read_jsonl(CORPUS / "policies.jsonl")
    laws = [str(law["text"]) for law in read_jsonl(CORPUS / "laws.jsonl") if law.get("text")]
    records = []
    for number in range(count):
        policy = policies[number % len(policies)]
        body = laws[rng.randrange(len(laws))][:BODY_CHARS]
        published = _date(str(policy.get("published") or "2020-01-01"), number)
        department = DEPARTMENTS[number % len(DEPARTMENTS)]
        title = str(policy["title"])
        records.append(
            Record(
                id=f"{department.upper()}/{published.year}-{number:05d}",
                title=title if number < len(policies) else f"{title}（{number}）",
                category=CATEGORIES[rng.randrange(len(CATEGORIES))],
                summary=plain_text(body)[:100],
                written=published,
                published=published,
                department=department,
                slug=f"{published.year}/r{number:05d}",
                source=f"content/departments/{department}/{published.year}/r{number:05d}.md",
                body=body,
                body_line=20,
                doc_number=str(policy.get("doc_number") or "") or None,
                keywords=tuple(title[i : i + 2] for i in (0, 4) if len(title) > i + 2),
            )
        )
    return sorted(records, key=lambda r: (-r.published.toordinal(), r.id))


def _date(text: str, number: int) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return date(2020, 1, 1 + number % 28)


def make_catalog(records: list[Record]) -> Catalog:
    office = Office("公开办", "", "", "", "", "", "", "")
    site = SiteInfo("基准区", "000000", "https://example.gov.cn", "bm0000000001", office)
    departments = {
        d: Department(d, d, d, "", "", "", (), "", "", "", "", "", "", (), "") for d in DEPARTMENTS
    }
    categories = {c: Category(c, c, c, "", (), None, "") for c in CATEGORIES}
    return Catalog(site, departments, categories, tuple(records), date(2026, 1, 1))


def query_mix(records: list[Record], count: int, seed: int = 5) -> list[SearchRequest]:
    """Two-character words, full titles, 文号, pinyin initials and filtered searches."""
    rng = random.Random(seed)
    words = ["教育", "公开", "规划", "安全", "管理", "条例", "卫生", "财政", "住房", "交通"]
    pinyin = ["zfxxgk", "gwy", "ghxk", "aqsc", "guowuyuan", "jiaoyu"]
    requests = []
    for number in range(count):
        record = records[rng.randrange(len(records))]
        kind = number % 6
        if kind == 0:
            requests.append(SearchRequest.create(rng.choice(words)))
        elif kind == 1:
            requests.append(SearchRequest.create(record.title[:60]))
        elif kind == 2:
            requests.append(SearchRequest.create(record.doc_number or record.id))
        elif kind == 3:
            requests.append(SearchRequest.create(rng.choice(pinyin)))
        elif kind == 4:
            requests.append(SearchRequest.create(rng.choice(words), category=record.category))
        else:
            query = f"{rng.choice(words)} {rng.choice(words)}"
            requests.append(SearchRequest.create(query, year=record.year, page=2))
    return requests


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(count: int, queries: int, related: int, index_dir: Path) -> list[tuple[str, str]]:
    started = time.perf_counter()
    records = synthetic_records(count)
    rows = [("synthetic records", f"{count} ({time.perf_counter() - started:.1f} s to make)")]

    full = build_index(make_catalog(records), index_dir, full=True)
    rows.append(("full index", f"{full.seconds:.1f} s ({count / full.seconds:.0f} records/s)"))
    size = sum(p.stat().st_size for p in (index_dir / full.generation).rglob("*"))
    rows.append(("index size", f"{size / 1e6:.1f} MB"))

    unchanged = build_index(make_catalog(records), index_dir)
    rows.append(("re-index, nothing changed", f"{unchanged.seconds:.2f} s"))
    edited = [replace(records[0], title=records[0].title + "（修订）"), *records[1:]]
    one = build_index(make_catalog(edited), index_dir)
    rows.append(("re-index, one record changed", f"{one.seconds:.2f} s ({one.updated} updated)"))

    requests = query_mix(records, queries)
    with CatalogSearcher(index_dir) as searcher:
        searcher.search(requests[0])  # first query loads the facet columns
        timings: list[float] = []
        for request in requests:
            began = time.perf_counter()
            searcher.search(request)
            timings.append((time.perf_counter() - began) * 1000)
        rows.append(("query p50 (facets + highlights)", f"{statistics.median(timings):.1f} ms"))
        rows.append(("query p95", f"{percentile(timings, 0.95):.1f} ms"))
        rows.append(("query max", f"{max(timings):.1f} ms"))
        began = time.perf_counter()
        for record in edited[:related]:
            searcher.related(record)
        per = (time.perf_counter() - began) * 1000 / related
        rows.append(
            ("related records", f"{per:.1f} ms per record ({per * count / 1000:.0f} s all)")
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--related", type=int, default=100)
    parser.add_argument("--index-dir", type=Path, help="keep the index here (default: temporary)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        index_dir = arguments.index_dir or Path(temporary)
        rows = run(arguments.records, arguments.queries, arguments.related, index_dir)
    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  {'-' * 30}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
