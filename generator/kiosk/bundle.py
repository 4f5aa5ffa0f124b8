"""The lobby kiosk (电子信息屏): kiosk pages, outbound-link removal, QR codes and the bundle.

``catalog build --kiosk`` stages the same pages as the public site plus touch-sized landing pages
under ``kiosk/`` (category → department → record), turns every outbound link into plain text,
puts a QR code of the record's public address on each record page, builds MkDocs with a derived
configuration that switches the kiosk theme on (``extra.kiosk``), and adds the Whoosh index and a
launcher to the bundle. Page planning and text transforms are pure; ``write_bundle`` writes.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import yaml

from generator.core.records import Catalog, Category, Department, Record, SiteInfo
from generator.core.site_paths import html_path
from generator.pages.contexts import (
    DepartmentTile,
    HomeContext,
    IndexContext,
    Link,
    ListingContext,
    PageLink,
    Pager,
    PageSpec,
    Row,
)
from generator.pages.paths import record_page_path
from generator.pages.rows import category_tiles, chunk, to_row, year_tiles

KIOSK_DIR = "kiosk"
HOME = f"{KIOSK_DIR}/index.md"
SEARCH = f"{KIOSK_DIR}/search.md"
RECORDS_PER_PAGE = 12
INDEX_DIR_NAME = ".search-index"  # hidden: ``catalog serve`` never serves dot-paths
LAUNCHER_NAME = "start-kiosk.sh"
POLICY_NAME = "chromium-policy.json"
DEFAULT_PORT = 8000
COLUMN = "自助查询"


# ---------------------------------------------------------------- page plan


def category_dir(category: Category) -> str:
    return f"{KIOSK_DIR}/categories/{category.id}"


def category_index(category: Category) -> str:
    return f"{category_dir(category)}/index.md"


def records_dir(category: Category, department: Department) -> str:
    return f"{category_dir(category)}/{department.id}"


def kiosk_page(path: str, template: str, context: object, title: str, intro: str) -> PageSpec:
    return PageSpec(
        path=path,
        template=template,
        context=context,  # type: ignore[arg-type]  # one of pages.PageContext
        title=title,
        column_name=COLUMN,
        column_type="信息公开目录",
        description=intro,
    )


def plan_kiosk_pages(catalog: Catalog) -> list[PageSpec]:
    """The kiosk's own pages: home, the on-screen-keyboard search, and the browse tiles."""
    return [
        plan_kiosk_home(catalog),
        plan_kiosk_search(catalog),
        *(page for c in catalog.categories.values() for page in plan_kiosk_category(catalog, c)),
    ]


def kiosk_home_context(catalog: Catalog, links: list[Link]) -> HomeContext:
    return HomeContext(
        site=catalog.site,
        categories=category_tiles(catalog, category_index),
        latest=[],
        departments=[],
        years=year_tiles(catalog),
        total=len(catalog.records),
        links=links,
    )


def plan_kiosk_home(catalog: Catalog) -> PageSpec:
    links = [
        Link(title="检索", path=SEARCH),
        Link(title="公开指南", path="guide.md"),
        Link(title="依申请公开", path="apply.md"),
    ]
    return kiosk_page(
        HOME,
        "kiosk_home.md.j2",
        kiosk_home_context(catalog, links),
        f"{catalog.site.name}政府信息公开自助查询",
        "按分类、部门浏览主动公开的政府信息，或用屏幕键盘检索。",
    )


def plan_kiosk_search(catalog: Catalog) -> PageSpec:
    return kiosk_page(
        SEARCH,
        "kiosk_search.md.j2",
        kiosk_home_context(catalog, []),
        "检索政府信息",
        "用屏幕键盘输入标题的拼音首字母、文号或年份中的数字。",
    )


def plan_kiosk_category(catalog: Catalog, category: Category) -> list[PageSpec]:
    """A category's department tiles, then each department's record tiles (paginated)."""
    by_department: dict[str, list[Row]] = defaultdict(list)
    for record in catalog.records:
        if record.category == category.id:
            by_department[record.department].append(to_row(record, catalog.departments))
    departments = [d for d in catalog.departments.values() if d.id in by_department]
    tiles = [
        DepartmentTile(
            id=d.id,
            name=d.name,
            count=len(by_department[d.id]),
            path=f"{records_dir(category, d)}/index.md",
        )
        for d in departments
    ]
    context = IndexContext(
        kind=category.id, intro=category.description, categories=[], departments=tiles, years=[]
    )
    first = kiosk_page(
        f"{category_dir(category)}/index.md",
        "kiosk_category.md.j2",
        context,
        category.name,
        category.description,
    )
    listings = [
        page for d in departments for page in plan_kiosk_records(category, d, by_department[d.id])
    ]
    return [first, *listings]


def plan_kiosk_records(
    category: Category, department: Department, rows: list[Row]
) -> list[PageSpec]:
    directory = records_dir(category, department)
    pages = chunk(rows, RECORDS_PER_PAGE)
    links = [
        PageLink(number=n, path=f"{directory}/index.md" if n == 1 else f"{directory}/page-{n}.md")
        for n in range(1, len(pages) + 1)
    ]
    title = f"{category.short_name} · {department.name}"
    return [
        kiosk_page(
            link["path"],
            "kiosk_records.md.j2",
            ListingContext(
                intro=category.name,
                rows=page,
                pager=Pager(current=link["number"], pages=links, total_rows=len(rows)),
                department=department,
                category=category,
            ),
            title if link["number"] == 1 else f"{title}（第 {link['number']} 页）",
            f"{department.name}发布的“{category.short_name}”类政府信息。",
        )
        for link, page in zip(links, pages, strict=True)
    ]


# ---------------------------------------------------------------- text transforms


ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S | re.I)
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
# Pages and anchors stay links; everything else (files, feeds, exports) would leave the kiosk.
PAGE_TARGET = re.compile(r"^(?:[^:?#]*\.html|[^:?#]*/|)(?:[?#].*)?$")


def is_outbound(target: str) -> bool:
    """True for targets a kiosk must not open: other hosts, other schemes, downloads."""
    if target.startswith("//") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target):
        return True
    return not PAGE_TARGET.match(target)


def offline_text(text: str, address: str) -> str:
    """Link text for a kiosk: the address is shown (a visitor can note it or scan the QR code)."""
    shown = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
    if re.match(r"^(?:https?:)?//", address) or address.startswith(("mailto:", "tel:")):
        plain = re.sub(r"^(?:mailto|tel):", "", address)
        if plain in shown:
            return text
        return f"{text}（{html.escape(plain)}）" if shown else html.escape(plain)
    return "扫码下载" if shown in ("", "下载") else f"{text}（扫码下载）"


def link_as_text(match: re.Match[str]) -> str:
    attributes, text = match.group(1), match.group(2)
    found = HREF.search(attributes)
    if found is None:
        return match.group(0)
    address = html.unescape(next(g for g in found.groups() if g is not None)).strip()
    if not is_outbound(address) and not re.search(r"\sdownload\b", attributes):
        return match.group(0)
    return f'<span class="kiosk-offline-link">{offline_text(text, address)}</span>'


def strip_outbound_links(text: str) -> str:
    """Every ``<a>`` to another host, scheme or a file becomes text with the address shown."""
    return ANCHOR.sub(link_as_text, text)


def public_url(site: SiteInfo, page_path: str) -> str:
    """The public address of a staged page (``use_directory_urls: false``)."""
    return f"{site.site_url.rstrip('/')}/{html_path(page_path)}"


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI. Mask 0 is fixed: choosing the best of the eight
    masks took 80 % of the time (4 ms a code) and any mask scans from a screen."""
    import segno  # only kiosk builds need it

    code = segno.make(url, error="m", micro=False, mask=0, boost_error=False, mode="byte")
    return code.svg_data_uri(scale=1, border=2, dark="#000", light="#fff")


def qr_block(url: str) -> str:
    return (
        '<div class="kiosk-qr">\n'
        f'<img src="{qr_data_uri(url)}" alt="本页公开网址的二维码" width="200" height="200">\n'
        '<p class="kiosk-qr__hint">用手机扫描二维码，带走本信息</p>\n'
        f'<p class="kiosk-qr__url">{html.escape(url)}</p>\n'
        "</div>\n\n"
    )


RECORD_META_END = re.compile(r'<div class="record-meta">.*?</table>\n</div>\n', re.S)


def add_qr_code(text: str, url: str) -> str:
    """Insert the QR card under the record's metadata table (else after the front matter)."""
    found = RECORD_META_END.search(text)
    if found:
        return f"{text[: found.end()]}\n{qr_block(url)}{text[found.end() :]}"
    head, separator, body = text.partition("\n---\n\n")
    return f"{head}{separator}{qr_block(url)}{body}" if separator else text


def kiosk_pages(catalog: Catalog, pages: Mapping[str, str]) -> dict[str, str]:
    """The kiosk's staging tree: outbound links as text, a QR code on every record page."""
    return dict(kiosk_stream(catalog, pages.items()))


def kiosk_stream(catalog: Catalog, pages: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """``kiosk_pages`` one page at a time, as the build renders them."""
    record_paths = {record_page_path(r) for r in catalog.records}
    for path, text in pages:
        text = strip_outbound_links(text)
        if path in record_paths:
            text = add_qr_code(text, public_url(catalog.site, path))
        yield path, text


# ---------------------------------------------------------------- builder config and bundle


def kiosk_config_text(parent: Path, overrides_dir: Path, site: SiteInfo) -> str:
    """``mkdocs.yml`` for a kiosk build: inherit the public one, switch the kiosk theme on.

    MkDocs resolves the parent's relative paths against this file, so the one it needs
    (``custom_dir``) is given absolute; the live-preview hook has no job in a kiosk build.
    """
    config = {
        "INHERIT": str(parent.resolve()),
        "theme": {"custom_dir": str(overrides_dir.resolve())},
        "hooks": [],
        "watch": [],
        "extra": {
            "kiosk": True,
            "kiosk_idle_seconds": site.kiosk_idle_seconds,
            "kiosk_countdown_seconds": 30,
        },
    }
    header = "# Written by `catalog build --kiosk` (generator/kiosk/bundle.py); do not edit.\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def kiosk_config_path(staging_dir: Path) -> Path:
    """Next to the staging tree: ``build/kiosk/docs`` → ``build/kiosk/mkdocs.yml``."""
    return staging_dir.parent / "mkdocs.yml"


def bundled_index(site_dir: Path) -> Path | None:
    """The Whoosh index inside a kiosk bundle, if ``site_dir`` is one."""
    candidate = site_dir / INDEX_DIR_NAME
    return candidate if candidate.is_dir() else None


def launcher_text(port: int = DEFAULT_PORT) -> str:
    return (
        (Path(__file__).parent.parent / "pages" / "templates" / "kiosk_launcher.sh")
        .read_text(encoding="utf-8")
        .replace("@PORT@", str(port))
    )


def policy_text(port: int = DEFAULT_PORT) -> str:
    """Chromium managed policy: only the local kiosk origin, no downloads, no developer tools."""
    policy = {
        "URLBlocklist": ["*"],
        "URLAllowlist": [f"http://127.0.0.1:{port}"],
        "DownloadRestrictions": 3,
        "DeveloperToolsAvailability": 2,
        "PrintingEnabled": False,
        "TranslateEnabled": False,
        "PasswordManagerEnabled": False,
        "AutofillAddressEnabled": False,
        "AutofillCreditCardEnabled": False,
        "BrowserSignin": 0,
        "SyncDisabled": True,
        "SearchSuggestEnabled": False,
        "SpellcheckEnabled": False,
        "BookmarkBarEnabled": False,
        "AllowFileSelectionDialogs": False,
        "DefaultNotificationsSetting": 2,
        "DefaultGeolocationSetting": 2,
        "MetricsReportingEnabled": False,
        "NetworkPredictionOptions": 2,
    }
    return json.dumps(policy, ensure_ascii=False, indent=2) + "\n"


def copy_index(index_dir: Path, target: Path) -> bool:
    """Copy the generation in use of an existing index; False when there is none."""
    from generator.search.whoosh_index import read_current

    current = read_current(index_dir)
    if current is None:
        return False
    target.mkdir(parents=True)
    shutil.copytree(index_dir / current, target / current)
    (target / "CURRENT").write_text(current + "\n", encoding="utf-8")
    return True


def write_bundle(catalog: Catalog, site_dir: Path, index_dir: Path | None = None) -> Path:
    """Add the Whoosh index (a copy of ``index_dir``'s, or a new one), the launcher and the
    Chromium policy to a built kiosk site."""
    target = site_dir / INDEX_DIR_NAME
    if index_dir is None or not copy_index(index_dir, target):
        from generator.search.whoosh_index import build_index

        build_index(catalog, target, full=True)
    launcher = site_dir / LAUNCHER_NAME
    launcher.write_text(launcher_text(), encoding="utf-8", newline="\n")
    launcher.chmod(0o755)
    (site_dir / POLICY_NAME).write_text(policy_text(), encoding="utf-8", newline="\n")
    return site_dir


def record_public_url(site: SiteInfo, record: Record) -> str:
    return public_url(site, record_page_path(record))
