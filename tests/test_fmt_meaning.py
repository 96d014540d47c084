"""``mdplan fmt`` never changes meaning: what the parser cannot see, claims, raw HTML, line
endings, and documents the formatter cannot handle in time (issue 13)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import mdplan.rewrite.fmt
from mdplan.cli import run
from mdplan.parse import claims as claim_reader
from mdplan.rewrite.fmt import MAX_INLINE_TOKENS, FormatRefused, format_text
from tests.helpers import ROOT

HANG_BOUND = 120  # seconds: a safety bound against hangs on a busy machine, not a benchmark
PLAN = "# Plan\n\n## Phase 1: Build (10 min)\n\n## Phase 2: Ship (5 min)\n\n- Depends on: Phase 1\n"


def claims(text: str) -> list[tuple[object, ...]]:
    return mdplan.rewrite.fmt._plan_claims(mdplan.rewrite.fmt._plan(text, "plan.md"))


def refused(text: str) -> str:
    with pytest.raises(FormatRefused) as error:
        format_text(text, "plan.md")
    return error.value.message


def test_text_nested_past_the_parser_limit_is_refused_not_deleted(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN + "\n" + "> " * 25 + "important text\n", encoding="utf-8")
    before = plan.read_bytes()
    assert run(["fmt", str(plan)]) == 1
    assert plan.read_bytes() == before
    assert "20 levels deep" in refused(before.decode())


def test_deep_quoted_lists_keep_their_headings_or_are_refused() -> None:
    text = "> - " * 15 + "# heading\n"
    assert "where the Markdown parser stops reading" in refused(text)


def test_nesting_just_inside_the_limit_is_formatted_and_keeps_every_word() -> None:
    text = ">" * 19 + " important text\n"
    assert format_text(text, "plan.md") == "> " * 19 + "important text\n"
    lists = "- a\n" + "".join("  " * i + f"* item {i}\n" for i in range(1, 9))
    assert all(f"item {i}" in format_text(lists, "plan.md") for i in range(1, 9))


def test_a_claim_with_a_bound_is_still_audited_after_fmt() -> None:
    text = PLAN + "- [ ] Total delivery time: <5 minutes\n"
    formatted = format_text(text, "plan.md")
    assert "\\<5 minutes" in formatted  # mdformat escapes the <
    assert claims(formatted) == claims(text)
    (claim,) = mdplan.rewrite.fmt._plan(formatted, "plan.md").claims  # type: ignore[union-attr]
    assert (claim.kind, claim.bound, claim.high, claim.text) == ("total", "<", 5, "Total delivery time: <5 minutes")


def test_a_changed_claim_is_refused_even_where_the_html_check_is_blind(monkeypatch: pytest.MonkeyPatch) -> None:
    blind = mdplan.rewrite.fmt._Check("the rendered HTML would change", lambda text, source: "")
    monkeypatch.setattr(mdplan.rewrite.fmt, "_CHECKS", (blind,))
    before = PLAN + "\nTotal: <40 minutes\n"
    with pytest.raises(FormatRefused, match="a claim of the plan would be lost or changed"):
        mdplan.rewrite.fmt.verify(before, before.replace("<40", "<50"), "plan.md")
    mdplan.rewrite.fmt.verify(before, before.replace("<40", "\\<40"), "plan.md")  # an escape is no change


def test_template_syntax_in_a_phase_title_keeps_its_meaning() -> None:
    text = "# Plan\n\n## Phase 1: Render {{ 7*7 }} (10 min)\n\n## Phase 2: Ship (5 min)\n\n- Depends on: Phase 1\n"
    formatted = format_text(text, "plan.md")
    assert "{{ 7\\*7 }}" in formatted
    assert mdplan.rewrite.fmt._model(formatted, "plan.md") == mdplan.rewrite.fmt._model(text, "plan.md")


def test_two_spaces_inside_a_raw_html_attribute_are_meaning(tmp_path: Path) -> None:
    """CommonMark example 642: mdformat strips the spaces at the end of the paragraph's first
    line, which sit inside an ``href``; the HTML check squeezed them as text, now it refuses."""
    page = tmp_path / "page.md"
    page.write_bytes(b'<a href="foo  \nbar">\n')
    assert run(["fmt", str(page)]) == 1
    assert page.read_bytes() == b'<a href="foo  \nbar">\n'
    assert mdplan.rewrite.fmt._html('<a href="x  y">\n') != mdplan.rewrite.fmt._html('<a href="x y">\n')
    assert mdplan.rewrite.fmt._html("x <a\n  href='x'> y\n") == mdplan.rewrite.fmt._html("x <a href='x'> y\n")  # spaces


def test_an_unused_link_definition_is_not_deleted() -> None:
    assert "link reference definition" in refused("# A\n\n[//]: # (a comment for the authors)\n\ntext\n")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("cr", "Plan\r====\r\r* one\r* two\r"),
        ("crlf", "Plan\r\n====\r\n\r\n* one\r\n* two\r\n"),
        ("lf", "Plan\n====\n\n* one\n* two\n"),
    ],
)
def test_one_kind_of_line_ending_is_kept(name: str, text: str, tmp_path: Path) -> None:
    ending = {"cr": "\r", "crlf": "\r\n", "lf": "\n"}[name]
    page = tmp_path / "page.md"
    page.write_bytes(text.encode())
    assert run(["fmt", str(page)]) == 0
    assert page.read_bytes() == "# Plan\n\n- one\n- two\n".replace("\n", ending).encode()


def test_mixed_line_endings_stay_mixed_line_by_line() -> None:
    text = "# Plan\r\n\r\n* one\n* two\r\n\nText\rmore\r\n"
    formatted = format_text(text, "plan.md")
    assert formatted == "# Plan\r\n\r\n- one\n- two\r\n\nText\rmore\r\n"
    assert format_text(formatted, "plan.md") == formatted


def test_front_matter_with_cr_endings_stays_as_written() -> None:
    text = "---\rid: 1\r---\r# Plan\r\r* a\r"
    assert format_text(text, "plan.md") == "---\rid: 1\r---\r# Plan\r\r- a\r"


def test_an_inline_run_the_formatter_takes_quadratic_time_on_is_refused_before_formatting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(text: str) -> str:
        raise AssertionError("mdformat ran")

    monkeypatch.setattr(mdplan.rewrite.fmt, "mdformat_text", never)
    message = refused("*a**a" * 50_000)
    assert f"fmt formats up to {MAX_INLINE_TOKENS:,}" in message
    assert "line 1" in message


def test_a_long_paragraph_within_the_bound_is_still_formatted() -> None:
    text = "*a**a" * 1_000 + "\n"
    assert format_text(format_text(text, "plan.md"), "plan.md") == format_text(text, "plan.md")


def test_totals_in_a_code_block_read_each_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = claim_reader.find_refs

    def counted(text: str) -> object:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(claim_reader, "find_refs", counted)
    lines = 2_000
    block = "```\n" + "".join(f"Phase {i} (1 min) ──→ Phase {i + 1} (1 min)\nTotal: {i} min\n" for i in range(lines))
    mdplan.rewrite.fmt._plan(PLAN + "\n" + block + "```\n", "plan.md")
    assert len(calls) <= 2 * lines + 10  # once per line of the block, not once per earlier line per total


def test_a_hundred_thousand_line_unclosed_fence_is_formatted_without_hanging(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Plan\n\n```\n" + "x\n" * 100_000, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mdplan", "fmt", str(page)],
        capture_output=True,
        text=True,
        check=False,
        timeout=HANG_BOUND,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert page.read_text(encoding="utf-8").endswith("x\n```\n")
