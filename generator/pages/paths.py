"""Where pages and files live in the staging tree (POSIX paths inside ``docs_dir``)."""

from __future__ import annotations

from generator.core.records import Attachment, Category, Department, Record


def record_page_path(record: Record) -> str:
    return f"records/{record.department}/{record.slug}.md"


def attachment_path(attachment: Attachment) -> str:
    """``files/`` mirrors ``content/departments/`` (same URL as ``exports.attachment_url``)."""
    return "files/" + attachment.path.removeprefix("departments/")


def listing_page_path(directory: str, number: int) -> str:
    return f"{directory}/index.md" if number == 1 else f"{directory}/page-{number}.md"


def category_index_path(category: Category) -> str:
    return f"categories/{category.id}/index.md"


def department_dir(department: Department) -> str:
    return f"departments/{department.id}"
