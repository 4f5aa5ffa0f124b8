"""Regenerate the machine-made parts of the sample district 青禾区 in ``content/``.

Two things in the sample content are not written by hand:

* the attachments (a few small PDF, XLSX and DOCX forms), written byte for byte from the
  standard library so that they carry no author, creator or time-stamp metadata;
* the policy records whose body is the text of a national regulation, taken from the
  public-domain corpus ``laws.jsonl`` (``../shared/corpus/laws.jsonl`` beside the checkout).

Everything else under ``content/`` is written by hand.  The output is deterministic: running
the script twice gives identical files.  Usage::

    .venv/bin/python tools/make_sample_content.py [--content content] [--corpus PATH]

Without a corpus the regulation records are left as they are.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "laws.jsonl"
BODY_CAP = 8_500  # characters of regulation text kept in a record body
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so that archives are reproducible


# --------------------------------------------------------------------------------------------
# Regulation records


@dataclass(frozen=True)
class Regulation:
    """A policy record whose body is a national regulation from the corpus."""

    path: str  # relative to content/
    corpus_title: str
    corpus_marker: str  # a string that picks the right version when the corpus holds several
    id: str
    title: str
    summary: str
    written: str  # 公布日期
    published: str  # 本网转载日期
    effective: str
    doc_number: str
    topic: str
    keywords: tuple[str, ...]
    note: str  # the line under the title: who issued it, when, when in force


REGULATIONS: tuple[Regulation, ...] = (
    Regulation(
        "departments/office/2024/archives-law-implementing-regulations.md",
        "中华人民共和国档案法实施条例",
        "第五十二条 本条例自2024年3月1日起施行",
        "11339901MB1C026154/2024-00001",
        "中华人民共和国档案法实施条例",
        "国务院令第772号全文：规定档案机构职责、档案的管理、利用和公布及档案信息化建设，"
        "自2024年3月1日起施行。",
        "2024-01-12",
        "2024-01-19",
        "2024-03-01",
        "国务院令第772号",
        "综合政务\\文秘工作",
        ("档案", "档案管理", "档案开放"),
        "2024年1月12日中华人民共和国国务院令第772号公布 自2024年3月1日起施行",
    ),
    Regulation(
        "departments/drc/2024/fair-competition-review-regulations.md",
        "公平竞争审查条例",
        "第二十七条 本条例自2024年8月1日起施行",
        "11339901MB1C031830/2024-00001",
        "公平竞争审查条例",
        "国务院令第783号全文：起草涉及经营者经济活动的政策措施，应当审查是否排除、限制竞争，"
        "自2024年8月1日起施行。",
        "2024-06-06",
        "2024-06-13",
        "2024-08-01",
        "国务院令第783号",
        "国民经济管理、国有资产监管\\经济体制改革",
        ("公平竞争审查", "营商环境", "政策措施"),
        "2024年6月6日中华人民共和国国务院令第783号公布 自2024年8月1日起施行",
    ),
    Regulation(
        "departments/drc/2025/sme-payment-regulations.md",
        "保障中小企业款项支付条例",
        "第三十七条 本条例自2025年6月1日起施行",
        "11339901MB1C031830/2025-00001",
        "保障中小企业款项支付条例",
        "国务院令第802号修订后的行政法规全文：机关、事业单位和大型企业应当及时支付中小企业"
        "款项，自2025年6月1日起施行。",
        "2025-03-17",
        "2025-03-21",
        "2025-06-01",
        "国务院令第802号",
        "国民经济管理、国有资产监管\\其他",
        ("中小企业", "款项支付", "拖欠账款"),
        "2020年7月5日中华人民共和国国务院令第728号公布 "
        "2025年3月17日中华人民共和国国务院令第802号修订 自2025年6月1日起施行",
    ),
    Regulation(
        "departments/edu/2021/private-education-implementing-regulations.md",
        "中华人民共和国民办教育促进法实施条例",
        "第六十八条 本条例自2021年9月1日起施行",
        "11339901MB1C0475XN/2021-00001",
        "中华人民共和国民办教育促进法实施条例",
        "国务院令第741号修订后的行政法规，节选第一章至第六章：民办学校的设立、组织与活动、"
        "教师与学生、学校安全和管理，自2021年9月1日起施行。",
        "2021-04-07",
        "2021-04-14",
        "2021-09-01",
        "国务院令第741号",
        "科技、教育\\教育",
        ("民办教育", "民办学校", "义务教育"),
        "2004年3月5日中华人民共和国国务院令第399号公布 "
        "2021年4月7日中华人民共和国国务院令第741号修订 自2021年9月1日起施行",
    ),
    Regulation(
        "departments/civil-affairs/2022/place-names-regulations.md",
        "地名管理条例",
        "第四十四条 本条例自2022年5月1日起施行",
        "11339901MB1C052935/2022-00001",
        "地名管理条例",
        "国务院令第753号全文：规定地名的命名、更名、使用、文化保护和监督检查，"
        "自2022年5月1日起施行。",
        "2022-03-30",
        "2022-04-07",
        "2022-05-01",
        "国务院令第753号",
        "民政、扶贫、救灾\\行政区划与地名",
        ("地名", "地名管理", "街路巷命名"),
        "2022年3月30日中华人民共和国国务院令第753号公布 自2022年5月1日起施行",
    ),
    Regulation(
        "departments/hrss/2023/social-insurance-handling-regulations.md",
        "社会保险经办条例",
        "第六十三条 本条例自2023年12月1日起施行",
        "11339901MB1C0686XU/2023-00001",
        "社会保险经办条例",
        "国务院令第765号全文：规范社会保险登记、待遇核定与支付、经办服务和基金监督，"
        "自2023年12月1日起施行。",
        "2023-08-16",
        "2023-08-23",
        "2023-12-01",
        "国务院令第765号",
        "劳动、人事、监察\\社会保障",
        ("社会保险", "经办服务", "养老保险"),
        "2023年8月16日中华人民共和国国务院令第765号公布 自2023年12月1日起施行",
    ),
    Regulation(
        "departments/housing/2021/seismic-management-regulations.md",
        "建设工程抗震管理条例",
        "第五十一条 本条例自2021年9月1日起施行",
        "11339901MB1C07432M/2021-00001",
        "建设工程抗震管理条例",
        "国务院令第744号全文：规范建设工程抗震的勘察、设计、施工、鉴定、加固和维护，"
        "自2021年9月1日起施行。",
        "2021-07-19",
        "2021-07-26",
        "2021-09-01",
        "国务院令第744号",
        "城乡建设、环境保护\\城乡建设（含住房）",
        ("抗震设防", "建设工程", "工程质量"),
        "2021年7月19日中华人民共和国国务院令第744号公布 自2021年9月1日起施行",
    ),
    Regulation(
        "departments/market/2021/market-entity-registration-regulations.md",
        "中华人民共和国市场主体登记管理条例",
        "第五十五条 本条例自2022年3月1日起施行",
        "11339901MB1C0897X1/2021-00001",
        "中华人民共和国市场主体登记管理条例",
        "国务院令第746号全文：统一公司、合伙企业、个体工商户等市场主体的登记规则，"
        "自2022年3月1日起施行。",
        "2021-07-27",
        "2021-08-03",
        "2022-03-01",
        "国务院令第746号",
        "市场监管、安全生产监管\\工商",
        ("市场主体登记", "营业执照", "个体工商户"),
        "2021年7月27日中华人民共和国国务院令第746号公布 自2022年3月1日起施行",
    ),
    Regulation(
        "departments/market/2022/price-marking-rules.md",
        "明码标价和禁止价格欺诈规定",
        "第二十七条 本规定自2022年7月1日起施行",
        "11339901MB1C0897X1/2022-00001",
        "明码标价和禁止价格欺诈规定",
        "国家市场监督管理总局令第56号全文：规范经营者标示价格的方式，列举七类价格欺诈行为，"
        "自2022年7月1日起施行。",
        "2022-04-14",
        "2022-04-21",
        "2022-07-01",
        "国家市场监督管理总局令第56号",
        "市场监管、安全生产监管\\其他",
        ("明码标价", "价格欺诈", "价格监督"),
        "2022年4月14日国家市场监督管理总局令第56号公布 自2022年7月1日起施行",
    ),
    Regulation(
        "departments/health/2021/medical-security-fund-regulations.md",
        "医疗保障基金使用监督管理条例",
        "第五十条 本条例自2021年5月1日起施行",
        "11339901MB1C0950XA/2021-00001",
        "医疗保障基金使用监督管理条例",
        "国务院令第735号全文：规范定点医药机构和参保人员使用医保基金的行为及其监督管理，"
        "自2021年5月1日起施行。",
        "2021-01-15",
        "2021-01-22",
        "2021-05-01",
        "国务院令第735号",
        "卫生、体育\\医药管理",
        ("医疗保障基金", "定点医疗机构", "基金监管"),
        "2021年1月15日中华人民共和国国务院令第735号公布 自2021年5月1日起施行",
    ),
    Regulation(
        "departments/health/2023/maternal-infant-health-implementing-measures.md",
        "中华人民共和国母婴保健法实施办法",
        "第三次修订",
        "11339901MB1C0950XA/2023-00001",
        "中华人民共和国母婴保健法实施办法（2023年修订）",
        "国务院2023年7月第三次修订后的行政法规全文：规定婚前保健、孕产期保健、婴儿保健、"
        "技术鉴定和监督管理。",
        "2023-07-20",
        "2023-07-27",
        "2023-07-20",
        "国务院令第764号",
        "卫生、体育\\卫生",
        ("母婴保健", "婚前保健", "孕产期保健"),
        "2001年6月20日中华人民共和国国务院令第308号公布 根据2017年11月17日、2022年3月29日、"
        "2023年7月20日《国务院关于修改和废止部分行政法规的决定》三次修订",
    ),
    Regulation(
        "departments/health/2023/organ-donation-transplant-regulations.md",
        "人体器官捐献和移植条例",
        "第五十条 本条例自2024年5月1日起施行",
        "11339901MB1C0950XA/2023-00002",
        "人体器官捐献和移植条例",
        "国务院令第767号全文：规范人体器官的捐献、获取、分配和移植，自2024年5月1日起施行。",
        "2023-12-04",
        "2023-12-11",
        "2024-05-01",
        "国务院令第767号",
        "卫生、体育\\卫生",
        ("人体器官捐献", "器官移植", "医疗机构"),
        "2023年12月4日中华人民共和国国务院令第767号公布 自2024年5月1日起施行",
    ),
)

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTACT = re.compile(r"联系人|联系电话|电子邮箱|@|(?<!\d)1[3-9]\d{9}(?!\d)|\d{3,4}-\d{7,8}")
_BARE_HEADING = re.compile(r"^(第[一二三四五六七八九十]+章|附\s*则)(\s.*)?$")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条")


def find_law(corpus: list[dict], title: str, marker: str) -> dict:
    """The corpus entry with this title whose events or text contain ``marker``."""
    for law in corpus:
        if law["title"] == title and marker in json.dumps(law, ensure_ascii=False):
            return law
    raise LookupError(f"{title}（{marker}）不在语料中")


def clean_law_text(text: str) -> list[str]:
    """Paragraphs of a regulation without invisible characters or contact details."""
    paragraphs = []
    for raw in text.split("\n"):
        line = _INVISIBLE.sub("", raw).replace("\u3000", " ").strip()
        if not line or _CONTACT.search(line):
            continue
        if _BARE_HEADING.match(line):
            line = "## " + line
        paragraphs.append(re.sub(r"^(##\s+\S+)\s{2,}", r"\1 ", line))
    return paragraphs


def cap_paragraphs(paragraphs: list[str], cap: int) -> tuple[list[str], bool]:
    """Keep whole chapters up to ``cap`` characters (whole articles if there are no chapters)."""
    has_chapters = any(p.startswith("## ") for p in paragraphs)
    size = 0
    cut = 0
    for index, paragraph in enumerate(paragraphs):
        if paragraph.startswith("## ") or (not has_chapters and _ARTICLE.match(paragraph)):
            cut = index
        size += len(paragraph) + 2
        if size > cap:
            return paragraphs[:cut], True
    return paragraphs, False


def regulation_body(regulation: Regulation, law: dict) -> str:
    paragraphs, cut = cap_paragraphs(clean_law_text(law["text"]), BODY_CAP)
    lines = [f"（{regulation.note}）", "", *_blank_separated(paragraphs)]
    if cut:
        chapters = [p for p in paragraphs if p.startswith("## ")]
        articles = [m.group() for p in paragraphs if (m := _ARTICLE.match(p))]
        shown = f"第一章至{chapters[-1][3:].split()[0]}" if chapters else "节选"
        lines += [
            "",
            f"> 本页刊登{shown}（{articles[0]}至{articles[-1]}）。"
            "全文以国务院公布的正式文本为准，可在区档案馆、区图书馆公共查阅点查阅。",
        ]
    return "\n".join(lines) + "\n"


def _blank_separated(paragraphs: Iterable[str]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        lines.append(paragraph)
    return lines


def regulation_record(regulation: Regulation, law: dict) -> str:
    keywords = ", ".join(regulation.keywords)
    front = [
        "---",
        f'id: "{regulation.id}"',
        f"title: {regulation.title}",
        "category: policies",
        f"summary: {regulation.summary}",
        f'written: "{regulation.written}"',
        f'published: "{regulation.published}"',
        f"doc_number: {regulation.doc_number}",
        f"topic: '{regulation.topic}'",
        "form: 令",
        f"keywords: [{keywords}]",
        "validity: valid",
        f'effective: "{regulation.effective}"',
        "channels: [website, reading-room]",
        "art20: [1]",
        "---",
        "",
    ]
    return "\n".join(front) + regulation_body(regulation, law)


def load_corpus(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --------------------------------------------------------------------------------------------
# Attachments


def pdf_form(title: str, rows: list[str], note: str) -> bytes:
    """A one-page A4 form: a title, a two-column table of labels and blank cells, a note.

    Chinese text uses the standard CJK font STSong-Light (Adobe-GB1), which PDF readers supply,
    so nothing is embedded.  No /Info dictionary: no author, creator or dates.
    """

    def text(x: float, y: float, size: int, words: str) -> str:
        hexed = words.encode("utf-16-be").hex().upper()
        return f"BT /F1 {size} Tf {x:.0f} {y:.0f} Td <{hexed}> Tj ET"

    ops = [text(72, 780, 18, title)]
    top, height, left, split, right = 740, 36, 60, 200, 535
    for index, label in enumerate(rows):
        y = top - (index + 1) * height
        ops.append(f"{left} {y} {right - left} {height} re S")
        ops.append(f"{split} {y} m {split} {y + height} l S")
        ops.append(text(left + 8, y + 13, 11, label))
    ops.append(text(left, top - (len(rows) + 1) * height - 30, 9, note))
    stream = ("0.6 w\n" + "\n".join(ops) + "\n").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def zip_archive(members: list[tuple[str, str]]) -> bytes:
    """A reproducible ZIP (fixed times, fixed order) of UTF-8 text members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content.encode("utf-8"))
    return out.getvalue()


XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_table(sheet: str, rows: list[list[str | int]]) -> bytes:
    """A one-sheet workbook with inline strings; no docProps, so no author metadata."""

    def cell(ref: str, value: str | int) -> str:
        if isinstance(value, int):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    columns = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    sheet_rows = "".join(
        f'<row r="{r}">'
        + "".join(cell(f"{columns[c]}{r}", v) for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return zip_archive(
        [
            (
                "[Content_Types].xml",
                XML_HEAD
                + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
                f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/></Types>',
            ),
            (
                "_rels/.rels",
                XML_HEAD + f'<Relationships xmlns="{RELS_NS}">'
                f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>",
            ),
            (
                "xl/workbook.xml",
                XML_HEAD + f'<workbook xmlns="{main_ns}" xmlns:r="{DOC_REL}">'
                f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
            ),
            (
                "xl/_rels/workbook.xml.rels",
                XML_HEAD + f'<Relationships xmlns="{RELS_NS}">'
                f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{DOC_REL}/styles" Target="styles.xml"/>'
                "</Relationships>",
            ),
            (
                "xl/styles.xml",
                XML_HEAD + f'<styleSheet xmlns="{main_ns}">'
                '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
                '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
                'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
                'builtinId="0"/></cellStyles></styleSheet>',
            ),
            (
                "xl/worksheets/sheet1.xml",
                XML_HEAD + f'<worksheet xmlns="{main_ns}">'
                f"<sheetData>{sheet_rows}</sheetData></worksheet>",
            ),
        ]
    )


def docx_form(title: str, rows: list[str], note: str) -> bytes:
    """A one-page Word form: a title, a two-column table with blank cells, a note."""
    w_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def paragraph(words: str, *, bold: bool = False, size: int = 24) -> str:
        props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/></w:rPr>'
        return f"<w:p><w:r>{props}<w:t>{escape(words)}</w:t></w:r></w:p>"

    def row(label: str) -> str:
        return (
            f'<w:tr><w:trPr><w:trHeight w:val="560"/></w:trPr>'
            f'<w:tc><w:tcPr><w:tcW w:w="2600" w:type="dxa"/></w:tcPr>{paragraph(label)}</w:tc>'
            f'<w:tc><w:tcPr><w:tcW w:w="6400" w:type="dxa"/></w:tcPr><w:p/></w:tc></w:tr>'
        )

    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table = (
        f'<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:tblBorders>{border}'
        f'</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="2600"/><w:gridCol w:w="6400"/>'
        f"</w:tblGrid>{''.join(row(label) for label in rows)}</w:tbl>"
    )
    body = paragraph(title, bold=True, size=32) + table + paragraph(note, size=18)
    return zip_archive(
        [
            (
                "[Content_Types].xml",
                XML_HEAD
                + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.wordprocessingml.document.main+xml"/></Types>',
            ),
            (
                "_rels/.rels",
                XML_HEAD + f'<Relationships xmlns="{RELS_NS}">'
                f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/>'
                "</Relationships>",
            ),
            (
                "word/document.xml",
                XML_HEAD + f'<w:document xmlns:w="{w_ns}"><w:body>{body}'
                '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" '
                'w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>'
                "</w:body></w:document>",
            ),
        ]
    )


SAMPLE_NOTE = "本表为示例样表。青禾区为虚构行政区，表中不含任何真实个人信息。"

ATTACHMENTS: dict[str, bytes] = {
    "departments/civil-affairs/2025/files/最低生活保障申请表.pdf": pdf_form(
        "青禾区最低生活保障申请表",
        [
            "申请人姓名",
            "身份证件号码",
            "户籍所在地",
            "现居住地址",
            "联系方式",
            "家庭人口数",
            "家庭成员及关系",
            "家庭月总收入（元）",
            "家庭财产情况",
            "申请理由",
            "申请人签字",
            "申请日期",
        ],
        SAMPLE_NOTE,
    ),
    "departments/housing/2025/files/公租房申请表.pdf": pdf_form(
        "青禾区公共租赁住房申请表",
        [
            "申请人姓名",
            "身份证件号码",
            "工作单位",
            "现居住地址",
            "联系方式",
            "共同申请人",
            "家庭人均月收入（元）",
            "现住房情况",
            "申请房型",
            "申请人承诺签字",
            "申请日期",
        ],
        SAMPLE_NOTE,
    ),
    "departments/edu/2025/files/enrollment-registration-form.docx": docx_form(
        "青禾区义务教育阶段新生入学登记表",
        [
            "学生姓名",
            "性别",
            "出生日期",
            "身份证件号码",
            "户籍地址",
            "实际居住地址",
            "房产或居住证明",
            "监护人姓名",
            "监护人联系方式",
            "报名学校",
            "监护人签字",
        ],
        SAMPLE_NOTE,
    ),
    "departments/hrss/2025/files/2025年事业单位公开招聘岗位表.xlsx": xlsx_table(
        "招聘岗位表",
        [
            ["岗位代码", "招聘单位", "岗位名称", "招聘人数", "学历要求", "专业要求", "其他条件"],
            [
                "QH2501",
                "青禾区政务服务中心",
                "综合管理",
                2,
                "大学本科及以上",
                "不限",
                "取得相应学位",
            ],
            [
                "QH2502",
                "青禾区城市建设服务中心",
                "工程技术",
                2,
                "大学本科及以上",
                "土木工程、建筑学",
                "取得相应学位",
            ],
            [
                "QH2503",
                "青禾区疾病预防控制中心",
                "公共卫生",
                2,
                "大学本科及以上",
                "预防医学",
                "取得相应学位",
            ],
            [
                "QH2504",
                "青禾区社会福利中心",
                "社会工作",
                1,
                "大学本科及以上",
                "社会工作、社会学",
                "持有社会工作者职业资格证书者优先",
            ],
            [
                "QH2505",
                "青禾区就业服务中心",
                "就业服务",
                1,
                "大学本科及以上",
                "人力资源管理",
                "取得相应学位",
            ],
            [
                "QH2506",
                "青禾区融媒体中心",
                "新闻采编",
                1,
                "大学本科及以上",
                "新闻学、汉语言文学",
                "取得相应学位",
            ],
        ],
    ),
}


# --------------------------------------------------------------------------------------------


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def generate(content: Path, corpus_path: Path | None) -> list[Path]:
    outputs: dict[Path, bytes] = {content / name: data for name, data in ATTACHMENTS.items()}
    if corpus_path is not None:
        corpus = load_corpus(corpus_path)
        for regulation in REGULATIONS:
            law = find_law(corpus, regulation.corpus_title, regulation.corpus_marker)
            outputs[content / regulation.path] = regulation_record(regulation, law).encode("utf-8")
    return [path for path, data in sorted(outputs.items()) if write_if_changed(path, data)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=REPO_ROOT / "content")
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="laws.jsonl；不存在时只生成附件"
    )
    args = parser.parse_args(argv)
    corpus = args.corpus if args.corpus.is_file() else None
    if corpus is None:
        print(f"未找到语料 {args.corpus}，只生成附件。", file=sys.stderr)
    for path in generate(args.content, corpus):
        print(f"已写入 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
