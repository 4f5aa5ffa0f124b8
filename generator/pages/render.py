"""``PageSpec`` → staging Markdown text: YAML front matter + a Jinja2 template.

Templates (``generator/pages/templates/*.md.j2``) write Markdown headings and HTML blocks; every value is
HTML-escaped (autoescape), so content text cannot inject markup. Record bodies are rendered and
sanitized by ``markdown_safe`` before they reach a template.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.content import body_checks
from generator.core.cache import NO_CACHE, CacheFile, fingerprint
from generator.core.records import Catalog, SiteInfo
from generator.core.site_paths import html_path
from generator.pages import markdown_safe
from generator.pages.contexts import PageSpec, RecordContext
from generator.pages.markdown_safe import BodyRenderer, record_link_resolver
from generator.pages.paths import record_page_path
from generator.pages.reports import ReportContext, report_markdown_parts

TEMPLATE_DIR = Path(__file__).parent / "templates"


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["tel"] = tel_href
    return env


PHONE = re.compile(r"\+?[0-9][0-9 \-]{3,}[0-9]")


def tel_href(phone: str) -> str:
    """``tel:`` address of the first number in ``phone`` (``0999-8660 1010`` → ``tel:0999-86601010``),
    or "" when it holds none."""
    found = PHONE.search(phone)
    return "tel:" + found.group(0).replace(" ", "") if found else ""


MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]#|"})


def escape_markdown(text: object) -> Markup:
    """Escape text placed in a Markdown context (headings, list items) — HTML and Markdown."""
    return Markup(str(Markup.escape(str(text))).translate(MARKDOWN_SPECIALS))


def page_url(target: str, from_page: str) -> str:
    """Relative URL of a staging path as seen from a page (``use_directory_urls: false``)."""
    return relative_path(html_path(target), posixpath.dirname(from_page))


def relative_path(target: str, start: str) -> str:
    """``posixpath.relpath(target, start or ".")`` for the staging tree's paths, without its
    ``abspath`` calls (a build asks for ~14 links a page; relpath was a tenth of rendering)."""
    to = target.split("/")
    at = start.split("/") if start else []
    if any(part in ("", ".", "..") for part in (*to, *at)):
        return posixpath.relpath(target, start or ".")
    common = 0
    for mine, theirs in zip(to, at, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def theme_text(value: Any) -> Any:
    """Every string in ``value`` HTML-escaped.

    MkDocs renders the theme without autoescape: Material prints ``page.meta.title`` and
    ``description`` (and our ``main.html`` the ``gov``/``site`` values) into ``<title>``, ``<h1>``
    and ``<meta content="…">`` as they are, so page meta must already be HTML text. A title
    ``</title><meta http-equiv="refresh" …>`` would otherwise redirect the page.
    """
    if isinstance(value, str):
        return str(Markup.escape(value))
    if isinstance(value, dict):
        return {key: theme_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [theme_text(item) for item in value]
    return value


def front_matter(spec: PageSpec, site: SiteInfo) -> dict[str, Any]:
    """Page meta read by ``site_overrides/main.html`` (政府网站发展指引 meta tags, footer)."""
    hide = ["navigation"] if spec.toc else ["navigation", "toc"]
    searchable = {"pagefind": "body"} if spec.searchable else {}  # see site_overrides/main.html
    return theme_text(
        {
            "title": spec.title,
            "description": spec.description,
            "hide": hide,
            **searchable,
            "gov": {
                "SiteName": site.name,
                "SiteDomain": site.site_url.split("://", 1)[-1].strip("/"),
                "SiteIDCode": site.site_code,
                "ColumnName": spec.column_name,
                "ColumnType": spec.column_type,
                "ArticleTitle": spec.title,
                "PubDate": f"{spec.pub_date} 00:00" if spec.pub_date else "",
                "ContentSource": spec.content_source or site.name,
                "Keywords": ",".join(spec.keywords),
                "Description": spec.description,
            },
            "site": {
                "name": site.name,
                "code": site.site_code,
                "area_code": site.area_code,
                "office": site.office.name,
                "address": site.office.address,
                "postcode": site.office.postcode,
                "phone": site.office.phone,
                "email": site.office.email,
            },
        }
    )


# Characters a YAML double-quoted scalar must not hold raw: the quote, the backslash, control
# and non-printable characters, and the ones YAML reads as line breaks or a byte-order mark.
_YAML_ESCAPES = {ord('"'): '\\"', ord("\\"): "\\\\"} | {
    code: f"\\u{code:04x}"
    for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
}


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (read back by any YAML loader as ``text``)."""
    return '"' + text.translate(_YAML_ESCAPES) + '"'


def yaml_lines(data: Mapping[str, Any], indent: str = "") -> list[str]:
    """A block mapping of strings, lists of strings and nested mappings, keys in order.

    Written by hand: PyYAML's pure-Python dumper took 0.8 ms a page (8 s at 10,000 records).
    """
    lines = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            nested = yaml_lines(value, indent + "  ")
            lines += [f"{indent}{key}:", *nested] if nested else [f"{indent}{key}: {{}}"]
        elif isinstance(value, list | tuple):
            items = [f"{indent}- {yaml_string(str(item))}" for item in value]
            lines += [f"{indent}{key}:", *items] if items else [f"{indent}{key}: []"]
        else:
            lines.append(f"{indent}{key}: {yaml_string(str(value))}")
    return lines


def dump_front_matter(data: Mapping[str, Any]) -> str:
    """YAML front matter: every value a string, a list of strings or a mapping of them."""
    return "---\n" + "\n".join(yaml_lines(data)) + "\n---\n\n"


Resolution = tuple[str, str | None]  # a link as written in a body → its URL on the page


def renderer_version() -> bytes:
    """The body renderer's code and libraries: a cached body is valid only for the same."""
    code = [Path(str(module.__file__)) for module in (markdown_safe, body_checks)]
    return fingerprint(files=code, packages=["markdown", "nh3", "pymdown-extensions"])


class BodyCache:
    """Record bodies as HTML, kept between builds in one cache file (``record-bodies``).

    Keyed by the body, the record's folder and page folder and the renderer's version; each
    entry remembers how its links resolved, and is used only while they resolve the same (a
    link to a record that moved or vanished renders the body again). Converting bodies was two
    thirds of the render pass.
    """

    def __init__(self, file: CacheFile) -> None:
        self.file = file
        self.made_from = renderer_version()
        kept = file.read(self.made_from)
        self.entries: dict[str, tuple[str, tuple[Resolution, ...]]] = (
            kept if isinstance(kept, dict) else {}
        )
        self.used: dict[str, tuple[str, tuple[Resolution, ...]]] = {}

    def render(
        self, renderer: BodyRenderer, body: str, where: str, resolve: Callable[[str], str | None]
    ) -> str:
        key = hashlib.sha256(f"{where}\0{body}".encode()).hexdigest()
        hit = self.entries.get(key)
        if hit is not None and all(resolve(url) == target for url, target in hit[1]):
            self.used[key] = hit
            return hit[0]
        calls: list[Resolution] = []

        def recording(url: str) -> str | None:
            target = resolve(url)
            calls.append((url, target))
            return target

        html = renderer.render(body, recording)
        self.used[key] = (html, tuple(calls))
        return html

    def save(self) -> None:
        """Keep the bodies of this build only (a removed record leaves the cache)."""
        if self.used.keys() != self.entries.keys():
            self.file.write(self.made_from, self.used)


class PageRenderer:
    """Renders the pages of one catalog; holds the Jinja environment and the body renderer."""

    def __init__(self, catalog: Catalog, body_cache: CacheFile = NO_CACHE) -> None:
        self.catalog = catalog
        self.env = make_environment()
        self.bodies = BodyRenderer()
        self.cache = BodyCache(body_cache)
        self.record_pages = {r.key: record_page_path(r) for r in catalog.records}
        self.record_bodies: dict[str, str] = {}  # record id → body HTML (Pagefind reuses it)

    def render(self, spec: PageSpec) -> str:
        return self.render_with(spec, self.extra_context(spec))

    def render_with(self, spec: PageSpec, extra: dict[str, Any]) -> str:
        template = self.env.get_template(spec.template)
        text = template.render(
            **spec.context, **extra, link=self.linker(spec.path), page_title=spec.title
        )
        return dump_front_matter(front_matter(spec, self.catalog.site)) + text

    def linker(self, page: str) -> Callable[[str], str]:
        return lambda target: page_url(target, page)

    def extra_context(self, spec: PageSpec) -> dict[str, Any]:
        if spec.template == "record.md.j2":
            return {"body_html": Markup(self.record_body(spec))}
        if spec.template == "report.md.j2":
            return {"sections_html": self.report_sections(spec)}
        if spec.template == "guide.md.j2":
            guide = str(spec.context.get("guide_markdown", ""))
            resolve = record_link_resolver("..", "", self.record_pages)
            return {"guide_html": Markup(self.bodies.render(guide, resolve)) if guide else ""}
        return {}

    def report_sections(self, spec: PageSpec) -> dict[str, Markup]:
        """An annual report's Markdown sections as HTML; together they are its record's body."""
        context: ReportContext = spec.context  # type: ignore[assignment]
        record = context["record"]
        source_dir = posixpath.dirname(record.key)
        resolve = record_link_resolver(source_dir, posixpath.dirname(spec.path), self.record_pages)
        html = {
            key: Markup(self.cache.render(self.bodies, text, f"{spec.path}\0{key}", resolve))
            for key, text in report_markdown_parts(context["report"]).items()
        }
        self.record_bodies[record.id] = "".join(html.values())
        return html

    def record_body(self, spec: PageSpec) -> str:
        context: RecordContext = spec.context  # type: ignore[assignment]
        record = context["record"]
        source_dir = posixpath.dirname(record.key)
        resolve = record_link_resolver(source_dir, posixpath.dirname(spec.path), self.record_pages)
        where = f"{source_dir}\0{spec.path}"
        html = self.cache.render(self.bodies, record.body, where, resolve)
        self.record_bodies[record.id] = html
        return html


# ---------------------------------------------------------------- rendered pages between builds
#
# A page's Markdown is a function of its PageSpec (path, template name, typed context, meta),
# the extra context the renderer adds (the body HTML), the site meta, the templates and this
# code. ``page_key`` hashes the ``repr`` of all of them: the contexts are frozen dataclasses,
# dicts, lists and strings, whose ``repr`` shows every value (an object without a data ``repr``
# would only make its page miss the cache, never reuse a stale page). A warm build renders a page
# again only when its key changed; the staging file it wrote last time stays as it is.


def templates_version() -> str:
    """The templates, the code of the pages package (plan, contexts, renderer) and Jinja's
    version."""
    code = [TEMPLATE_DIR, *sorted(Path(__file__).parent.glob("*.py"))]
    return fingerprint(files=code, packages=["jinja2", "markupsafe"]).hex()


def page_key(salt: str, spec: PageSpec, extra: Mapping[str, Any]) -> str:
    """A digest of everything the page's text is made of (``salt``: templates and site)."""
    data = f"{salt}\0{spec!r}\0{sorted(extra.items())!r}"
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


class PageStream:
    """Every planned page rendered one at a time, so a build writes each page as it comes instead of
    holding the whole staging tree (1.2 GB of text at 100,000 records). ``fresh`` maps staging
    paths to the keys of pages whose text is still in the staging tree: a page whose key is
    unchanged is not rendered again (not yielded; its key is in ``page_keys``).

    Iterating yields ``(staging path, text)`` of the pages rendered now; afterwards ``page_keys``
    holds every page's key and ``bodies`` the record bodies, and the body cache is saved.
    """

    def __init__(
        self,
        catalog: Catalog,
        specs: list[PageSpec],
        body_cache: CacheFile = NO_CACHE,
        fresh: Mapping[str, str] | None = None,
    ) -> None:
        self.renderer = PageRenderer(catalog, body_cache)
        self.specs, self.fresh = specs, fresh
        self.salt = f"{templates_version()}\0{catalog.site!r}"
        self.page_keys: dict[str, str] = {}

    @property
    def bodies(self) -> dict[str, str]:
        return self.renderer.record_bodies

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for spec in self.specs:
            extra = self.renderer.extra_context(spec)
            key = self.page_keys[spec.path] = page_key(self.salt, spec, extra)
            if self.fresh is None or self.fresh.get(spec.path) != key:
                yield spec.path, self.renderer.render_with(spec, extra)
        self.renderer.cache.save()
