"""Unified diffs (what ``--check`` shows) in near-linear time on any two texts.

difflib's matcher looks for the longest common run again in every stretch between two matches:
quadratic in the number of changes (a plan of 25,000 phases, each heading gaining a blank line,
took minutes). Here, texts of more than ``GAP_CELLS`` pairs of lines are anchored by the lines
that occur once in each (the longest run of them in the same order, found in n log n, as
patience diff does); between two anchors, the common first and last lines are matched, and what
is left is matched line by line when it is small (``GAP_CELLS`` pairs at most), else shown as
removed and added. Hunks are grouped as difflib groups them (three lines of context) and
written as ``diff -u`` writes them.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Iterator, Sequence

GAP_CELLS = 4_096  # pairs of lines compared, at most, in one stretch between anchors
CONTEXT = 3
Pair = tuple[int, int]


def unified(old: str, new: str, old_name: str, new_name: str) -> str:
    """The unified diff of ``old`` and ``new`` ("" when they are equal); a last line without a
    newline gets one, so the diff stays one line per line."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    groups = list(_Anchored(a, b).get_grouped_opcodes(CONTEXT))
    if not groups:
        return ""
    lines = [f"--- {old_name}\n", f"+++ {new_name}\n"]
    for group in groups:
        lines.extend(_hunk(a, b, group))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _hunk(a: Sequence[str], b: Sequence[str], group: list[tuple[str, int, int, int, int]]) -> Iterator[str]:
    first, last = group[0], group[-1]
    yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            yield from (" " + line for line in a[i1:i2])
            continue
        yield from ("-" + line for line in a[i1:i2])
        yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """``3,4`` (from line 3, 4 lines), ``3`` for one line, ``2,0`` for none after line 2."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


class _Anchored(difflib.SequenceMatcher[str]):
    """difflib's opcodes and hunk grouping over the anchored matching below."""

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        super().__init__(None, a, b, autojunk=False)
        self._blocks = matching_blocks(a, b)

    def get_matching_blocks(self) -> list[difflib.Match]:
        return self._blocks


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[difflib.Match]:
    """Runs of equal lines ``(i, j, size)`` in increasing order of both, then ``(len(a), len(b), 0)``."""
    pairs: list[Pair] = []
    i = j = 0
    fixed = anchors(a, b) if len(a) * len(b) > GAP_CELLS else []  # small texts: matched exactly
    for anchor_i, anchor_j in [*fixed, (len(a), len(b))]:
        pairs.extend(_stretch(a, b, (i, anchor_i), (j, anchor_j)))
        pairs.append((anchor_i, anchor_j))
        i, j = anchor_i + 1, anchor_j + 1
    return _runs(pairs[:-1], len(a), len(b))


def anchors(a: Sequence[str], b: Sequence[str]) -> list[Pair]:
    """Lines that occur once in ``a`` and once in ``b``: the longest run of them in the same
    order in both (patience sorting: n log n)."""
    in_a, in_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if in_b[line] == 1}
    candidates = [(i, where_b[line]) for i, line in enumerate(a) if in_a[line] == 1 and line in where_b]
    tops: list[int] = []  # the smallest last j of an increasing run of each length
    ends: list[int] = []  # which candidate ends that run
    before: list[int] = []  # the candidate before each one in its run
    for index, (_, j) in enumerate(candidates):
        length = bisect.bisect_left(tops, j)
        before.append(ends[length - 1] if length else -1)
        if length == len(tops):
            tops.append(j)
            ends.append(index)
        else:
            tops[length], ends[length] = j, index
    run: list[Pair] = []
    index = ends[-1] if ends else -1
    while index >= 0:
        run.append(candidates[index])
        index = before[index]
    return run[::-1]


def _stretch(a: Sequence[str], b: Sequence[str], span_a: Pair, span_b: Pair) -> list[Pair]:
    """Equal lines between two anchors: the common start and end, and between them the
    longest common subsequence when the stretch is small."""
    (i, i_end), (j, j_end) = span_a, span_b
    start: list[Pair] = []
    while i < i_end and j < j_end and a[i] == b[j]:
        start.append((i, j))
        i, j = i + 1, j + 1
    end: list[Pair] = []
    while i < i_end and j < j_end and a[i_end - 1] == b[j_end - 1]:
        i_end, j_end = i_end - 1, j_end - 1
        end.append((i_end, j_end))
    middle = _common(a[i:i_end], b[j:j_end]) if (i_end - i) * (j_end - j) <= GAP_CELLS else []
    return [*start, *((i + x, j + y) for x, y in middle), *end[::-1]]


def _common(a: Sequence[str], b: Sequence[str]) -> list[Pair]:
    """A longest common subsequence of two short runs of lines (dynamic programming)."""
    longest = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for x in range(len(a) - 1, -1, -1):
        for y in range(len(b) - 1, -1, -1):
            longest[x][y] = longest[x + 1][y + 1] + 1 if a[x] == b[y] else max(longest[x + 1][y], longest[x][y + 1])
    pairs: list[Pair] = []
    x = y = 0
    while x < len(a) and y < len(b):
        if a[x] == b[y]:
            pairs.append((x, y))
            x, y = x + 1, y + 1
        elif longest[x + 1][y] >= longest[x][y + 1]:
            x += 1
        else:
            y += 1
    return pairs


def _runs(pairs: list[Pair], len_a: int, len_b: int) -> list[difflib.Match]:
    """Consecutive pairs ``(i, j), (i + 1, j + 1), …`` joined into blocks, and the end marker."""
    blocks: list[difflib.Match] = []
    for i, j in pairs:
        last = blocks[-1] if blocks else None
        if last and last.a + last.size == i and last.b + last.size == j:
            blocks[-1] = difflib.Match(last.a, last.b, last.size + 1)
        else:
            blocks.append(difflib.Match(i, j, 1))
    return [*blocks, difflib.Match(len_a, len_b, 0)]
