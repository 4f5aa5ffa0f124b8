"""Benchmark the offline Whoosh search on synthetic records built from ../shared/corpus/.

    .venv/bin/python bench/search_bench.py --records 2000
    .venv/bin/python bench/search_bench.py --records 10000 --queries 400
    .venv/bin/python bench/search_bench.py --content /tmp/c10k   # a `catalog synth` tree

Measures: a full index (wall and CPU time), a re-index after one changed record, a re-index with nothing changed,
query latency (p50/p95, facets and highlights included, some with a filter), related records
for every record (``related.related_map``, as the build computes them) and the peak RSS.
Prints a table; not a test (the numbers depend on the machine).  Without ``--content`` the
records are made here (5,000-character bodies, longer than ``catalog synth``'s 1–3,000).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.content.validate import check_content
from generator.core.records import Catalog, Category, Department, Office, Record, SiteInfo
from generator.core.settings import Settings
from generator.search.related import related_map
from generator.search.results import SearchRequest
from generator.search.tokenize_zh import plain_text
from generator.search.whoosh_index import build_index
from generator.search.whoosh_search import CatalogSearcher

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


def run(catalog: Catalog, queries: int, index_dir: Path) -> list[tuple[str, str]]:
    records = list(catalog.records)
    count = len(records)
    began = time.process_time()
    full = build_index(catalog, index_dir, full=True)
    cpu = time.process_time() - began
    rows = [("full index", f"{full.seconds:.1f} s ({count / full.seconds:.0f} records/s)")]
    rows.append(("full index, CPU time", f"{cpu:.1f} s"))
    rows.append(("peak RSS after the full index", f"{peak_rss_mb():.0f} MB"))
    size = sum(p.stat().st_size for p in (index_dir / full.generation).rglob("*"))
    rows.append(("index size", f"{size / 1e6:.1f} MB"))

    unchanged = build_index(catalog, index_dir)
    rows.append(("re-index, nothing changed", f"{unchanged.seconds:.2f} s"))
    edited = [replace(records[0], title=records[0].title + "（修订）"), *records[1:]]
    one = build_index(replace(catalog, records=tuple(edited)), index_dir)
    rows.append(("re-index, one record changed", f"{one.seconds:.2f} s ({one.updated} updated)"))

    requests = query_mix(records, queries)
    with CatalogSearcher(index_dir) as searcher:
        began = time.perf_counter()
        searcher.search(requests[0])  # first query loads the facet columns
        rows.append(
            ("first query (loads columns)", f"{(time.perf_counter() - began) * 1000:.0f} ms")
        )
        timings: list[float] = []
        for request in requests:
            began = time.perf_counter()
            searcher.search(request)
            timings.append((time.perf_counter() - began) * 1000)
        rows.append(("query p50 (facets + highlights)", f"{statistics.median(timings):.1f} ms"))
        rows.append(("query p95", f"{percentile(timings, 0.95):.1f} ms"))
        rows.append(("query max", f"{max(timings):.1f} ms"))
    began = time.perf_counter()
    related = related_map(replace(catalog, records=tuple(edited)))
    rows.append(
        ("related records, all (related_map)",
         f"{time.perf_counter() - began:.1f} s for {len(related)}")
    )  # fmt: skip
    rows.append(("peak RSS of this process", f"{peak_rss_mb():.0f} MB"))
    return rows


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_catalog(content: Path | None, count: int) -> tuple[Catalog, str]:
    started = time.perf_counter()
    if content is not None:
        catalog = check_content(Settings(content_dir=content)).catalog
        if catalog is None:
            raise SystemExit(f"{content} does not validate: run catalog validate {content}")
        source = f"{content} ({len(catalog.records)} records)"
    else:
        catalog, source = make_catalog(synthetic_records(count)), f"made here ({count})"
    return catalog, f"{source}, {time.perf_counter() - started:.1f} s to load"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--content", type=Path, help="a content tree (catalog synth) instead")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--index-dir", type=Path, help="keep the index here (default: temporary)")
    arguments = parser.parse_args()
    catalog, source = load_catalog(arguments.content, arguments.records)
    with tempfile.TemporaryDirectory() as temporary:
        index_dir = arguments.index_dir or Path(temporary)
        rows = [("records", source), *run(catalog, arguments.queries, index_dir)]
    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  {'-' * 30}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
