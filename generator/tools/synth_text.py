"""Text of synthetic records: titles made local, 文号 re-dated, bodies cut at paragraph
boundaries, summaries, keywords, the blocks of service records, and the record file itself.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import rjieba
import yaml

from generator.content.docnumber import is_recognized_doc_number, normalize_doc_number
from generator.tools.synth_corpus import MAX_BODY, plain_line

FIRST_YEAR, LAST_YEAR = 2019, 2025  # inside catalog_schema/holidays.yml, before "today"
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

ORGAN = "人民政府|办公厅|办公室|委员会|政府|厅|局|委|部|署|院"
ISSUER = re.compile(rf"^(?P<issuer>[^关]{{2,40}}?(?:{ORGAN}))(?P<rest>(?:关于|转发|批转|印发).+)$")
_YEAR_IN_NUMBER = re.compile(r"〔[0-9]{4}〕")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条\s*")
_GOOD_START = re.compile(r"^(?:## |第[一二三四五六七八九十百零〇]+条)")
_LOCAL_WORDS = (
    ("全省", "全区"),
    ("我省", "我区"),
    ("本省", "本区"),
    ("全市", "全区"),
    ("我市", "我区"),
    ("本市", "本区"),
)

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


def relative_link(from_slug: str, to_slug: str) -> str:
    from_year, _ = from_slug.split("/")
    to_year, name = to_slug.split("/")
    return f"{name}.md" if from_year == to_year else f"../{to_year}/{name}.md"


def render(meta: dict[str, Any], body: str) -> str:
    front = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=4096)
    return f"---\n{front}---\n{body}\n"


_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
