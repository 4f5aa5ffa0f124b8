"""The annual report (政府信息公开工作年度报告) as a frozen value, and its national layout.

The layout is fixed by 国办公开办函〔2021〕30号: six sections, 表二, 表三 (seven applicant
columns, 25 rows) and 表四 (three groups of five). The keys are the ones the content files, the
register's ``stats`` and every check share; the labels are the printed table's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

GOVERNMENT = "government"  # the body key of the district government's own report

TABLE3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
APPLICANT_COLUMNS = 6  # the first six; the seventh is their 总计


@dataclass(frozen=True)
class Table3Row:
    key: str
    label: str  # the row's own words in the printed table
    group: str = ""  # （三）不予公开 … for an item of a block; "" for a top-level row
    number: str = ""  # 1. 2. … inside a block

    @property
    def name(self) -> str:
        """The row as messages name it: ``三（三）不予公开 4.保护第三方合法权益``."""
        if self.number:
            return f"三{self.group} {self.number}.{self.label}"
        return f"三{self.label}" if self.group else self.label


def _items(group: str, keys_labels: tuple[tuple[str, str], ...]) -> tuple[Table3Row, ...]:
    return tuple(
        Table3Row(key, label, group, str(n)) for n, (key, label) in enumerate(keys_labels, 1)
    )


TABLE3_ROWS: tuple[Table3Row, ...] = (
    Table3Row("new", "一、本年新收政府信息公开申请数量"),
    Table3Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Table3Row("granted", "（一）予以公开", "三、本年度办理结果"),
    Table3Row(
        "partly_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "三、本年度办理结果",
    ),
    *_items(
        "（三）不予公开",
        (
            ("refused_state_secret", "属于国家秘密"),
            ("refused_prohibited_by_law", "其他法律行政法规禁止公开"),
            ("refused_security_stability", "危及“三安全一稳定”"),
            ("refused_third_party", "保护第三方合法权益"),
            ("refused_internal_affairs", "属于三类内部事务信息"),
            ("refused_process_info", "属于四类过程性信息"),
            ("refused_enforcement_file", "属于行政执法案卷"),
            ("refused_inquiry", "属于行政查询事项"),
        ),
    ),
    *_items(
        "（四）无法提供",
        (
            ("unavailable_not_held", "本机关不掌握相关政府信息"),
            ("unavailable_needs_creation", "没有现成信息需要另行制作"),
            ("unavailable_unclear", "补正后申请内容仍不明确"),
        ),
    ),
    *_items(
        "（五）不予处理",
        (
            ("rejected_petition", "信访举报投诉类申请"),
            ("rejected_repeat", "重复申请"),
            ("rejected_publication", "要求提供公开出版物"),
            ("rejected_mass_repeat", "无正当理由大量反复申请"),
            ("rejected_confirmation", "要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    *_items(
        "（六）其他处理",
        (
            (
                "other_no_correction",
                "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ),
            (
                "other_no_fee",
                "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ),
            ("other", "其他"),
        ),
    ),
    Table3Row("total", "（七）总计", "三、本年度办理结果"),
    Table3Row("carried_forward", "四、结转下年度继续办理"),
)
TABLE3_KEYS = tuple(row.key for row in TABLE3_ROWS)
TABLE3_BY_KEY = {row.key: row for row in TABLE3_ROWS}
# The register's answer outcomes: the 23 result rows from 予以公开 to 其他 (not （七）总计).
RESULT_KEYS = TABLE3_KEYS[2:-2]

# 表二: 第二十条第（一）项 rows have three counts; the others one number each.
TABLE2_DOCUMENT_ROWS = (("rules", "规章"), ("normative", "行政规范性文件"))
TABLE2_DOCUMENT_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
TABLE2_DECISION_ROWS = (
    ("licensing", "行政许可", "第二十条第（五）项"),
    ("penalty", "行政处罚", "第二十条第（六）项"),
    ("enforcement", "行政强制", "第二十条第（六）项"),
)
TABLE2_FEE = ("fees", "行政事业性收费", "第二十条第（八）项")

TABLE4_GROUPS = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
TABLE4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

OVERVIEW_PARTS = (
    ("proactive", "（一）主动公开"),
    ("requests", "（二）依申请公开"),
    ("management", "（三）政府信息管理"),
    ("platform", "（四）平台建设"),
    ("supervision", "（五）监督保障"),
)
SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


@dataclass(frozen=True)
class Table2:
    rules: tuple[int, int, int] = (0, 0, 0)  # 本年制发, 本年废止, 现行有效
    normative: tuple[int, int, int] = (0, 0, 0)
    licensing: int = 0
    penalty: int = 0
    enforcement: int = 0
    fees: Decimal = Decimal(0)  # 万元


@dataclass(frozen=True)
class AnnualReport:
    year: int
    body: str  # GOVERNMENT or a department id
    body_name: str  # 青禾区人民政府, 青禾区教育局 …
    published: date
    record_id: str  # 索引号 of the report as a catalog record
    department: str  # the department whose catalog lists it (the government's: site.yml)
    overview_intro: str
    overview: tuple[tuple[str, str], ...]  # (key, Markdown) in OVERVIEW_PARTS order
    problems: str  # 五 (Markdown)
    other: str  # 六 (Markdown)
    table2: Table2
    table3: tuple[tuple[str, tuple[int, ...]], ...]  # (key, seven numbers) in TABLE3_ROWS order
    table4: tuple[tuple[str, tuple[int, ...]], ...]  # (group key, five numbers)
    source: str  # path of the YAML file as shown in messages
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str:
        return f"{self.body_name}{self.year}年政府信息公开工作年度报告"

    @property
    def slug(self) -> str:
        return f"{self.year}/{self.body}"

    def row(self, key: str) -> tuple[int, ...]:
        return dict(self.table3)[key]

    def position(self, path: str) -> tuple[int, int]:
        return self.positions.get(path) or (1, 1)
