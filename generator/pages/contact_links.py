"""Phone numbers and e-mail addresses as ``tel:``/``mailto:`` links (one tap on a phone).

Jinja filters registered by ``render.make_environment``: text is escaped, and only the runs that
look like a number or an address become links, so "0999-86601010（工作日）" or two numbers
joined by 、 keep their wording.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# A Chinese landline, mobile or service number: digits with optional area-code hyphen or
# extension ("0999-86601010", "12345", "0999-8660101-2"), at least five digits long.
PHONE = re.compile(r"(?<![\d\w])(\+?\d(?:[\d-]| (?=\d)){3,}\d)(?![\d\w])", re.ASCII)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def phone_links(text: object) -> Markup:
    shown = str(escape(str(text)))
    return Markup(PHONE.sub(lambda m: f'<a href="{tel_href(m.group(1))}">{m.group(1)}</a>', shown))


def tel_href(number: str) -> str:
    """The ``tel:`` address of a number as written (``0999 8660 1010`` → ``tel:099986601010``)."""
    return "tel:" + number.replace(" ", "")


def email_links(text: object) -> Markup:
    shown = str(escape(str(text)))
    return Markup(EMAIL.sub(lambda m: f'<a href="mailto:{m.group(0)}">{m.group(0)}</a>', shown))
