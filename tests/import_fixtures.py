"""Old systems' exports built from real titles (../shared/corpus), with the mess real exports carry.

``python -m tests.import_fixtures`` rewrites the small committed fixtures in
tests/fixtures/import/; the tests build the large export (thousands of rows) the same way.

Every ``MESS_EVERY``-th row is broken on purpose, and says how in ``expected_skips``.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.content.normalize import normalize_date
from generator.core.settings import SHANGHAI

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")
FIXTURES = Path(__file__).parent / "fixtures" / "import"
ZWSP = "\u200b"
OLD_CATEGORIES = ("政策文件", "规范性文件", "政策解读", "其他文件", "规划计划")
HEADERS = (
    "索引号",
    "信息名称",
    "发布机构",
    "生成日期",
    "发布日期",
    "文号",
    "主题分类",
    "体裁分类",
    "主题词",
    "内容概述",
    "有效性",
    "链接",
    "目录分类",
)
# Legacy 索引号 shapes of domain.md §12, all matched by LEGACY_IDS.
LEGACY_IDS = (
    r"(?:[0-9]{9}|[0-9]{7}-[0-9X]|[0-9A-Z]{18})/[0-9]{4}-[0-9]{5}|[0-9]{4}-[0-9]{2}-[0-9]{5}"
)
_PREFIXES = ("000014349", "0142768-8", "11441700007280420Y")
_PHONE = re.compile(r"\d{3,4}-\d{7,8}|1\d{10}")


@dataclass
class Export:
    rows: list[dict[str, Any]] = field(default_factory=list)
    skips: dict[int, str] = field(default_factory=dict)  # row number → column expected

    def number(self, index: int) -> int:
        return index + 2  # the header is row 1


def policies(limit: int, offset: int = 0) -> list[dict[str, Any]]:
    items = []
    with (CORPUS / "policies.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            written, published = item.get("written"), item.get("published")
            if not (written and published and written <= published <= "2026-01-01"):
                continue
            items.append(item)
            if len(items) >= limit + offset:
                break
    return items[offset:]


def _date_shape(value: str, index: int, excel_serials: bool) -> Any:
    day = date.fromisoformat(value)
    shapes = [
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        value,
        f"{value} 00:00:00",
    ]
    if excel_serials:
        shapes.append((day - date(1899, 12, 30)).days)
    return shapes[index % len(shapes)]


def _doc_number(number: str | None, index: int) -> str:
    if not number:
        return ""
    if index % 4 == 1:
        return number.replace("〔", "[").replace("〕", "]")
    if index % 4 == 2:
        return number.replace("〔", "（").replace("〕", "）")
    if index % 4 == 3:
        return "发文字号：" + number.replace("〔", " 〔")
    return number


def build_export(count: int, *, seed: int = 7, excel_serials: bool = True) -> Export:
    """``count`` rows from real policy titles, every mess of the issue included."""
    rng = random.Random(seed)
    export = Export()
    sequence: dict[tuple[str, int], int] = {}
    for index, item in enumerate(policies(count)):
        prefix = _PREFIXES[index % len(_PREFIXES)]
        year = int(item["written"][:4])
        serial = sequence[(prefix, year)] = sequence.get((prefix, year), 0) + 1
        title = item["title"]
        if rng.random() < 0.07:  # domain.md §12: ~7 % of real titles carry a zero-width space
            cut = rng.randrange(1, len(title))
            title = title[:cut] + ZWSP + title[cut:]
        old_id = (
            f"{prefix}/{year}-{serial:05d}"
            if index % 10
            else f"{year}-{index % 12 + 1:02d}-{serial:05d}"
        )
        export.rows.append(
            {
                "索引号": old_id if index % 97 else "",  # a few rows were never numbered
                "信息名称": title,
                "发布机构": item.get("issuer_region") or "",
                "生成日期": _date_shape(item["written"], index, excel_serials),
                "发布日期": _date_shape(item["published"], index + 2, excel_serials),
                "文号": _doc_number(item.get("doc_number"), index),
                "主题分类": ("综合政务/政务公开", "政务公开", "综合政务\\政务督查", "")[index % 4],
                "体裁分类": ("通知", "意见", "批复", "")[index % 4],
                "主题词": ("政务公开，规范性文件", "", "规划 计划")[index % 3],
                "内容概述": ""
                if index % 3 == 0
                else f"{item.get('issuer_region') or ''}发布：{title[:60]}",
                "有效性": ("有效", "", "现行有效", "失效")[index % 4],
                "链接": f"https://www.example.gov.cn/zwgk/{year}/{index}.html",
                "目录分类": OLD_CATEGORIES[index % len(OLD_CATEGORIES)],
            }
        )
    _break_some(export)
    return export


def _break_some(export: Export) -> None:
    """Unusable rows, spread over the export: the import must list each one and write none."""
    rows = export.rows
    for start in range(50, len(rows), 500):
        rows[start]["信息名称"] = " " + ZWSP  # empty once invisible characters are gone
        export.skips[export.number(start)] = "信息名称"
        rows[start + 1]["目录分类"] = "工作动态"  # no category of the nine
        export.skips[export.number(start + 1)] = "目录分类"
        rows[start + 2]["生成日期"] = "2023-02-30"
        export.skips[export.number(start + 2)] = "生成日期"
        rows[start + 3] = dict(rows[start + 4])  # a duplicate row: same 索引号 as the next one
        rows[start + 3]["索引号"] = rows[start + 3]["索引号"] or "000014349/1999-00001"
        rows[start + 4]["索引号"] = rows[start + 3]["索引号"]
        export.skips[export.number(start + 4)] = "索引号"
        rows[start + 5]["生成日期"], rows[start + 5]["发布日期"] = "2024-05-06", "2024-05-01"
        export.skips[export.number(start + 5)] = "发布日期"  # published before written


def write_csv(path: Path, export: Export, encoding: str = "utf-8-sig") -> Path:
    rows = export.rows
    if encoding != "utf-8-sig":  # GBK has no zero-width space: such an export never holds one
        rows = [{k: str(v).replace(ZWSP, "") for k, v in row.items()} for row in rows]
    with path.open("w", encoding=encoding, newline="", errors="replace") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, export: Export) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["政府信息公开目录导出（2025年）"])  # a title line above the header, as TRS writes
    sheet.append(list(HEADERS))
    for index, row in enumerate(export.rows):
        values = [row[h] for h in HEADERS]
        written = normalize_date(row["生成日期"])
        if index % 11 == 0 and written:  # a real date cell
            values[3] = date.fromisoformat(written)
        sheet.append(values)
    book.save(path)
    export.skips = {number + 1: column for number, column in export.skips.items()}
    return path


def write_gkmlpt(path: Path, export: Export) -> Path:
    """Guangdong gkmlpt's list API shape: {"articles": [...], "total": N}."""
    articles = []
    for row in export.rows:
        articles.append(
            {
                "identifier": row["索引号"],
                "title": row["信息名称"],
                "document_number": row["文号"],
                "publisher": row["发布机构"],
                "keywords": row["主题词"],
                "date": _unix_time(row["发布日期"]),
                "classify_main_name": row["目录分类"],
                "classify_genre_name": row["体裁分类"],
                "classify_theme_name": row["主题分类"],
                "abstract": row["内容概述"],
                "attachment": [],
                "is_expired": row["有效性"] == "失效",
                "is_abolished": False,
                "url": row["链接"],
            }
        )
    path.write_text(
        json.dumps({"articles": articles, "total": len(articles)}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    # JSON items count from 1; gkmlpt has one date, so a bad 生成日期 is not there to break.
    export.skips = {n - 1: c for n, c in export.skips.items() if c not in ("生成日期", "发布日期")}
    return path


def _unix_time(value: Any) -> int:
    """gkmlpt gives Unix time: midnight in Beijing of the day."""
    day = date.fromisoformat(normalize_date(value) or "2020-01-01")
    return int(datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).timestamp())


def laws(limit: int) -> list[dict[str, Any]]:
    items = []
    with (CORPUS / "laws.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            dates = [e["date"] for e in item.get("events") or () if e.get("date")]
            if dates and 200 < len(item.get("text") or "") < 6000:
                items.append(item | {"date": min(dates)})
            if len(items) >= limit:
                break
    return items


def detail_page(item: dict[str, Any], index: int, *, gbk: bool = False) -> bytes:
    """A saved TRS-style detail page: metadata table on top, the text in #zoom, a script."""
    text = _PHONE.sub("", item["text"])
    paragraphs = "".join(
        f"<h2>{line[3:]}</h2>" if line.startswith("## ") else f"<p>{line}</p>"
        for line in text.splitlines()
        if line.strip()
    )
    number = item.get("doc_number") or ""
    charset = "gbk" if gbk else "utf-8"
    html = f"""<!DOCTYPE html><html><head><meta charset="{charset}">
<title>{item["title"]}_青禾区人民政府</title><style>p{{margin:0}}</style>
<script>var _hmt = _hmt || []; document.write("<iframe src=x>");</script></head>
<body><div class="header"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<table class="xxgk-table">
<tr><td>索引号：</td><td>000014349/{item["date"][:4]}-{index + 1:05d}</td><td>主题分类：</td><td>综合政务\\政务公开</td></tr>
<tr><td>发布机构：</td><td>青禾区人民政府办公室</td><td>成文日期：</td><td>{item["date"].replace("-", "年", 1).replace("-", "月")}日</td></tr>
<tr><td>名　　称：</td><td>{item["title"]}</td><td>发布日期：</td><td>{item["date"]}</td></tr>
<tr><td>文　　号：</td><td>{number}</td><td>有效性：</td><td>有效</td></tr>
</table>
<div id="zoom"><h1>{item["title"]}</h1>{paragraphs}
<p><img src="/images/qr.png" alt="扫码阅读"><a href="/zwgk/old.html">上一篇</a>
<a href="javascript:print()">打印</a> <a href="https://www.gov.cn/">中国政府网</a></p></div>
<div class="footer">主办：青禾区人民政府办公室</div></body></html>"""
    return html.encode("gbk" if gbk else "utf-8", errors="replace")


def write_pages(folder: Path, count: int) -> list[dict[str, Any]]:
    folder.mkdir(parents=True, exist_ok=True)
    items = laws(count)
    for index, item in enumerate(items):
        (folder / f"t{20240000 + index}.html").write_bytes(
            detail_page(item, index, gbk=index % 2 == 1)
        )
    return items


def write_small_fixtures(root: Path = FIXTURES) -> None:
    """The committed fixtures: 120-row exports in the three formats, a few saved pages and a
    CSV whose rows link local HTML pages and a PDF attachment."""
    root.mkdir(parents=True, exist_ok=True)
    write_csv(root / "catalog-gbk.csv", build_export(120), encoding="gbk")
    write_xlsx(root / "catalog.xlsx", build_export(120))
    write_gkmlpt(root / "gkmlpt.json", build_export(120, excel_serials=False))
    write_pages(root / "pages", 6)
    _write_linked(root / "linked")


def _write_linked(folder: Path) -> None:
    import pikepdf

    (folder / "files").mkdir(parents=True, exist_ok=True)
    items = laws(4)
    rows = []
    for index, item in enumerate(items):
        page = f"files/{index + 1}.html"
        (folder / page).write_bytes(detail_page(item, index + 100))
        rows.append(
            {
                "索引号": f"000014349/{item['date'][:4]}-{index + 900:05d}",
                "信息名称": item["title"],
                "生成日期": item["date"],
                "发布日期": item["date"],
                "目录分类": "政策文件",
                "本地文件": page,
                "附件": "files/附件1.pdf" if index == 0 else "",
            }
        )
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(folder / "files" / "附件1.pdf", deterministic_id=True)
    with (folder / "catalog.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    write_small_fixtures()
