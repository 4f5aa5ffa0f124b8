"""Whoosh query latency on a built index, for `make bench` (run as its own measured step).

    .venv/bin/python bench/queries.py --content DIR --index DIR [--queries 300]

Loads the validated catalog, draws the query mix of bench/search_bench.py (two-character words,
full titles, 文号, pinyin initials, filtered and paged searches) and prints one JSON object:
``{"queries", "open_ms", "p50_ms", "p95_ms", "max_ms"}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from search_bench import percentile, query_mix  # bench/ is on sys.path when run as a script

from generator.content.validate import check_content
from generator.core.settings import Settings
from generator.search.whoosh_search import CatalogSearcher


def measure_queries(content: Path, index: Path, count: int) -> dict[str, float]:
    catalog = check_content(Settings(content_dir=content)).catalog
    requests = query_mix(list(catalog.records), count)
    began = time.perf_counter()
    with CatalogSearcher(index) as searcher:
        searcher.search(requests[0])  # opens the index and loads the facet columns
        opened = (time.perf_counter() - began) * 1000
        timings = []
        for request in requests:
            started = time.perf_counter()
            searcher.search(request)
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(timings),
        "open_ms": round(opened, 1),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=300)
    arguments = parser.parse_args()
    print(json.dumps(measure_queries(arguments.content, arguments.index, arguments.queries)))


if __name__ == "__main__":
    main()
