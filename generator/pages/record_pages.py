"""Record pages: the metadata table, attachments, interpretation and related-record links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

from generator.core.records import Catalog, Category, Department, Record
from generator.pages.contexts import AttachmentRow, Link, MetaRow, PageSpec, RecordContext
from generator.pages.paths import attachment_path, record_page_path
from generator.pages.rows import VALIDITY_ZH

RELATED_LIMIT = 6

CHANNELS_ZH = {
    "website": "政府网站",
    "gazette": "政府公报",
    "reading-room": "政府信息公开查阅室",
    "notice-board": "信息公告栏",
    "screen": "电子信息屏",
    "service-center": "政务服务中心",
    "press": "新闻发布会",
}
PROJECT_STATUS_ZH = {"planned": "计划中", "in-progress": "实施中", "done": "已完成"}


def format_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size / 1024, 0.1):.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def topic_label(topic: str | None) -> str:
    return " › ".join(topic.split("\\")) if topic else ""


def plan_record_pages(
    catalog: Catalog, related: Mapping[str, Sequence[str]] | None = None
) -> list[PageSpec]:
    by_id = catalog.by_id()
    interpretations: dict[str, list[Record]] = defaultdict(list)
    for record in catalog.records:
        if record.interprets:
            interpretations[record.interprets].append(record)
    by_department: dict[str, list[Record]] = defaultdict(list)
    for record in catalog.records:
        by_department[record.department].append(record)
    return [
        plan_record_page(
            record,
            catalog,
            interpretations=interpretations.get(record.id, []),
            by_id=by_id,
            related=related_records(
                record,
                by_id,
                by_department[record.department],
                related.get(record.id, ()) if related else (),
            ),
        )
        for record in catalog.records
    ]


def related_records(
    record: Record,
    by_id: Mapping[str, Record],
    same_department: Sequence[Record],
    similar: Sequence[str] = (),
) -> list[Record]:
    """Explicit ``related`` ids, then ``similar`` ones (more-like-this from the search index),
    then the newest records of the same department, up to ``RELATED_LIMIT``."""
    chosen = [by_id[i] for i in (*record.related, *similar) if i in by_id]
    shown = {record.id, record.interprets}  # the policy link is shown in its own block
    result: list[Record] = []
    for candidate in chain(chosen, same_department):
        if len(result) == RELATED_LIMIT:  # a department has thousands of records: stop early
            break
        if candidate.id not in shown and candidate.interprets != record.id:
            shown.add(candidate.id)
            result.append(candidate)
    return result


def record_link(record: Record) -> Link:
    return Link(title=record.title, path=record_page_path(record))


def optional_link(record_id: str | None, by_id: Mapping[str, Record]) -> Link | None:
    target = by_id.get(record_id) if record_id else None
    return record_link(target) if target else None


def channel_names(channels: Iterable[str]) -> str:
    return "、".join(CHANNELS_ZH.get(c, c) for c in channels)


def record_meta(record: Record, department: Department, category: Category) -> list[MetaRow]:
    rows = [
        ("索引号", record.id),
        ("主题分类", topic_label(record.topic)),
        ("目录分类", category.name),
        ("发布机构", department.name),
        ("成文日期", record.written.isoformat()),
        ("发文字号", record.doc_number or ""),
        ("发布日期", record.published.isoformat()),
        ("有效性", VALIDITY_ZH.get(record.validity, record.validity)),
        ("公开方式", f"主动公开（{channel_names(record.channels)}）"),
        ("信息名称", record.title),
        ("主题词", "、".join(record.keywords)),
        ("公文种类", record.form or ""),
        ("施行日期", record.effective.isoformat() if record.effective else ""),
        ("失效日期", record.expires.isoformat() if record.expires else ""),
        ("变更日期", record.updated.isoformat() if record.updated else ""),
    ]
    always = {"索引号", "主题分类", "发布机构", "成文日期", "发文字号", "发布日期", "有效性"}
    always.add("公开方式")
    return [MetaRow(label=k, value=v) for k, v in rows if v or k in always]


def plan_record_page(
    record: Record,
    catalog: Catalog,
    *,
    interpretations: Sequence[Record],
    related: Sequence[Record],
    by_id: Mapping[str, Record] | None = None,
) -> PageSpec:
    """``by_id`` is ``catalog.by_id()``, passed in so it is not built again for every page."""
    if by_id is None:
        by_id = catalog.by_id() if record.interprets or record.repealed_by else {}
    department = catalog.departments[record.department]
    category = catalog.categories[record.category]
    context = RecordContext(
        record=record,
        department=department,
        category=category,
        meta=record_meta(record, department, category),
        attachments=[
            AttachmentRow(
                title=a.title,
                kind=a.kind.upper(),
                size=format_size(a.size),
                path=attachment_path(a),
            )
            for a in record.attachments
        ],
        interprets=optional_link(record.interprets, by_id),
        interpretations=[record_link(r) for r in interpretations],
        repealed_by=optional_link(record.repealed_by, by_id),
        related=[record_link(r) for r in related],
        validity=VALIDITY_ZH.get(record.validity, record.validity),
        service=record.service,
        project=record.project,
        contacts=record.contacts,
        project_status=PROJECT_STATUS_ZH.get(str((record.project or {}).get("status", "")), ""),
        listing=Link(title=category.name, path=f"categories/{category.id}/index.md"),
    )
    return PageSpec(
        path=record_page_path(record),
        template="record.md.j2",
        context=context,
        title=record.title,
        column_name=category.short_name,
        column_type=category.column_type,
        description=record.summary,
        keywords=record.keywords,
        pub_date=record.published.isoformat(),
        content_source=department.name,
        toc=True,
    )
