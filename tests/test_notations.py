"""Each notation's fixture file: small documents and the plan they state, read by hand.

Format (markdown-it's fixture files): a title line, ``.``, the input, ``.``, the expected
description (see ``tests.helpers.describe``), ``.``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

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
