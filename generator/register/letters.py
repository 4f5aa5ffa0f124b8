"""Reply letters (告知书) as printable A4 HTML pages, one per state of an application.

Letters are the one output that carries the applicant's name and contact unmasked: they are
sent to the applicant. They are written into the private register (``letters/``), never into
the site. HTML only: a PDF needs a layout engine with system libraries (WeasyPrint and pango),
and the browser's 打印 → 另存为 PDF gives the same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from generator.register.clock import schedule
from generator.register.letter_texts import ANSWERS, HOLDER, REMEDIES
from generator.register.model import Application, Event
from generator.register.workspace import Workspace

TEMPLATES = Path(__file__).parent / "templates"

# Letter kind → (the event that calls for it, its title when not an answer).
KINDS: dict[str, tuple[str | None, str]] = {
    "receipt": (None, "政府信息公开申请登记回执"),
    "correction": ("correction_requested", "政府信息公开申请补正告知书"),
    "consultation": ("consultation_sent", "政府信息公开征求第三方意见书"),
    "extension": ("extension_approved", "政府信息公开申请延期答复告知书"),
    "fee": ("fee_notice", "政府信息公开信息处理费收费通知书"),
    "answer": ("answered", ""),
}


class LetterError(Exception):
    """No such letter for this application (e.g. an extension letter without an extension)."""


@dataclass(frozen=True)
class Letter:
    kind: str
    title: str
    html: str


def current_kind(app: Application) -> str:
    """The letter the latest step of the application calls for."""
    by_event = {event: kind for kind, (event, _) in KINDS.items() if event}
    kinds = [by_event[e.kind] for e in app.events if e.kind in by_event]
    return kinds[-1] if kinds else "receipt"


def chinese_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "（待定）"


def render_letter(workspace: Workspace, app: Application, kind: str | None = None) -> Letter:
    kind = kind or current_kind(app)
    event_kind, title = KINDS[kind]
    event = _last(app, event_kind) if event_kind else None
    if event_kind and event is None:
        raise LetterError(f"{app.id} 的办理过程中没有“{event_kind}”，无法生成这份告知书。")
    if kind == "answer" and event is not None:
        title = ANSWERS[event.outcome][0]
    context = _context(workspace, app, kind, title, event)
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["j2", "html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    html = environment.get_template("letter.html.j2").render(**context)
    return Letter(kind, title, html)


def write_letter(workspace: Workspace, app: Application, letter: Letter, out: Path | None) -> Path:
    path = out or workspace.register_dir / "letters" / f"{app.id}-{letter.kind}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(letter.html, encoding="utf-8", newline="\n")
    return path


def _last(app: Application, kind: str) -> Event | None:
    return next((e for e in reversed(app.events) if e.kind == kind), None)


def _context(
    workspace: Workspace, app: Application, kind: str, title: str, event: Event | None
) -> dict[str, Any]:
    plan = schedule(app, workspace.calendar, workspace.limits)
    site = workspace.site
    asked = _last(app, "correction_requested")
    fee = _last(app, "fee_notice")
    answer = ""
    if kind == "answer" and event is not None:
        answer = ANSWERS[event.outcome][1].format(
            reason=event.reason or "见下文说明",
            asked=chinese_date(asked.date if asked else None),
            fee_day=chinese_date(fee.date if fee else None),
            party=event.party,
        )
    body_name = workspace.body_name(app.body)
    return {
        "kind": kind,
        "title": title,
        "app": app,
        "event": event,
        "body_name": body_name,
        "office": site.office if site else None,
        "limits": workspace.limits,
        "received": chinese_date(app.received),
        "dated": chinese_date(event.date if event else app.received),
        "due": chinese_date(plan.due),
        "deadline": chinese_date(event.deadline if event else None),
        "answer": answer,
        "holder": HOLDER.format(party=event.party) if event and event.party else "",
        "remedies": REMEDIES.format(
            what="答复" if kind == "answer" else "决定",
            review_body="上一级人民政府"
            if app.body == "government"
            else (site.name if site else "本级人民政府"),
        ),
        "third_party_days": workspace.limits.third_party,
    }
