"""`catalog new-report`: an annual-report file with every row present, ready to fill in.

What the catalog already knows is filled in: the next free 索引号, 上年结转 copied from last
year's 结转下年度 of the same body, and 表二's 规章/行政规范性文件 counts computed from the records.
Everything else is zero or a "（请填写…）" placeholder that validates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from generator.content.load import parse_yaml
from generator.content.report_checks import (
    NORMATIVE_FORMS,
    RULE_FORMS,
    document_counts,
    due_date,
)
from generator.content.reports import (
    REPORTS_DIR,
    body_department,
    load_report_schema,
)
from generator.content.schema_problems import schema_problems
from generator.content.validate import check_content
from generator.core.annual_reports import (
    GOVERNMENT,
    OVERVIEW_PARTS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
)
from generator.core.records import Catalog, Record
from generator.core.settings import Settings
from generator.workflow.scaffold import NewFile, ScaffoldError, existing_ids, next_record_id

TODO = "（请填写…）"


def plan_report(
    settings: Settings,
    year: int,
    body: str,
    published: date | None,
    table3: Mapping[str, Sequence[int]] | None = None,
) -> NewFile:
    """The report file `catalog new-report` would create; nothing is written. ``table3``: the
    rows counted from the register of applications (``register.stats``), when there is one."""
    checked = check_content(settings)
    catalog = checked.catalog
    if catalog is None:
        raise ScaffoldError("site.yml 有错误，请先运行 catalog validate 并修正。")
    if body != GOVERNMENT and body not in catalog.departments:
        choices = "、".join([GOVERNMENT, *catalog.departments])
        raise ScaffoldError(f"未知主体“{body}”。--body 应为 {choices} 之一。")
    department_id = body_department(body, catalog.site)
    department = catalog.departments.get(department_id)
    if department is None:
        raise ScaffoldError(
            "site.yml 没有写 government_department（本级政府信息所在部门），"
            "无法给本级政府的报告编排索引号。请先在 site.yml 中写明，例如 government_department: office。"
        )
    path = settings.content_dir / REPORTS_DIR / str(year) / f"{body}.yml"
    if path.exists():
        raise ScaffoldError(f"{path} 已存在，请直接修改它。")
    published = published or min(settings.today, due_date(year, body))
    ids = existing_ids(settings.content_dir, settings.max_file_bytes)  # report ids included
    values: dict[str, str | int] = {
        "org_code": department.org_code,
        "year": published.year,
        "area_code": catalog.site.area_code,
        "department": department_id,
    }
    record_id = next_record_id(catalog.site.id_template, values, ids)
    records = [*catalog.records, *catalog.scheduled]
    text = report_text(year, body, record_id, published, catalog, records, table3)
    _self_check(text, settings)
    return NewFile(path, text, record_id)


def _row(numbers: Sequence[object]) -> str:
    return "[" + ", ".join(str(n) for n in numbers) + "]"


def report_text(
    year: int,
    body: str,
    record_id: str,
    published: date,
    catalog: Catalog,
    records: Sequence[Record],
    table3: Mapping[str, Sequence[int]] | None = None,
) -> str:
    department = body_department(body, catalog.site)
    name = catalog.site.name if body == GOVERNMENT else catalog.departments[body].name
    previous = next((r for r in catalog.reports if (r.year, r.body) == (year - 1, body)), None)
    carried = previous.row("carried_forward") if previous else (0,) * 7
    normative = document_counts(records, department, year, NORMATIVE_FORMS)
    rules = document_counts(records, department, year, RULE_FORMS)
    supervision = (
        "（请填写…：本级政府还应写工作考核、社会评议和责任追究结果）"
        if body == GOVERNMENT
        else TODO
    )
    lines = [
        f"# {name}{year}年政府信息公开工作年度报告",
        "# 格式依照国办公开办函〔2021〕30号。写好后运行 catalog validate：它核对表三、表四的",
        "# 勾稽关系（一 + 二 = 三（七）+ 四，总计 = 各列之和）、上年结转和表二与目录是否一致。",
        f"id: {record_id}   # 索引号：本报告作为一条目录信息的编号，发布后不得更改",
        f'published: "{published.isoformat()}"   # 发布日期；'
        + (
            "本级政府应于次年 3 月 31 日前公布"
            if body == GOVERNMENT
            else "部门应于次年 1 月 31 日前公布"
        ),
        "",
        "overview:   # 一、总体情况（Markdown，可分段）",
        f"  summary: {TODO}",
    ]
    for key, label in OVERVIEW_PARTS:
        lines.append(f"  {key}: {supervision if key == 'supervision' else TODO}   # {label}")
    lines += [
        "",
        "table2:   # 二、主动公开政府信息情况（规章、规范性文件已按目录计算）",
        f"  rules: {_row(rules)}        # 规章：本年制发件数, 本年废止件数, 现行有效件数",
        f"  normative: {_row(normative)}    # 行政规范性文件：本年制发件数, 本年废止件数, 现行有效件数",
        "  licensing: 0     # 第（五）项 行政许可：本年处理决定数量",
        "  penalty: 0       # 第（六）项 行政处罚：本年处理决定数量",
        "  enforcement: 0   # 第（六）项 行政强制：本年处理决定数量",
        "  fees: 0          # 第（八）项 行政事业性收费：本年收费金额（万元）",
        "",
        "# 三、收到和处理政府信息公开申请情况。每行 7 个数字：" + "、".join(TABLE3_COLUMNS),
        "table3:",
    ]
    width = max(len(row.key) for row in TABLE3_ROWS) + 2
    for row in TABLE3_ROWS:
        numbers = carried if row.key == "carried_over" else (0,) * 7
        if table3 is not None:
            numbers = tuple(table3[row.key])
        lines.append(f"  {(row.key + ':').ljust(width)}{_row(numbers)}   # {row.name}")
    lines += [
        "",
        "# 四、政府信息公开行政复议、行政诉讼情况。每行 5 个数字：" + "、".join(TABLE4_COLUMNS),
    ]
    lines.append("table4:")
    for key, label in TABLE4_GROUPS:
        group = label if key == "review" else f"行政诉讼·{label}"
        lines.append(f"  {(key + ':').ljust(26)}[0, 0, 0, 0, 0]   # {group}")
    lines += [
        "",
        f"problems: {TODO}   # 五、存在的主要问题及改进情况",
        f"other: {TODO}   # 六、其他需要报告的事项（信息处理费收取情况等）",
    ]
    return "\n".join(lines) + "\n"


def _self_check(text: str, settings: Settings) -> None:
    """What we generate must pass the schema (a bug in the template otherwise)."""
    located = parse_yaml(text, "new")[0]
    assert located is not None, "generated YAML must parse"
    schema = load_report_schema(settings.schema_dir)
    problems = schema_problems(schema.validator, located, "new", schema.titles)
    if problems:
        raise ScaffoldError("；".join(p.message for p in problems))
