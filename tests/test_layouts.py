"""Record pages filled into their kind's layout (generator/builder/layouts.py): the same site,
byte for byte, as MkDocs'."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.builder import layouts, record_markdown, site_render
from generator.builder.build import builder_config
from generator.builder.incremental import nav_pages
from generator.builder.layouts import (
    FIELD,
    SAMPLE_CONTENT,
    SAMPLE_HEADINGS,
    fill,
    layout_from_sample,
    sample_path,
)
from generator.builder.mkdocs_run import BuilderRun, is_record_page
from generator.builder.record_markdown import (
    Converted,
    Heading,
    RecordPage,
    convert,
    is_plain,
    quick_front_matter,
    record_page,
)
from generator.builder.site_render import build_site_dir, render_pages
from generator.builder.staging import stage_catalog
from generator.content.validate import check_content
from generator.core.cache import CacheFile
from generator.core.settings import REPO_ROOT, Settings
from generator.core.site_paths import html_path
from generator.pages.render import dump_front_matter
from generator.tools.synth import synthesize

EPOCH = "1719792000"
SYNTH_RECORDS = 300
SYNTH_TODAY = date(2026, 6, 30)  # every synthetic record is published by then

# ---------------------------------------------------------------- equivalence with MkDocs


@dataclass(frozen=True)
class Staged:
    docs: Path
    config: Path

    def records(self) -> list[str]:
        """The staging paths of the record pages, sorted."""
        found = (p.relative_to(self.docs).as_posix() for p in self.docs.rglob("*.md"))
        return sorted(path for path in found if is_record_page(path))


@dataclass(frozen=True)
class Pair:
    """The same staging tree built with record pages from layouts (``fast``) and without."""

    staged: Staged
    fast: BuilderRun
    slow: BuilderRun
    fast_site: Path
    slow_site: Path


@pytest.fixture(autouse=True, scope="module")
def epoch() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


def stage(root: Path, content: Path, *, kiosk: bool = False, today: date | None = None) -> Staged:
    settings = Settings(
        content_dir=content,
        staging_dir=root / "build" / "docs",
        index_dir=root / "build" / "search-index",
        out_dir=root / "site",
        kiosk=kiosk,
        use_cache=False,
        **({"today": today} if today else {}),
    )
    checked = check_content(settings)
    assert checked.ok and checked.catalog is not None, checked.problems
    stage_catalog(checked.catalog, settings)
    return Staged(settings.staging_dir, builder_config(checked.catalog, settings))


def build_both(staged: Staged, root: Path) -> Pair:
    fast_site, slow_site = root / "fast", root / "slow"
    fast_site.mkdir()
    slow_site.mkdir()
    nav = nav_pages(staged.config)
    fast = render_pages(staged.config, staged.docs, fast_site, nav=nav, fill=True)
    slow = render_pages(staged.config, staged.docs, slow_site, nav=nav, fill=False)
    return Pair(staged, fast, slow, fast_site, slow_site)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_same_tree(first: Path, second: Path) -> None:
    one, two = tree(first), tree(second)
    assert sorted(one) == sorted(two)
    differ = [path for path in one if one[path] != two[path]]
    assert differ == [], f"{len(differ)} files differ, e.g. {differ[:5]}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    root = tmp_path_factory.mktemp("sample")
    return build_both(stage(root, REPO_ROOT / "content"), root)


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    root = tmp_path_factory.mktemp("kiosk")
    return build_both(stage(root, REPO_ROOT / "content", kiosk=True), root)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    root = tmp_path_factory.mktemp("synth")
    synthesize(SYNTH_RECORDS, root / "content", seed=1)
    return build_both(stage(root, root / "content", today=SYNTH_TODAY), root)


@pytest.fixture(params=["sample", "kiosk", "synthetic"])
def pair(request: pytest.FixtureRequest) -> Pair:
    built: Pair = request.getfixturevalue(request.param)
    return built


def test_record_pages_from_shells_are_the_pages_mkdocs_renders(pair: Pair) -> None:
    assert_same_tree(pair.fast_site, pair.slow_site)


def test_every_record_page_is_filled_and_mkdocs_runs_once(pair: Pair) -> None:
    records = pair.staged.records()
    assert len(records) > 50
    assert (pair.fast.filled, pair.fast.processes) == (len(records), 1)
    assert pair.slow.filled == 0
    assert not any("xcatshell" in path for path in tree(pair.fast_site))  # samples removed


def test_kiosk_record_pages_differ_from_the_public_ones(sample: Pair, kiosk: Pair) -> None:
    page = html_path(sample.staged.records()[0])
    assert (sample.fast_site / page).read_bytes() != (kiosk.fast_site / page).read_bytes()
    assert "kiosk" in (kiosk.fast_site / page).read_text(encoding="utf-8")


def test_a_kind_of_page_without_a_shell_goes_through_mkdocs(
    sample: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layouts, "layout_from_sample", lambda html, fields: None)
    run = render_pages(sample.staged.config, sample.staged.docs, tmp_path, fill=True,
                      nav=nav_pages(sample.staged.config))  # fmt: skip
    assert run.filled == 0
    assert run.processes == 2  # the samples' run, then the pages that found no layout
    assert_same_tree(tmp_path, sample.slow_site)


def edit(docs: Path, page: str, old: str, new: str) -> None:
    path = docs / page
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_pages_outside_the_subset_go_through_mkdocs(sample: Pair, tmp_path: Path) -> None:
    """A title with an entity: MkDocs renders it with the sample (here in two processes: split
    from one record page on). A list in the Markdown: found when the page is filled, so
    rendered by one more MkDocs run."""
    docs = tmp_path / "docs"
    shutil.copytree(sample.staged.docs, docs)
    listed, entity = sample.staged.records()[:2]
    edit(docs, listed, "## 正文", "## 正文\n\n- 一个列表")
    edit(docs, entity, 'title: "', 'title: "&amp; ')
    fast, slow = tmp_path / "fast", tmp_path / "slow"
    fast.mkdir()
    slow.mkdir()
    nav = nav_pages(sample.staged.config)
    run = render_pages(sample.staged.config, docs, fast, fill=True, split_from=1, nav=nav)
    render_pages(sample.staged.config, docs, slow, fill=False)
    assert (run.filled, run.processes) == (len(sample.staged.records()) - 2, 3)
    assert "<li>一个列表</li>" in (fast / html_path(listed)).read_text("utf-8")
    assert_same_tree(fast, slow)


def test_a_warm_build_fills_the_changed_record_from_a_shell(
    sample: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(sample.staged.docs, docs)
    config, sources = sample.staged.config, CacheFile(tmp_path / "cache" / "site-sources")
    out = tmp_path / "site"
    build_site_dir(config, docs, out, sources)
    page = sample.staged.records()[0]
    edit(docs, page, 'title: "', 'title: "（修订）')
    warm = build_site_dir(config, docs, out, sources)
    assert warm.partial and warm.filled == 1
    assert "<title>（修订）" in (out / html_path(page)).read_text("utf-8")
    monkeypatch.setattr(site_render, "FILL_RECORD_PAGES", False)
    cold = tmp_path / "cold"
    assert build_site_dir(config, docs, cold).filled == 0
    assert_same_tree(out, cold)


# ---------------------------------------------------------------- the Markdown subset


@cache
def markdown_extensions() -> tuple[list[str], dict[str, Any]]:
    """mkdocs.yml's Markdown extensions and their options."""
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.Loader)
    names: list[str] = []
    options: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        name, settings_ = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        options[name] = settings_
    return names, options


def python_markdown(text: str) -> str:
    """What a Markdown instance configured as MkDocs configures it makes of ``text``."""
    names, options = markdown_extensions()
    converted: str = markdown.Markdown(extensions=names, extension_configs=options).convert(text)
    return converted


ACCEPTED = [
    ("heading", "## 内容概述\n", '<h2 id="内容概述">内容概述</h2>'),
    ("heading-spaces", "## 正文 A B\n", '<h2 id="正文-a-b">正文 A B</h2>'),
    (
        "heading-and-raw-blocks",
        '## 内容概述\n\n<p class="record-summary">概述。</p>\n\n\n<div markdown="0">\n<p>一</p>\n</div>\n',
        '<h2 id="内容概述">内容概述</h2>\n<p class="record-summary">概述。</p>\n\n'
        '<div markdown="0">\n<p>一</p>\n</div>',
    ),
    ("nested-divs", "<div>\n<div><p>a</p></div>\n</div>\n", "<div>\n<div><p>a</p></div>\n</div>"),
    (
        "blank-line-inside-pre",
        "<div>\n<pre><code>a\n\nb</code></pre>\n</div>\n\n## 正文\n",
        '<div>\n<pre><code>a\n\nb</code></pre>\n</div>\n\n<h2 id="正文">正文</h2>',
    ),
    ("void-tags", '<p>a<br>b<img src="x.png" alt=""/></p>\n', '<p>a<br>b<img src="x.png" alt=""/></p>'),
    ("quoted-angle", '<p title="a>b">x</p>\n', '<p title="a>b">x</p>'),
    ("entities", "<p>a &amp; b &lt;c&gt;</p>\n", "<p>a &amp; b &lt;c&gt;</p>"),
    ("table", "<table>\n<tr><td>1</td></tr>\n</table>\n", "<table>\n<tr><td>1</td></tr>\n</table>"),
]  # fmt: skip

REFUSED = [
    ("list", "- 一\n- 二\n"),
    ("paragraph", "一段文字\n"),
    ("emphasis-heading", "## *重点*\n"),
    ("ampersand-heading", "## 甲 & 乙\n"),
    ("escaped-heading", "## 甲 &amp; 乙\n"),
    ("attr-list-heading", "## 正文 {: #x }\n"),
    ("double-space-heading", "## 正文  A\n"),
    ("level-one", "# 标题\n"),
    ("level-three", "### 小节\n"),
    ("duplicate-headings", "## 正文\n\n## 正文\n"),
    ("indented-block", "    <p>代码</p>\n"),
    ("heading-without-blank-line", "## 正文\n<p>a</p>\n"),
    ("two-blocks-without-blank-line", "<p>a</p>\n<p>b</p>\n"),
    ("text-after-close", "<p>a</p> 尾巴\n"),
    ("comment", "<div><!-- 电话 --></div>\n"),
    ("script", "<div><script>x()</script></div>\n"),
    ("unclosed", "<div>\n<p>a</p>\n"),
    ("inline-first-tag", "<span>a</span>\n"),
    ("rule", "<hr>\n"),
    ("tab", "<p>a\tb</p>\n"),
    ("whitespace-line", "<div>\n  \n</div>\n"),
    ("stray-angle", "<p>a < b</p>\n"),
    ("angle-in-value", '<p title="<b>">x</p>\n'),
]


@pytest.mark.parametrize(("text", "html"), [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_converter_accepts_the_template_blocks(text: str, html: str) -> None:
    converted = convert(text)
    assert converted is not None
    assert converted.html == html
    assert converted.html == python_markdown(text)


@pytest.mark.parametrize("text", [c[1] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_converter_refuses_everything_else(text: str) -> None:
    assert convert(text) is None


PIECES = [
    "## 内容概述", "## 正文 A B", "## a & b", "## x*y*", "# 标题", "## 正文", "<p>a</p>",
    "<div>\n<p>x</p>\n</div>", "<div>\n<pre><code>a\n\nb</code></pre>\n</div>", "<p>a</p>\n<p>b</p>",
    "<ul>\n<li>a</li>\n</ul>", "- item", "text", "<span>x</span>", "<div><!-- c --></div>",
    "    <p>in</p>", "<hr>", "<p>a<br>b</p>", '<div class="a>b">x</div>', "<p>a &amp; b</p>",
    "<div>\n<div>\n</div>\n</div>", "<div>", "</div>", "<p>x</p> tail", "<DIV>x</DIV>",
    '<div markdown="0">\n<p>*x*</p>\n</div>', "<p>a</p>  ", "<p>x</p>\n", "<pre>\n\n</pre>",
    "<div><p>x</div>", "<p>a</b></p>", "<table><tr><td>1</td></tr></table>",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["\n\n", "\n\n\n", "\n"]))))
def test_converter_output_is_python_markdowns_or_none(blocks: list[tuple[str, str]]) -> None:
    text = "".join(piece + gap for piece, gap in blocks)
    converted = convert(text)
    if converted is not None:
        assert converted.html == python_markdown(text)


def test_converter_agrees_with_python_markdown_on_every_sample_page(sample: Pair) -> None:
    for staged in sample.staged.records():
        split = record_markdown.split_page(record_markdown.read_source(sample.staged.docs / staged))
        assert split is not None
        converted = convert(split[1])
        assert converted is not None, staged
        assert converted.html == python_markdown(split[1]), staged


# ---------------------------------------------------------------- front matter and eligibility


PLAIN = ["青禾区 2024 年预算", "《通知》（试行）", "PM2.5", "办法\ue003", "0999-86601010"]
NOT_PLAIN = [
    "", "<script>alert(1)</script>", 'say "hi"', "it's", "a &amp; b", "a  b", " lead", "trail ",
    "a\tb", "a\nb", "全角\u3000空格", "a\x85b", "lone \ud800",
]  # fmt: skip


@pytest.mark.parametrize("text", PLAIN)
def test_plain_values(text: str) -> None:
    assert is_plain(text)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_values_that_are_not_plain(text: str) -> None:
    assert not is_plain(text)


def page_source(meta: Mapping[str, Any], body: str = "## 内容概述\n\n<p>概述。</p>\n") -> str:
    return dump_front_matter(meta) + body


META = {
    "title": "青禾区教育局机构职能",
    "description": "主要职责。",
    "hide": ["navigation"],
    "gov": {"PubDate": "2026-01-15 00:00", "Keywords": "机构职能"},
}


def with_value(path: str, value: Any) -> dict[str, Any]:
    meta = {key: dict(value) if isinstance(value, dict) else value for key, value in META.items()}
    *outer, last = path.split(".")
    holder: dict[str, Any] = meta
    for key in outer:
        holder = holder[key]
    holder[last] = value
    return meta


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("title", "<script>alert(1)</script>"),
        ("title", '关于“双减”的 "通知"'),
        ("title", "甲 &amp; 乙"),
        ("description", "两个  空格"),
        ("gov.Keywords", "换行\n关键词"),
        ("gov.Keywords", "全角\u3000空格"),
        ("hide", ["navigation", "<b>"]),
    ],
)
def test_pages_with_hostile_values_go_through_mkdocs(path: str, value: Any) -> None:
    assert record_page("records/edu/2026/duties.md", page_source(META)) is not None
    assert record_page("records/edu/2026/duties.md", page_source(with_value(path, value))) is None


@pytest.mark.parametrize(
    "front",
    ["title: 2024\n", 'title: "标题"\nhide:\n- 1\n', "title: null\n", "- 标题\n", "title: [标题\n"],
    ids=["number", "number-in-list", "null", "not-a-mapping", "broken-yaml"],
)
def test_front_matter_of_other_values_goes_through_mkdocs(front: str) -> None:
    source = f"---\n{front}---\n\n## 内容概述\n\n<p>概述。</p>\n"
    assert record_page("records/edu/2026/duties.md", source) is None


@pytest.mark.parametrize(
    "body",
    [
        "<p>没有标题。</p>\n",
        "## 正文\n\n<div>\n<h1>正文里的一级标题</h1>\n</div>\n",  # Material's <h1> would go
        "## 正文\n\n**粗体**\n",
    ],
    ids=["no-heading", "h1-in-content", "markdown-inline"],
)
def test_pages_with_other_content_go_through_mkdocs(body: str) -> None:
    assert record_page("records/edu/2026/duties.md", page_source(META, body)) is None


def test_signature_is_depth_structure_and_which_strings_are_empty() -> None:
    def signature(staged: str, meta: Mapping[str, Any]) -> record_markdown.PageKind:
        page = record_page(staged, page_source(meta))
        assert page is not None
        return page.kind

    base = signature("records/edu/2026/a.md", META)
    assert signature("records/edu/2025/b.md", with_value("title", "别的标题")) == base
    assert signature("records/edu/b.md", META) != base
    assert signature("records/edu/2026/b.md", with_value("gov.PubDate", "")) != base
    assert signature("records/edu/2026/b.md", with_value("hide", ["navigation", "toc"])) != base


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
def test_probe_paths_sit_at_the_depth_of_their_pages(depth: int) -> None:
    path = sample_path((depth, ()), 7)
    assert path.count("/") == depth and path.endswith(".md")
    assert path.startswith("records/_xcatshell-sample-7")  # department folders start [a-z0-9]


def test_probe_front_matter_has_the_structure_with_markers() -> None:
    page = record_page("records/edu/2026/a.md", page_source(with_value("gov.PubDate", "")))
    assert page is not None
    split = record_markdown.split_page(layouts.sample_source(page.kind))
    assert split is not None
    meta, body = split
    assert meta == {
        "title": FIELD.format(0),
        "description": FIELD.format(1),
        "hide": ["navigation"],
        "gov": {"PubDate": "", "Keywords": FIELD.format(2)},
    }
    assert convert(body) == SAMPLE_CONTENT


YAML_KEYS = st.sampled_from(["title", "hide", "gov", "a_b", "yes", "on", "Null", "x1"])
YAML_TEXT = st.text(
    st.sampled_from(list('青禾 a1"\\#:-\t\n\x85\u2028\ufeff\ue003{}[]')), max_size=8
)
YAML_VALUES = st.recursive(
    YAML_TEXT | st.lists(YAML_TEXT, max_size=3),
    lambda inner: st.dictionaries(YAML_KEYS, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(YAML_KEYS, YAML_VALUES, min_size=1, max_size=4))
def test_quick_front_matter_reads_what_libyaml_reads(meta: dict[str, Any]) -> None:
    text = dump_front_matter(meta).removeprefix("---\n").removesuffix("---\n\n")
    quick = quick_front_matter(text)
    if quick is not None:
        assert quick == yaml.load(text, Loader=yaml.CSafeLoader)


def test_quick_front_matter_reads_the_generators_front_matter() -> None:
    text = dump_front_matter(META | {"empty": "", "none": [], "nothing": {}})
    assert quick_front_matter(text.removeprefix("---\n").removesuffix("---\n\n")) == (
        META | {"empty": "", "none": [], "nothing": {}}
    )


@pytest.mark.parametrize(
    "text",
    ['title: "a\\"b"\n', "title: plain\n", 'yes: "x"\n', 'title: "x" # note\n', "hide:\n  - \"a\"\n",
     'title: "x"\n  extra: "y"\n', 'title: "a\ufeffb"\n', "gov:\n"],
)  # fmt: skip
def test_quick_front_matter_leaves_the_rest_to_libyaml(text: str) -> None:
    assert quick_front_matter(text) is None


# ---------------------------------------------------------------- sample analysis and filling


def theme(
    fields: Sequence[str], headings: Sequence[Heading], content: str, *, toc: bool = True
) -> str:
    """A page as a theme like Material renders it: the title twice, a skip link to the first
    heading, a table of contents, the content, a footer."""
    entries = "\n".join(
        f'<li class="item"><a href="#{h.slug}" title="{h.text}">\n  {h.text}\n</a></li>'
        for h in headings
    )
    nav = f"<nav>\n<ul>\n{entries}\n</ul>\n</nav>\n" if toc else ""
    return (
        f"<html><title>{fields[0]} - {fields[2]}</title>\n"
        f'<a href="#{headings[0].slug}" class="skip">跳转</a>\n{nav}'
        f"<article><h1>{fields[0]}</h1>\n{content}\n</article>\n"
        f"<footer>{fields[2]} · {fields[1]}</footer></html>\n"
    )  # fmt: skip


def sample_headings() -> tuple[Heading, ...]:
    assert SAMPLE_CONTENT is not None
    return SAMPLE_CONTENT.headings


def sample_html(**options: bool) -> str:
    assert SAMPLE_CONTENT is not None
    return theme([FIELD.format(n) for n in range(3)], sample_headings(), SAMPLE_CONTENT.html,
                 **options)  # fmt: skip


def a_page(headings: int) -> RecordPage:
    body = "".join(f"## 第{n}节 A\n\n" for n in range(headings)) + "<p>正文。</p>\n"
    content = convert(body)
    assert isinstance(content, Converted)
    return RecordPage("records/a/b.md", (2, ()), ("标题", "描述", "青禾区"), content)


@pytest.mark.parametrize("headings", [1, 2, 5])
@pytest.mark.parametrize("toc", [True, False], ids=["toc", "no-toc"])
def test_a_filled_shell_is_the_page_the_theme_renders(headings: int, toc: bool) -> None:
    found = layout_from_sample(sample_html(toc=toc), 3)
    assert found is not None
    page = a_page(headings)
    expected = theme(page.values, page.content.headings, page.content.html, toc=toc)
    assert fill(found, page).decode("utf-8") == expected


def nth_replaced(text: str, old: str, new: str, n: int) -> str:
    parts = text.split(old)
    return old.join(parts[: n + 1]) + new + old.join(parts[n + 1 :])


assert SAMPLE_CONTENT is not None
PROBE_HTML = SAMPLE_CONTENT.html
H = SAMPLE_HEADINGS
BROKEN: list[tuple[str, Callable[[str], str], int]] = [
    ("content-missing", lambda h: h.replace("壳xCatShellContentx壳", "正文"), 3),
    ("content-twice", lambda h: h.replace("<footer>", f"{PROBE_HTML}<footer>"), 3),
    ("field-lowercased", lambda h: nth_replaced(h, FIELD.format(0), FIELD.format(0).lower(), 1), 3),
    ("field-urlencoded", lambda h: nth_replaced(h, FIELD.format(2), quote(FIELD.format(2)), 0), 3),
    ("field-cut-short", lambda h: h.replace(FIELD.format(1), FIELD.format(1)[:-2]), 3),
    ("unknown-field", lambda h: h, 2),
    ("entries-differ", lambda h: nth_replaced(h, '<li class="item">', '<li class="item active">', 1), 3),
    ("gaps-differ", lambda h: nth_replaced(h, "</li>\n<li", "</li>\n\n<li", 1), 3),
    ("later-heading-outside", lambda h: h.replace("<footer>", f"<footer>{H[1]}"), 3),
    ("own-path-shown", lambda h: h.replace("<footer>", "<footer>_xcatshell-sample-0"), 3),
]  # fmt: skip


@pytest.mark.parametrize(("tamper", "fields"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_a_probe_that_cannot_be_explained_gives_no_shell(
    tamper: Callable[[str], str], fields: int
) -> None:
    assert layout_from_sample(sample_html(), 3) is not None
    assert layout_from_sample(tamper(sample_html()), fields) is None
