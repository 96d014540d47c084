"""Every Mermaid block mdplan writes parses with the real ``mermaid`` npm package.

The parse tests skip where Node.js is absent; elsewhere (CI included) the packages are installed
once into ``tests/mermaid/node_modules`` with ``npm ci`` from the locked
``tests/mermaid/package-lock.json``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

import mdplan
from mdplan.render import render_report
from tests.browser import install_node_packages
from tests.helpers import FIXTURES, REFERENCE, SHARED

CHECKER = FIXTURES.parent / "tests" / "mermaid"
MERMAID = re.compile(r"^```mermaid\n(.*?)\n```$", re.DOTALL | re.MULTILINE)
needs_node = pytest.mark.skipif(not (shutil.which("node") and shutil.which("npm")), reason="Node.js is not here")


def documents() -> list[str]:
    paths = [REFERENCE, *sorted((FIXTURES / "reports").glob("*.md"))]
    if (SHARED / "corpus").is_dir():
        paths += sorted((SHARED / "corpus").glob("*.md"))
    return [p.read_text(encoding="utf-8") for p in paths]


def mermaid_blocks() -> list[str]:
    blocks: list[str] = []
    for text in documents():
        try:
            plan = mdplan.parse(text, "plan.md")
        except mdplan.UnusableInput:
            continue
        blocks += MERMAID.findall(render_report(mdplan.analyze(plan)))
    return blocks


@pytest.fixture(scope="module")
def checker() -> list[str]:
    install_node_packages()
    node = shutil.which("node")
    assert node is not None
    return [node, str(CHECKER / "check.mjs")]


@needs_node
def test_every_mermaid_block_parses(checker: list[str]) -> None:
    blocks = mermaid_blocks()
    assert len(blocks) >= 4  # a flowchart and a gantt per scenario of the reference plan, at least
    result = subprocess.run(checker, check=False, input=json.dumps(blocks), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_node
def test_the_checker_rejects_a_broken_block(checker: list[str]) -> None:
    result = subprocess.run(
        checker, check=False, input=json.dumps(["flowchart TD\n  a -->"]), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "0 of 1 parsed" in result.stdout
