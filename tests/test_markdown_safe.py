"""The body renderer's quick inline pass gives exactly what Python-Markdown's own pass gives."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from generator.pages.markdown_safe import INLINE_PATTERNS, INLINE_TRIGGER, QuickInline, new_markdown

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws.jsonl"
SAMPLE_RECORDS = Path(__file__).resolve().parents[1] / "content" / "departments"


def stock_markdown() -> markdown.Markdown:
    """``new_markdown`` with Python-Markdown's unmodified inline pass."""
    md = new_markdown()
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    return md


def convert(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return md.convert(text)


QUICK, STOCK = new_markdown(), stock_markdown()


def test_the_quick_pass_is_registered() -> None:
    assert isinstance(new_markdown().treeprocessors["inline"], QuickInline)


def test_every_inline_pattern_needs_a_trigger_character() -> None:
    """A Markdown upgrade that adds an inline pattern must extend INLINE_TRIGGER first."""
    assert [p.name for p in new_markdown().inlinePatterns._priority] == list(INLINE_PATTERNS)


MARKDOWN_TEXTS = [
    "第一条 为了规范政府信息公开工作，制定本条例。",
    "**加粗** 与 *强调* 与 _下划线_ 与 __双下划线__",
    "见[《条例》](../2024/regulation.md#第十条)与![图](a.png)和[引用][1]\n\n[1]: https://www.gov.cn/",
    "行末两个空格  \n换行；`代码` 与 \\*转义\\*；&amp; &#26159; &copy; & 单独",
    "<https://www.gov.cn/> <gk@qinghe.gov.example> <script>alert(1)</script>",
    "# 标题\n\n## 二级\n\n- 列表 *一*\n- 列表 [二](x.md)\n\n1. 有序\n2. 第二",
    "| 表头 | 值 |\n| --- | ---: |\n| **甲** | 1 |\n\n```\n*不是强调*\n```",
    "> 引用 *中* 的\n> 第二行_下划线_",
]


def test_same_html_on_hand_picked_markdown() -> None:
    for text in MARKDOWN_TEXTS:
        assert convert(QUICK, text) == convert(STOCK, text), text


def test_same_html_on_the_sample_records_and_real_laws() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_RECORDS.rglob("*.md"))]
    if CORPUS.is_file():
        with CORPUS.open(encoding="utf-8") as lines:
            texts += [json.loads(next(lines))["text"][:20_000] for _ in range(40)]
    assert len(texts) > 50
    for text in texts:
        assert convert(QUICK, text) == convert(STOCK, text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("政府信息 公开\n\t*_`\\[]()!<>&;#:/@.-|>1a")), max_size=120
    )
)
def test_same_html_on_any_mix_of_markdown_characters(text: str) -> None:
    assert convert(QUICK, text) == convert(STOCK, text)


def test_the_trigger_finds_every_pattern_start() -> None:
    for text in ["`", "\\", "[", "<", "&", "*", "_", "  \n"]:
        assert INLINE_TRIGGER.search(f"公开{text}信息")
    assert not INLINE_TRIGGER.search(
        "第一条　为了保障公民、法人和其他组织依法获取政府信息（2019年）。"
    )
