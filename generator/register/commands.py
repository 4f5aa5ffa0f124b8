"""``catalog requests …`` without click: each command takes plain values and returns what to
print and the exit code. ``generator.cli`` only declares the options."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.content.report import FORMATTERS
from generator.core.settings import Settings
from generator.register.clock import schedule
from generator.register.letters import LetterError, render_letter, write_letter
from generator.register.model import DEFAULT_BASIS, OUTCOMES, Application, Event
from generator.register.stats import balance_problems, table3, table3_yaml
from generator.register.store import RegisterError
from generator.register.views import application_json, application_text, due_items, due_text
from generator.register.workspace import Workspace, add_event, open_workspace, register_application


@dataclass(frozen=True)
class Output:
    text: str
    errors: str = ""
    exit_code: int = 0


def refused(exc: Exception) -> Output:
    return Output("", f"错误：{exc}\n", 2)


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _broken(ws: Workspace) -> str:
    return FORMATTERS["text"](ws.problems, 0) if ws.problems else ""


def _shown(ws: Workspace, app: Application, fmt: str, first_line: str = "") -> Output:
    plan = schedule(app, ws.calendar, ws.limits)
    if fmt == "json":
        return Output(_dump(application_json(app, plan)))
    head = first_line.format(id=app.id, due=plan.due or "待定")
    return Output(head + application_text(app, plan))


def new(register_dir: Path, settings: Settings, fmt: str, **fields: Any) -> Output:
    """Register an application: ``fields`` are those of :class:`Application` but ``id``."""
    try:
        ws = open_workspace(register_dir, settings)
        basis = fields.pop("basis", None) or DEFAULT_BASIS[fields["channel"]]
        draft = Application(id="", received_basis=basis, **fields)
        app = register_application(ws, draft, settings.today)
    except (RegisterError, FileExistsError) as exc:
        return refused(exc)
    return _shown(ws, app, fmt, "已登记 {id}，答复期限 {due}。\n")


def event(register_dir: Path, settings: Settings, fmt: str, app_id: str, **fields: Any) -> Output:
    if fields["kind"] == "answered" and fields.get("outcome") not in OUTCOMES:
        return refused(RegisterError("answered 需要 --outcome，取值：" + "、".join(OUTCOMES)))
    try:
        ws = open_workspace(register_dir, settings)
        made = Event(**{**fields, "days": fields.get("days") or 0})
        app = add_event(ws, ws.find(app_id), made, settings.today)
    except RegisterError as exc:
        return refused(exc)
    return _shown(ws, app, fmt)


def due(register_dir: Path, settings: Settings, fmt: str, on: date | None) -> Output:
    try:
        ws = open_workspace(register_dir, settings)
    except RegisterError as exc:
        return refused(exc)
    today = on or settings.today
    items = due_items(ws.register, ws.calendar, ws.limits, today)
    text = _dump([i.to_json() for i in items]) if fmt == "json" else due_text(items, today)
    return Output(text, _broken(ws))


def show(register_dir: Path, settings: Settings, fmt: str, app_id: str) -> Output:
    try:
        ws = open_workspace(register_dir, settings)
        app = ws.find(app_id)
    except RegisterError as exc:
        return refused(exc)
    return _shown(ws, app, fmt)


def letter(
    register_dir: Path,
    settings: Settings,
    fmt: str,
    app_id: str,
    kind: str | None,
    out: Path | None,
) -> Output:
    try:
        ws = open_workspace(register_dir, settings)
        app = ws.find(app_id)
        made = render_letter(ws, app, kind)
    except (RegisterError, LetterError) as exc:
        return refused(exc)
    path = write_letter(ws, app, made, out)
    if fmt == "json":
        return Output(
            _dump({"id": app.id, "kind": made.kind, "title": made.title, "path": str(path)})
        )
    return Output(f"已生成 {made.title}：{path}\n")


def stats(register_dir: Path, settings: Settings, fmt: str, year: int, body: str) -> Output:
    try:
        ws = open_workspace(register_dir, settings)
    except RegisterError as exc:
        return refused(exc)
    table = table3(ws.register.applications, year, body)
    text = (
        _dump({"year": year, "body": body, "table3": table})
        if fmt == "json"
        else table3_yaml(table)
    )
    unbalanced = "".join(f"勾稽关系不平：{line}\n" for line in balance_problems(table))
    return Output(text, _broken(ws) + unbalanced, 1 if any(p.is_error for p in ws.problems) else 0)
