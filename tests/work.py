"""Work counted, not timed: tests bound how the work a run does grows with its input.

A clock on a loaded two-core machine flakes; a count does not. ``measure(run)`` counts, while
``run()`` runs:

- ``calls``: every call of a Python function and every call of a built-in made from Python
  (cProfile's profiler, written in C): a loop that calls anything per step counts per step;
- ``scanned``: characters the compiled patterns mdplan's modules hold at their top level (alone
  or in a tuple, list or dict; ``CuePattern``s too) look through: a search from where it starts
  to where its match ends, or to the end of the text; an anchored match, what it matched, or
  one character when it fails. A search started again from every position of a line counts
  quadratically although each search is one call. (Patterns compiled inside a function, and
  those of markdown-it and mdformat, are not counted; their loops show as calls.)
- ``siblings``: entries markdown-it's syntax tree looks through to find a node's neighbour
  (``previous_sibling``, ``next_sibling`` search the whole list of siblings; mdformat asks for
  them per list and per inline part).

What no count sees: backtracking inside one regular-expression call (the engine gives no count).
Long lines are kept from the patterns by the line limits (MP113, MP112, 2,000 characters for
claims), and the patterns that read runs are written to be linear (see their comments).

``assert_linear(run_at, n)`` runs ``run_at(n // 2)`` once to load modules and tables, then counts
``run_at(n)`` and ``run_at(FACTOR * n)``: each count may grow at most ``SLACK`` times as fast as
the input's size (a quadratic path grows ``FACTOR`` times faster). ``assert_count_linear`` does
the same for one hot function's calls (``calls_of``), where a whole run's calls would hide them.
"""

from __future__ import annotations

import contextlib
import cProfile
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

FACTOR = 4
SLACK = 1.5  # linear work grows FACTOR times; quadratic, FACTOR ** 2 times (here 16 against 6 allowed)
ALLOWANCE = 1_000  # of each count, for fixed costs that show on small inputs


@dataclass
class Work:
    calls: int = 0
    scanned: int = 0
    siblings: int = 0


def plan_of_headings(n: int) -> str:
    """The benchmark's plan of ``n`` phases (``benchmarks/bench.py``'s ``headings``): a heading,
    a ``Depends on`` item and a ``Location`` item per phase."""
    lines = ["# Generated plan", ""]
    for i in range(1, n + 1):
        depends = ", ".join(f"Phase {p}" for p in sorted({max(1, i - 1), max(1, i - 7)}) if p < i) or "None"
        lines += [f"## Phase {i}: Step {i} ({i % 60 + 1} min)", f"- Depends on: {depends}"]
        lines += [f"- Location: `src/module{i % 40}/part{i}.py`", ""]
    return "\n".join(lines)


def measure(run: Callable[[], object]) -> Work:
    """What ``run()`` does, counted."""
    work = Work()
    profile = cProfile.Profile()
    with _patterns_counted(work), _siblings_counted(work):
        profile.enable()
        try:
            run()
        finally:
            profile.disable()
    work.calls = sum(entry.callcount for entry in profile.getstats())
    return work


def assert_linear(run_at: Callable[[int], object], n: int, size: Callable[[int], int] | None = None) -> Work:
    """Each count of ``run_at(FACTOR * n)`` is at most ``SLACK`` times the growth of the input
    (``size(n)``, else ``n``) over ``run_at(n)``; returns the larger run's work."""
    run_at(max(1, n // 2))  # imports and tables loaded once; not the same text (a memo by text would hit)
    small, large = measure(lambda: run_at(n)), measure(lambda: run_at(FACTOR * n))
    growth = (size(FACTOR * n) / size(n)) if size else FACTOR
    for count in fields(Work):
        before, after = getattr(small, count.name), getattr(large, count.name)
        assert after <= SLACK * growth * before + ALLOWANCE, (count.name, before, after, growth)
    return large


def assert_count_linear(count_at: Callable[[int], int], n: int) -> None:
    """``count_at(FACTOR * n)`` at most ``SLACK`` times ``FACTOR`` times ``count_at(n)``: for a
    count of one hot function, where the whole run's calls would hide it."""
    count_at(max(1, n // 2))
    small, large = count_at(n), count_at(FACTOR * n)
    assert large <= SLACK * FACTOR * small + ALLOWANCE, (small, large)


def calls_of(owner: Any, name: str, monkeypatch: Any) -> list[None]:
    """A list that grows by one on each call of ``owner.name`` (patched for the test)."""
    calls: list[None] = []
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(None)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


# --- regular expressions ---------------------------------------------------------------------


class _CountedPattern:
    """A compiled pattern (or a ``CuePattern``) that adds what each call scans to ``work``."""

    def __init__(self, pattern: Any, work: Work) -> None:
        self._pattern = pattern
        self._work = work

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)

    def search(self, text: str, pos: int = 0, *rest: int) -> Any:
        found = self._pattern.search(text, pos, *rest)
        self._work.scanned += (found.end() if found else _end(text, rest)) - pos
        return found

    def match(self, text: str, pos: int = 0, *rest: int) -> Any:
        found = self._pattern.match(text, pos, *rest)
        self._work.scanned += found.end() - pos if found else 1
        return found

    def fullmatch(self, text: str, *rest: int) -> Any:
        found = self._pattern.fullmatch(text, *rest)
        self._work.scanned += found.end() if found else 1
        return found

    def finditer(self, text: str, pos: int = 0, *rest: int) -> Any:
        self._work.scanned += _end(text, rest) - pos
        return self._pattern.finditer(text, pos, *rest)

    def findall(self, text: str, pos: int = 0, *rest: int) -> Any:
        self._work.scanned += _end(text, rest) - pos
        return self._pattern.findall(text, pos, *rest)

    def sub(self, replacement: Any, text: str, count: int = 0) -> Any:
        self._work.scanned += len(text)
        return self._pattern.sub(replacement, text, count)

    def subn(self, replacement: Any, text: str, count: int = 0) -> Any:
        self._work.scanned += len(text)
        return self._pattern.subn(replacement, text, count)

    def split(self, text: str, maxsplit: int = 0) -> Any:
        self._work.scanned += len(text)
        return self._pattern.split(text, maxsplit)


def _end(text: str, rest: tuple[int, ...]) -> int:
    return min(rest[0], len(text)) if rest else len(text)


def _countable(value: object) -> bool:
    from mdplan.parse.cues import CuePattern

    return isinstance(value, re.Pattern | CuePattern)


@contextlib.contextmanager
def _patterns_counted(work: Work) -> Iterator[None]:
    """Every pattern a module of mdplan holds at its top level (alone, or in a tuple, list or
    dict there) counted while the block runs."""
    saved: list[tuple[Any, str, Any]] = []
    for module in [m for name, m in sys.modules.items() if name.startswith("mdplan") and m is not None]:
        for name, value in list(vars(module).items()):
            counted = _counted(value, work)
            if counted is not value:
                saved.append((module, name, value))
                setattr(module, name, counted)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def _counted(value: Any, work: Work) -> Any:
    if _countable(value):
        return _CountedPattern(value, work)
    if isinstance(value, tuple | list) and any(_countable(item) for item in value):
        return type(value)(_CountedPattern(item, work) if _countable(item) else item for item in value)
    if isinstance(value, dict) and any(_countable(item) for item in value.values()):
        return {key: _CountedPattern(item, work) if _countable(item) else item for key, item in value.items()}
    return value


# --- markdown-it's syntax tree ---------------------------------------------------------------


@contextlib.contextmanager
def _siblings_counted(work: Work) -> Iterator[None]:
    """markdown-it's ``previous_sibling`` and ``next_sibling``, each call counted as the
    siblings it searches."""
    from markdown_it.tree import SyntaxTreeNode

    originals = {name: getattr(SyntaxTreeNode, name) for name in ("previous_sibling", "next_sibling")}

    def counted(original: property) -> property:
        def get(node: Any) -> Any:
            work.siblings += len(node.siblings)
            return original.fget(node) if original.fget else None

        return property(get)

    for name, original in originals.items():
        setattr(SyntaxTreeNode, name, counted(original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(SyntaxTreeNode, name, original)
