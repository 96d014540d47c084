"""Timed test commands in a code block, run one after another.

``cargo test -p schematic-define  # 10s`` then ``cargo test -p schematic-gen  # 8s``: two or
more lines of a block that each run a test command and give its time. A block that already
runs them together (``&``, ``--parallel``, ``xargs -P``, ``parallel``) is not a finding.
"""

from __future__ import annotations

import re

from mdplan.model import Fact, Pos, TestRun, patterns
from mdplan.parse.blocks import Block
from mdplan.parse.durations import find_durations

_TEST_COMMAND = patterns.compile(
    r"^\s*(?:\$\s*)?(?P<command>(?:cargo\s+(?:test|nextest)|pytest|python\s+-m\s+pytest|tox|go\s+test|"
    r"(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?test|npx\s+(?:jest|vitest|playwright)|jest|vitest|"
    r"(?:make|just)\s+(?:\S+\s+)?test\w*|mvn\s+test|gradle\w*\s+test|dotnet\s+test|ctest|"
    r"(?:bundle\s+exec\s+)?rspec|mix\s+test|phpunit|swift\s+test)\b[^#\n]*?)\s*(?:#|//|\(|$)",
    re.IGNORECASE,
)
_TOGETHER = patterns.compile(r"(?:&\s*(?:#.*)?$|--parallel\b|\bxargs\s+-P|\bparallel\b|\s-n\s+auto\b)", re.IGNORECASE)


def read_test_runs(block: Block) -> list[Fact]:
    """Recognizer for code blocks."""
    if any(_TOGETHER.search(line.text) for line in block.lines):
        return []
    commands: list[tuple[str, float]] = []
    first = None
    for line in block.lines:
        command = _TEST_COMMAND.match(line.text)
        durations = find_durations(line.text[command.end("command") :]) if command else []
        if command and durations:
            commands.append((command["command"].strip(), durations[-1].high))
            first = first or Pos(line.number, line.col)
    if len(commands) < 2 or first is None:
        return []
    return [TestRun(tuple(commands), first)]
