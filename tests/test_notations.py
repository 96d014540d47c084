"""Each notation's fixture file: small documents and the plan they state, read by hand.

Format (markdown-it's fixture files): a title line, ``.``, the input, ``.``, the expected
description (see ``tests.helpers.describe``), ``.``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

import mdplan
from tests.helpers import FIXTURES, describe

NOTATIONS = sorted((FIXTURES / "notations").glob("*.md"))
CASES = [
    pytest.param(text, expected, id=f"{path.stem}:{line}:{title}")
    for path in NOTATIONS
    for line, title, text, expected in read_fixture_file(path)
]


def test_every_notation_has_cases() -> None:
    assert len(NOTATIONS) >= 8
    assert all(read_fixture_file(path) for path in NOTATIONS)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_notation(text: str, expected: str) -> None:
    assert describe(text) == expected.rstrip("\n")


def test_fixture_folder_is_where_tests_expect() -> None:
    assert Path(FIXTURES / "notations").is_dir()


def test_mutual_arrow_names_both_units_and_its_line() -> None:
    plan = mdplan.parse("Intro.\n\nPhase 1 ↔ Phase 2\n\n```\nT001 <-> T002\n```\n", "mutual.md")
    found = [(d.line, d.severity, d.message) for d in plan.diagnostics if d.code == "MP117"]
    assert found == [
        (3, "warning", "Phase 1 ↔ Phase 2: a mutual dependency; which comes first?"),
        (6, "warning", "T001 ↔ T002: a mutual dependency; which comes first?"),
    ]
    assert not any(s.edges for s in plan.scenarios)


def test_structured_reader_loads_only_for_data_blocks() -> None:
    code = (
        "import sys, mdplan; mdplan.parse('## Phase 1 (5 min)\\n\\n```\\nPhase 1 -> Phase 2\\n```\\n', 'x.md');"
        "print('mdplan.parse.structured' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
