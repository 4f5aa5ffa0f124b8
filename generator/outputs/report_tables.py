"""Each annual report's 表二–表四 as downloads: CSV (UTF-8 with BOM, as ``catalog.csv``) and XLSX.

Both hold the same rows, named in the printed table's own words, so a spreadsheet opened from
either shows the numbers of the report page.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

from generator.core.annual_reports import (
    TABLE2_DECISION_ROWS,
    TABLE2_DOCUMENT_COLUMNS,
    TABLE2_DOCUMENT_ROWS,
    TABLE2_FEE,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    AnnualReport,
)
from generator.core.records import Catalog
from generator.pages.reports import download_path

Cell = str | int | float
Sheet = tuple[str, list[list[Cell]]]  # (title, rows); the first row is the header


def table2_sheet(report: AnnualReport) -> Sheet:
    t2 = report.table2
    documents = {"rules": t2.rules, "normative": t2.normative}
    decisions = {"licensing": t2.licensing, "penalty": t2.penalty, "enforcement": t2.enforcement}
    rows: list[list[Cell]] = [["条目", "信息内容", *TABLE2_DOCUMENT_COLUMNS]]
    rows += [["第二十条第（一）项", label, *documents[key]] for key, label in TABLE2_DOCUMENT_ROWS]
    rows.append(["条目", "信息内容", "本年处理决定数量"])
    rows += [[item, label, decisions[key]] for key, label, item in TABLE2_DECISION_ROWS]
    rows.append(["条目", "信息内容", "本年收费金额（单位：万元）"])
    rows.append([TABLE2_FEE[2], TABLE2_FEE[1], float(t2.fees)])
    return "表二 主动公开政府信息情况", rows


def table3_sheet(report: AnnualReport) -> Sheet:
    values = dict(report.table3)
    rows: list[list[Cell]] = [["项目", *TABLE3_COLUMNS]]
    rows += [[row.name, *values[row.key]] for row in TABLE3_ROWS]
    return "表三 收到和处理政府信息公开申请情况", rows


def table4_sheet(report: AnnualReport) -> Sheet:
    names = dict(TABLE4_GROUPS)
    rows: list[list[Cell]] = [["类别", *TABLE4_COLUMNS]]
    for key, cells in report.table4:
        rows.append([names[key] if key == "review" else f"行政诉讼·{names[key]}", *cells])
    return "表四 政府信息公开行政复议、行政诉讼情况", rows


def report_sheets(report: AnnualReport) -> list[Sheet]:
    return [table2_sheet(report), table3_sheet(report), table4_sheet(report)]


def report_csv(report: AnnualReport) -> bytes:
    """The three tables one after another, each under its title, a blank line between."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([report.title])
    for title, rows in report_sheets(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def report_xlsx(report: AnnualReport) -> bytes:
    """One sheet per table; the same bytes for the same report (fixed dates inside and out)."""
    # Imported here: openpyxl takes ~0.5 s to import, and most builds have no reports.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    stamp = datetime(report.published.year, report.published.month, report.published.day)
    book.properties.creator = report.body_name
    book.properties.title = report.title
    book.properties.created = book.properties.modified = stamp
    for title, rows in report_sheets(report):
        sheet = book.create_sheet(title.split(" ")[0])
        sheet.append([title])
        sheet["A1"].font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 46
        for cells in sheet.iter_rows(min_row=2, max_col=1):
            cells[0].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip_dates(buffer.getvalue(), stamp)


def fixed_zip_dates(data: bytes, stamp: datetime) -> bytes:
    """openpyxl stamps each zip member with the time of writing: rewrite them with ``stamp``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    return out.getvalue()


def plan_report_tables(catalog: Catalog) -> dict[str, bytes]:
    files = {}
    for report in catalog.reports:
        files[download_path(report, "csv")] = report_csv(report)
        files[download_path(report, "xlsx")] = report_xlsx(report)
    return files


def write_report_tables(catalog: Catalog, site_dir: Path) -> list[Path]:
    """A site step: the downloads of every published report."""
    written = []
    for relative, data in plan_report_tables(catalog).items():
        target = Path(site_dir) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written
