"""Hostile inputs: each gives a clear problem at its file and line, fast, in bounded memory,
and the build refuses it, so nothing of it reaches ``site/``.

One table, one test. A case writes files into a clean copy of ``tests/examples/base`` and names
the problems it must produce (file, line, code, severity and, for some, words of the message).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from generator.builder.build import PAGES_ONLY, build_site
from generator.content.load import MAX_DEPTH, MAX_NODES, parse_yaml
from generator.core.problems import Problem
from tests.adversarial.hostile import (
    BODY_LINE,
    FRONT,
    PEAK_BYTES,
    RECORD,
    SECONDS,
    Tree,
    alias_bomb,
    line_of,
    measured,
    nested_list,
    nested_yaml_list,
    record,
)

SHOWN = f"content/{RECORD}"


@dataclass(frozen=True)
class Expect:
    file: str
    line: int
    code: str
    severity: str = "error"
    says: str = ""  # words the message must contain


@dataclass(frozen=True)
class Case:
    name: str
    prepare: Callable[[Tree], object]
    expected: tuple[Expect, ...]


def hostile_record(
    name: str,
    data: str | bytes,
    code: str,
    where: str | int,
    says: str = "",
    severity: str = "error",
) -> Case:
    """A case writing ``data`` as the record file; ``where`` is a line or text on that line."""
    line = where if isinstance(where, int) else line_of(data, where)
    return Case(
        name, lambda tree: tree.write(RECORD, data), (Expect(SHOWN, line, code, severity, says),)
    )


def in_body(
    name: str, body: str, code: str, says: str = "", severity: str = "error", *, line: int = 0
) -> Case:
    """A hostile body whose problem is on its ``line``-th line (counted from 0)."""
    return hostile_record(name, record(body), code, BODY_LINE + line, says, severity)


def in_field(
    name: str, field: str, value: str, code: str, says: str = "", severity: str = "error"
) -> Case:
    data = record(**{field: value})
    return hostile_record(name, data, code, f"{field}: ", says, severity)


BILLION_LAUGHS = record(extra="\n" + "\n".join("  " + line for line in alias_bomb().split("\n")))
NESTED_YAML = record(extra="\n" + nested_yaml_list(1000))  # the sequence 21 deep is refused
MANY_KEYS = record(**{f"k{i}": "v" for i in range(20000)})
PWNED = "pwned-by-yaml"

SYNTAX_AND_ENCODING = [
    in_field("unclosed-quote", "title", '"未闭合的引号', "yaml-syntax", "第 3 行的引号没有配对"),
    in_field("unclosed-quote-at-end", "published", '"2025-04-08', "yaml-syntax", "直到文件结束"),
    hostile_record("tab-indent", record(keywords="\n\t- 招生"), "yaml-syntax", "\t- 招生"),
    in_field("colon-in-value", "title", "关于印发: 办法的通知", "yaml-syntax", "冒号后缺少空格"),
    hostile_record("gbk", record().encode("gbk"), "encoding", "title", "GBK/GB18030"),
    hostile_record(
        "gb18030", record("正文：𠀀。\n").encode("gb18030"), "encoding", "title", "GBK/GB18030"
    ),
    hostile_record("utf-16", record().encode("utf-16"), "encoding", 1, "UTF-8"),
    hostile_record(
        "latin-1-byte",
        record(title="Cafe").encode().replace(b"Cafe", b"Caf\xe9"),
        "encoding",
        "title",
        "UTF-8",
    ),
    in_body("bom-inside", "正文\ufeff。\n", "zero-width", "U+FEFF", "warning"),
    in_body("nul", "正文\x00。\n", "unsafe-text", "NUL"),
    in_field("nul-in-title", "title", "关于\x00通知", "unsafe-text", "NUL"),
    in_body("escape-sequence", "正文\x1b[31m红字\n", "unsafe-text", "U+001B"),
    in_body("c1-control", "正文\x85。\n", "unsafe-text", "U+0085"),
    in_field("bidi-override", "title", "关于\u202e知通\u202c的通知", "unsafe-text", "U+202E"),
    in_body("bidi-isolate", "正文\u2066隐藏\u2069。\n", "unsafe-text", "U+2066"),
    in_body("zero-width", "联系\u200b电话。\n", "zero-width", "U+200B", "warning"),
    in_body("soft-hyphen", "联系\u00ad电话。\n", "unsafe-text", "catalog fix"),
    in_field("hangul-filler", "title", "关于\u3164通知", "unsafe-text", "U+3164"),
    in_body("arabic-letter-mark", "正文\u061c。\n", "unsafe-text", "U+061C"),
    hostile_record("lone-cr", record().replace("\n", "\r"), "front-matter", 1),
    hostile_record("no-front-matter", "正文而已。\n", "front-matter", 1),
    hostile_record("unterminated-front-matter", "---\nid: x\n", "front-matter", 1),
    hostile_record(
        "two-documents",
        record(category="policies\n--- 第二个文档"),
        "yaml-syntax",
        "--- 第二个文档",
        "只能有一个 YAML 文档",
    ),
    hostile_record("front-matter-a-list", "---\n- a\n- b\n---\n正文\n", "front-matter", 2),
]

YAML_FEATURES = [
    hostile_record(
        "duplicate-key",
        record(category="policies\ncategory: duties"),
        "duplicate-key",
        "category: duties",
        "第一次在第 4 行",
    ),
    hostile_record("billion-laughs", BILLION_LAUGHS, "forbidden-yaml", "&a0", "锚点"),
    hostile_record(
        "merge-key",
        record(extra="\n  base: &b {a: 1}\n  copy:\n    <<: *b"),
        "forbidden-yaml",
        "&b",
        "锚点",
    ),
    in_field(
        "python-apply",
        "title",
        f'!!python/object/apply:os.system ["touch {PWNED}"]',
        "forbidden-yaml",
        "python/object/apply",
    ),
    in_field("python-name", "title", "!!python/name:os.system", "forbidden-yaml", "python/name"),
    in_field("python-new", "title", "!!python/object/new:type [x, [], {}]", "forbidden-yaml"),
    in_field(
        "verbatim-tag",
        "title",
        f'!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {PWNED}"]',
        "forbidden-yaml",
    ),
    in_field("local-tag", "title", "!evil 通知", "forbidden-yaml", "标签"),
    in_field("binary", "summary", "!!binary 5rWL6K+V", "forbidden-yaml", "binary"),
    in_field("set", "keywords", "!!set {招生, 入学}", "forbidden-yaml", "set"),
    hostile_record(
        "yaml-nested-1000",
        NESTED_YAML,
        "forbidden-yaml",
        line_of(NESTED_YAML, "\n" + "  " * MAX_DEPTH + "-") + 1,
        "嵌套层数超过 20 层",
    ),
    in_field("flow-nested-1000", "keywords", "[" * 1000 + "]" * 1000, "yaml-syntax"),
    in_field(
        "flow-mapping-nested-1000",
        "service",
        "{a: " * 1000 + "}" * 1000,
        "forbidden-yaml",
        "嵌套层数超过 20 层",
    ),
    in_field(
        "list-of-600-mappings",
        "related",
        "[" + ", ".join(["{a: 1}"] * 600) + "]",
        "forbidden-yaml",
        "500",
    ),
    # the 10,001st value of the file is the one refused
    hostile_record(
        "20000-keys", MANY_KEYS, "forbidden-yaml", f"k{MAX_NODES - len(FRONT) - 1}:", "10000"
    ),
]

DATES_AND_TYPES = [
    in_field("feb-30", "written", '"2024-02-30"', "invalid-date", "2 月没有 30 日"),
    in_field("feb-30-unquoted", "written", "2024-02-30", "invalid-date", "2 月没有 30 日"),
    in_field("feb-29-not-leap", "written", '"2023-02-29"', "invalid-date", "2023 年不是闰年"),
    in_field("month-13", "published", '"2025-13-01"', "invalid-date", "月份"),
    in_field("date-as-number", "written", "20250401", "schema", "应为文字"),
    in_field("date-as-float", "written", "2025.0401", "schema", "应为文字"),
    in_field("date-slashes", "written", "2025/04/01", "schema", "格式"),
    in_field("yaml11-no", "category", "no", "schema", "“no”"),
    in_field("yaml11-on", "validity", "on", "schema", "“on”"),
    in_field("yaml11-version-3.10", "form", "3.10", "schema", "应为文字"),
    in_field("yaml11-true-title", "title", "true", "schema", "应为文字"),
    in_field("yaml11-null-summary", "summary", "~", "schema"),
    in_field("yaml11-octal-doc-number", "doc_number", "010", "doc-number", "“010”", "warning"),
]

BODY_LIMITS = [
    hostile_record(
        "10-mb-body", record("正文。" * (10 * 1024 * 1024 // 9)), "file-too-large", 1, "10.0 MB"
    ),
    # reported on the first line nested deeper than 12 levels (4 columns of indentation each)
    in_body("list-1000-deep-2-spaces", nested_list(1000, 2), "markdown-limit", "嵌套", line=24),
    in_body("list-1000-deep-4-spaces", nested_list(1000, 4), "markdown-limit", "嵌套", line=12),
    in_body(
        "list-1000-deep-tabs",
        "".join("\t" * i + "- 项\n" for i in range(1000)),
        "markdown-limit",
        "嵌套",
        line=12,
    ),
    in_body("list-1000-markers-one-line", "- " * 1000 + "项\n", "markdown-limit", "嵌套"),
    in_body("quote-1000-deep", "> " * 1000 + "引文\n", "markdown-limit", "嵌套"),
    in_body("20000-brackets", "[" * 20000 + "\n", "markdown-limit", "20000"),
    in_body("20000-brackets-lines", ("[" * 100 + "\n") * 200, "markdown-limit", "20000"),
    in_body("long-line", "长" * 200_000 + "\n", "markdown-limit", "200000"),
    in_field("long-title", "title", "长" * 200_000, "schema", "200"),
    # reported where the limit is crossed: the 20,001st line, the 1,001st heading
    in_body("30000-lines", "行\n" * 30_000, "markdown-limit", "30001 行", line=20_000),
    in_body("2000-equal-headings", "## 标题\n" * 2000, "markdown-limit", "标题超过", line=1000),
    in_body("setext-headings", "标题\n---\n" * 1100, "markdown-limit", "标题超过", line=2001),
    in_body("unclosed-fences", "```a\n" * 100, "markdown-limit", "```"),
    in_body("backticks", "`" * 3000 + "\n", "markdown-limit", "反引号"),
]
JS = "javascript:alert(document.cookie)"
HTML_AND_LINKS = [
    in_body("script", "<script>alert(1)</script>\n", "unsafe-html", "<script"),
    in_body("script-spaced", "< SCRIPT >alert(1)</script >\n", "unsafe-html"),
    in_body("iframe", '<iframe src="https://evil.example"></iframe>\n', "unsafe-html", "<iframe"),
    in_body("style-tag", "<style>body{display:none}</style>\n", "unsafe-html", "<style"),
    in_body("svg-onload", "<svg onload=alert(1)>\n", "unsafe-html"),
    in_body("img-onerror", "<img src=x onerror=alert(1)>\n", "unsafe-html", "onerror"),
    in_body(
        "style-attribute", '<p style="position:fixed;top:0">假通知</p>\n', "unsafe-html", "style"
    ),
    in_body("md-in-html", '<div markdown="1">*强调*</div>\n', "unsafe-html", "markdown", "warning"),
    in_body("raw-anchor-js", f'<a href="{JS}">点此</a>\n', "unsafe-html", "<a", "warning"),
    in_body("js-link", f"[点此]({JS})\n", "unsafe-html", "不安全的协议"),
    in_body("js-link-mixed-case", "[点此](JaVaScRiPt:alert(1))\n", "unsafe-html", "不安全的协议"),
    in_body(
        "js-link-tab-entity", "[点此](java&#x09;script:alert(1))\n", "unsafe-html", "不安全的协议"
    ),
    in_body(
        "js-link-decimal-entity",
        "[点此](&#106;avascript:alert(1))\n",
        "unsafe-html",
        "不安全的协议",
    ),
    in_body(
        "js-link-colon-entity", "[点此](javascript&colon;alert(1))\n", "unsafe-html", "不安全的协议"
    ),
    in_body(
        "js-link-leading-space", "[点此](   javascript:alert(1))\n", "unsafe-html", "不安全的协议"
    ),
    in_body("js-link-angle", "[点此](<javascript:alert(1)>)\n", "unsafe-html", "不安全的协议"),
    in_body("js-link-title", f'[点此]({JS} "标题")\n', "unsafe-html", "不安全的协议"),
    in_body("js-autolink", "<javascript:alert(1)>\n", "unsafe-html", "不安全的协议"),
    in_body("js-reference", f"[点此][r]\n\n[r]: {JS}\n", "unsafe-html", line=2),
    in_body("js-image", "![图](javascript:alert(1))\n", "unsafe-html", "图片"),
    in_body("vbscript", "[点此](vbscript:msgbox(1))\n", "unsafe-html"),
    in_body("data-html", "[点此](data:text/html;base64,PHNjcmlwdD4=)\n", "unsafe-html"),
    in_body("file-image", "![](file:///etc/passwd)\n", "unsafe-html", "图片"),
    in_body(
        "onclick-attr-list",
        '[链接](https://www.gov.cn){ onclick="alert(1)" }\n',
        "unsafe-html",
        "onclick",
    ),
    in_body("onclick-heading", "## 标题 {: onclick=alert(1) }\n", "unsafe-html", "onclick"),
    in_body("onclick-no-space", "段落{onclick=alert(1)}\n", "unsafe-html", "onclick"),
    in_body("style-attr-list", '段落{: style="position:fixed" }\n', "unsafe-html", "style"),
    in_body("comment", "<!-- 内部意见：暂不公开 -->\n", "unsafe-html", "注释"),
    in_body("absolute-link", "[密码](/etc/passwd)\n", "broken-link", "“/”"),
    in_body("escaping-link", "[密码](../../../../../../etc/passwd)\n", "broken-link", "之外"),
    in_body("backslash-link", "[附件](..\\..\\secret.pdf)\n", "broken-link"),
    in_field(
        "tag-in-title",
        "title",
        '"通知</title><meta http-equiv=refresh content=0;url=https://evil.example>"',
        "unsafe-html",
        "<meta",
    ),
    in_field("comment-in-summary", "summary", "概述<!-- 13900139000 -->", "unsafe-html", "<!--"),
]

COMMENT_WITH_PHONE = record("<!-- 联系人 13800138000 -->\n")
MULTILINE_COMMENT = record("正文。\n<!--\n经办人手机 13912345678\n-->\n")
PII = [
    Case(
        "comment-hiding-a-phone",
        lambda tree: tree.write(RECORD, COMMENT_WITH_PHONE),
        (
            Expect(SHOWN, BODY_LINE, "unsafe-html", says="注释"),
            Expect(SHOWN, BODY_LINE, "pii", says="138******00"),
        ),
    ),
    Case(
        "multi-line-comment",
        lambda tree: tree.write(RECORD, MULTILINE_COMMENT),
        (
            Expect(SHOWN, BODY_LINE + 1, "unsafe-html", says="注释"),
            Expect(SHOWN, BODY_LINE + 2, "pii", says="139******78"),
        ),
    ),
    in_body("many-mobiles", "电话13800138000，\n" * 5000, "pii", "138******00"),
    in_field(
        "id-number-in-title",
        "title",
        "关于张三（11010519491231002X）的处罚决定",
        "pii",
        "110***********002X",
    ),
]


def attachment(file: str) -> str:
    return record(attachments=f"\n  - {{file: '{file}', title: 附件}}")


ATTACHMENT_LINE = line_of(attachment("x"), "file:")


def linked_attachment(tree: Tree, link: str, target: str) -> None:
    (tree.root / "outside").mkdir(exist_ok=True)
    (tree.root / "outside/secret.pdf").write_bytes(b"%PDF-1.4 secret")
    tree.link(f"departments/edu/2025/{link}", tree.root / target)
    tree.write(RECORD, attachment(f"{link}/secret.pdf" if target == "outside" else link))


ATTACHMENTS_AND_SYMLINKS = [
    hostile_record(
        "attachment-escapes",
        attachment("../../../../../etc/passwd.pdf"),
        "missing-attachment",
        "file:",
        "之外",
    ),
    hostile_record(
        "attachment-absolute", attachment("/etc/passwd.pdf"), "missing-attachment", "file:", "“/”"
    ),
    hostile_record(
        "attachment-drive-letter",
        attachment("C:/Windows/win.pdf"),
        "missing-attachment",
        "file:",
        "盘符",
    ),
    hostile_record(
        "attachment-backslashes",
        attachment("files\\入学登记表.pdf"),
        "missing-attachment",
        "file:",
        "“/”",
    ),
    hostile_record(
        "attachment-html", attachment("files/page.html"), "missing-attachment", "file:", "不允许"
    ),
    Case(
        "attachment-file-symlink",
        lambda tree: linked_attachment(tree, "secret.pdf", "outside/secret.pdf"),
        (Expect(SHOWN, ATTACHMENT_LINE, "missing-attachment", says="符号链接"),),
    ),
    Case(
        "attachment-folder-symlink",
        lambda tree: linked_attachment(tree, "linked", "outside"),
        (
            Expect(SHOWN, ATTACHMENT_LINE, "missing-attachment", says="符号链接"),
            Expect("content/departments/edu/2025/linked", 1, "symlink", says="文件夹"),
        ),
    ),
    Case(
        "department-folder-symlink",
        lambda tree: tree.link("departments/evil", tree.content / "departments/edu"),
        (Expect("content/departments/evil", 1, "symlink", says="部门目录"),),
    ),
    Case(
        "record-file-symlink",
        lambda tree: tree.link(RECORD, tree.content / "departments/edu/2025/enrolment-policy.md"),
        (Expect(SHOWN, 1, "symlink", says="符号链接"),),
    ),
    Case(
        "record-symlink-to-etc-passwd",
        lambda tree: tree.link(RECORD, "/etc/passwd"),
        (Expect(SHOWN, 1, "symlink"),),
    ),
    Case(
        "dangling-record-symlink",
        lambda tree: tree.link(RECORD, "nowhere.md"),
        (Expect(SHOWN, 1, "symlink"),),
    ),
    Case(
        "symlink-loop",
        lambda tree: tree.link("departments/edu/loop", "."),
        (Expect("content/departments/edu/loop", 1, "symlink"),),
    ),
    Case(
        "department-yml-symlink",
        lambda tree: replace_by_link(
            tree, "departments/civil/department.yml", "departments/edu/department.yml"
        ),
        (Expect("content/departments/civil/department.yml", 1, "symlink"),),
    ),
    Case(
        "site-yml-symlink",
        lambda tree: replace_by_link(tree, "site.yml", "/etc/hostname"),
        (Expect("content/site.yml", 1, "symlink"),),
    ),
    Case(
        "guide-symlink",
        lambda tree: tree.link("guide.md", "/etc/passwd"),
        (Expect("content/guide.md", 1, "symlink"),),
    ),
    Case(
        "image-through-symlink",
        lambda tree: (
            tree.link("departments/edu/2025/files/logo.png", "/etc/passwd"),
            tree.write(RECORD, record("![标志](files/logo.png)\n")),
        ),
        (Expect(SHOWN, BODY_LINE, "broken-link", says="符号链接"),),
    ),
]


def replace_by_link(tree: Tree, relative: str, target: str) -> None:
    (tree.content / relative).unlink()
    tree.link(relative, target if target.startswith("/") else tree.content / target)


GUIDE = "content/guide.md"
OTHER_FILES = [
    Case(
        "guide-gbk",
        lambda tree: tree.write("guide.md", "## 说明\n\n正文。\n".encode("gbk")),
        (Expect(GUIDE, 1, "encoding", says="GBK"),),
    ),
    Case(
        "guide-phone",
        lambda tree: tree.write("guide.md", "## 说明\n\n联系 13800138000。\n"),
        (Expect(GUIDE, 3, "pii", says="138******00"),),
    ),
    Case(
        "guide-script",
        lambda tree: tree.write("guide.md", "<script>alert(1)</script>\n"),
        (Expect(GUIDE, 1, "unsafe-html"),),
    ),
    Case(
        "guide-deep-list",
        lambda tree: tree.write("guide.md", nested_list(1000, 4)),
        (Expect(GUIDE, 13, "markdown-limit"),),
    ),
    Case(
        "department-mobile",
        lambda tree: tree.write(
            "departments/edu/department.yml",
            (tree.content / "departments/edu/department.yml")
            .read_text(encoding="utf-8")
            .replace('phone: "0999-12345678"', 'phone: "13800138000"'),
        ),
        (Expect("content/departments/edu/department.yml", 10, "pii", says="138******00"),),
    ),
    Case(
        "department-html",
        lambda tree: tree.write(
            "departments/edu/department.yml",
            (tree.content / "departments/edu/department.yml")
            .read_text(encoding="utf-8")
            .replace("head: 王文明", "head: <b onclick=alert(1)>王文明</b>"),
        ),
        (Expect("content/departments/edu/department.yml", 4, "unsafe-html", says="<b"),),
    ),
    Case(
        "site-gbk",
        lambda tree: tree.write(
            "site.yml", (tree.content / "site.yml").read_text(encoding="utf-8").encode("gbk")
        ),
        (Expect("content/site.yml", 1, "encoding"),),
    ),
]

IDS = [
    hostile_record(
        "id-differs-in-case",
        record(id="11339901mb1111111f/2025-00001"),
        "duplicate-id",
        "id:",
        "大小写",
    ),
    hostile_record(
        "id-full-width-digits",
        record(id="１１339901MB1111111F/2025-00009"),
        "schema",
        "id:",
        "格式",
    ),
    hostile_record(
        "id-full-width-hyphen", record(id="11339901MB1111111F/2025－00009"), "schema", "id:", "格式"
    ),
]

CASES = [
    *SYNTAX_AND_ENCODING,
    *YAML_FEATURES,
    *DATES_AND_TYPES,
    *BODY_LIMITS,
    *HTML_AND_LINKS,
    *PII,
    *ATTACHMENTS_AND_SYMLINKS,
    *OTHER_FILES,
    *IDS,
]


def matches(problem: Problem, expect: Expect) -> bool:
    return (problem.file, problem.line, problem.code, problem.severity.value) == (
        expect.file,
        expect.line,
        expect.code,
        expect.severity,
    ) and expect.says in problem.message


def test_case_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_input_gives_a_clear_problem(case: Case, tree: Tree) -> None:
    case.prepare(tree)
    settings = tree.settings()
    if any(expect.severity == "error" for expect in case.expected):
        built, cost = measured(lambda: build_site(settings, PAGES_ONLY))
        problems = built.problems
        assert not built.built
        assert not settings.out_dir.exists() and not settings.staging_dir.exists()
    else:  # records with warnings only are built, and shown safe, in test_rendering.py
        checked, cost = measured(tree.check)
        problems = checked.problems
    for expect in case.expected:
        assert any(matches(p, expect) for p in problems), (expect, problems)
    touched = {expect.file for expect in case.expected}
    assert {p.file for p in problems} <= touched | {SHOWN}, problems
    for problem in problems:
        assert problem.message and problem.line >= 1 and problem.column >= 1
    assert cost.seconds < SECONDS
    assert cost.peak_bytes < PEAK_BYTES
    assert not (tree.root / PWNED).exists() and not (tree.root / "content" / PWNED).exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom", b"\xef\xbb\xbf" + record().encode()),
        ("crlf", record().replace("\n", "\r\n").encode()),
        ("unquoted-date", record(written="2025-04-01", published="2025-04-08").encode()),
        ("snippet-syntax-is-text", record('--8<-- "/etc/passwd"\n').encode()),
        ("html-entities-are-text", record("&lt;script&gt; &amp; &#60;b&#62;\n").encode()),
    ],
)
def test_tolerated_input_is_clean(name: str, data: bytes, tree: Tree) -> None:
    tree.write(RECORD, data)
    result = tree.check()
    assert result.problems == []
    assert any(r.source == SHOWN for r in result.catalog.records)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("no", "no"), ("off", "off"), ("yes", "yes"), ("on", "on"), ("y", "y"),
        ("010", "010"), ("010010", "010010"), ("07551234567", "07551234567"),
        ("0x1F", "0x1F"), ("0o17", "0o17"), ("1_000", "1_000"), ("9:30", "9:30"),
        ("2024-01-02", "2024-01-02"), ("2024-02-30", "2024-02-30"), (".inf", ".inf"),
        ("3.10", 3.1), ("10", 10), ("-3", -3), ("true", True), ("false", False), ("~", None),
        ("null", None), ("", None), ('"3.10"', "3.10"), ("'no'", "no"),
    ],
)  # fmt: skip
def test_yaml_1_1_traps_stay_text(written: str, value: object) -> None:
    """Only true/false, null and decimal numbers are typed; the schema judges everything else."""
    located, problems = parse_yaml(f"value: {written}", "x.yml")
    assert problems == [] and located is not None
    assert located.data["value"] == value and type(located.data["value"]) is type(value)


def test_python_tags_construct_nothing(tree: Tree) -> None:
    """Even where a tag is allowed to reach the parser, nothing is imported or run."""
    payload = f'title: !!python/object/apply:os.system ["touch {tree.root / PWNED}"]\n'
    located, problems = parse_yaml(payload, "x.yml")
    assert located is None and problems[0].code == "forbidden-yaml"
    assert not (tree.root / PWNED).exists()


def test_symlink_target_is_never_read(tree: Tree) -> None:
    """Validation names the link itself and never reads or quotes what it points to."""
    tree.link(RECORD, "/etc/passwd")
    result = tree.check()
    text = "\n".join(p.message for p in result.problems)
    assert "root:" not in text and os.path.basename("/etc/passwd") not in text
