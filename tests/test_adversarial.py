"""Parse-time guards: hostile or huge input returns a plan or raises UnusableInput, and the work
it takes grows linearly with the input: each case is read at a size and at four times that size,
and the work counted (``tests.work``: calls, characters the patterns scan, sibling searches; never
a clock) may grow at most 1.5 times as fast as the text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import mdplan
from tests.work import FACTOR, assert_linear

FENCE = "```"


def parsed(text: str) -> mdplan.Plan | None:
    """The plan ``text`` states; ``None`` for UnusableInput. Any other exception propagates and
    fails the test."""
    try:
        return mdplan.parse(text, "adversarial.md")
    except mdplan.UnusableInput:
        return None


def linear(make: Callable[[int], str], n: int) -> mdplan.Plan | None:
    """Parse ``make(n)`` and ``make(4 n)``, their work held to the growth of the text; the plan
    of the larger one."""
    assert_linear(lambda k: parsed(make(k)), n, size=lambda k: len(make(k)))
    return parsed(make(FACTOR * n))


def fenced(body: str) -> str:
    return f"# Plan\n\n{FENCE}\n{body}\n{FENCE}\n"


def paragraph(body: str) -> str:
    return f"# Plan\n\n{body}\n"


def wrapped(body: str, width: int = 1_000) -> str:
    """``body`` as one paragraph of lines of ``width`` characters (each read, unlike one line
    past the 20,000-character limit)."""
    return "\n".join(body[i : i + width] for i in range(0, len(body), width))


def test_one_line_with_100k_arrows() -> None:
    linear(lambda n: fenced("Phase 1 ──→ " * n + "Phase 2"), 25_000)


@pytest.mark.parametrize("wrap", [paragraph, fenced], ids=["paragraph", "code-block"])
def test_one_megabyte_of_phase_words(wrap: Callable[[str], str]) -> None:
    linear(lambda n: wrap("Phase " * n), 1_000_000 // len("Phase ") // FACTOR)


def test_five_megabyte_line_of_dashes() -> None:
    linear(lambda n: paragraph("a-" * n), 2_500_000 // FACTOR)


def test_200k_box_drawing_characters_in_a_code_block() -> None:
    linear(lambda n: fenced("─" * n), 200_000 // FACTOR)


def runs_of_every_length(size: int) -> str:
    """Backtick runs of length 1, 2, 3, … each followed by ``a``, up to ``size`` characters."""
    parts, total, length = [], 0, 1
    while total < size:
        parts.append("`" * length + "a")
        total, length = total + length + 1, length + 1
    return "".join(parts)


BACKTICKS: dict[str, Callable[[int], str]] = {
    "runs-of-every-length": lambda n: runs_of_every_length(n * 1_500),  # 4.5 MB at 3,000
    "unclosed-spans": lambda n: "`a " * (n * 100),
    "spans-over-statements": lambda n: "Phase 1 `Depends on `" * (n * 8),
}


@pytest.mark.parametrize("body", BACKTICKS.values(), ids=BACKTICKS.keys())
@pytest.mark.parametrize(
    ("lines", "n"), [(paragraph, 750), (lambda body: paragraph(wrapped(body)), 200)], ids=["one-line", "wrapped"]
)
def test_backtick_runs_pair_in_linear_work(body: Callable[[int], str], lines: Callable[[str], str], n: int) -> None:
    """Code spans are paired in one pass: a run of every length, each without its pair, stays
    cheap, on one line (past the line limit: not read) and over many lines (read, and joined
    into one sentence: that joining read the whole sentence again for each line)."""
    linear(lambda k: lines(body(k)), n)


def _list_item(i: int) -> str:
    depends = f"Phase {i - 1}" if i > 1 else "None"
    return f"- Phase {i}: Step (1 min)\n  - Depends on: {depends}"


def test_nested_list_items() -> None:
    plan = linear(lambda n: paragraph("\n".join(_list_item(i) for i in range(1, n + 1))), 500)
    assert plan is not None
    assert len(plan.phases) == FACTOR * 500


def _block(j: int) -> str:
    a, b, c = 3 * j + 1, 3 * j + 2, 3 * j + 3
    return (
        f"## Flow of section {j}\n\n"
        f"{FENCE}\nPhase {a} (10 min) ──→ Phase {b} (5 min) ──→ Phase {c} (15 min)\n{FENCE}\n\n"
        f"## Phase {b}: Check section {j}\n\n- Blocks: Phase {c}\n\n"
        f"## Phase {c}: Ship section {j}\n\n- Depends on: Phase {a}, Phase {b}\n"
    )


def _blocks(k: int) -> str:
    return "# Plan\n\n" + "\n".join(_block(j) for j in range(k))


def test_parse_work_is_linear() -> None:
    plan = linear(_blocks, 125)
    assert plan is not None
    assert len(plan.phases) == 3 * FACTOR * 125


def _data(language: str, body: str) -> str:
    return f"# Plan\n\n{FENCE}{language}\n{body}\n{FENCE}\n"


HOSTILE_DATA: dict[str, tuple[str, Callable[[int], str]]] = {
    "escaped quotes": ("yaml", lambda n: 'k: ["' + '\\"' * n + "]"),
    "backslashes before a key colon": ("yaml", lambda n: '"' + "\\" * n + '" x'),
    "open quotes": ("yaml", lambda n: "k: [" + '"a' * n + "]"),
    "nested brackets": ("yaml", lambda n: "k: " + "[" * n + "]" * n),
    "a flow list over 50k lines": ("yaml", lambda n: "k: [\n" + "a,\n" * (n * 5)),
    "dashes on one line": ("yaml", lambda n: "- " * n),
    "spaces before no colon": ("yaml", lambda n: "a" + " " * (n * 2) + "b"),  # 19,000 at the larger size
    "deep indentation": ("yaml", lambda n: "".join(" " * i + f"k{i}:\n" for i in range(n // 6))),
    "deep JSON": ("json", lambda n: "[" * (n * 5) + "]" * (n * 5)),
    "20k tasks": ("yaml", lambda n: "".join(f"- id: T{i}\n  needs: [T{i - 1}]\n" for i in range(n // 2))),
}


@pytest.mark.parametrize(("language", "body"), HOSTILE_DATA.values(), ids=HOSTILE_DATA.keys())
def test_hostile_yaml_and_json_blocks(language: str, body: Callable[[int], str]) -> None:
    linear(lambda n: _data(language, body(n)), 2_250)  # 9,000 at the larger size


def test_a_chain_wider_than_a_drawing_is_not_traced_in_prose() -> None:
    plan = linear(lambda n: paragraph("Phase 1 -> " * n + "Phase 2"), 25_000)
    assert plan is None or not any(s.edges for s in plan.scenarios)


def test_structured_task_lists_read_in_linear_work() -> None:
    def tasks(n: int) -> str:
        return _data("yaml", "".join(f"- id: T{i}\n  estimate: 1h\n  needs: [T{i - 1}]\n" for i in range(1, n + 1)))

    plan = linear(tasks, 500)
    assert plan is not None
    assert len(plan.phases) == FACTOR * 500 + 1  # T0 is needed and never named


LONG_RUNS: dict[str, Callable[[int], str]] = {
    "label-value-spaces": lambda n: f"## Phase 1: a{' ' * n}b\n",
    "label-dashes": lambda n: f"## Phase 1: a{' - x' * (n // 4)}\n",
    "parenthesis-dashes": lambda n: f"## Phase 1 ({'a - ' * (n // 4)})\n",
    "estimate-spaces": lambda n: f"## Estimates\n\n- Setup{' ' * n}x: 1 h\n",
    "estimate-dashes": lambda n: f"## Estimates\n\n- {'a - ' * (n // 4)}\n",
}


@pytest.mark.parametrize("make", LONG_RUNS.values(), ids=LONG_RUNS.keys())
def test_long_runs_in_labels_and_estimates_parse_in_linear_work(make: Callable[[int], str]) -> None:
    """Runs of spaces and dashes where a label's title, value or time is looked for, up to just
    under the 20,000-character line limit (MP113). Each was once quadratic inside one regular
    expression call, which no count sees: the patterns are written to be linear (``refs``,
    ``labels``); this holds the work around them."""
    linear(make, 19_000 // FACTOR)
