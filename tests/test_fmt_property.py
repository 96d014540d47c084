"""For any generated document, ``mdplan fmt`` keeps every word of text and every claim, or
refuses (issue 13). Documents mix headings, quotes (deeper than the parser's limit too),
nested lists, checklists, claims (``Total: <40 minutes``), the characters mdformat escapes
(``< > & * _``) and code."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, note, settings
from hypothesis import strategies as st

import mdplan.rewrite.fmt
from mdplan.rewrite.fmt import FormatRefused, format_text

WORDS = ("kiwi", "plum", "fig", "lime", "pear", "yuzu", "sloe", "quince")
MARKS = ("<", ">", "&", "*", "_", "**", "<5", "a<b", "&amp;", "`x`", "\\", "[", "]", "#", "|", "~", "->", "{{", "}}")
CLAIMS = (
    "Total: <40 minutes",
    "Total delivery time: <5 minutes",
    "Total: ~38 min",
    "Total: >= 2 hours",
    "saves 10 min",
    "20-25% faster overall",
    "Critical path: 5 steps",
    "35 min + 15 min = 50 min",
)
PLAN = "# Plan\n\n## Phase 1: Build (10 min)\n\n## Phase 2: Ship (5 min)\n\n- Depends on: Phase 1"
_WORD = re.compile(r"[^\W_]+")

inline = st.lists(st.sampled_from(WORDS + MARKS), min_size=1, max_size=8).map(" ".join)
line = st.one_of(inline, st.sampled_from(CLAIMS), st.tuples(inline, st.sampled_from(CLAIMS)).map(" ".join))
depth = st.integers(min_value=1, max_value=24)
block = st.one_of(
    st.tuples(st.integers(1, 6), line).map(lambda t: "#" * t[0] + " " + t[1]),
    line.map(lambda text: text + "\n====="),
    st.lists(line, min_size=1, max_size=3).map("\n".join),
    st.tuples(depth, line).map(lambda t: "> " * t[0] + t[1]),
    st.tuples(depth, line).map(lambda t: "> - " * (t[0] // 2) + "## " + t[1]),
    st.tuples(st.integers(1, 12), line).map(
        lambda t: "".join("  " * i + f"- {WORDS[i % len(WORDS)]}\n" for i in range(t[0])) + "  " * t[0] + "- " + t[1]
    ),
    line.map(lambda text: "- [ ] " + text),
    line.map(lambda text: "1. " + text + "\n1. " + text),
    line.map(lambda text: "```\n" + text + "\n```"),
    line.map(lambda text: "    " + text),
    line.map(lambda text: "`" + text + "`"),
)
documents = st.tuples(st.booleans(), st.lists(block, min_size=1, max_size=6)).map(
    lambda t: "\n\n".join([PLAN, *t[1]] if t[0] else t[1]) + "\n"
)


def words(text: str) -> Counter[str]:
    return Counter(word for word in _WORD.findall(text) if word in WORDS)


def claims(text: str) -> list[tuple[object, ...]]:
    return mdplan.rewrite.fmt._plan_claims(mdplan.rewrite.fmt._plan(text, "plan.md"))


@settings(max_examples=60, deadline=None)
@given(document=documents)
def test_fmt_keeps_every_word_and_every_claim_or_refuses(document: str) -> None:
    note(repr(document))
    try:
        formatted = format_text(document, "plan.md")
    except FormatRefused:
        return
    assert words(formatted) == words(document)
    assert claims(formatted) == claims(document)
