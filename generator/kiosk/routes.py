"""The kiosk without dead ends: its own pages for 依申请公开, departments and attachments, and
links to pages a touch screen cannot use rewritten to their kiosk counterparts or to text.

Every page reachable by taps from the kiosk home is a kiosk page (tests/browser/
test_kiosk_crawl.py). Public pages made for a keyboard and a printer (目录检索, 全文检索, the
application form, the print editions) are replaced by kiosk pages; attachments are shown as
images of their pages (rendered at build time by pypdfium2) with a QR code of the file.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict

from generator.core.records import Attachment, Catalog, Department, Record, SiteInfo
from generator.pages.contexts import (
    CategoryTile,
    DepartmentTile,
    HomeContext,
    IndexContext,
    PageSpec,
    SiteContext,
)
from generator.pages.paths import attachment_path, record_page_path

KIOSK_DIR = "kiosk"
APPLY = f"{KIOSK_DIR}/apply.md"
DEPARTMENTS = f"{KIOSK_DIR}/departments"
FILES = f"{KIOSK_DIR}/files"
PAGE_IMAGE_WIDTH = 1000  # px: sharp on a 1080-px portrait screen, ~150 KB a page
MAX_IMAGE_PAGES = 40  # longer attachments show their first pages and say so

# Public pages → their kiosk counterpart ("" = not linked at the kiosk: shown as text).
REPLACED = {
    "browse.html": f"{KIOSK_DIR}/index.html",
    "search.html": f"{KIOSK_DIR}/search.html",
    "apply.html": f"{KIOSK_DIR}/apply.html",
    "apply-form.html": f"{KIOSK_DIR}/apply.html",
    "categories/index.html": f"{KIOSK_DIR}/index.html",
    "departments/index.html": f"{DEPARTMENTS}/index.html",
    "subscribe.html": "",
    "contribute.html": "",
    "reports.html": "",
}
NOT_LINKED_DIRS = ("print/", "feeds/")
CATEGORY_PAGE = re.compile(r"^categories/([a-z0-9-]+)/index\.html$")
DEPARTMENT_PAGE = re.compile(r"^departments/([a-z0-9-]+)/(?:index|page-\d+)\.html$")


class AttachmentView(TypedDict):
    title: str
    kind: str
    record_title: str
    record_path: str
    qr: str  # data URI of the file's public address
    url: str
    images: list[str]  # staging paths of the page images, empty when not a PDF
    pages: int  # pages of the PDF (may be more than the images shown)


def kiosk_target(target: str) -> str | None:
    """The kiosk page for a site-relative page address; ``""``: not linked; ``None``: as is."""
    if target in REPLACED:
        return REPLACED[target]
    if target.startswith(NOT_LINKED_DIRS):
        return ""
    if found := CATEGORY_PAGE.match(target):
        return f"{KIOSK_DIR}/categories/{found.group(1)}/index.html"
    if found := DEPARTMENT_PAGE.match(target):
        return f"{DEPARTMENTS}/{found.group(1)}.html"
    return None


ANCHOR = re.compile(r'<a\b([^>]*?)\shref="([^"#?:]*\.html)([#?][^"]*)?"([^>]*)>(.*?)</a>', re.S)


def reroute_links(text: str, page: str) -> str:
    """Rewrite links of the staged page ``page`` to pages a touch screen cannot use."""
    here = posixpath.dirname(page)

    def reroute(match: re.Match[str]) -> str:
        before, href, rest, after, label = match.groups()
        target = posixpath.normpath(posixpath.join(here, href))
        replacement = kiosk_target(target)
        if replacement is None:
            return match.group(0)
        if replacement == "":
            return f'<span class="kiosk-offline-link">{label}</span>'
        keep = rest if rest and rest.startswith("?") and replacement.endswith("search.html") else ""
        new = posixpath.relpath(replacement, here or ".")
        return f'<a{before} href="{new}{keep}"{after}>{label}</a>'

    return ANCHOR.sub(reroute, text)


# ---------------------------------------------------------------- pages


def kiosk_spec(path: str, template: str, context: object, title: str, intro: str) -> PageSpec:
    return PageSpec(
        path=path,
        template=template,
        context=context,  # type: ignore[arg-type]  # one of pages.PageContext
        title=title,
        column_name="自助查询",
        column_type="信息公开目录",
        description=intro,
    )


def plan_kiosk_apply(catalog: Catalog) -> PageSpec:
    """依申请公开 at the kiosk: where to get and hand in a paper form, no printing."""
    context = SiteContext(site=catalog.site, departments=list(catalog.departments.values()))
    return kiosk_spec(
        APPLY, "kiosk_apply.md.j2", context, "依申请公开", "到哪里领取、提交政府信息公开申请表。"
    )


def plan_kiosk_departments(catalog: Catalog, category_dir: str) -> list[PageSpec]:
    """部门: one tile per department, then each department's categories (the records of a
    department and category are the existing kiosk pages under ``category_dir``)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in catalog.records:
        counts[record.department][record.category] += 1
    tiles = [
        DepartmentTile(
            id=d.id,
            name=d.name,
            count=sum(counts[d.id].values()),
            path=f"{DEPARTMENTS}/{d.id}.md",
        )
        for d in catalog.departments.values()
    ]
    index = kiosk_spec(
        f"{DEPARTMENTS}/index.md",
        "kiosk_category.md.j2",
        IndexContext(kind="departments", intro="", categories=[], departments=tiles, years=[]),
        "按部门浏览",
        "点按发布机构，查看它主动公开的政府信息。",
    )
    return [
        index,
        *(
            plan_kiosk_department(catalog, d, counts[d.id], category_dir)
            for d in catalog.departments.values()
        ),
    ]


def plan_kiosk_department(
    catalog: Catalog, department: Department, counts: Mapping[str, int], category_dir: str
) -> PageSpec:
    tiles = [
        CategoryTile(
            id=c.id,
            name=c.name,
            short_name=c.short_name,
            description=c.description,
            count=counts[c.id],
            path=f"{category_dir}/{c.id}/{department.id}/index.md",
        )
        for c in catalog.categories.values()
        if counts.get(c.id)
    ]
    context = HomeContext(
        site=catalog.site, categories=tiles, latest=[], departments=[], years=[],
        total=sum(counts.values()), links=[],
    )  # fmt: skip
    return kiosk_spec(
        f"{DEPARTMENTS}/{department.id}.md",
        "kiosk_department.md.j2",
        context,
        department.name,
        f"{department.name}主动公开的政府信息，按目录分类浏览。",
    )


def viewer_path(attachment: Attachment) -> str:
    return f"{FILES}/{attachment.path.removeprefix('departments/')}.md"


def image_path(attachment: Attachment, number: int) -> str:
    return f"{FILES}/{attachment.path.removeprefix('departments/')}.page-{number}.png"


def pdf_pages(path: Path) -> int:
    """Pages of a PDF attachment; 0 when it cannot be opened (the viewer then offers the QR)."""
    import pypdfium2  # only kiosk builds need it

    try:
        return len(pypdfium2.PdfDocument(path))
    except pypdfium2.PdfiumError:
        return 0


def plan_attachment_viewers(catalog: Catalog, content_dir: Path, site: SiteInfo) -> list[PageSpec]:
    """One kiosk page per attachment: its pages as images (PDF) and a QR code of the file."""
    from generator.kiosk.bundle import public_url, qr_data_uri

    specs = []
    for record in catalog.records:
        for attachment in record.attachments:
            pages = pdf_pages(content_dir / attachment.path) if attachment.kind == "pdf" else 0
            url = public_url(site, attachment_path(attachment)).removesuffix(".html")
            view = AttachmentView(
                title=attachment.title,
                kind=attachment.kind.upper(),
                record_title=record.title,
                record_path=record_page_path(record),
                qr=qr_data_uri(url),
                url=url,
                images=[
                    image_path(attachment, n) for n in range(1, min(pages, MAX_IMAGE_PAGES) + 1)
                ],
                pages=pages,
            )
            specs.append(
                kiosk_spec(
                    viewer_path(attachment),
                    "kiosk_attachment.md.j2",
                    view,
                    attachment.title,
                    f"附件：{attachment.title}",
                )
            )
    return specs


def attachment_links(text: str, record: Record) -> str:
    """On a kiosk record page, each attachment's 下载 link opens its viewer page instead."""
    here = posixpath.dirname(record_page_path(record))
    for attachment in record.attachments:
        href = posixpath.relpath(attachment_path(attachment), here)
        viewer = posixpath.relpath(viewer_path(attachment), here).removesuffix(".md") + ".html"
        text = text.replace(
            f'<a href="{href}" download>下载</a>',
            f'<a class="kiosk-action kiosk-action--file" href="{viewer}">查看</a>',
        )
    return text


def write_attachment_images(
    catalog: Catalog, site_dir: Path, cache_dir: Path | None = None
) -> list[Path]:
    """Render the pages of every PDF attachment of the built kiosk site to PNG images; images
    made by an earlier build from the same file are copied from ``cache_dir``."""
    written = []
    for record in catalog.records:
        for attachment in record.attachments:
            if attachment.kind == "pdf":
                written += attachment_images(site_dir, attachment, cache_dir)
    return written


def attachment_images(site_dir: Path, attachment: Attachment, cache_dir: Path | None) -> list[Path]:
    import pypdfium2

    source = site_dir / attachment_path(attachment)
    digest = hashlib.sha256(source.read_bytes() + f"{PAGE_IMAGE_WIDTH}".encode()).hexdigest()
    try:
        document = pypdfium2.PdfDocument(source)
    except pypdfium2.PdfiumError:
        return []
    written = []
    for number in range(1, min(len(document), MAX_IMAGE_PAGES) + 1):
        target = site_dir / image_path(attachment, number)
        target.parent.mkdir(parents=True, exist_ok=True)
        cached = cache_dir / f"{digest}-{number}.png" if cache_dir else None
        if cached is not None and cached.is_file():
            shutil.copyfile(cached, target)
        else:
            page = document[number - 1]
            page.render(scale=PAGE_IMAGE_WIDTH / page.get_width()).to_pil().save(
                target, optimize=True
            )
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(target, cached)
        written.append(target)
    document.close()
    return written
