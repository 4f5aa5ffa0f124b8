"""The embedded sample district validates clean: zero errors, zero warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content.report import format_text
from generator.content.validate import check_content
from generator.core.settings import REPO_ROOT, Settings


def test_sample_content_is_clean() -> None:
    result = check_content(Settings(content_dir=REPO_ROOT / "content", today=date(2026, 11, 28)))
    assert result.problems == [], format_text(result.problems, result.record_count)
    catalog = result.catalog
    assert catalog is not None
    assert result.record_count >= 80
    assert len(catalog.departments) >= 8
    assert {r.category for r in catalog.records} == set(catalog.categories)
    assert any(r.validity == "repealed" and r.repealed_by for r in catalog.records)
    assert any(r.validity == "expired" for r in catalog.records)
    assert sum(len(r.attachments) for r in catalog.records) >= 2
    assert any(r.interprets for r in catalog.records)
    assert Path(REPO_ROOT / "content/site.yml").is_file()
