"""What the register commands work with: the register, the calendar, the site's time limits and
office, read once. The edge of the package: it touches the disk."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator.content.load import load_yaml_file
from generator.content.schema import load_schemas
from generator.content.validate import load_site
from generator.content.workdays import HolidayCalendar
from generator.core.problems import Problem
from generator.core.records import Deadlines, SiteInfo
from generator.core.settings import Settings
from generator.register.model import Application, Event, Register
from generator.register.rules import event_refusal
from generator.register.store import (
    RegisterError,
    RequestSchema,
    load_request_schema,
    location_problem,
    next_id,
    read_register,
    write_application,
)


@dataclass(frozen=True)
class Workspace:
    register_dir: Path
    register: Register
    problems: list[Problem]
    schema: RequestSchema
    calendar: HolidayCalendar
    limits: Deadlines
    site: SiteInfo | None
    content_dir: Path

    def body_name(self, body: str) -> str:
        """The name the letters are signed with: the government's or the department's."""
        if body == "government" or not body:
            return self.site.name if self.site else "本机关"
        located, _ = load_yaml_file(
            self.content_dir / "departments" / body / "department.yml", max_bytes=1 << 20
        )
        if located is None or not isinstance(located.data.get("name"), str):
            return body
        return str(located.data["name"])

    def find(self, app_id: str) -> Application:
        app = self.register.get(app_id)
        if app is None:
            broken = [p for p in self.problems if p.file.endswith(f"{app_id}.yml")]
            why = "；".join(p.message for p in broken) if broken else "没有这个登记号"
            raise RegisterError(f"登记簿“{self.register_dir}”中找不到可用的 {app_id}：{why}")
        return app


def open_workspace(register_dir: Path, settings: Settings) -> Workspace:
    """Read the register and what its clock needs; refuse a register inside the content."""
    where = location_problem(register_dir, settings)
    if where:
        raise RegisterError(where)
    schemas = load_schemas(settings.schema_dir)
    schema = load_request_schema(settings.schema_dir)
    site, _ = load_site(settings.content_dir / "site.yml", schemas, settings)
    register, problems = read_register(register_dir, schema)
    return Workspace(
        register_dir=register_dir,
        register=register,
        problems=problems,
        schema=schema,
        calendar=schemas.calendar,
        limits=site.deadlines if site else Deadlines(),
        site=site,
        content_dir=settings.content_dir,
    )


def register_application(workspace: Workspace, draft: Application, today: date) -> Application:
    """Give ``draft`` the next 登记号 of its year and write its file."""
    if draft.received > today:
        raise RegisterError(f"收到申请日期 {draft.received} 晚于今天 {today}：不能登记将来的申请。")
    app = replace(draft, id=next_id(workspace.register_dir, draft.received.year))
    write_application(workspace.register_dir, app, new=True)
    return app


def add_event(workspace: Workspace, app: Application, event: Event, today: date) -> Application:
    if event.date > today:
        raise RegisterError(f"事件日期 {event.date} 晚于今天 {today}：只记录已经发生的事。")
    refusal = event_refusal(app, event)
    if refusal:
        raise RegisterError(f"{app.id}：{refusal}")
    updated = replace(app, events=(*app.events, event))
    write_application(workspace.register_dir, updated, new=False)
    return updated
