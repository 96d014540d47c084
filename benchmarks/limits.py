"""mdplan at its input limits: hostile documents, each timed through ``check`` and ``report``.

Run by hand (standard library only, plus mdplan installed in the environment):

    python benchmarks/limits.py                       # every case, both commands
    python benchmarks/limits.py --cases fence,table   # some cases
    python benchmarks/limits.py --scale 0.25          # a quarter of each limit (a quick look)
    python benchmarks/limits.py --keep /tmp/hostile   # and keep the generated documents

Each case fills a document up to just under the limits ``check`` and ``report`` read (characters
and lines: ``parse.document``) or names as many phases as mdplan reads (``MAX_PHASES``),
shaped as an attacker would shape it to make some
part of the reader, the merge, the analysis or the report work hard. Each command runs in a
fresh process; the table shows its CPU time (user + system, so another load on the machine
changes it less than the wall clock), its exit status and the diagnostic code of a refusal.
A run past ``--timeout`` seconds of wall clock is stopped and shown as ``>T``.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mdplan.parse import MAX_LINE
from mdplan.parse.document import MAX_CHARACTERS, MAX_INPUT_BYTES, MAX_LINES, MAX_PHASES

BIN = Path(sys.executable).parent
HEAD = "# Hostile plan\n\n## Phase 1: Start (5 min)\n\n## Phase 2: Next (5 min)\n\n- Depends on: Phase 1\n\n"
FENCE = "```"


@dataclass(frozen=True)
class Limits:
    """The budget each generator fills: characters, lines, phases and the longest line read."""

    size: int
    lines: int
    phases: int
    line: int


def fill(limits: Limits, lines: Callable[[int], Iterator[str]], head: str = HEAD, tail: str = "") -> str:
    """``head``, then lines from ``lines`` while the text stays under the limits, then ``tail``."""
    parts = [head]
    used, rows = len(head) + len(tail) + 64, head.count("\n") + tail.count("\n") + 2
    for line in lines(limits.phases):
        size, count = len(line) + 1, line.count("\n") + 1
        if used + size > limits.size or rows + count > limits.lines:
            break
        parts.append(line + "\n")
        used, rows = used + size, rows + count
    parts.append(tail)
    return "".join(parts)


def forever(make: Callable[[int], str]) -> Iterator[str]:
    index = 0
    while True:
        index += 1
        yield make(index)


def cycle(limit: int, start: int = 1) -> Callable[[int], int]:
    """Phase numbers that stay within ``limit`` distinct ones."""
    return lambda i: (i - 1) % (limit - start) + start


# --- the cases ------------------------------------------------------------------------------


def code_fence(limits: Limits) -> str:
    """One code fence of short lines that draw nothing."""
    return fill(limits, lambda _: forever(lambda i: "x = 1"), tail=FENCE + "\n", head=HEAD + FENCE + "\n")


def code_fence_digits(limits: Limits) -> str:
    """One code fence of short lines with digits, units and a percent sign: what claims look for."""
    return fill(limits, lambda _: forever(lambda i: f"step {i} 5 min 20%"), head=HEAD + FENCE + "\n", tail=FENCE)


def arrow_drawing(limits: Limits) -> str:
    """One fence of ``Phase A (N min) ──→ Phase B`` lines over every phase mdplan reads."""
    rnd = random.Random(1)
    number = cycle(limits.phases)

    def arrow(i: int) -> str:
        a = number(i)
        return f"Phase {a} ({rnd.randint(1, 60)} min) ──→ Phase {min(a + rnd.randint(1, 20), limits.phases)}"

    return fill(limits, lambda _: forever(arrow), head=HEAD + "## Current Plan\n\n" + FENCE + "\n", tail=FENCE)


def box_drawing(limits: Limits) -> str:
    """One fence of boxes side by side joined by arrows, rows of them under each other."""
    per_row = 8

    def boxes(_: int) -> Iterator[str]:
        row = 0
        while True:
            first = row * per_row + 1
            names = [f"Phase {cycle(limits.phases)(first + k)}" for k in range(per_row)]
            width = max(len(n) for n in names) + 2
            yield "   ".join("┌" + "─" * width + "┐" for _ in names)
            yield "──→".join("│ " + n.ljust(width - 1) + "│" for n in names)
            yield "   ".join("└" + "─" * (width // 2) + "┬" + "─" * (width - width // 2 - 1) + "┘" for _ in names)
            yield "   ".join(" " * (width // 2 + 1) + "▼" + " " * (width - width // 2) for _ in names)
            row += 1

    return fill(limits, boxes, head=HEAD + FENCE + "\n", tail=FENCE)


def wide_drawing(limits: Limits) -> str:
    """A fence of lines just under the traced width (2,000 columns) of arrows and labels."""
    number = cycle(limits.phases)

    def line(i: int) -> str:
        parts, k = [], 0
        while sum(len(p) + 5 for p in parts) < 1_990:
            parts.append(f"P{number(i * 97 + k)}")
            k += 1
        return " ──→ ".join(parts)[:1_999]

    return fill(limits, lambda _: forever(line), head=HEAD + FENCE + "\n", tail=FENCE)


def prose_references(limits: Limits) -> str:
    """Paragraphs of sentences naming phases, dependencies and durations."""
    rnd = random.Random(2)

    def sentence(i: int) -> str:
        a, b, c = (rnd.randint(1, limits.phases) for _ in range(3))
        return (
            f"Phase {a} depends on Phase {b} and Phase {c}, takes {rnd.randint(1, 90)} min "
            f"and must complete before Phase {a + 1}. Phase {b} runs in parallel with Phase {c}."
        )

    return fill(limits, lambda _: forever(sentence))


def long_paragraph(limits: Limits) -> str:
    """One paragraph of the whole size: prose lines without a blank line between them."""
    rnd = random.Random(3)
    return fill(
        limits,
        lambda _: forever(lambda i: f"After Phase {rnd.randint(1, limits.phases)} it takes 5 min (saves 20%)"),
    )


def depends_lists(limits: Limits) -> str:
    """A long bullet list: each item a phase with a long ``Depends on:`` list of ranges."""
    number = cycle(limits.phases, 2)

    def item(i: int) -> str:
        ranges = ", ".join(f"{k}-{k + 199}" for k in range(1, 2_000, 200))
        return f"- Phase {number(i)} (5 min). Depends on: Phases {ranges}"

    return fill(limits, lambda _: forever(item))


def depends_everything(limits: Limits) -> str:
    """Phases that each depend on every phase named before them (``all of the above``)."""
    return fill(limits, lambda n: (f"## Phase {i} (5 min)\n\nDepends on: all of the above\n" for i in range(3, n)))


def depends_ranges_everything(limits: Limits) -> str:
    """Headed phases, each depending on every phase by ranges of 200 (dense: edges grow as phases²)."""
    ranges = ", ".join(f"{k}-{k + 199}" for k in range(1, limits.phases, 200))
    return fill(limits, lambda n: (f"## Phase {i} (5 min)\n\nDepends on: Phases {ranges}\n" for i in range(3, n)))


def headings_phases(limits: Limits) -> str:
    """Headings as in ``bench.py``: a heading, ``Depends on`` and ``Location`` per phase, up to the phase limit."""
    rnd = random.Random(limits.phases)

    def phases(n: int) -> Iterator[str]:
        for i in range(3, n + 1):
            needs = sorted({rnd.randint(max(1, i - 20), i - 1) for _ in range(2)})
            yield f"## Phase {i}: Step {i} ({rnd.randint(1, 60)} min)"
            yield f"- Depends on: {', '.join(f'Phase {p}' for p in needs)}"
            yield f"- Location: `src/module{i % 40}/part{i}.py`\n"

    return fill(limits, phases)


def headings_padded(limits: Limits) -> str:
    """As many phases as mdplan reads, each with prose up to the byte limit between them."""
    per_phase = max(1, limits.size // max(1, limits.phases))
    rnd = random.Random(4)

    def phases(n: int) -> Iterator[str]:
        for i in range(3, n + 1):
            yield f"## Phase {i}: Step {i} ({rnd.randint(1, 60)} min)\n\n- Depends on: Phase {i - 1}\n"
            words = " ".join(f"word{k}" for k in range(per_phase // 7))
            yield words[: max(0, per_phase - 60)] + "\n"

    return fill(limits, phases)


def huge_table(limits: Limits) -> str:
    """One table: a row per phase (depends, duration, files, dates), then rows over again."""
    number = cycle(limits.phases, 3)
    head = HEAD + "| Phase | Depends on | Duration | Files | Start | End |\n|---|---|---|---|---|---|\n"

    def row(i: int) -> str:
        p = number(i)
        depends = f"Phase {p - 1}, Phase {max(1, p - 7)}"
        return f"| Phase {p} | {depends} | 10 min | `src/m{p % 50}.py` | 2024-01-02 | 2024-01-05 |"

    return fill(limits, lambda _: forever(row), head=head)


def wide_table(limits: Limits) -> str:
    """Tables of rows with as many cells as a line holds."""
    number = cycle(limits.phases, 3)
    cells = 1_500
    header = "| Phase | " + " | ".join(f"D{k}" for k in range(cells)) + " |"
    rule = "|" + "---|" * (cells + 1)

    def row(i: int) -> str:
        return f"| Phase {number(i)} | " + " | ".join("5 min" for _ in range(cells)) + " |"

    return fill(limits, lambda _: forever(row), head=HEAD + header + "\n" + rule + "\n")


def many_tables(limits: Limits) -> str:
    """Small tables, one after another."""
    number = cycle(limits.phases, 3)
    return fill(
        limits,
        lambda _: forever(lambda i: f"| Phase | Depends on |\n|---|---|\n| Phase {number(i)} | Phase 1 |\n"),
    )


def mermaid_flowchart(limits: Limits) -> str:
    """A Mermaid flowchart of every phase mdplan reads, edges up to the byte limit."""
    rnd = random.Random(5)

    def lines(n: int) -> Iterator[str]:
        yield "flowchart TD"
        for i in range(1, n + 1):
            yield f'    p{i}["Phase {i}: Step {i} ({rnd.randint(1, 60)} min)"]'
        while True:
            a = rnd.randint(1, n - 1)
            yield f"    p{a} --> p{min(n, a + rnd.randint(1, 30))}"

    return fill(limits, lines, head=HEAD + "```mermaid\n", tail=FENCE)


def mermaid_gantt(limits: Limits) -> str:
    """A Mermaid gantt chart: a task per phase, each after the one before."""

    def lines(n: int) -> Iterator[str]:
        yield "gantt\n    dateFormat YYYY-MM-DD\n    section All"
        yield "    Phase 3 :p3, 2024-01-01, 1d"
        for i in range(4, n + 1):
            yield f"    Phase {i} :p{i}, after p{i - 1} p{max(3, i - 5)}, {i % 5 + 1}d"

    return fill(limits, lines, head=HEAD + "```mermaid\n", tail=FENCE)


def long_lines(limits: Limits) -> str:
    """Paragraph lines just under ``MAX_LINE``: backticks, arrows, digits and phase names."""
    unit = "`a` Phase 12 → 3 (5 min) ``b`` 20% ─→ "
    line = (unit * (limits.line // len(unit) + 1))[: limits.line - 1]
    return fill(limits, lambda _: forever(lambda i: line + "\n"))


def long_code_lines(limits: Limits) -> str:
    """A fence of lines just under ``MAX_LINE`` of digits, arrows and labels (past the traced width)."""
    unit = "Phase 12 (5 min) ──→ 3 Total: 20 min "
    line = (unit * (limits.line // len(unit) + 1))[: limits.line - 1]
    return fill(limits, lambda _: forever(lambda i: line), head=HEAD + FENCE + "\n", tail=FENCE)


def backtick_runs(limits: Limits) -> str:
    """Lines of unmatched backtick runs of every length (code spans pair runs of equal length)."""

    def line(i: int) -> str:
        return " ".join("`" * (k % 40 + 1) + "x" for k in range(i % 50, i % 50 + 400))

    return fill(limits, lambda _: forever(line))


def nested_quotes(limits: Limits) -> str:
    """Quotes nested deep, each level naming a phase."""
    return _nested(limits, range(1, 100), lambda level, n: "> " * level + f"Phase {n} depends on Phase 1 (5 min)")


def nested_lists(limits: Limits) -> str:
    """Lists nested deep, each level an item naming a phase."""
    return _nested(limits, range(100), lambda level, n: "  " * level + f"- Phase {n}: Depends on: Phase 1 (5 min)")


def _nested(limits: Limits, levels: range, line: Callable[[int, int], str]) -> str:
    """Runs of ``line(level, phase number)`` over ``levels``, a blank line after each run."""
    number = cycle(limits.phases, 3)

    def lines(_: int) -> Iterator[str]:
        i = 0
        while True:
            for level in levels:
                i += 1
                yield line(level, number(i))
            yield ""

    return fill(limits, lines)


def phase_totals(limits: Limits) -> str:
    """``Phase N (M min)`` lines alternating with ``Total: X min`` in one code fence."""
    number = cycle(limits.phases, 3)

    def line(i: int) -> str:
        return f"Phase {number(i)} ({i % 50 + 1} min) ──→ Phase {number(i + 1)}" if i % 2 else f"Total: {i} min"

    return fill(limits, lambda _: forever(line), head=HEAD + FENCE + "\n", tail=FENCE)


def prose_totals(limits: Limits) -> str:
    """Paragraph lines alternating ``Phase N (M min)`` and ``Total: X min``."""
    number = cycle(limits.phases, 3)
    return fill(
        limits, lambda _: forever(lambda i: f"Phase {number(i)} ({i % 50 + 1} min)" if i % 2 else f"Total: {i} min")
    )


def many_claims(limits: Limits) -> str:
    """Claims everywhere: savings, critical paths, step counts, sums."""
    number = cycle(limits.phases, 3)

    def line(i: int) -> str:
        p = number(i)
        return (
            f"- Phase {p} (5 min) saves 20% and cuts 15 min; the critical path is Phase {p} → Phase {p + 1} "
            f"(45 min), 3 steps, sequential: 120 min, 4 steps total, 10 + 20 + 30 = 60 min"
        )

    return fill(limits, lambda _: forever(line))


def many_paragraphs(limits: Limits) -> str:
    """As many blocks as bytes allow: one-character paragraphs."""
    return fill(limits, lambda _: forever(lambda i: "a\n"))


def many_items(limits: Limits) -> str:
    """As many list items as bytes allow."""
    return fill(limits, lambda _: forever(lambda i: "- a"))


def many_headings(limits: Limits) -> str:
    """As many headings as bytes allow, each a phase name."""
    number = cycle(limits.phases, 3)
    return fill(limits, lambda _: forever(lambda i: f"# Phase {number(i)}"))


def many_fences(limits: Limits) -> str:
    """As many small code blocks as bytes allow, each a one-arrow drawing."""
    number = cycle(limits.phases, 3)
    return fill(limits, lambda _: forever(lambda i: f"```\nPhase {number(i)} ──→ Phase {number(i + 1)}\n```"))


def outline_tree(limits: Limits) -> str:
    """A tree drawn without arrowheads: units holding entries, deeply."""
    number = cycle(limits.phases, 3)

    def lines(_: int) -> Iterator[str]:
        i = 0
        while True:
            i += 1
            yield f"Phase {number(i)} (5 min):"
            for k in range(20):
                yield "│   " * (k % 10) + f"├── T{i * 20 + k}: task {k} (5 min)"

    return fill(limits, lines, head=HEAD + FENCE + "\n", tail=FENCE)


def yaml_tasks(limits: Limits) -> str:
    """A YAML task list in a fence: a mapping per phase with needs and a duration."""

    def lines(n: int) -> Iterator[str]:
        yield "tasks:"
        i = 3
        while True:
            p = (i - 3) % (n - 3) + 3
            yield f"  - id: P{p}\n    needs: [P{max(3, p - 1)}, P{max(3, p - 2)}]"
            yield f"    duration: 5 min\n    files: [src/a{p}.py]"
            i += 1

    return fill(limits, lines, head=HEAD + "```yaml\n", tail=FENCE)


def front_matter(limits: Limits) -> str:
    """Front matter of the whole size: a deep and wide YAML mapping."""

    def lines(_: int) -> Iterator[str]:
        yield "---\nid: 3\nphase: 3\nplan: 1\ndepends_on:"
        i = 0
        while True:
            i += 1
            yield f"  - {i}"

    return fill(limits, lines, head="", tail="---\n# Plan\n\n## Phase 1 (5 min)\n")


def obsidian_tasks(limits: Limits) -> str:
    """Obsidian Tasks lines: ids and blocked-by links."""
    number = cycle(limits.phases, 3)
    return fill(
        limits, lambda _: forever(lambda i: f"- [ ] Phase {number(i)} 🆔 t{i} ⛔ t{max(1, i - 1)},t{max(1, i - 3)}")
    )


def timeline(limits: Limits) -> str:
    """Timeline windows and groups: ``Phase 2: 10-15 min``, ``{Phase 2, Phase 3} = 10-23 min``."""
    number = cycle(limits.phases, 3)
    return fill(
        limits,
        lambda _: forever(
            lambda i: f"- Phase {number(i)}: 10-15 min\n- {{Phase {number(i)}, Phase {number(i + 1)}}} = 10-23 min"
        ),
    )


def names_not_ids(limits: Limits) -> str:
    """Dependencies by name: ``Depends on: setup step 12``, resolved against every name."""
    number = cycle(limits.phases, 3)
    return fill(
        limits,
        lambda _: forever(
            lambda i: (
                f"## Phase {number(i)}: setup step {number(i)} (5 min)\n\nDepends on: setup step {number(i + 7)}, "
                f"build thing {i}, all user stories\n"
            )
        ),
    )


def long_titles(limits: Limits) -> str:
    """Every phase mdplan reads, each with a title just under the line limit: the report writes them."""
    per_phase = max(80, limits.size // max(1, limits.phases) - 60)

    def phases(n: int) -> Iterator[str]:
        for i in range(3, n + 1):
            title = ("word *em* `code` " * (per_phase // 17 + 1))[:per_phase]
            yield f"## Phase {i}: {title} (5 min)\n\n- Depends on: Phase {i - 1}\n"

    return fill(limits, phases)


def shared_files(limits: Limits) -> str:
    """Every phase mdplan reads touching the same few files in parallel: races everywhere."""

    def phases(n: int) -> Iterator[str]:
        for i in range(3, n + 1):
            yield f"## Phase {i} (5 min)\n\n- Depends on: Phase {max(2, i - 50)}"
            yield f"- Files: `src/a{i % 5}.py`, `src/b.py`\n"

    return fill(limits, phases)


def fan_out(limits: Limits) -> str:
    """One phase every other depends on, and one that depends on every other."""

    def phases(n: int) -> Iterator[str]:
        for i in range(3, n):
            yield f"## Phase {i} (5 min)\n\n- Depends on: Phase 2\n"
        ranges = ", ".join(f"{k}-{k + 199}" for k in range(3, n, 200))
        yield f"## Phase {n} (5 min)\n\n- Depends on: Phases {ranges}\n"

    return fill(limits, phases)


def chain(limits: Limits) -> str:
    """One long chain of every phase mdplan reads (deep recursion, a long critical path)."""
    return fill(limits, lambda n: (f"- Phase {i} (5 min) → Phase {i + 1}" for i in range(2, n)))


def crlf_mixed(limits: Limits) -> str:
    """The headings case with CR-only line endings."""
    return headings_phases(limits).replace("\n", "\r")


def regions(limits: Limits) -> str:
    """Generated-region markers over and over (blanked before reading), some unclosed."""
    return fill(
        limits,
        lambda _: forever(
            lambda i: (
                "<!-- mdplan:begin summary -->\nx `y`\n<!-- mdplan:end -->" if i % 3 else "`<!-- mdplan:begin x -->`"
            )
        ),
    )


def html_comments(limits: Limits) -> str:
    """HTML blocks and comments with phases in them."""
    return fill(
        limits, lambda _: forever(lambda i: f"<div>\nPhase {i % 1000 + 3} (5 min)\n</div>\n\n<!-- Phase {i} -->")
    )


CASES: dict[str, Callable[[Limits], str]] = {
    "fence": code_fence,
    "fence-digits": code_fence_digits,
    "arrows": arrow_drawing,
    "boxes": box_drawing,
    "wide-drawing": wide_drawing,
    "prose": prose_references,
    "one-paragraph": long_paragraph,
    "depends-lists": depends_lists,
    "all-above": depends_everything,
    "all-ranges": depends_ranges_everything,
    "headings": headings_phases,
    "headings-padded": headings_padded,
    "table": huge_table,
    "wide-table": wide_table,
    "many-tables": many_tables,
    "mermaid": mermaid_flowchart,
    "gantt": mermaid_gantt,
    "long-lines": long_lines,
    "long-code-lines": long_code_lines,
    "backticks": backtick_runs,
    "quotes": nested_quotes,
    "lists": nested_lists,
    "totals-code": phase_totals,
    "totals-prose": prose_totals,
    "claims": many_claims,
    "paragraphs": many_paragraphs,
    "items": many_items,
    "headings-only": many_headings,
    "fences": many_fences,
    "outline": outline_tree,
    "yaml": yaml_tasks,
    "front-matter": front_matter,
    "obsidian": obsidian_tasks,
    "timeline": timeline,
    "names": names_not_ids,
    "long-titles": long_titles,
    "shared-files": shared_files,
    "fan-out": fan_out,
    "chain": chain,
    "cr-only": crlf_mixed,
    "regions": regions,
    "html": html_comments,
}


# --- measuring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    cpu: float | None  # None: stopped at the timeout
    wall: float
    status: int | None
    code: str


def timed(command: list[str], timeout: float) -> Run:
    """CPU seconds (user + system) of ``command`` in a fresh process, its wall time, status and
    the diagnostic code of its first error line, if any."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return Run(None, time.perf_counter() - start, None, "")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = re.search(r"\b(?:error|warning) (MP\d{3})", errors)
    internal = "internal error" in errors
    return Run(cpu, wall, process.returncode, "BUG" if internal else (found[1] if found else ""))


def phases_named(text: str) -> int:
    """Distinct ``Phase N`` names in the text (what the generator aimed at; the reader may read fewer)."""
    return len(set(re.findall(r"Phase (\d+)", text)))


def show(run: Run, timeout: float) -> str:
    seconds = f">{timeout:.0f}" if run.cpu is None else f"{run.cpu:.2f}"
    status = "-" if run.status is None else str(run.status)
    return f"{seconds:>7} {status:>3} {run.code:<5}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help="which cases (default: all)")
    parser.add_argument("--commands", default="check,report", help="mdplan commands (default: %(default)s)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the byte and phase limits")
    parser.add_argument("--timeout", type=float, default=120.0, help="wall seconds before a run is stopped")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated documents in")
    args = parser.parse_args()
    size = min(MAX_INPUT_BYTES, MAX_CHARACTERS) - 1_024
    limits = Limits(int(size * args.scale), int(MAX_LINES * args.scale), int(MAX_PHASES * args.scale), MAX_LINE)
    commands = [c for c in args.commands.split(",") if c]
    header = f"{'case':<16} {'MB':>5} {'lines':>7} {'phases':>7}" + "".join(
        f" {c + ' CPU s':>7} {'ex':>3} {'code':<5}" for c in commands
    )
    print(header)
    print("-" * len(header))
    worst: dict[str, tuple[float, str]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name in [c for c in args.cases.split(",") if c]:
            text = CASES[name](limits)
            path = folder / f"{name}.md"
            path.write_text(text, encoding="utf-8", newline="")
            size = path.stat().st_size
            row = f"{name:<16} {size / 2**20:>5.2f} {text.count(chr(10)) + 1:>7,} {phases_named(text):>7,}"
            for command in commands:
                run = timed([str(BIN / "mdplan"), command, str(path)], args.timeout)
                row += " " + show(run, args.timeout)
                seconds = run.cpu if run.cpu is not None else float("inf")
                if seconds > worst.get(command, (-1.0, ""))[0]:
                    worst[command] = (seconds, name)
            print(row, flush=True)
    for command, (seconds, name) in worst.items():
        print(f"worst {command}: {name} ({seconds:.2f} s CPU)")


if __name__ == "__main__":
    main()
