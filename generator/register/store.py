"""Reading and writing the register: one YAML file per application, ``<register>/YYYY-NNNN.yml``.

Files go through the content's hardened loader and a JSON Schema with Chinese titles, so a
mistyped register file gets the same kind of message as a record. Writing keeps the key order
of the schema and quotes every date, so the files stay readable and diffable.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from generator.content.load import Located, display_path, load_yaml_file
from generator.content.schema import property_titles
from generator.content.schema_problems import schema_problems
from generator.core.problems import Problem, error
from generator.core.settings import Settings
from generator.register.model import Application, Event, Register
from generator.register.rules import history_problems

FILE_NAME = re.compile(r"^(?P<year>[0-9]{4})-(?P<seq>[0-9]{4})\.yml$")
MAX_FILE_BYTES = 256 * 1024


class RegisterError(Exception):
    """A register the command cannot work on (missing, inside the content, a bad file)."""


@dataclass(frozen=True)
class RequestSchema:
    validator: Draft202012Validator
    titles: dict[str, str]


def load_request_schema(schema_dir: Path) -> RequestSchema:
    raw = json.loads((schema_dir / "request.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(raw)
    return RequestSchema(Draft202012Validator(raw), dict(property_titles(raw)))


def location_problem(register_dir: Path, settings: Settings) -> str | None:
    """Why the register may not live where it is, or None.

    Inside the content directory its files would be read as content; inside the site or the
    staging tree they would be published, or deleted by the next swap.
    """
    register = register_dir.resolve()
    places = {
        "内容目录": settings.content_dir,
        "网站输出目录": settings.out_dir,
        "构建暂存目录": settings.staging_dir.parent,
    }
    for what, place in places.items():
        resolved = place.resolve()
        if register == resolved or resolved in register.parents:
            return (
                f"依申请公开登记簿“{register_dir}”位于{what}“{place}”之内：登记簿含申请人的个人"
                f"信息，绝不能发布。请把它移到{what}以外（建议放在单独的私有仓库中），"
                "再用 --register 指定它的位置。"
            )
    return None


def read_register(register_dir: Path, schema: RequestSchema) -> tuple[Register, list[Problem]]:
    """Every application file of the register, checked; files with errors are left out."""
    problems: list[Problem] = []
    applications: list[Application] = []
    if not register_dir.is_dir():
        return Register(), problems
    for path in sorted(register_dir.glob("*.yml")):
        app, found = read_application(path, schema)
        problems += found
        if app is not None:
            applications.append(app)
    return Register(tuple(applications)), problems


def read_application(path: Path, schema: RequestSchema) -> tuple[Application | None, list[Problem]]:
    shown = display_path(path)
    located, problems = load_yaml_file(path, max_bytes=MAX_FILE_BYTES)
    if located is None:
        return None, problems
    problems += schema_problems(schema.validator, located, shown, schema.titles)
    if any(p.is_error for p in problems):
        return None, problems
    problems += _file_name_problems(path, located, shown)
    app, date_problems = _to_application(located, shown)
    problems += date_problems
    if app is None:
        return None, problems
    problems += history_problems(app, located.position, shown)
    return (None if any(p.is_error for p in problems) else app), problems


def _file_name_problems(path: Path, located: Located, shown: str) -> list[Problem]:
    expected = f"{located.data['id']}.yml"
    if path.name == expected:
        return []
    line, column = located.position(("id",))
    return [
        error(
            shown,
            line,
            column,
            "schema",
            "id（登记号）",
            f"登记号 {located.data['id']} 与文件名“{path.name}”不一致，应为“{expected}”。"
            "请改正文件名或登记号（登记号一经编制不再改变）。",
        )
    ]


def _to_application(located: Located, shown: str) -> tuple[Application | None, list[Problem]]:
    data = located.data
    problems: list[Problem] = []

    def day(value: str, where: tuple[Any, ...], label: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            line, column = located.position(where)
            problems.append(
                error(
                    shown,
                    line,
                    column,
                    "invalid-date",
                    label,
                    f"应为 YYYY-MM-DD 格式的真实日期，实际为“{value}”。请改为日历上存在的日期。",
                )
            )
            return date.min

    received = day(data["received"], ("received",), "received（收到申请日期）")
    events = tuple(
        Event(
            kind=item["kind"],
            date=day(item["date"], ("events", i, "date"), f"events[{i}].date（日期）"),
            note=item.get("note", ""),
            outcome=item.get("outcome", ""),
            days=int(item.get("days", 0)),
            reason=item.get("reason", ""),
            party=item.get("party", ""),
            amount=item.get("amount", ""),
            deadline=day(item["deadline"], ("events", i, "deadline"), f"events[{i}].deadline")
            if "deadline" in item
            else None,
        )
        for i, item in enumerate(data.get("events") or ())
    )
    if problems:
        return None, problems
    applicant = data["applicant"]
    app = Application(
        id=data["id"],
        body=data.get("body", "government"),
        channel=data["channel"],
        received=received,
        received_basis=data["received_basis"],
        applicant_type=applicant["type"],
        name=applicant.get("name", ""),
        contact=applicant.get("contact", ""),
        subject=data["subject"],
        form=data.get("form", ""),
        events=events,
        source=shown,
    )
    return app, problems


def next_id(register_dir: Path, year: int) -> str:
    """The next 登记号 of ``year``: one more than the highest file of that year."""
    taken = [
        int(m["seq"])
        for path in register_dir.glob(f"{year}-*.yml")
        if (m := FILE_NAME.match(path.name))
    ]
    return f"{year}-{max(taken, default=0) + 1:04d}"


def application_data(app: Application) -> dict[str, Any]:
    """The file's mapping, keys in the schema's order, empty optional values left out."""
    applicant = {"type": app.applicant_type, "name": app.name, "contact": app.contact}
    data: dict[str, Any] = {
        "id": app.id,
        "body": app.body,
        "channel": app.channel,
        "received": app.received.isoformat(),
        "received_basis": app.received_basis,
        "applicant": {k: v for k, v in applicant.items() if v},
        "subject": app.subject,
        "form": app.form,
        "events": [event_data(e) for e in app.events],
    }
    return {k: v for k, v in data.items() if v not in ("", [])}


def event_data(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": event.kind,
        "date": event.date.isoformat(),
        "outcome": event.outcome,
        "days": event.days or "",
        "reason": event.reason,
        "party": event.party,
        "amount": event.amount,
        "deadline": event.deadline.isoformat() if event.deadline else "",
        "note": event.note,
    }
    return {k: v for k, v in data.items() if v != ""}


HEADER = "# 政府信息公开申请登记（依申请公开登记簿）。含个人信息：不得提交到公开仓库或发布。\n"


def write_application(register_dir: Path, app: Application, *, new: bool) -> Path:
    """Write ``app`` to its file (``new``: refuse to overwrite an existing one)."""
    register_dir.mkdir(parents=True, exist_ok=True)
    path = register_dir / f"{app.id}.yml"
    text = HEADER + yaml.safe_dump(
        application_data(app), allow_unicode=True, sort_keys=False, width=100
    )
    if new:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return path
    # An event rewrites the file: through a temporary file, so a crash never leaves half of it.
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)
    return path
