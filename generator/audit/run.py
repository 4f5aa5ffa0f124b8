"""``audit(settings, on, site_dir)``: read everything, run every check, return one report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator.audit import columns, links, obligations, timeliness
from generator.audit.columns import Column
from generator.audit.history import read_history
from generator.audit.model import AuditConfig, Finding, Level, parse_config
from generator.audit.score import DepartmentSummary, Score, score, summarise
from generator.content.load import load_yaml_file
from generator.content.schema import load_schemas
from generator.content.validate import check_content
from generator.core.problems import Problem
from generator.core.settings import Settings


class AuditError(Exception):
    """The content cannot be audited at all (no usable site.yml); carries the problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class AuditReport:
    on: date
    site_name: str
    findings: tuple[Finding, ...]
    site: Score
    departments: tuple[DepartmentSummary, ...]
    columns: tuple[Column, ...]
    notes: tuple[str, ...]  # what was not checked, and why
    config: AuditConfig

    @property
    def veto(self) -> bool:
        return any(f.severity is Level.VETO for f in self.findings)


def audit(settings: Settings, on: date, site_dir: Path | None) -> AuditReport:
    result = check_content(replace(settings, today=on))
    if result.catalog is None:
        raise AuditError([p for p in result.problems if p.is_error])
    catalog = result.catalog
    config = read_audit_config(settings.content_dir, settings.max_file_bytes)
    calendar = load_schemas(settings.schema_dir).calendar
    notes: list[str] = []
    bad = len({p.file for p in result.problems if p.is_error})
    if bad:
        notes.append(
            f"有 {bad} 个文件存在错误，未纳入本次检查（网站也不会发布它们）。"
            "请先运行 catalog validate 逐条改正。"
        )

    site_columns = columns.site_columns(catalog, config, catalog.site.empty_notes)
    found: list[Finding] = [
        *columns.check_home(catalog, config, on),
        *columns.check_stale(site_columns, config, on),
        *columns.check_empty(site_columns, config),
        *timeliness.check_late(catalog, calendar),
        *timeliness.check_interpretations(catalog, calendar, config, on),
        *timeliness.check_validity(catalog, on),
    ]
    history = read_history(settings.content_dir)
    if history is None:
        notes.append(
            "内容目录不在 git 仓库中（或没有 git）：未检查 backdated（发布日期早于实际公开）"
            "和 guide-stale（指南未随联系方式更新）。请在仓库的完整克隆中运行"
            "（CI 中 checkout 需 fetch-depth: 0）。"
        )
    else:
        found += timeliness.check_backdated(catalog, calendar, history, config, Path.cwd())
        found += obligations.check_guide(settings.content_dir, history)
    reports = obligations.read_reports(settings.content_dir / "reports")
    if reports is None:
        notes.append("没有 content/reports/ 目录：未检查 report-missing（年度报告未按时发布）。")
    else:
        found += obligations.check_reports(catalog, reports, on)
    if site_dir is not None and (site_dir / "index.html").is_file():
        found += links.check_links(site_dir, set(catalog.departments))
        found += links.check_validity_marks(site_dir, catalog)
    else:
        where = (
            "没有指定网站目录"
            if site_dir is None
            else f"没有找到已构建的网站（{site_dir}/index.html）"
        )
        notes.append(
            f"{where}：未检查 broken-link（链接不可用）。请先运行 catalog build，或用 --site 指定网站目录。"
        )

    ordered = tuple(sorted(found, key=_order))
    return AuditReport(
        on,
        catalog.site.name,
        ordered,
        score(ordered, config),
        tuple(summarise(catalog, site_columns, ordered, config, calendar, on)),
        tuple(site_columns),
        tuple(notes),
        config,
    )


def read_audit_config(content: Path, max_bytes: int) -> AuditConfig:
    """``audit:`` of site.yml (check_content has already judged it; ``empty_notes`` comes with
    the catalog's site)."""
    located, _ = load_yaml_file(content / "site.yml", max_bytes=max_bytes)
    data = located.data if located is not None else {}
    return parse_config(data.get("audit"))


_LEVEL_ORDER = {Level.VETO: 0, Level.DEDUCTION: 1, Level.NOTICE: 2}


def _order(f: Finding) -> tuple[int, str, str, str, str]:
    return (_LEVEL_ORDER[f.severity], f.code, f.department or "", f.category or "", f.record or "")
