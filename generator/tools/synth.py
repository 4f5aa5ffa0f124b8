"""Synthetic content trees for benchmarks: N realistic records that validate clean.

``catalog synth --records N --out DIR [--seed S]`` copies ``site.yml`` and every
``department.yml`` (plus the departments' sample attachments) from the sample ``content/`` and
writes N records over those departments and all nine categories:

- titles, 文号 and dates from ``../shared/corpus/policies.jsonl``: provincial documents are
  re-issued by the department (issuer and 机关代字 rewritten, serials per department and year),
  State Council documents are reposted with their real 文号; non-canonical 文号 are normalised and
  unrecognisable ones dropped, so no ``doc-number`` warning is produced;
- dates moved into 2019–2025 (inside the holiday data), published 0–15 working days after
  written (Art. 26 allows 20);
- bodies: 1–8 KB slices of ``laws.jsonl`` at paragraph boundaries, without contact details;
- the category blocks (service / project / contacts), interpretations linked by ``interprets``
  (and by a relative link), ``related`` and ``repealed_by`` references to earlier records.

Records are planned one after another from one seeded generator, and each depends only on the
records before it: the same seed gives the same bytes, and ``plan_records(n + 1)`` starts with the
``n`` records of ``plan_records(n)`` (the benchmark adds "one more record" that way).
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import rjieba
import yaml

from generator.content.body_checks import check_html
from generator.content.docnumber import is_recognized_doc_number, normalize_doc_number
from generator.content.load import unsafe_characters
from generator.content.pii import find_pii
from generator.content.workdays import HolidayCalendar
from generator.core.settings import REPO_ROOT

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_BASE = REPO_ROOT / "content"
FIRST_YEAR, LAST_YEAR = 2019, 2025  # inside catalog_schema/holidays.yml, before "today"
MIN_BODY, MAX_BODY = 1024, 8192  # UTF-8 bytes

# Category shares of a district catalog (policies dominate, supervision is rare).
CATEGORY_WEIGHTS = {
    "policies": 34, "services": 12, "public-interest": 11, "rights-affecting": 9,
    "hot-topics": 8, "livelihood": 7, "commitments": 7, "supervision": 6, "duties": 6,
}  # fmt: skip
INTERPRETATION_SHARE = 0.06
RELATED_SHARE = 0.08
REPEALED_SHARE = 0.03
EXPIRED_SHARE = 0.02
ATTACHMENT_SHARE = 0.05
EXTRA_CHANNELS = ("gazette", "reading-room", "notice-board", "screen", "service-center", "press")
GENRES = ("通知", "意见", "办法", "决定", "批复", "通报", "规定", "条例", "方案", "公告", "通告")
STOP_WORDS = frozenset(
    {
        "关于",
        "印发",
        "通知",
        "的",
        "和",
        "及",
        "与",
        "有关",
        "问题",
        "工作",
        "进一步",
        "加强",
        "实施",
        "意见",
        "办法",
        "转发",
        "批复",
        "同意",
        "做好",
        "我区",
        "全区",
        "本区",
        "我省",
        "全省",
        "本市",
        "全市",
        "开展",
        "推进",
    }
)

_ORGAN = "人民政府|办公厅|办公室|委员会|政府|厅|局|委|部|署|院"
_ISSUER = re.compile(
    rf"^(?P<issuer>[^关]{{2,40}}?(?:{_ORGAN}))(?P<rest>(?:关于|转发|批转|印发).+)$"
)
_YEAR_IN_NUMBER = re.compile(r"〔[0-9]{4}〕")
_CONTACT = re.compile(
    r"联系人|联系电话|咨询电话|举报电话|投诉电话|电话[:：]|传真|邮箱|信箱|E-?mail|@|https?://|www\.|"
    r"[0-9０-９]{7,}|[0-9]{3,4}[-－][0-9]{7,8}",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[<>`\[\]{}]|^\s*---|^\s*\|?\s*:?-{3,}")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条\s*")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_GOOD_START = re.compile(r"^(?:## |第[一二三四五六七八九十百零〇]+条)")
_LOCAL_WORDS = (
    ("全省", "全区"),
    ("我省", "我区"),
    ("本省", "本区"),
    ("全市", "全区"),
    ("我市", "我区"),
    ("本市", "本区"),
)


class CorpusMissingError(Exception):
    """The corpus files are not where they were looked for."""


class SynthTargetError(Exception):
    """The output directory cannot be used (exists and is not empty)."""


@dataclass(frozen=True)
class Policy:
    title: str
    state_council: bool
    written: date
    published: date
    doc_number: str | None


@dataclass(frozen=True)
class Law:
    title: str
    paragraphs: tuple[str, ...]  # cleaned Markdown paragraphs


@dataclass(frozen=True)
class Corpus:
    policies: tuple[Policy, ...]
    laws: tuple[Law, ...]


@dataclass(frozen=True)
class Profile:
    """What the generator needs to know about one department."""

    id: str
    name: str
    org_code: str
    doc_code: str  # 机关代字 without the kind: 青禾教 → 青禾教发〔2024〕3号
    words: tuple[str, ...]  # title words that send a document to this department
    topics: tuple[str, ...]
    address: str
    hours: str
    phone: str
    email: str
    attachments: tuple[str, ...] = ()  # file names in departments/<id>/files/


@dataclass(frozen=True)
class SynthFile:
    path: str  # relative to the content directory, POSIX
    text: str


@dataclass(frozen=True)
class PlannedRecord:
    id: str
    department: str
    category: str
    slug: str  # <year>/<serial>
    written: date
    published: date
    title: str


@dataclass
class SynthResult:
    out_dir: Path
    records: int
    categories: Counter[str] = field(default_factory=Counter)
    departments: Counter[str] = field(default_factory=Counter)


# The sample district's departments (content/departments/*); an unknown department gets a
# neutral profile, so the generator keeps working when the sample changes.
KNOWN_PROFILES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "office": (
        "青禾政办",
        ("政务公开", "信息公开", "督查", "应急", "表彰", "通报", "办公"),
        ("综合政务\\政务公开", "综合政务\\政务督查", "综合政务\\应急管理", "综合政务\\其他"),
    ),
    "drc": (
        "青禾发改",
        ("发展改革", "投资", "价格", "项目", "能源", "产业", "经济", "改革", "营商"),
        (
            "国民经济管理、国有资产监管\\宏观经济",
            "国民经济管理、国有资产监管\\经济体制改革",
            "国民经济管理、国有资产监管\\物价",
            "国民经济管理、国有资产监管\\重大建设项目",
        ),
    ),
    "edu": (
        "青禾教",
        ("教育", "学校", "招生", "学生", "教师", "高校", "幼儿园", "学前"),
        ("科技、教育\\教育",),
    ),
    "health": (
        "青禾卫健",
        ("卫生", "医疗", "医院", "健康", "疾病", "疫情", "药品", "中医", "医保"),
        ("卫生、体育\\卫生", "卫生、体育\\医药管理"),
    ),
    "housing": (
        "青禾建",
        ("住房", "建设", "建筑", "城乡", "房地产", "物业", "棚户", "工程", "城市"),
        ("城乡建设、环境保护\\城乡建设（含住房）", "城乡建设、环境保护\\城市规划"),
    ),
    "hrss": (
        "青禾人社",
        ("人力资源", "就业", "社会保险", "养老保险", "工资", "人才", "劳动", "职称"),
        ("劳动、人事、监察\\劳动就业", "劳动、人事、监察\\社会保障", "劳动、人事、监察\\人事工作"),
    ),
    "market": (
        "青禾市监",
        ("市场监", "食品", "质量", "商标", "知识产权", "消费", "特种设备", "计量"),
        (
            "市场监管、安全生产监管\\工商",
            "市场监管、安全生产监管\\质量监督",
            "市场监管、安全生产监管\\食品药品监管",
        ),
    ),
    "civil-affairs": (
        "青禾民",
        ("民政", "救助", "养老服务", "殡葬", "婚姻", "慈善", "低保", "残疾人", "老龄", "儿童"),
        ("民政、扶贫、救灾\\社会福利", "民政、扶贫、救灾\\减灾救灾", "民政、扶贫、救灾\\社团管理"),
    ),
    "street-east": (
        "青禾东街",
        ("街道", "社区", "村", "乡镇"),
        ("综合政务\\其他", "民政、扶贫、救灾\\社会福利"),
    ),
}


# --- the corpus ------------------------------------------------------------------------------


def default_corpus_dir() -> Path:
    """``../shared/corpus`` beside the repository (CI lays it beside the clone)."""
    return DEFAULT_CORPUS


def load_corpus(corpus_dir: Path) -> Corpus:
    """Read ``policies.jsonl`` and ``laws.jsonl``; raise CorpusMissingError if either is absent."""
    files = [corpus_dir / "policies.jsonl", corpus_dir / "laws.jsonl"]
    missing = [f.as_posix() for f in files if not f.is_file()]
    if missing:
        raise CorpusMissingError(
            f"找不到语料文件：{'、'.join(missing)}。合成内容需要 policies.jsonl 和 laws.jsonl，"
            f"默认位于仓库旁的 ../shared/corpus/（{DEFAULT_CORPUS.as_posix()}）；"
            "请用 --corpus 指定所在目录。"
        )
    policies = tuple(p for p in map(to_policy, read_jsonl(files[0])) if p is not None)
    laws = tuple(law for law in map(to_law, read_jsonl(files[1])) if law_bytes(law) >= MIN_BODY + 2)
    return Corpus(policies, laws)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def to_policy(row: dict[str, Any]) -> Policy | None:
    try:
        written = date.fromisoformat(str(row["written"])[:10])
        published = date.fromisoformat(str(row["published"])[:10])
    except (KeyError, ValueError):
        return None
    title = plain_line(str(row.get("title") or ""))
    if not title:
        return None
    number = row.get("doc_number")
    return Policy(
        title,
        row.get("issuer_region") == "State Council",
        written,
        published,
        plain_line(number) if isinstance(number, str) and number.strip() else None,
    )


def plain_line(text: str) -> str:
    """One line of ordinary text: no invisible characters, white space runs become one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def to_law(row: dict[str, Any]) -> Law:
    return Law(
        plain_line(str(row.get("title") or "")), clean_paragraphs(str(row.get("text") or ""))
    )


def clean_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs fit for a public record: no contact details, numbers or markup to trip checks."""
    kept = []
    for paragraph in re.split(r"\n\s*\n", _INVISIBLE.sub("", text)):
        paragraph = paragraph.strip()
        if not paragraph or _CONTACT.search(paragraph) or _MARKUP.search(paragraph):
            continue
        if (
            find_pii(paragraph)
            or check_html(paragraph, "-", 1)
            or unsafe_characters(paragraph, "-")
        ):
            continue
        if paragraph.startswith("#"):
            paragraph = "## " + paragraph.lstrip("#").strip()  # record pages own the h1
        kept.append(paragraph)
    return tuple(kept)


def law_bytes(law: Law) -> int:
    return sum(len(p.encode("utf-8")) + 2 for p in law.paragraphs)


# --- departments -----------------------------------------------------------------------------


def load_profiles(base_dir: Path) -> tuple[Profile, ...]:
    """A profile per ``departments/*/department.yml`` under ``base_dir``, sorted by id."""
    profiles = []
    for path in sorted((base_dir / "departments").glob("*/department.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        dept_id = path.parent.name
        doc_code, words, topics = KNOWN_PROFILES.get(
            dept_id, (str(data["name"])[:4], (), ("综合政务\\其他",))
        )
        files = sorted(p.name for p in path.parent.glob("*/files/*") if p.is_file())
        profiles.append(
            Profile(
                id=dept_id,
                name=str(data["name"]),
                org_code=str(data["org_code"]),
                doc_code=doc_code,
                words=words,
                topics=topics,
                address=str(data["address"]),
                hours=str(data["hours"]),
                phone=str(data["phone"]),
                email=str(data["email"]),
                attachments=tuple(files),
            )
        )
    return tuple(profiles)


def base_files(base_dir: Path, profiles: Sequence[Profile]) -> list[tuple[Path, str]]:
    """(source, target) pairs copied as they are: site.yml, guide.md, department.yml, files."""
    pairs = [(base_dir / "site.yml", "site.yml")]
    if (base_dir / "guide.md").is_file():
        pairs.append((base_dir / "guide.md", "guide.md"))
    for profile in profiles:
        folder = base_dir / "departments" / profile.id
        pairs.append((folder / "department.yml", f"departments/{profile.id}/department.yml"))
        for source in sorted(p for p in folder.glob("*/files/*") if p.is_file()):
            pairs.append((source, f"departments/{profile.id}/files/{source.name}"))
    return pairs


# --- planning (pure: corpus + seed → files) --------------------------------------------------


@dataclass
class Planner:
    """Plans records one after another; every choice comes from one seeded generator."""

    corpus: Corpus
    profiles: tuple[Profile, ...]
    calendar: HolidayCalendar
    site_url: str
    seed: int
    rng: random.Random = field(init=False)
    order: list[int] = field(init=False)
    serials: Counter[tuple[str, int]] = field(default_factory=Counter)
    numbers: Counter[tuple[str, int, str]] = field(default_factory=Counter)
    planned: list[PlannedRecord] = field(default_factory=list)
    interpreted: set[str] = field(default_factory=set)
    used_policies: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.order = list(range(len(self.corpus.policies)))
        self.rng.shuffle(self.order)

    def next_file(self) -> SynthFile:
        chosen = self.interpretation_target()
        if chosen is not None:
            return self.interpretation(*chosen)
        return self.ordinary()

    # -- ordinary records

    def ordinary(self) -> SynthFile:
        policy = self.corpus.policies[self.order[self.used_policies % len(self.order)]]
        self.used_policies += 1
        profile = self.department_for(policy.title)
        category = self.rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
        written = move_into_range(policy.written)
        published = self.publish_date(written)
        title, doc_number = self.issue(policy, profile, written.year)
        planned = self.plan(profile, category, written, published, title)
        meta: dict[str, Any] = {"id": planned.id, "title": title, "category": category}
        body = self.body()
        meta["summary"] = summarize(body)
        meta["written"], meta["published"] = written.isoformat(), published.isoformat()
        if doc_number:
            meta["doc_number"] = doc_number
        meta["topic"] = self.rng.choice(profile.topics)
        if genre := genre_of(title):
            meta["form"] = genre
        if words := keywords(title.replace(profile.name, "")):
            meta["keywords"] = words
        meta |= self.validity(planned)
        meta |= self.references(planned)
        meta["channels"] = self.channels()
        meta |= self.attachments(profile)
        meta |= self.block(category, profile, planned)
        self.planned.append(planned)
        return SynthFile(record_path(planned), render(meta, body))

    def department_for(self, title: str) -> Profile:
        """The department whose words the subject of the title mentions most (ties: any)."""
        match = _ISSUER.match(title)
        subject = (match["rest"] if match else title).replace("人民政府", "")
        scores = [sum(word in subject for word in p.words) for p in self.profiles]
        best = max(scores)
        return self.rng.choice([p for p, s in zip(self.profiles, scores, strict=True) if s == best])

    def publish_date(self, written: date) -> date:
        delay = self.rng.choices(range(16), [30, 14, 10, 8, 6, 5, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2])[0]
        return self.calendar.add_workdays(written, delay)

    def issue(self, policy: Policy, profile: Profile, year: int) -> tuple[str, str | None]:
        """Title and 文号: a provincial document becomes the department's own."""
        if policy.state_council:
            return policy.title[:200], republished_number(policy.doc_number, year)
        match = _ISSUER.match(policy.title)
        title = localize(profile.name + match["rest"] if match else policy.title)[:200]
        return title, self.department_number(policy.doc_number, profile, year)

    def department_number(self, number: str | None, profile: Profile, year: int) -> str | None:
        """The department's 机关代字 and its own serial; the kind (发/函/规) from the real one."""
        check = normalize_doc_number(number) if number else None
        if check is None or not check.recognized:
            return None
        code = check.normalized.split("〔", 1)[0]
        kind = "函" if code.endswith("函") else "规" if code.endswith("规") else "发"
        self.numbers[(profile.id, year, kind)] += 1
        return f"{profile.doc_code}{kind}〔{year}〕{self.numbers[(profile.id, year, kind)]}号"

    def plan(
        self, profile: Profile, category: str, written: date, published: date, title: str
    ) -> PlannedRecord:
        self.serials[(profile.id, written.year)] += 1
        serial = self.serials[(profile.id, written.year)]
        record_id = f"{profile.org_code}/{written.year}-{serial:05d}"
        slug = f"{written.year}/{serial:05d}"
        return PlannedRecord(record_id, profile.id, category, slug, written, published, title)

    def body(self) -> str:
        law = self.rng.choice(self.corpus.laws)
        target = self.rng.randint(MIN_BODY, MAX_BODY)
        return slice_paragraphs(law.paragraphs, target, self.rng)

    def validity(self, planned: PlannedRecord) -> dict[str, Any]:
        draw = self.rng.random()
        if draw < REPEALED_SHARE:
            newer = [
                p
                for p in self.planned[-500:]  # bounded: N may be 100,000
                if p.department == planned.department and p.written > planned.published
            ]
            if newer:
                return {"validity": "repealed", "repealed_by": self.rng.choice(newer).id}
        elif draw < REPEALED_SHARE + EXPIRED_SHARE:
            expires = planned.published.replace(year=planned.published.year + 1, day=1)
            if expires <= date(LAST_YEAR, 12, 31):
                return {"validity": "expired", "expires": expires.isoformat()}
        return {}

    def references(self, planned: PlannedRecord) -> dict[str, Any]:
        if self.rng.random() >= RELATED_SHARE:
            return {}
        same = [p.id for p in self.planned[-200:] if p.department == planned.department]
        if not same:
            return {}
        return {
            "related": sorted(set(self.rng.sample(same, min(len(same), self.rng.randint(1, 2)))))
        }

    def channels(self) -> list[str]:
        extra = self.rng.sample(EXTRA_CHANNELS, self.rng.choice((0, 0, 1, 1, 2)))
        return ["website", *sorted(extra, key=EXTRA_CHANNELS.index)]

    def attachments(self, profile: Profile) -> dict[str, Any]:
        if not profile.attachments or self.rng.random() >= ATTACHMENT_SHARE:
            return {}
        name = self.rng.choice(profile.attachments)
        return {"attachments": [{"file": f"../files/{name}", "title": name.rsplit(".", 1)[0]}]}

    def block(self, category: str, profile: Profile, planned: PlannedRecord) -> dict[str, Any]:
        if category == "services":
            return {"service": self.service(profile)}
        if category == "livelihood":
            return {"project": self.project(planned)}
        if category == "supervision":
            return {
                "contacts": {
                    "phone": profile.phone,
                    "email": profile.email,
                    "address": f"{profile.address}（{profile.name}）",
                    "mailbox": f"{profile.name}网上信箱 {self.site_url}/xinxiang/{profile.id}/",
                }
            }
        return {}

    def service(self, profile: Profile) -> dict[str, Any]:
        law = self.rng.choice(self.corpus.laws)
        return {
            "basis": f"《{law.title}》",
            "conditions": self.rng.choice(SERVICE_CONDITIONS),
            "materials": sorted(
                self.rng.sample(SERVICE_MATERIALS, self.rng.randint(2, 4)),
                key=SERVICE_MATERIALS.index,
            ),
            "steps": list(SERVICE_STEPS[: self.rng.randint(3, len(SERVICE_STEPS))]),
            "time_limit": f"{self.rng.choice((3, 5, 7, 10, 15, 20))}个工作日",
            "fee": "不收费",
            "location": f"{profile.address}（{profile.name}服务窗口）",
            "hours": profile.hours,
            "phone": profile.phone,
            "online_url": f"{self.site_url}/bsfw/{profile.id}/",
        }

    def project(self, planned: PlannedRecord) -> dict[str, Any]:
        progress = self.rng.choice((0, 15, 30, 45, 60, 75, 90, 100))
        status = "planned" if progress == 0 else "done" if progress == 100 else "in-progress"
        year = planned.written.year
        return {
            "budget": self.rng.randint(50, 20000),
            "progress": progress,
            "status": status,
            "start": f"{year}-{self.rng.choice(('01', '03', '04')):s}-01",
            "end": f"{year}-12-31",
        }

    # -- interpretations (政策解读) of earlier policies

    def interpretation_target(self) -> tuple[PlannedRecord, date] | None:
        if self.rng.random() >= INTERPRETATION_SHARE:
            return None
        candidates = [
            p
            for p in self.planned[-300:]
            if p.category == "policies" and p.id not in self.interpreted
        ]
        if not candidates:
            return None
        target = self.rng.choice(candidates)
        written = self.calendar.add_workdays(target.published, self.rng.randint(0, 5))
        return (target, written) if written <= date(LAST_YEAR, 12, 31) else None

    def interpretation(self, target: PlannedRecord, written: date) -> SynthFile:
        self.interpreted.add(target.id)
        profile = next(p for p in self.profiles if p.id == target.department)
        published = self.publish_date(written)
        source = target.title
        title = f"《{source}》政策解读"[:200]
        planned = self.plan(profile, "policies", written, published, title)
        opening = self.rng.choice(INTERPRETATION_OPENINGS)
        law = self.rng.choice(self.corpus.laws)
        content = slice_paragraphs(
            law.paragraphs, self.rng.randint(MIN_BODY, MAX_BODY // 2), self.rng
        )
        link = relative_link(planned.slug, target.slug)
        body = f"## 起草背景\n\n{opening}\n\n## 主要内容\n\n{content}\n\n[查看政策原文]({link})"
        meta: dict[str, Any] = {
            "id": planned.id,
            "title": title,
            "category": "policies",
            "summary": f"从起草背景、主要内容和适用对象三个方面解读《{source[:60]}》。",
            "written": written.isoformat(),
            "published": published.isoformat(),
            "topic": self.rng.choice(profile.topics),
            "form": "解读",
            "keywords": list(dict.fromkeys(["政策解读", *keywords(source)[:3]])),
            "interprets": target.id,
            "channels": self.channels(),
        }
        self.planned.append(planned)
        return SynthFile(record_path(planned), render(meta, body))


SERVICE_CONDITIONS = (
    "申请人为本区户籍居民或者持有本区居住证的常住人口，符合相关法规规定的条件。",
    "申请单位依法登记设立，具有与申请事项相适应的场所、设施和专业人员。",
    "申请事项属于本部门法定职责范围，申请材料齐全、符合法定形式。",
)
SERVICE_MATERIALS = (
    "申请书（可在窗口领取或网上下载）",
    "申请人身份证件原件及复印件",
    "营业执照或事业单位法人证书复印件",
    "相关场所的权属证明或者租赁合同",
    "法律法规规定的其他材料",
)
SERVICE_STEPS = (
    "提交申请：到服务窗口或者网上提交申请材料",
    "受理：材料齐全的当场受理，不齐全的一次性告知需要补正的内容",
    "审查：对申请材料进行审查，必要时进行现场核查",
    "决定：在承诺时限内作出决定",
    "送达：通过窗口领取、邮寄或者网上下载结果",
)
INTERPRETATION_OPENINGS = (
    "为贯彻落实上级部署，结合本区实际，起草部门在深入调研、广泛征求意见的基础上制定了该文件。",
    "文件起草过程中，起草部门征求了有关部门、街道和社会公众的意见，并经合法性审核和集体审议。",
    "为便于社会公众理解和执行，现就文件的起草背景、主要内容和适用对象解读如下。",
)


def move_into_range(day: date) -> date:
    """Keep month and day; fold the year into FIRST_YEAR..LAST_YEAR (Feb 29 → Feb 28)."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return day
    year = FIRST_YEAR + day.year % (LAST_YEAR - FIRST_YEAR + 1)
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def localize(title: str) -> str:
    """A provincial title re-issued by a district department speaks of the district."""
    for province, district in _LOCAL_WORDS:
        title = title.replace(province, district)
    return title


def republished_number(number: str | None, year: int) -> str | None:
    """A reposted document keeps its real 文号, normalised, with the record's year."""
    if number is None:
        return None
    check = normalize_doc_number(number)
    if not check.recognized:
        return None
    moved = _YEAR_IN_NUMBER.sub(f"〔{year}〕", check.normalized, count=1)
    return moved if is_recognized_doc_number(moved) else None


def slice_paragraphs(paragraphs: Sequence[str], target: int, rng: random.Random) -> str:
    """Consecutive paragraphs of at least ``target`` bytes (or the whole text), ≤ MAX_BODY."""
    sizes = [len(p.encode("utf-8")) + 2 for p in paragraphs]  # + the blank line joining them
    wanted = min(target, sum(sizes) - 2)
    remaining, starts = sum(sizes), []
    for index, size in enumerate(sizes):
        if remaining - 2 >= wanted:
            starts.append(index)
        remaining -= size
    good = [i for i in starts if _GOOD_START.match(paragraphs[i])]
    start = rng.choice(good or starts)
    chosen: list[str] = []
    used = -2  # bytes of the joined text
    for paragraph, size in zip(paragraphs[start:], sizes[start:], strict=True):
        if chosen and (used >= wanted or used + size > MAX_BODY):
            break
        chosen.append(paragraph if size <= MAX_BODY else cut_bytes(paragraph, MAX_BODY))
        used += size
    return "\n\n".join(chosen)


def cut_bytes(text: str, limit: int) -> str:
    cut = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    end = cut.rfind("。")
    return cut[: end + 1] if end > 0 else cut


def summarize(body: str) -> str:
    """The first sentence of the first article (or long paragraph), at most 100 characters."""
    paragraphs = [p for p in body.split("\n\n") if not p.startswith("#")] or [body]
    paragraph = next(
        (p for p in paragraphs if _ARTICLE.match(p) and len(p) >= 24),
        next((p for p in paragraphs if len(p) >= 24), paragraphs[0]),
    )
    text = _ARTICLE.sub("", plain_line(paragraph.lstrip("#")))
    end = text.find("。")
    if 0 < end < 100:
        return text[: end + 1]
    return text[:99] + "…" if len(text) > 100 else text


def genre_of(title: str) -> str | None:
    if title.endswith("函"):
        return "函"
    return next((genre for genre in GENRES if title.endswith(genre)), None)


def keywords(title: str) -> list[str]:
    """Up to four distinct words of the title (rjieba), the most telling first."""
    words: list[str] = []
    for word in rjieba.cut(title):
        if len(word) >= 2 and word not in STOP_WORDS and word not in words and len(word) <= 30:
            words.append(word)
    return sorted(words[:6], key=len, reverse=True)[:4]


def record_path(planned: PlannedRecord) -> str:
    return f"departments/{planned.department}/{planned.slug}.md"


def relative_link(from_slug: str, to_slug: str) -> str:
    from_year, _ = from_slug.split("/")
    to_year, name = to_slug.split("/")
    return f"{name}.md" if from_year == to_year else f"../{to_year}/{name}.md"


def render(meta: dict[str, Any], body: str) -> str:
    front = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=4096)
    return f"---\n{front}---\n{body}\n"


_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def plan_records(
    count: int,
    seed: int,
    corpus: Corpus,
    profiles: tuple[Profile, ...],
    calendar: HolidayCalendar,
    site_url: str,
) -> list[SynthFile]:
    """``count`` record files; deterministic for ``seed``, and each a prefix of the next count."""
    planner = Planner(corpus, profiles, calendar, site_url, seed)
    return [planner.next_file() for _ in range(count)]


# --- writing ---------------------------------------------------------------------------------


def synthesize(
    count: int,
    out_dir: Path,
    *,
    seed: int = 1,
    corpus_dir: Path | None = None,
    base_dir: Path = DEFAULT_BASE,
) -> SynthResult:
    """Write a content tree of ``count`` records into ``out_dir`` (absent or empty)."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise SynthTargetError(
            f"输出目录“{out_dir}”已存在且不为空。请指定一个新目录，或先删除它（合成内容不覆盖已有文件）。"
        )
    corpus = load_corpus(corpus_dir or default_corpus_dir())
    files = synth_files(count, seed, corpus, base_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    profiles = load_profiles(base_dir)
    for source, target in base_files(base_dir, profiles):
        (out_dir / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out_dir / target)
    result = SynthResult(out_dir, count)
    for file in files:
        write_text(out_dir / file.path, file.text)
        result.departments[file.path.split("/")[1]] += 1
        result.categories[category_in(file.text)] += 1
    return result


def synth_files(
    count: int, seed: int, corpus: Corpus, base_dir: Path = DEFAULT_BASE
) -> list[SynthFile]:
    """The record files of a tree built from ``base_dir`` (for tools that add one more)."""
    from generator.content.schema import load_schemas
    from generator.core.settings import Settings

    calendar = load_schemas(Settings().schema_dir).calendar
    site = yaml.safe_load((base_dir / "site.yml").read_text(encoding="utf-8"))
    profiles = load_profiles(base_dir)
    return plan_records(count, seed, corpus, profiles, calendar, str(site["site_url"]).rstrip("/"))


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def category_in(text: str) -> str:
    match = re.search(r"^category: (\S+)$", text, re.MULTILINE)
    return match.group(1) if match else ""
