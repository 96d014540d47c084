"""``mdplan fmt``: canonical, idempotent, and never a change of meaning (else it refuses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

import mdplan.rewrite.fmt
from mdplan.cli import run
from mdplan.rewrite.fmt import FormatRefused, format_text
from tests.helpers import FIXTURES, REFERENCE, SHARED

COMMONMARK = SHARED / "commonmark" / "spec-examples.json"
CORPUS = sorted((SHARED / "corpus").glob("*.md")) if (SHARED / "corpus").is_dir() else []
OWN = [REFERENCE, *sorted((FIXTURES / "reports").glob("*.md"))]


def model(text: str) -> object:
    return mdplan.rewrite.fmt._model(text, "plan.md")


def html(text: str) -> str:
    return mdplan.rewrite.fmt._html(mdplan.rewrite.fmt._masked(text))


def assert_keeps_meaning(text: str) -> None:
    try:
        formatted = format_text(text, "plan.md")
    except FormatRefused:
        return  # refusing leaves the file as it was: nothing is lost
    assert html(formatted) == html(text)
    assert model(formatted) == model(text)
    assert format_text(formatted, "plan.md") == formatted


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.name)
def test_own_plans_format_without_refusal_and_keep_their_graph(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_text(text, "plan.md")
    assert model(formatted) == model(text)
    assert html(formatted) == html(text)
    assert format_text(formatted, "plan.md") == formatted


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not here")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_documents_keep_graph_and_html(path: Path) -> None:
    assert_keeps_meaning(path.read_text(encoding="utf-8"))


@pytest.mark.skipif(not COMMONMARK.is_file(), reason="../shared/commonmark is not here")
def test_every_commonmark_example_keeps_its_meaning_and_reaches_a_fixed_point() -> None:
    examples = json.loads(COMMONMARK.read_text(encoding="utf-8"))
    refused = []
    for example in examples:
        try:
            formatted = format_text(example["markdown"], "example.md")
        except FormatRefused:
            refused.append(example["example"])
            continue
        assert html(formatted) == html(example["markdown"]), example["example"]
        assert format_text(formatted, "example.md") == formatted, example["example"]
    assert len(examples) == 652
    # unused link reference definitions (mdformat deletes them) and example 642 (mdformat strips
    # the two spaces inside its href): refused, the rest formatted
    assert refused == [207, 208, 210, 317, 536, 537, 538, 545, 563, 565, 567, 571, 592, 642]


def test_chain_diagrams_are_redrawn_with_one_arrow() -> None:
    text = "# Plan\n\n```\nPhase 1 (10 min) -> Phase 2 (5 min)  -->  Phase 3\n```\n"
    assert "Phase 1 (10 min) ──→ Phase 2 (5 min) ──→ Phase 3" in format_text(text, "plan.md")


def test_front_matter_line_endings_and_bom_stay(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_bytes("\ufeff---\r\nid: 1\r\n---\r\n# Plan\r\n\r\n## Phase 1: Build (10 min)\r\n* item\r\n".encode())
    assert run(["fmt", str(plan)]) == 0
    data = plan.read_bytes()
    assert data.startswith("\ufeff---\r\nid: 1\r\n---\r\n".encode())
    assert b"- item\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_check_prints_a_diff_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("# Plan\n\n## Phase 1: Build (10 min)\n* item\n", encoding="utf-8")
    before = plan.read_bytes()
    assert run(["fmt", "--check", str(plan)]) == 1
    assert "+- item" in capsys.readouterr().out
    assert plan.read_bytes() == before
    assert run(["fmt", str(plan)]) == 0
    assert run(["fmt", "--check", str(plan)]) == 0


def test_a_writer_that_loses_a_line_is_refused_and_the_file_is_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(
        "# Plan\n\n## Phase 1: Build (10 min)\n\n## Phase 2: Ship (5 min)\n- Depends on: Phase 1\n", "utf-8"
    )
    before = plan.read_bytes()
    original = mdplan.rewrite.fmt.mdformat_text

    def lossy(text: str) -> str:
        lines = original(text).splitlines(keepends=True)
        return "".join(line for line in lines if "Depends on" not in line)

    monkeypatch.setattr(mdplan.rewrite.fmt, "mdformat_text", lossy)
    assert run(["fmt", str(plan)]) == 1
    assert "MP008 fmt refused" in capsys.readouterr().err
    assert plan.read_bytes() == before


def test_a_document_without_a_plan_is_only_normalized(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Notes\n=====\n\n* one\n", encoding="utf-8")
    assert run(["fmt", str(notes)]) == 0
    assert notes.read_text(encoding="utf-8") == "# Notes\n\n- one\n"


STRUCTURED = [text for _, _, text, _ in read_fixture_file(FIXTURES / "notations" / "structured.md")]


@pytest.mark.parametrize("text", STRUCTURED)
def test_chains_in_prose_and_task_lists_in_data_blocks_format_and_keep_their_plan(text: str) -> None:
    formatted = format_text(text, "plan.md")  # mdformat writes `<->` in prose as `\<->`
    assert model(formatted) == model(text)
    assert format_text(formatted, "plan.md") == formatted
