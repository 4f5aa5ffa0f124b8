"""The register's vocabulary and frozen values: one application (申请) and its history.

The register is private: these values hold personal data (name, contact, the information asked
for). Only :mod:`generator.register.stats` turns them into something publishable, and only
counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

CHANNELS = ("当面", "邮寄", "传真", "电子邮件", "网络")

# The six applicant columns of 表三, in the national column order.
APPLICANT_TYPES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

# How the day of receipt was determined (条例第三十一条), and the channels each basis fits.
RECEIPT_BASES = {
    "当面提交之日": ("当面",),
    "签收之日": ("邮寄",),
    "双方确认之日": ("邮寄", "传真", "电子邮件", "网络"),
}
DEFAULT_BASIS = {
    "当面": "当面提交之日",
    "邮寄": "签收之日",
    "传真": "双方确认之日",
    "电子邮件": "双方确认之日",
    "网络": "双方确认之日",
}

# The 23 leaf result rows of 表三, in the report's order: key → (group, Chinese row text).
OUTCOMES: dict[str, tuple[str, str]] = {
    "granted": ("予以公开", "予以公开"),
    "partly_granted": ("部分公开", "部分公开（区分处理）"),
    "refused_state_secret": ("不予公开", "属于国家秘密"),
    "refused_prohibited_by_law": ("不予公开", "其他法律行政法规禁止公开"),
    "refused_security_stability": ("不予公开", "危及“三安全一稳定”"),
    "refused_third_party": ("不予公开", "保护第三方合法权益"),
    "refused_internal_affairs": ("不予公开", "属于三类内部事务信息"),
    "refused_process_info": ("不予公开", "属于四类过程性信息"),
    "refused_enforcement_file": ("不予公开", "属于行政执法案卷"),
    "refused_inquiry": ("不予公开", "属于行政查询事项"),
    "unavailable_not_held": ("无法提供", "本机关不掌握相关政府信息"),
    "unavailable_needs_creation": ("无法提供", "没有现成信息需要另行制作"),
    "unavailable_unclear": ("无法提供", "补正后申请内容仍不明确"),
    "rejected_petition": ("不予处理", "信访举报投诉类申请"),
    "rejected_repeat": ("不予处理", "重复申请"),
    "rejected_publication": ("不予处理", "要求提供公开出版物"),
    "rejected_mass_repeat": ("不予处理", "无正当理由大量反复申请"),
    "rejected_confirmation": ("不予处理", "要求行政机关确认或重新出具已获取信息"),
    "other_no_correction": ("其他处理", "申请人无正当理由逾期不补正、行政机关不再处理"),
    "other_no_fee": ("其他处理", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理"),
    "other": ("其他处理", "其他"),
}

EVENT_KINDS: dict[str, str] = {
    "correction_requested": "告知补正",
    "correction_received": "收到补正",
    "consultation_sent": "征求第三方意见",
    "consultation_answered": "第三方答复意见",
    "extension_approved": "批准延期答复",
    "fee_notice": "发出收费通知",
    "fee_paid": "申请人缴费",
    "transferred": "转送",
    "answered": "作出答复",
}


@dataclass(frozen=True)
class Event:
    kind: str  # a key of EVENT_KINDS
    date: dt.date
    note: str = ""
    outcome: str = ""  # answered: a key of OUTCOMES
    days: int = 0  # extension_approved: working days added (0: the site's maximum)
    reason: str = ""  # extension_approved, answered (不予公开 …): the reason given
    party: str = ""  # consultation_*: the third party; transferred / not held: the other body
    amount: str = ""  # fee_notice: the amount in 元, as written
    deadline: dt.date | None = None  # correction_requested: the applicant's 补正期限

    @property
    def label(self) -> str:
        return EVENT_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Application:
    """One application for disclosure (政府信息公开申请), as registered."""

    id: str  # 登记号, YYYY-NNNN
    body: str  # the body that answers and reports it: "government" or a department id
    channel: str
    received: dt.date
    received_basis: str
    applicant_type: str
    name: str
    contact: str
    subject: str
    form: str = ""  # 获取信息的方式 the applicant asked for
    events: tuple[Event, ...] = ()
    source: str = ""  # the register file, for messages

    @property
    def answer(self) -> Event | None:
        return next((e for e in self.events if e.kind == "answered"), None)

    def answered_by(self, day: dt.date) -> bool:
        answer = self.answer
        return answer is not None and answer.date <= day


@dataclass(frozen=True)
class Register:
    applications: tuple[Application, ...] = field(default=())

    def get(self, app_id: str) -> Application | None:
        return next((a for a in self.applications if a.id == app_id), None)
