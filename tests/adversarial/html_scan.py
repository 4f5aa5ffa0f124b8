"""Read built HTML the way a browser would (``html.parser``) and list what could run or leak."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Schemes a browser would run, or that read local or inline data, once entities and tabs are
# decoded the way a browser decodes them.
DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data|file|blob|filesystem):", re.IGNORECASE)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "srcset", "poster", "xlink:href"}
)
RUNNABLE_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta",
    "base", "form", "input", "button", "textarea", "svg", "math", "template", "noscript",
})  # fmt: skip


def browser_url(value: str) -> str:
    """A URL attribute as a browser reads it: entities decoded, controls and tabs dropped."""
    return re.sub(r"^[\x00-\x20]+|[\t\n\r]", "", html.unescape(value))


@dataclass(frozen=True)
class Element:
    tag: str
    attrs: dict[str, str]
    in_body: bool  # inside <div class="record-body">: text that came from an editor


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    inline_scripts: list[str] = field(default_factory=list)
    title: str = ""

    def meta(self, http_equiv: str) -> list[str]:
        return [
            e.attrs.get("content", "")
            for e in self.elements
            if e.tag == "meta" and e.attrs.get("http-equiv", "").lower() == http_equiv.lower()
        ]

    @property
    def body_elements(self) -> list[Element]:
        return [e for e in self.elements if e.in_body]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[tuple[str, bool]] = []  # (tag, opens a record body)
        self._script: list[str] | None = None
        self._in_title = False

    @property
    def _in_body(self) -> bool:
        return any(is_body for _, is_body in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        self.page.elements.append(Element(tag, values, self._in_body))
        if tag == "script" and "src" not in values and values.get("type") != "application/json":
            self._script = []
        self._in_title = tag == "title"
        if tag not in VOID:
            self._open.append((tag, "record-body" in values.get("class", "").split()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        self.page.elements.append(Element(tag, values, self._in_body))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.page.inline_scripts.append("".join(self._script))
            self._script = None
        self._in_title = False
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        if self._in_title:
            self.page.title += data

    def handle_comment(self, data: str) -> None:
        self.page.comments.append(data)


VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})  # fmt: skip


def scan(text: str) -> Page:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.page


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


# Per directive, the sources that keep a page to its own origin (no host, no scheme, no "*").
SAME_ORIGIN = {
    "default-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "style-src": {"'self'", "'unsafe-inline'"},
    "script-src": {"'self'", "'wasm-unsafe-eval'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
}


def unsafe_in_body(page: Page) -> list[str]:
    """Everything in the editors' part of the page that could run, load or hide something."""
    found = []
    for element in page.body_elements:
        if element.tag in RUNNABLE_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrs.items():
            if name.startswith("on") or name in ("style", "markdown", "srcdoc", "formaction"):
                found.append(f"{element.tag}[{name}]")
            if name in URL_ATTRIBUTES and DANGEROUS_URL.match(browser_url(value)):
                found.append(f"{element.tag}[{name}={value}]")
            if element.tag == "img" and name == "src" and re.match(r"(?:[a-z]+:)?//", value, re.I):
                found.append(f"img[src={value}] from another origin")
    return found
