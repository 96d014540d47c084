"""Parse-time guards: hostile or huge input returns a plan or raises UnusableInput, in bounded time."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import mdplan

BOUND_SECONDS = 30.0
FENCE = "```"


def timed_parse(text: str) -> tuple[mdplan.Plan | None, float]:
    """Parse ``text``; ``None`` for UnusableInput. Any other exception propagates and fails the test.

    The time is this process's CPU time, which other work on a busy machine does not inflate:
    the bounds below catch hangs and quadratic paths, they are not benchmarks (``benchmarks/``)."""
    start = time.process_time()
    try:
        plan: mdplan.Plan | None = mdplan.parse(text, "adversarial.md")
    except mdplan.UnusableInput:
        plan = None
    return plan, time.process_time() - start


def fenced(body: str) -> str:
    return f"# Plan\n\n{FENCE}\n{body}\n{FENCE}\n"


def paragraph(body: str) -> str:
    return f"# Plan\n\n{body}\n"


def test_one_line_with_100k_arrows() -> None:
    _, elapsed = timed_parse(fenced("Phase 1 ──→ " * 100_000 + "Phase 2"))
    assert elapsed < BOUND_SECONDS


@pytest.mark.parametrize("wrap", [paragraph, fenced], ids=["paragraph", "code-block"])
def test_one_megabyte_of_phase_words(wrap: Callable[[str], str]) -> None:
    _, elapsed = timed_parse(wrap("Phase " * (1_000_000 // len("Phase "))))
    assert elapsed < BOUND_SECONDS


def test_five_megabyte_line_of_dashes() -> None:
    _, elapsed = timed_parse(paragraph("a-" * 2_500_000))
    assert elapsed < BOUND_SECONDS


def test_200k_box_drawing_characters_in_a_code_block() -> None:
    _, elapsed = timed_parse(fenced("─" * 200_000))
    assert elapsed < BOUND_SECONDS


@pytest.mark.parametrize(
    "body",
    ["".join("`" * k + "a" for k in range(1, 3_000)), "`a " * 300_000, "Phase 1 `Depends on `" * 50_000],
    ids=["runs-of-every-length", "unclosed-spans", "spans-over-statements"],
)
def test_backtick_runs_pair_in_linear_time(body: str) -> None:
    """Code spans are paired in one pass: a run of every length, each without its pair, stays cheap."""
    _, elapsed = timed_parse(paragraph(body))
    assert elapsed < BOUND_SECONDS


def _list_item(i: int) -> str:
    depends = f"Phase {i - 1}" if i > 1 else "None"
    return f"- Phase {i}: Step (1 min)\n  - Depends on: {depends}"


def test_20k_nested_list_items() -> None:
    text = paragraph("\n".join(_list_item(i) for i in range(1, 20_001)))
    plan, elapsed = timed_parse(text)
    assert elapsed < 2 * BOUND_SECONDS  # 40,000 list items: markdown-it alone takes a good part of this
    assert plan is not None
    assert len(plan.phases) == 20_000


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


def test_parse_time_is_roughly_linear() -> None:
    small, small_elapsed = timed_parse(_blocks(500))
    large, large_elapsed = timed_parse(_blocks(4000))
    assert small is not None and large is not None
    assert len(large.phases) == 3 * 4000
    # 8 times the input: linear is ~8x; quadratic would be ~64x. Allow 3x noise on linear.
    assert large_elapsed < 3 * 8 * small_elapsed + 1.0, (small_elapsed, large_elapsed)


def _data(language: str, body: str) -> str:
    return f"# Plan\n\n{FENCE}{language}\n{body}\n{FENCE}\n"


HOSTILE_DATA = {
    "escaped quotes": ("yaml", 'k: ["' + '\\"' * 9_000 + "]"),
    "backslashes before a key colon": ("yaml", '"' + "\\" * 9_000 + '" x'),
    "open quotes": ("yaml", "k: [" + '"a' * 9_000 + "]"),
    "nested brackets": ("yaml", "k: " + "[" * 9_000 + "]" * 9_000),
    "a flow list over 50k lines": ("yaml", "k: [\n" + "a,\n" * 50_000),
    "dashes on one line": ("yaml", "- " * 9_000),
    "spaces before no colon": ("yaml", "a" + " " * 19_000 + "b"),
    "deep indentation": ("yaml", "".join(" " * i + f"k{i}:\n" for i in range(3_000))),
    "deep JSON": ("json", "[" * 50_000 + "]" * 50_000),
    "20k tasks": ("yaml", "".join(f"- id: T{i}\n  needs: [T{i - 1}]\n" for i in range(20_000))),
}


@pytest.mark.parametrize(("language", "body"), HOSTILE_DATA.values(), ids=HOSTILE_DATA.keys())
def test_hostile_yaml_and_json_blocks(language: str, body: str) -> None:
    _, elapsed = timed_parse(_data(language, body))
    assert elapsed < BOUND_SECONDS


def test_a_chain_wider_than_a_drawing_is_not_traced_in_prose() -> None:
    plan, elapsed = timed_parse(paragraph("Phase 1 -> " * 100_000 + "Phase 2"))
    assert elapsed < BOUND_SECONDS
    assert plan is None or not any(s.edges for s in plan.scenarios)


def test_structured_task_lists_read_in_linear_time() -> None:
    def tasks(n: int) -> str:
        return _data("yaml", "".join(f"- id: T{i}\n  estimate: 1h\n  needs: [T{i - 1}]\n" for i in range(1, n + 1)))

    small, small_elapsed = timed_parse(tasks(1_000))
    large, large_elapsed = timed_parse(tasks(8_000))
    assert small is not None and large is not None
    assert len(large.phases) == 8_001  # T0 is needed and never named
    assert large_elapsed < 3 * 8 * small_elapsed + 1.0, (small_elapsed, large_elapsed)


LONG_RUN = 19_000  # just under the 20,000-character line limit (MP113)


@pytest.mark.parametrize(
    "text",
    [
        f"## Phase 1: a{' ' * LONG_RUN}b\n",
        f"## Phase 1: a{' - x' * (LONG_RUN // 4)}\n",
        f"## Phase 1 ({'a - ' * (LONG_RUN // 4)})\n",
        f"## Estimates\n\n- Setup{' ' * LONG_RUN}x: 1 h\n",
        f"## Estimates\n\n- {'a - ' * (LONG_RUN // 4)}\n",
    ],
    ids=["label-value-spaces", "label-dashes", "parenthesis-dashes", "estimate-spaces", "estimate-dashes"],
)
def test_long_runs_in_labels_and_estimates_parse_in_linear_time(text: str) -> None:
    """Runs of spaces and dashes where a label's title, value or time is looked for (each was
    once quadratic: seconds for one line)."""
    _, elapsed = timed_parse(text)
    assert elapsed < BOUND_SECONDS, elapsed
