"""Print editions for the notice board (信息公告栏) and the reading room (公共查阅室), Art. 25.

``catalog build`` writes into ``print/`` of the built site, per department and for the whole
catalog, an A4 edition: a cover with the build date, a table of contents, the catalog table by
category (索引号, 名称, 文号, 日期), with the 政府信息公开指南 in the whole
catalog's edition and as an edition of its own; and a one-page 公告栏 sheet of the
last month's records. Each is a print-styled HTML page and, when a PDF engine is installed
(WeasyPrint, else Chromium's print-to-PDF), a PDF with page numbers. Without an engine the HTML
edition says so in Chinese and can be printed from a browser.

``plan_print_editions`` is pure (catalog → HTML text); ``write_print_editions`` writes and
converts. PDFs are kept in ``build/cache/print`` by the digest of their HTML, so a build whose
editions did not change converts nothing.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from generator.core.records import Catalog, Record

PRINT_DIR = "print"
ALL = "all"
GUIDE = "guide"
DEPARTMENTS = "departments"  # print/departments/<id>.html: no clash with the names above
BULLETIN = "bulletin"
DATE = "\x00DATE\x00"  # replaced by the build date (never in escaped content)
BULLETIN_DAYS = 31
BULLETIN_ROWS = 28  # what fits on one A4 page at the sheet's type size
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
NO_ENGINE = (
    "本次构建没有生成 PDF（未安装 WeasyPrint 或 Chromium，或设置了 CATALOG_PRINT_PDF=0），只生成了网页打印版。"
    "请用浏览器打开本页，选择“打印”，纸张 A4，即可得到带页码的纸质版本。"
)

STYLE = """
@page { size: A4; margin: 18mm 15mm 20mm;
  @top-left { content: string(edition); font-size: 8pt; color: #555; }
  @top-right { content: "印制日期 @DATE@"; font-size: 8pt; color: #555; }
  @bottom-center { content: "第 " counter(page) " 页　共 " counter(pages) " 页"; font-size: 9pt; } }
@page cover { @top-left { content: none; } @top-right { content: none; } }
html { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", serif;
  font-size: 10.5pt; line-height: 1.6; color: #000; }
body { margin: 0; }
.cover { page: cover; text-align: center; padding-top: 60mm; break-after: page; }
.cover h1 { font-size: 24pt; margin: 0 0 8mm; string-set: edition content(); }
.cover .edition { font-size: 16pt; margin: 0 0 30mm; }
.cover dl { display: inline-block; text-align: left; font-size: 12pt; }
.cover dt { float: left; clear: left; width: 7em; font-weight: bold; }
.cover dd { margin: 0 0 2mm 7em; }
.toc { break-after: page; }
.toc ol { list-style: none; padding: 0; }
.toc li { margin: 2mm 0; }
.toc a { color: #000; text-decoration: none; }
.toc a::after { content: leader(".") target-counter(attr(href), page); }
h2 { font-size: 15pt; border-bottom: 1.5pt solid #000; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 12pt; break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: .5pt solid #000; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; }
td.id, td.date { white-space: nowrap; font-size: 8pt; }
td.docno { width: 9em; }
.count { font-weight: normal; font-size: 10pt; }
.guide { break-before: page; }
.guide table { font-size: 9.5pt; }
.guide a { color: #000; text-decoration: none; }
.empty { color: #444; }
.screen-note { border: 1px solid #b3141d; background: #fff5f5; padding: 8px 12px; font-family: sans-serif; }
.bulletin h1 { text-align: center; font-size: 20pt; margin: 0 0 2mm; }
.bulletin .period { text-align: center; margin: 0 0 5mm; }
.bulletin .more { margin-top: 3mm; }
@media print { .screen-note { display: none; } }
@media screen { body { max-width: 210mm; margin: 0 auto; padding: 12px; box-sizing: border-box; } }
@media screen and (max-width: 600px) {
  .cover { padding-top: 10mm; } .cover dt { float: none; } .cover dd { margin: 0 0 2mm; }
  table { table-layout: fixed; } th, td, code { white-space: normal; overflow-wrap: anywhere; }
  body { overflow-wrap: anywhere; } }
"""


@dataclass(frozen=True)
class Edition:
    """One edition. ``template`` holds ``DATE`` where the build date goes (the cover; the page
    header's date is in the stylesheet): a PDF is converted again only when the rest changed
    (its 印制日期 is then the day it was made), so a daily build converts only the editions
    whose records changed."""

    name: str  # path under print/ without the suffix: all, guide, bulletin, departments/<id>
    title: str
    template: str
    date: str

    @property
    def html(self) -> str:
        return self.template.replace(DATE, self.date)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
STYLESHEET = "print-edition.css"  # beside the editions; every page links it (no <style>)


def page(title: str, body: str, depth: int) -> str:
    """An edition's HTML, ``depth`` folders under ``print/`` (for the stylesheet's path)."""
    css = "../" * depth + STYLESHEET
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f'<title>{esc(title)}</title>\n<link rel="stylesheet" href="{css}">\n</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )


def stylesheet(today: str) -> str:
    return STYLE.replace("@DATE@", today)


def category_table(records: Sequence[Record]) -> str:
    rows = "".join(
        f'<tr><td class="id">{esc(r.id)}</td><td>{esc(r.title)}</td>'
        f'<td class="docno">{esc(r.doc_number or "")}</td>'
        f'<td class="date">{r.published.isoformat()}</td></tr>\n'
        for r in records
    )
    head = "<tr><th>索引号</th><th>信息名称</th><th>文号</th><th>发布日期</th></tr>"
    return f"<table>\n<thead>{head}</thead>\n<tbody>\n{rows}</tbody>\n</table>\n"


def catalog_body(
    catalog: Catalog, records: Sequence[Record], edition: str, guide_html: str | None
) -> str:
    """Cover, contents, one section per category (all categories, empty ones say so), and the
    guide (``None``: a department edition, which points to the guide's own edition)."""
    by_category: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_category[record.category].append(record)
    entries = [
        f'<li><a href="#c-{c.id}">{esc(c.name)}<span class="count">（{len(by_category[c.id])} 条）'
        "</span></a></li>"
        for c in catalog.categories.values()
    ]
    if guide_html is not None:
        entries.append('<li><a href="#guide">政府信息公开指南</a></li>')
    toc = '<nav class="toc">\n<h2>目　录</h2>\n<ol>\n' + "\n".join(entries) + "\n</ol>\n</nav>\n"
    sections = []
    for category in catalog.categories.values():
        rows = by_category[category.id]
        table = category_table(rows) if rows else '<p class="empty">本栏目暂无信息。</p>\n'
        sections.append(
            f'<section class="category" id="c-{category.id}">\n'
            f"<h2>{esc(category.name)}</h2>\n{table}</section>\n"
        )
    if guide_html is None:
        closing = (
            f'<p class="closing">政府信息公开指南见单行本《{esc(catalog.site.name)}政府信息公开指南》'
            f"（{GUIDE}.pdf）或全部目录版。</p>\n"
        )
    else:
        closing = guide_section(guide_html)
    return cover(catalog, edition, len(records)) + toc + "".join(sections) + closing


def cover(catalog: Catalog, edition: str, count: int | None) -> str:
    site = catalog.site
    counted = f"<dt>收录信息</dt><dd>{count} 条</dd>\n" if count is not None else ""
    title = "政府信息主动公开目录" if count is not None else "政府信息公开指南"
    return (
        f'<section class="cover">\n<h1>{esc(site.name)}{title}</h1>\n'
        f'<p class="edition">{esc(edition)}</p>\n<dl>\n{counted}'
        f"<dt>印制日期</dt><dd>{DATE}</dd>\n"
        f"<dt>编制机构</dt><dd>{esc(site.office.name)}</dd>\n"
        f"<dt>网站</dt><dd>{esc(site.site_url)}</dd>\n</dl>\n</section>\n"
    )


def guide_section(guide_html: str) -> str:
    return (
        f'<section class="guide" id="guide">\n<h2>政府信息公开指南</h2>\n{guide_html}</section>\n'
    )


def bulletin_body(catalog: Catalog) -> str:
    """One A4 sheet: the records published in the last month, newest first."""
    since = catalog.today - timedelta(days=BULLETIN_DAYS - 1)
    recent = [r for r in catalog.records if since <= r.published <= catalog.today]
    shown = recent[:BULLETIN_ROWS]
    rows = "".join(
        f"<tr><td>{esc(r.title)}</td><td>{esc(catalog.departments[r.department].name)}</td>"
        f'<td class="id">{esc(r.id)}</td><td class="date">{r.published.isoformat()}</td></tr>\n'
        for r in shown
    )
    head = "<tr><th>信息名称</th><th>发布机构</th><th>索引号</th><th>发布日期</th></tr>"
    table = (
        f"<table>\n<thead>{head}</thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
        if shown
        else '<p class="empty">近一个月没有新公开的政府信息。</p>\n'
    )
    more = (
        f'<p class="more">另有 {len(recent) - len(shown)} 条，请登录 {esc(catalog.site.site_url)} 查看。</p>\n'
        if len(recent) > len(shown)
        else ""
    )
    office = catalog.site.office
    return (
        f'<section class="bulletin">\n<h1>{esc(catalog.site.name)}政府信息公开公告栏</h1>\n'
        f'<p class="period">近一个月新公开的政府信息（{since.isoformat()} 至 '
        f"{catalog.today.isoformat()}，共 {len(recent)} 条）</p>\n{table}{more}"
        f"<p>全文请登录 {esc(catalog.site.site_url)}，或到 {esc(office.address)} 政府信息公开查阅室查阅；"
        f"咨询电话 {esc(office.phone)}。</p>\n</section>\n"
    )


def plan_print_editions(catalog: Catalog, guide_html: str) -> list[Edition]:
    """The whole catalog with the guide, each department, the guide alone (printed once for the
    reading room's binder rather than in every department's edition), and the 公告栏 sheet."""
    today = catalog.today.isoformat()
    by_department: dict[str, list[Record]] = defaultdict(list)
    for record in catalog.records:
        by_department[record.department].append(record)

    def edition(name: str, title: str, body: str) -> Edition:
        return Edition(name, title, page(title, body, name.count("/")), today)

    site = catalog.site.name
    return [
        edition(
            ALL,
            f"{site}政府信息主动公开目录（全部）",
            catalog_body(catalog, catalog.records, "全部部门", guide_html),
        ),
        *(
            edition(
                f"{DEPARTMENTS}/{d.id}",
                f"{site}政府信息主动公开目录（{d.name}）",
                catalog_body(catalog, by_department[d.id], d.name, None),
            )
            for d in catalog.departments.values()
        ),
        edition(
            GUIDE,
            f"{site}政府信息公开指南",
            cover(catalog, "单行本", None) + guide_section(guide_html),
        ),
        edition(BULLETIN, f"{site}政府信息公开公告栏", bulletin_body(catalog)),
    ]


# ---------------------------------------------------------------- the guide, from the built site

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
DROP = re.compile(
    r'<a [^>]*class="headerlink"[^>]*>.*?</a>|<h1[^>]*>.*?</h1>|</?div[^>]*>|<nav class="catalog-pager".*?</nav>',
    re.S,
)
LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)


def built_guide(site_dir: Path) -> str:
    """The guide's article as MkDocs built it, without its title, anchors and links."""
    path = site_dir / "guide.html"
    found = ARTICLE.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    if found is None:
        return "<p>请登录网站查阅政府信息公开指南。</p>\n"
    return LINK.sub(r"\1", DROP.sub("", found.group(1))).strip() + "\n"


# ---------------------------------------------------------------- PDF engines

Converter = Callable[[Path, Path], None]


def weasyprint_converter() -> Converter | None:
    try:
        from weasyprint import HTML  # needs Debian's libpango-1.0-0 and libpangoft2-1.0-0
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError):
        return None
    fonts = FontConfiguration()  # shared: loading the CJK fonts once saves ~1 s an edition

    def convert(source: Path, target: Path) -> None:
        HTML(filename=str(source)).render(font_config=fonts).write_pdf(str(target))

    return convert


def chromium_converter() -> Converter | None:
    binary = next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)
    if binary is None:
        return None

    def convert(source: Path, target: Path) -> None:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    binary,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={target}",
                    source.resolve().as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )

    return convert


def pdf_converter() -> tuple[str, Converter] | None:
    """WeasyPrint when it loads (page counters and a contents page with page numbers), else
    Chromium's print-to-PDF, else nothing. ``CATALOG_PRINT_PDF=0`` skips PDFs: WeasyPrint lays
    out ~3 pages a second, so a cold build of a large catalog spends minutes on them."""
    if os.environ.get("CATALOG_PRINT_PDF", "") == "0":
        return None
    for name, make in (("WeasyPrint", weasyprint_converter), ("Chromium", chromium_converter)):
        converter = make()
        if converter is not None:
            return name, converter
    return None


# ---------------------------------------------------------------- writing


def pdf_notice(name: str) -> str:
    file = name.rsplit("/", 1)[-1] + ".pdf"
    return f'<p class="screen-note">PDF 版：<a href="{file}">{file}</a>（A4，可直接打印）。</p>\n'


def write_print_editions(
    catalog: Catalog, site_dir: Path, cache_dir: Path | None = None
) -> list[Path]:
    """Write ``print/*.html`` and, with an engine, ``print/*.pdf`` into a built site."""
    target = Path(site_dir) / PRINT_DIR
    target.mkdir(parents=True, exist_ok=True)
    engine = pdf_converter()
    guide = built_guide(Path(site_dir))
    css = target / STYLESHEET
    css.write_text(stylesheet(catalog.today.isoformat()), encoding="utf-8")
    written = [css]
    for edition in plan_print_editions(catalog, guide):
        notice = pdf_notice(edition.name) if engine else f'<p class="screen-note">{NO_ENGINE}</p>\n'
        text = edition.html.replace("<body>\n", "<body>\n" + notice, 1)
        source = target / f"{edition.name}.html"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(text, encoding="utf-8")
        written.append(source)
        if engine:
            pdf = target / f"{edition.name}.pdf"
            convert_cached(engine, STYLE + edition.template, source, pdf, cache_dir)
            written.append(pdf)
    return written


def convert_cached(
    engine: tuple[str, Converter], text: str, source: Path, pdf: Path, cache_dir: Path | None
) -> None:
    """Convert ``source``, or copy the PDF made earlier from the same ``text``."""
    name, convert = engine
    key = hashlib.sha256(f"{name}\0{text}".encode()).hexdigest()
    cached = cache_dir / f"{key}.pdf" if cache_dir else None
    if cached is not None and cached.is_file():
        shutil.copyfile(cached, pdf)
        return
    convert(source, pdf)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, cached)
