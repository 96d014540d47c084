"""Breaking prose lines to fit a width (``mdplan.render.wrap``): within the width where words
allow, never inside a code span or after a backslash, never a word that opens a block at the
start of a line; the text renders the same and mdformat keeps the breaks."""

from __future__ import annotations

import re

import mdformat
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mdplan.render.wrap import columns, wrap_markdown


def test_long_prose_and_items_are_broken_at_spaces_within_the_width() -> None:
    words = " ".join(f"word{n}" for n in range(40))
    text = f"{words}\n\n- {words}\n- [ ] {words}\n\n| {words} |\n| --- |\n\n## {words}\n\n```\n{words}\n```\n"
    wrapped = wrap_markdown(text, width=40)
    lines = wrapped.split("\n")
    assert max(len(line) for line in lines[:20]) <= 40
    assert "\n  word" in wrapped  # a list item goes on under its content
    assert f"| {words} |" in wrapped and f"## {words}" in wrapped and f"```\n{words}\n```" in wrapped
    assert wrap_markdown(words, width=len(words)) == words


def test_a_word_that_would_open_a_block_stays_with_the_word_before() -> None:
    text = "a " * 5 + "- b 1. c # d > e ``` f + g === h | i"
    for width in range(3, 40):
        for line in wrap_markdown(text, width=width).split("\n")[1:]:
            assert not re.match(r"(?:[-+#>|=]|1\.|```)(?: |$)", line), (width, line)


def test_code_spans_and_escapes_are_never_broken() -> None:
    text = "see `cargo test -p a b c` and a\\ b and ``x ` y`` end"
    for width in range(5, 30):
        lines = wrap_markdown(text, width=width).split("\n")
        assert "`cargo test -p a b c`" in lines[0] or any("`cargo test -p a b c`" in line for line in lines)
        assert any("``x ` y``" in line for line in lines)
        assert all(not line.endswith("\\") for line in lines)


_WORD = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab9.")), min_size=1, max_size=5),
    st.sampled_from(
        ["-", "+", "*", "1.", "2)", "#", "##", ">", "```", "~~~", "=", "---", "***", "___", "|", "<b>", "\\", "a\\"]
    ),
    st.sampled_from(["`x y`", "`` a ` b ``", "**b c**", "_e_", "[x]", "&amp;", "→", "中文", "é"]),
)


def html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text).replace("\n", " ")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_WORD, min_size=1, max_size=40).map(" ".join),
    st.sampled_from(["", "- ", "- [ ] ", "  - "]),
    st.integers(min_value=8, max_value=60),
)
def test_breaking_lines_keeps_the_meaning_and_mdformat_keeps_the_breaks(text: str, opening: str, width: int) -> None:
    document = mdformat.text(f"# T\n\n{opening}start {text}\n", extensions={"gfm"})
    assume(mdformat.text(document, extensions={"gfm"}) == document)  # mdformat's own fixed point
    wrapped = wrap_markdown(document, width=width)
    assert html(wrapped) == html(document)
    assert mdformat.text(wrapped, extensions={"gfm"}) == wrapped


def test_wide_characters_take_two_columns() -> None:
    assert columns("阶段 1") == 6
    assert columns("Phase 1 → Phase 2") == 17
    assert columns("é") == 1 and columns("e\u0301") == 1
    text = "- " + " ".join(["阶段一二三"] * 12)
    assert all(columns(line) <= 40 for line in wrap_markdown(text, width=40).split("\n"))
