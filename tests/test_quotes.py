"""Code spans as quoted text: paired as CommonMark pairs them; blanked but for bare ids."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mdplan.parse.quotes import blank_quotes, code_spans


def commonmark_spans(text: str) -> list[str]:
    tokens = MarkdownIt("commonmark").parseInline(text)
    return [child.content for token in tokens for child in token.children or [] if child.type == "code_inline"]


def normalized(code: str) -> str:
    """CommonMark's content of a span: line endings as spaces, one space off each end of both."""
    code = code.replace("\n", " ")
    if code.startswith(" ") and code.endswith(" ") and code.strip(" "):
        return code[1:-1]
    return code


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="`a \n", max_size=40).filter(lambda t: t.strip() and "\n\n" not in t))
def test_spans_pair_as_commonmark_pairs_them(text: str) -> None:
    text = text.strip("\n ")
    assert [normalized(code) for _, _, code in code_spans(text)] == commonmark_spans(text)


def test_statements_in_spans_are_blanked_and_bare_ids_stay() -> None:
    text = "Write `Depends on: Phase 1`; depends on `T001`, `Phase 2 & Phase 3`; run ``a ` b``."
    blanked = blank_quotes(text)
    assert len(blanked) == len(text)
    assert "Phase 1" not in blanked and "a ` b" not in blanked
    assert "`T001`" in blanked and "`Phase 2 & Phase 3`" in blanked


def test_a_span_may_run_over_lines_and_an_unpaired_run_is_text() -> None:
    assert blank_quotes("see `Phase 1\n(10 min)` here") == "see " + " " * 8 + "\n" + " " * 9 + " here"
    assert blank_quotes("a ``b` c") == "a ``b` c"
