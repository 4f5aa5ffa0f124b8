"""Cross-checks of annual reports (勾稽关系): the tables' arithmetic, last year's carry-over,
表二 against the catalog, the publication deadlines and reports that are missing.

Every message names the row and column in the printed table's own words and shows the sums.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from generator.content.reports import REPORTS_DIR
from generator.core.annual_reports import (
    APPLICANT_COLUMNS,
    GOVERNMENT,
    RESULT_KEYS,
    TABLE3_BY_KEY,
    TABLE3_COLUMNS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    AnnualReport,
)
from generator.core.problems import Problem, error, warning
from generator.core.records import Department, Record

NORMATIVE_FORMS = frozenset({"行政规范性文件", "规范性文件"})
RULE_FORMS = frozenset({"规章", "政府规章"})


def number(value: int) -> str:
    return f"{value:,}"


def check_reports(
    reports: Sequence[AnnualReport],
    records: Sequence[Record],
    departments: Mapping[str, Department],
    today: date,
    content_shown: str,
) -> list[Problem]:
    problems: list[Problem] = []
    by_key = {(r.year, r.body): r for r in reports}
    documents = counted_documents(records) if reports else []
    for report in reports:
        problems += balance(report)
        problems += carry_over(report, by_key.get((report.year - 1, report.body)))
        problems += catalog_counts(report, documents)
        problems += deadline(report)
    if reports:  # a site that publishes its reports here: every body's is expected
        problems += missing(by_key, departments, today, content_shown)
    return problems


# ---------------------------------------------------------------- arithmetic (report-balance)


def balance(report: AnnualReport) -> list[Problem]:
    return row_totals(report) + result_totals(report) + equation(report) + table4_totals(report)


def _row_problem(report: AnnualReport, key: str, message: str, cell: int | None = None) -> Problem:
    """Located at the row, or at the one number of it (``cell``) the message is about."""
    where = f"table3.{key}[{cell}]" if cell is not None else ""
    line, column = report.positions.get(where) or report.position(f"table3.{key}")
    return error(report.source, line, column, "report-balance", f"table3.{key}", message)


def row_totals(report: AnnualReport) -> list[Problem]:
    """总计 = the six applicant columns, on every row."""
    problems = []
    for key, cells in report.table3:
        parts, total = cells[:APPLICANT_COLUMNS], cells[APPLICANT_COLUMNS]
        if sum(parts) != total:
            terms = " + ".join(number(v) for v in parts)
            problems.append(
                _row_problem(
                    report,
                    key,
                    f"表三“{TABLE3_BY_KEY[key].name}”一行：自然人至其他六列之和 {terms} = "
                    f"{number(sum(parts))}，“总计”列写的是 {number(total)}，相差 "
                    f"{number(abs(sum(parts) - total))}。请核对该行各列，总计应为六列之和。",
                    APPLICANT_COLUMNS,
                )
            )
    return problems


def result_totals(report: AnnualReport) -> list[Problem]:
    """三（七）总计 = the 23 result rows, in each column."""
    rows = dict(report.table3)
    problems = []
    for column, name in enumerate(TABLE3_COLUMNS):
        counted = sum(rows[key][column] for key in RESULT_KEYS)
        written = rows["total"][column]
        if counted != written:
            problems.append(
                _row_problem(
                    report,
                    "total",
                    f"表三“{name}”列：三（一）至（六）各项办理结果之和 = {number(counted)}，"
                    f"“三（七）总计”写的是 {number(written)}，相差 {number(abs(counted - written))}。"
                    "请核对该列各项办理结果，或改正总计。",
                    column,
                )
            )
    return problems


def equation(report: AnnualReport) -> list[Problem]:
    """一 + 二 = 三（七）+ 四, in each column (the header of 表三 prints this rule)."""
    rows = dict(report.table3)
    problems = []
    for column, name in enumerate(TABLE3_COLUMNS):
        received = rows["new"][column] + rows["carried_over"][column]
        handled = rows["total"][column] + rows["carried_forward"][column]
        if received != handled:
            problems.append(
                _row_problem(
                    report,
                    "new",
                    f"表三“{name}”列：一 + 二 = {number(received)}，三（七）+ 四 = "
                    f"{number(handled)}，相差 {number(abs(received - handled))}。本年新收加上年结转"
                    "应等于办理结果总计加结转下年度：请核对这一列的“一、本年新收”“二、上年结转”"
                    "“三（七）总计”“四、结转下年度继续办理”。",
                    column,
                )
            )
    return problems


def table4_totals(report: AnnualReport) -> list[Problem]:
    names = dict(TABLE4_GROUPS)
    problems = []
    for key, cells in report.table4:
        parts, total = cells[:4], cells[4]
        if sum(parts) != total:
            terms = " + ".join(
                f"{c} {number(v)}" for c, v in zip(TABLE4_COLUMNS, parts, strict=False)
            )
            line, column = report.position(f"table4.{key}")
            group = names[key] if key == "review" else f"行政诉讼·{names[key]}"
            problems.append(
                error(
                    report.source,
                    line,
                    column,
                    "report-balance",
                    f"table4.{key}",
                    f"表四“{group}”：{terms} = {number(sum(parts))}，“总计”写的是 "
                    f"{number(total)}，相差 {number(abs(sum(parts) - total))}。总计应为四种结果之和。",
                )
            )
    return problems


# ---------------------------------------------------------------- last year (report-carry-over)


def carry_over(report: AnnualReport, previous: AnnualReport | None) -> list[Problem]:
    if previous is None:
        return []
    now, before = report.row("carried_over"), previous.row("carried_forward")
    if now == before:
        return []
    differing = "；".join(
        f"“{name}”列本报告 {number(a)}、上年 {number(b)}"
        for name, a, b in zip(TABLE3_COLUMNS, now, before, strict=True)
        if a != b
    )
    line, column = report.position("table3.carried_over")
    previous_line = previous.position("table3.carried_forward")[0]
    return [
        error(
            report.source,
            line,
            column,
            "report-carry-over",
            "table3.carried_over",
            f"表三“二、上年结转政府信息公开申请数量”应等于 {previous.year} 年报告（{previous.source} "
            f"第 {previous_line} 行）的“四、结转下年度继续办理”：{differing}。"
            f"请把这一行改为 {list(before)}，或改正上年报告。",
        )
    ]


# ---------------------------------------------------------------- 表二 against the catalog


def counted_documents(records: Sequence[Record]) -> list[Record]:
    """The records 表二 counts and the ones that repealed them: one pass over a large catalog
    instead of one per report."""
    marked = [r for r in records if (r.form or "") in NORMATIVE_FORMS | RULE_FORMS]
    replacements = {r.repealed_by for r in marked if r.repealed_by}
    return marked + [r for r in records if r.id in replacements and r not in marked]


def document_counts(
    records: Iterable[Record], department: str, year: int, forms: frozenset[str]
) -> tuple[int, int, int]:
    """(written in ``year``, repealed or expired in it, in force on 31 Dec) of a body's documents.

    A document ends on its ``expires`` date or, when repealed, on the date its replacement was
    written; a repealed document whose end is not known is no longer counted as in force.
    """
    chosen = [r for r in records if r.department == department and (r.form or "") in forms]
    by_id = {r.id: r for r in records}
    year_end = date(year, 12, 31)
    issued = repealed = in_force = 0
    for record in chosen:
        end = end_date(record, by_id)
        issued += record.written.year == year
        repealed += end is not None and end.year == year
        started = record.written <= year_end
        ended = end <= year_end if end is not None else record.validity != "valid"
        in_force += started and not ended
    return issued, repealed, in_force


def end_date(record: Record, by_id: Mapping[str, Record]) -> date | None:
    if record.expires is not None and record.validity != "valid":
        return record.expires
    replacement = by_id.get(record.repealed_by or "")
    if record.validity in ("repealed", "amended") and replacement is not None:
        return replacement.written
    return None


def catalog_counts(report: AnnualReport, records: Sequence[Record]) -> list[Problem]:
    problems = []
    for key, label, forms, written in (
        ("normative", "行政规范性文件", NORMATIVE_FORMS, report.table2.normative),
        ("rules", "规章", RULE_FORMS, report.table2.rules),
    ):
        counted = document_counts(records, report.department, report.year, forms)
        if counted == tuple(written):
            continue
        line, column = report.position(f"table2.{key}")
        problems.append(
            warning(
                report.source,
                line,
                column,
                "report-catalog",
                f"table2.{key}",
                f"表二第二十条第（一）项“{label}”写的是 本年制发 {written[0]}、本年废止 "
                f"{written[1]}、现行有效 {written[2]}，目录中 {report.department} 部门 form"
                f"（公文种类）为“{'或'.join(sorted(forms))}”的信息按 {report.year} 年计算为 本年制发 "
                f"{counted[0]}、本年废止 {counted[1]}、现行有效 {counted[2]}。请核对报告，"
                "或补全目录中这些文件的 form、validity、repealed_by 和 expires。"
                f"按目录应写 {key}: {list(counted)}。",
            )
        )
    return problems


# ---------------------------------------------------------------- deadlines (条例第四十九条)


def due_date(year: int, body: str) -> date:
    """Departments publish by 31 January, the people's government by 31 March."""
    return date(year + 1, 3, 31) if body == GOVERNMENT else date(year + 1, 1, 31)


def deadline(report: AnnualReport) -> list[Problem]:
    due = due_date(report.year, report.body)
    if report.published <= due:
        return []
    who = "本级人民政府" if report.body == GOVERNMENT else "政府部门"
    line, column = report.position("published")
    late = (report.published - due).days
    return [
        warning(
            report.source,
            line,
            column,
            "report-deadline",
            "published",
            f"published（发布日期）{report.published.isoformat()} 晚于法定期限 {due.isoformat()}"
            f"（条例第四十九条：{who}应于每年 {due.month} 月 31 日前公布上一年度报告），"
            f"晚了 {late} 天。如发布日期写错请改正；确实逾期的，请在“六、其他需要报告的事项”中说明。",
        )
    ]


def missing(
    by_key: Mapping[tuple[int, str], AnnualReport],
    departments: Mapping[str, Department],
    today: date,
    content_shown: str,
) -> list[Problem]:
    """Last year's report of each body, once its deadline has passed."""
    year = today.year - 1
    problems = []
    for body in (GOVERNMENT, *departments):
        due = due_date(year, body)
        if today <= due or (year, body) in by_key:
            continue
        name = "本级政府" if body == GOVERNMENT else departments[body].name
        shown = f"{content_shown}/{REPORTS_DIR}/{year}/{body}.yml"
        problems.append(
            warning(
                shown,
                1,
                1,
                "report-missing",
                None,
                f"{name} {year} 年政府信息公开工作年度报告应于 {due.isoformat()} 前公布，"
                f"但找不到 {shown}。请用 `catalog new-report --year {year} --body {body}` "
                "生成报告文件，填写后提交。",
            )
        )
    return problems
