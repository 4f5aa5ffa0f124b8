"""A 100,000-record catalog: ``catalog validate`` finishes in bounded time and memory.

The records are minimal (the required fields and a one-line body) so that writing them stays
cheap; validation still reads, parses, checks and cross-checks every one of them. The command
runs as its own process, which reports its own time and peak memory.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adversarial.hostile import BASE

RECORDS = 100_000
YEARS = range(2019, 2027)  # inside the holiday data: no calendar-coverage warnings
DEPARTMENTS = {"edu": "11339901MB1111111F", "civil": "11339901MB22222221"}  # as in BASE
SECONDS = 600  # measured 43 s (385 MB) on a busy 2-core machine: a tenfold margin
PEAK_RSS_MB = 2000
DUPLICATE = "departments/civil/2026/duplicate.md"  # repeats the id of r00007.md

MEASURE = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from generator.core.settings import Settings
from generator.content.validate import check_content
started = time.perf_counter()
result = check_content(Settings(content_dir=Path(sys.argv[1]), today=date(2026, 11, 28)))
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "records": result.record_count,
    "published": len(result.catalog.records),
    "problems": [[p.code, Path(p.file).name] for p in result.problems[:5]],
}))
"""


def minimal_record(org_code: str, year: int, serial: int) -> str:
    return (
        f"---\nid: {org_code}/{year}-{serial:05d}\ntitle: 测试记录{serial}\ncategory: policies\n"
        f'summary: 第{serial}条。\nwritten: "{year}-03-02"\npublished: "{year}-03-04"\n---\n'
        "正文。\n"
    )


def write_catalog(content: Path) -> None:
    per_folder = RECORDS // (len(DEPARTMENTS) * len(YEARS))
    for department, org_code in DEPARTMENTS.items():
        for year in YEARS:
            folder = content / "departments" / department / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            for serial in range(1, per_folder + 1):
                text = minimal_record(org_code, year, serial)
                (folder / f"r{serial:05d}.md").write_bytes(text.encode())


@pytest.fixture(scope="module")
def big_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("scale") / "content"
    shutil.copytree(BASE, content, ignore=shutil.ignore_patterns("*.md", "files"))
    write_catalog(content)
    (content / DUPLICATE).write_text(minimal_record(DEPARTMENTS["civil"], 2026, 7), "utf-8")
    return content


def test_100000_records_validate_in_bounded_time_and_memory(big_content: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", MEASURE, str(big_content)], capture_output=True, text=True,
        timeout=SECONDS * 2, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    measured = json.loads(completed.stdout)
    assert measured["records"] == RECORDS + 1
    # the one duplicate id is found among all of them (cross-record checks stay linear)
    assert measured["problems"] == [["duplicate-id", "r00007.md"]]
    assert measured["published"] == RECORDS
    assert measured["seconds"] < SECONDS
    assert measured["peak_mb"] < PEAK_RSS_MB
    print(f"\n{RECORDS} records: {measured['seconds']:.1f} s, {measured['peak_mb']:.0f} MB peak")
