"""Planning synthetic records (pure: corpus + seed → files), one after another from one seeded
generator, each depending only on the records before it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.content.docnumber import normalize_doc_number
from generator.content.workdays import HolidayCalendar
from generator.tools.synth_corpus import MAX_BODY, MIN_BODY, Corpus, Policy
from generator.tools.synth_departments import Profile
from generator.tools.synth_text import (
    INTERPRETATION_OPENINGS,
    ISSUER,
    LAST_YEAR,
    SERVICE_CONDITIONS,
    SERVICE_MATERIALS,
    SERVICE_STEPS,
    genre_of,
    keywords,
    localize,
    move_into_range,
    relative_link,
    render,
    republished_number,
    slice_paragraphs,
    summarize,
)

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
class Planner:
    """Plans records one after another; every choice comes from one seeded generator."""

    corpus: Corpus
    profiles: tuple[Profile, ...]
    calendar: HolidayCalendar
    site_url: str
    seed: int
    full_text: bool = False  # whole laws as bodies (the real-text corpus), not 1–8 KB slices
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
        match = ISSUER.match(title)
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
        match = ISSUER.match(policy.title)
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
        if self.full_text:
            return "\n\n".join(law.paragraphs)
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


def record_path(planned: PlannedRecord) -> str:
    return f"departments/{planned.department}/{planned.slug}.md"


def plan_records(
    count: int,
    seed: int,
    corpus: Corpus,
    profiles: tuple[Profile, ...],
    calendar: HolidayCalendar,
    site_url: str,
    *,
    full_text: bool = False,
) -> list[SynthFile]:
    """``count`` record files; deterministic for ``seed``, and each a prefix of the next count."""
    planner = Planner(corpus, profiles, calendar, site_url, seed, full_text)
    return [planner.next_file() for _ in range(count)]
