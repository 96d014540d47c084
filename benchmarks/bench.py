"""mdplan benchmarks: start-up against ``mdformat --check``, and growth with plan size.

Run by hand (standard library only, plus mdplan and mdformat installed in the environment):

    python benchmarks/bench.py                   # prints the Markdown table
    python benchmarks/bench.py --write-readme    # and writes it into README.md

(a) start-up: ``mdplan check`` and ``mdformat --check`` on the reference plan, alternating, in
one session; the median of each and their ratio (both on a copy in a folder of its own).
(b) scale: generated plans of N phases in three notations (headings with ``Depends on``, ASCII
chains, a Mermaid flowchart); the time of a whole report (parse, analyze, render) in a fresh
process against markdown-it-py's own parse of the same text (the floor); peak memory (maximum
resident set of that process) against the input size.
(c) rewrites up to the limits: ``mdplan fmt --check`` and ``mdplan sync --check`` (a summary
region under the title) on plans of headings, up to the 25,000 phases mdplan reads, against
plain ``mdformat --check`` on the same file; exit 2 is a refusal (MP010: past the work fmt and
sync take on, about ten seconds).
Ratios are measured in one run on one machine; absolute times vary between machines.
Both packages are timed as installed: mdplan's modules are byte-compiled first (pip does that
for a wheel; an editable install under ``PYTHONDONTWRITEBYTECODE`` would otherwise recompile
every module on every run).
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "fixtures" / "reference-multipart-plan.md"
README = ROOT / "README.md"
BEGIN, END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
BIN = Path(sys.executable).parent


# --- generated plans -----------------------------------------------------------------------


def _predecessors(rnd: random.Random, i: int) -> list[int]:
    return sorted({rnd.randint(max(1, i - 20), i - 1) for _ in range(2)}) if i > 1 else []


def headings(n: int) -> str:
    rnd = random.Random(n)
    lines = ["# Generated plan", ""]
    for i in range(1, n + 1):
        depends = ", ".join(f"Phase {p}" for p in _predecessors(rnd, i)) or "None"
        lines += [f"## Phase {i}: Step {i} ({rnd.randint(1, 60)} min)", f"- Depends on: {depends}"]
        lines += [f"- Location: `src/module{i % 40}/part{i}.py`", ""]
    return "\n".join(lines)


def ascii_chains(n: int) -> str:
    rnd = random.Random(n)
    minutes = {i: rnd.randint(1, 60) for i in range(1, n + 1)}
    arrows = [
        f"Phase {p} ({minutes[p]} min) ──→ Phase {i} ({minutes[i]} min)"
        for i in range(2, n + 1)
        for p in _predecessors(rnd, i)
    ]
    return "\n".join(["# Generated plan", "", "## Current Plan", "", "```", *arrows, "```", ""])


def mermaid(n: int) -> str:
    rnd = random.Random(n)
    nodes = [f'    p{i}["Phase {i}: Step {i} ({rnd.randint(1, 60)} min)"]' for i in range(1, n + 1)]
    links = [f"    p{p} --> p{i}" for i in range(2, n + 1) for p in _predecessors(rnd, i)]
    return "\n".join(["# Generated plan", "", "```mermaid", "flowchart TD", *nodes, *links, "```", ""])


def shared_files(n: int) -> str:
    """Headings as in ``headings``, shaped as real plans are: sprints of 50 phases in 10 lanes
    (each phase after the one before it in its lane, the first after the last sprint's
    integration), an integration phase closing each sprint, and files shared as real plans
    share them: every lane works in its own 18 files, and one phase in ten also touches one of
    20 shared files (about 200 distinct files), so races arise between lanes within a sprint."""
    rnd = random.Random(n)
    lines = ["# Generated plan", ""]
    lanes, sprint = 10, 50
    last_in_lane: dict[int, int] = {}
    gate = 0
    for i in range(1, n + 1):
        lane = i % lanes
        if i % sprint == 0:
            needs = sorted(last_in_lane.values())
            last_in_lane, gate = {}, i
            files = ["docs/CHANGELOG.md"]
        else:
            needs = [last_in_lane.get(lane, gate)] if last_in_lane.get(lane, gate) else []
            last_in_lane[lane] = i
            files = [f"src/lane{lane}/part{rnd.randrange(18)}.py"]
            if rnd.random() < 0.1:
                files.append(f"src/shared/registry{rnd.randrange(19)}.py")
        depends = ", ".join(f"Phase {p}" for p in needs) or "None"
        lines += [f"## Phase {i}: Step {i} ({rnd.randint(1, 60)} min)", f"- Depends on: {depends}"]
        lines += [f"- Files: {', '.join(f'`{f}`' for f in files)}", ""]
    return "\n".join(lines)


NOTATIONS: dict[str, Callable[[int], str]] = {
    "headings": headings,
    "ascii": ascii_chains,
    "mermaid": mermaid,
    "shared files": shared_files,
}


# --- measuring -----------------------------------------------------------------------------

_CHILD = """
import resource, sys, time
text = open(sys.argv[2], encoding="utf-8").read()
start = time.perf_counter()
if sys.argv[1] == "floor":
    from markdown_it import MarkdownIt
    MarkdownIt("commonmark").enable("table").parse(text)
else:
    import mdplan
    plan = mdplan.parse(text, sys.argv[2])
    analysis = mdplan.analyze(plan)
    report = mdplan.render_report(analysis)
    if len(sys.argv) > 3:
        open(sys.argv[3], "w", encoding="utf-8").write(report)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def child(kind: str, path: Path, report: Path | None = None) -> tuple[float, float]:
    """(seconds, peak resident MB) of one run in a fresh process; the report written to ``report``."""
    argv = [sys.executable, "-c", _CHILD, kind, str(path), *([str(report)] if report else [])]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    seconds, kilobytes = out.stdout.split()
    return float(seconds), int(kilobytes) / 1024


def byte_compile() -> None:
    import mdplan

    compileall.compile_dir(Path(mdplan.__file__).parent, quiet=1)


def startup(runs: int) -> tuple[float, float]:
    """Both tools on a copy of the reference plan in a folder of its own, as in a user's
    repository without configuration for either (this checkout's pyproject.toml names mdplan)."""
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / REFERENCE.name
        plan.write_bytes(REFERENCE.read_bytes())
        commands = {
            "mdplan": [str(BIN / "mdplan"), "check", str(plan)],
            "mdformat": [str(BIN / "mdformat"), "--check", str(plan)],
        }
        # as on a user's machine: both tools may keep their caches (bytecode; mdplan's compiled
        # patterns), and one untimed run of each fills them as a user's first commit does
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        for command in commands.values():
            subprocess.run(command, capture_output=True, check=False, cwd=folder, env=env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, capture_output=True, check=False, cwd=folder, env=env)
                times[name].append(time.perf_counter() - start)
    return statistics.median(times["mdplan"]), statistics.median(times["mdformat"])


Row = tuple[str, int, float, float, float, float, float, float]


def scale(sizes: list[int], notations: list[str]) -> list[Row]:
    """(notation, phases, input MB, report s, floor s, × floor, peak MB, peak floor MB) per plan."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in notations:
            for n in sizes:
                path = Path(folder) / f"{name}-{n}.md"
                path.write_text(NOTATIONS[name](n), encoding="utf-8")
                report, memory = child("report", path)
                floor, floor_memory = child("floor", path)
                size = path.stat().st_size / 2**20
                rows.append((name, n, size, report, floor, report / floor, memory, floor_memory))
                print(f"{name} {n}: report {report:.2f} s, floor {floor:.3f} s, peak {memory:.0f} MB", file=sys.stderr)
    return rows


def against_mdformat(n: int) -> tuple[float, float]:
    """(report s, plain ``mdformat`` s over the report it wrote) for ``shared_files(n)``."""
    with tempfile.TemporaryDirectory() as folder:
        path, written = Path(folder) / "plan.md", Path(folder) / "report.md"
        path.write_text(shared_files(n), encoding="utf-8")
        report, _ = child("report", path, written)
        start = time.perf_counter()
        subprocess.run([str(BIN / "mdformat"), str(written)], capture_output=True, check=True)
        return report, time.perf_counter() - start


RewriteRow = tuple[int, float, float, int, float, int, float]
REGION = "<!-- mdplan:begin summary -->\n<!-- mdplan:end -->\n"


def timed(command: list[str]) -> tuple[float, int]:
    """(seconds, exit status) of one command."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start, done.returncode


def rewrites(sizes: list[int]) -> list[RewriteRow]:
    """(phases, input MB, fmt --check s and status, sync --check s and status, mdformat --check s)."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            path = Path(folder) / f"plan-{n}.md"
            path.write_text(headings(n).replace("\n\n", f"\n\n{REGION}\n", 1), encoding="utf-8")
            fmt, fmt_status = timed([str(BIN / "mdplan"), "fmt", "--check", str(path)])
            sync, sync_status = timed([str(BIN / "mdplan"), "sync", "--check", str(path)])
            plain, _ = timed([str(BIN / "mdformat"), "--check", str(path)])
            size = path.stat().st_size / 2**20
            rows.append((n, size, fmt, fmt_status, sync, sync_status, plain))
            measured = f"fmt {fmt:.2f} s ({fmt_status}), sync {sync:.2f} s ({sync_status}), mdformat {plain:.2f} s"
            print(f"rewrites {n}: {measured}", file=sys.stderr)
    return rows


def rewrite_table(rows: list[RewriteRow]) -> list[str]:
    lines = [
        "",
        "| phases | input MB | `fmt --check` s | exit | `sync --check` s | exit | plain `mdformat --check` s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {n} | {size:.2f} | {fmt:.2f} | {fmt_status} | {sync:.2f} | {sync_status} | {plain:.2f} |"
        for n, size, fmt, fmt_status, sync, sync_status, plain in rows
    ]
    return [*lines, "", "Exit 2: refused as too large (MP010) before the work that would take more than ten seconds."]


def table(start: tuple[float, float], rows: list[Row], formatted: tuple[int, float, float] | None) -> str:
    mdplan_s, mdformat_s = start
    lines = [
        f"Start-up, `mdplan check` vs `mdformat --check` on the reference plan (median of alternating runs): "
        f"{mdplan_s:.3f} s vs {mdformat_s:.3f} s, ratio **{mdplan_s / mdformat_s:.2f}×**.",
        "",
        "| notation | phases | input MB | report s | parse floor s | × floor | peak MB | × floor's peak |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {name} | {n} | {size:.2f} | {report:.2f} | {floor:.3f} | {ratio:.1f} | {memory:.0f} | {memory / low:.2f} |"
        for name, n, size, report, floor, ratio, memory, low in rows
    ]
    growth = []
    for name in sorted({r[0] for r in rows}):
        by_n = {r[1]: r[3] for r in rows if r[0] == name}
        if 1000 in by_n and 8000 in by_n:
            growth.append(f"{name} {by_n[8000] / by_n[1000]:.1f}×")
    if growth:
        lines += ["", "Growth from 1,000 to 8,000 phases (8× the phases): " + ", ".join(growth) + "."]
    if formatted:
        n, report, plain = formatted
        lines += [
            "",
            f"The report of {n:,} phases that share files against plain `mdformat` over the report it wrote: "
            f"{report:.1f} s vs {plain:.1f} s, ratio **{report / plain:.2f}×**.",
        ]
    return "\n".join(lines) + "\n"


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {BEGIN} … {END} section")
    README.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}{END}", readme), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,2000,4000,8000", help="phase counts (default: %(default)s)")
    parser.add_argument("--notations", default=",".join(NOTATIONS), help="which notations (default: all)")
    parser.add_argument("--runs", type=int, default=15, help="start-up runs of each command (default: 15)")
    parser.add_argument("--write-readme", action="store_true", help="write the table into README.md")
    parser.add_argument(
        "--against-mdformat", type=int, default=8000, metavar="N", help="phases of that comparison (0: skip it)"
    )
    parser.add_argument(
        "--rewrites", default="1000,2000,2600,8000,25000", help="phases of the fmt/sync plans ('': skip them)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    byte_compile()
    rows = scale(sizes, [n for n in args.notations.split(",") if n])
    formatted = (args.against_mdformat, *against_mdformat(args.against_mdformat)) if args.against_mdformat else None
    text = table(startup(args.runs), rows, formatted)
    if args.rewrites:
        text += "\n".join(rewrite_table(rewrites([int(n) for n in args.rewrites.split(",")]))) + "\n"
    sys.stdout.write(text)
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
