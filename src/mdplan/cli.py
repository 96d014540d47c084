"""The command line: ``run(argv) -> exit status``. ``__main__`` only calls it.

Exit status: 0 clean or up to date; 1 findings (an error among the diagnostics of ``check`` or
``report``, a warning too with ``--strict``), or ``--check`` out of date; 2 usage error or
unusable input. Problems with the input print as ``PATH:LINE:COL: error CODE message``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mdplan.config import Config, config_for
from mdplan.errors import UnusableInput

if TYPE_CHECKING:
    from mdplan.analyze import Analysis
    from mdplan.model import Diagnostic

OK, FINDINGS, UNUSABLE = 0, 1, 2
if TYPE_CHECKING:
    _Commands = argparse._SubParsersAction[argparse.ArgumentParser]
DEBUG_ENV = "MDPLAN_DEBUG"

DESCRIPTION = """\
Read Markdown planning documents (phases or tasks, dependency arrows, timings, files),
rebuild their dependency graph, recompute the schedule, and report what holds.

exit status: 0 clean or up to date, 1 findings or --check out of date,
2 usage error or unusable input (missing, not UTF-8, not a plan)."""


def run(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except UnusableInput as error:
        print(error.format(), file=sys.stderr)
        return UNUSABLE
    except BrokenPipeError:
        return OK
    except Exception as error:  # a bug must still end in one clear line, not a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"mdplan: internal error: {type(error).__name__}: {error} (set {DEBUG_ENV}=1 for details)", file=sys.stderr
        )
        return UNUSABLE


# --- commands ----------------------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    if len(args.inputs) == 1 and args.out_dir is None and not Path(args.inputs[0]).is_dir():
        text, status = _report_text(args, args.inputs[0])
        return max(status, _deliver(text, args.output, check=args.check))
    if args.out_dir is None:
        raise UnusableInput(args.inputs[0], "MP006", "several inputs or a folder need --out-dir DIR")
    status = OK
    suffix = ".json" if args.format == "json" else ".md"
    for path, explicit, relative in _inputs_under(args.inputs):
        try:
            text, found = _report_text(args, path)
        except UnusableInput as error:
            if explicit or error.code != "MP002":
                print(error.format(), file=sys.stderr)
                status = UNUSABLE
            continue
        target = Path(args.out_dir) / Path(relative).with_suffix(suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        status = max(status, found, _deliver(text, str(target), check=args.check))
    return status


def _report_text(args: argparse.Namespace, path: str) -> tuple[str, int]:
    """The report, and FINDINGS when its diagnostics hold an error (as ``check`` exits)."""
    settings = _settings(path)
    analysis = _analysis(path, args.estimate or settings.estimate)
    found = FINDINGS if any(d.severity == "error" for d in analysis.all_diagnostics) else OK
    if args.format == "json":
        from mdplan.render.model_json import dumps, model_json

        return dumps(model_json(analysis, full=True)), found
    from mdplan.render import render_report

    return render_report(analysis, _template_dir(args.template_dir) or settings.template_dir), found


def _fmt(args: argparse.Namespace) -> int:
    from mdplan.fmt import format_text

    return _rewrite(args, format_text)


def _sync(args: argparse.Namespace) -> int:
    from mdplan.sync import sync_text

    def refreshed(text: str, name: str) -> str:
        settings = _settings(name)
        template_dir = _template_dir(args.template_dir) or settings.template_dir
        return sync_text(text, name, template_dir, args.estimate or settings.estimate)  # type: ignore[arg-type]

    return _rewrite(args, refreshed)


def _rewrite(args: argparse.Namespace, change: Callable[[str, str], str]) -> int:
    """Rewrite each input in place (``-``: stdin to stdout); ``--check`` prints diffs instead."""
    from mdplan.api import display_name, read_bytes_keeping_bom
    from mdplan.fmt import REFUSED
    from mdplan.output import STDOUT, unified_diff, write_bytes

    status = OK
    for path, _, _ in _inputs_under(args.inputs):
        name = display_name(path)
        try:
            bom, text = read_bytes_keeping_bom(path)
            new = change(text, name)
        except UnusableInput as error:
            print(error.format(), file=sys.stderr)
            status = max(status, FINDINGS if error.code == REFUSED else UNUSABLE)
            continue
        if args.check:
            if new != text:
                sys.stdout.write(unified_diff(text, new, name))
                status = max(status, FINDINGS)
        elif path == "-" or new != text:
            try:
                write_bytes(STDOUT if path == "-" else path, (bom + new).encode("utf-8"))
            except OSError as error:
                print(
                    UnusableInput(name, "MP005", f"cannot write: {error.strerror or error}").format(), file=sys.stderr
                )
                status = UNUSABLE
    return status


def _graph(args: argparse.Namespace) -> int:
    analysis = _analysis(args.input, args.estimate or _settings(args.input).estimate)
    names = [s.scenario.name for s in analysis.schedules]
    if args.scenario and args.scenario not in names:
        raise UnusableInput(
            analysis.plan.source, "MP003", f"no scenario {args.scenario!r}; the plan has {', '.join(names)}"
        )
    sys.stdout.write(_graph_text(analysis, args.format, args.scenario))
    return OK


def _check(args: argparse.Namespace) -> int:
    """Diagnostics per file, each file's together and by line; files with errors come first,
    then those with warnings (in the order given, within each)."""
    status = OK
    found: list[tuple[str, tuple[Diagnostic, ...]]] = []
    for path, explicit in _inputs(args.inputs):
        settings = _settings(path)
        try:
            analysis = _analysis(path, settings.estimate)
        except UnusableInput as error:
            if explicit or error.code != "MP002":
                print(error.format(), file=sys.stderr)
                status = UNUSABLE
            continue
        diagnostics = analysis.all_diagnostics
        failing = {"error", "warning"} if args.strict or settings.strict else {"error"}
        if any(d.severity in failing for d in diagnostics) and status == OK:
            status = FINDINGS
        found.append((analysis.plan.source, diagnostics))
    found.sort(key=lambda item: min((_SEVERITY_RANK.get(d.severity, 2) for d in item[1]), default=3))
    _print_diagnostics(found, args.format)
    return status


_SEVERITY_RANK = {"error": 0, "warning": 1}


def _print_diagnostics(found: list[tuple[str, tuple[Diagnostic, ...]]], form: str) -> None:
    if form != "json":
        sys.stdout.writelines(d.format() + "\n" for _, diagnostics in found for d in diagnostics)
        return
    from mdplan.render.model_json import diagnostic_json, dumps

    files = [
        {"source": source, "diagnostics": [diagnostic_json(d) for d in diagnostics]} for source, diagnostics in found
    ]
    sys.stdout.write(dumps({"version": 1, "files": files}))


# --- helpers -----------------------------------------------------------------------------


def _settings(path: str) -> Config:
    """The configuration for ``path``; files ignored on the way are warnings on stderr."""
    settings = config_for(path)
    sys.stderr.writelines(line + "\n" for line in settings.warnings)
    return settings


def _analysis(path: str, estimate: str) -> Analysis:
    from mdplan.analyze import analyze
    from mdplan.api import parse_file

    return analyze(parse_file(path, estimate))  # type: ignore[arg-type]


def _template_dir(value: str | None) -> Path | None:
    if value is None:
        return None
    folder = Path(value)
    if not folder.is_dir():
        raise UnusableInput(value, "MP004", "template directory does not exist")
    return folder


def _deliver(text: str, output: str, *, check: bool) -> int:
    from mdplan.output import current_text, unified_diff, write_text

    if not check:
        try:
            write_text(output, text)
        except OSError as error:
            raise UnusableInput(output, "MP005", f"cannot write: {error.strerror or error}") from None
        return OK
    if output == "-":
        raise UnusableInput("-", "MP006", "--check needs -o OUT: the file to compare with")
    existing = current_text(output)
    if existing == text:
        return OK
    sys.stdout.write(unified_diff(existing or "", text, output))
    return FINDINGS


def _graph_text(analysis: Analysis, form: str, scenario: str | None) -> str:
    from mdplan.render import ascii, dot, mermaid
    from mdplan.render.model_json import dumps, model_json

    if form == "json":
        return dumps(model_json(analysis, scenario=scenario))
    phases = analysis.plan.phases
    drawers = {"mermaid": mermaid.flowchart, "dot": dot.digraph, "ascii": ascii.draw_graph}
    chosen = [s for s in analysis.schedules if scenario in (None, s.scenario.name)]
    blocks = [f"%% {s.scenario.name}\n" * (form == "mermaid") + drawers[form](s, phases) for s in chosen]
    return "\n\n".join(blocks) + "\n"


def _inputs_under(values: Sequence[str]) -> Iterator[tuple[str, bool, str]]:
    """Like ``_inputs``, with each file's path relative to the folder it was found in."""
    for value in values:
        folder = Path(value)
        if value != "-" and folder.is_dir():
            for found in sorted(folder.rglob("*.md")):
                if found.is_file():
                    yield str(found), False, str(found.relative_to(folder))
        else:
            yield value, True, Path(value).name if value != "-" else "stdin.md"


def _inputs(values: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Files named, and ``*.md`` files under folders named (those may hold no plan)."""
    for value in values:
        folder = Path(value)
        if value != "-" and folder.is_dir():
            for found in sorted(folder.rglob("*.md")):
                if found.is_file():
                    yield str(found), False
        else:
            yield value, True


# --- arguments ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    from mdplan import __version__

    parser = argparse.ArgumentParser(
        prog="mdplan", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"mdplan {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    _add_report(commands, __version__)
    _add_graph(commands, __version__)
    _add_check(commands, __version__)
    _add_rewrite(commands, __version__)
    return parser


def _command(commands: _Commands, name: str, version: str, help_: str, description: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=help_, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"mdplan {version}")
    return parser


def _add_estimate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--estimate",
        choices=("low", "mid", "high"),
        default=None,
        help="which end of a duration range plans with (default: the configuration's, else mid)",
    )


def _add_report(commands: _Commands, version: str) -> None:
    parser = _command(
        commands,
        "report",
        version,
        "write the full parallelization report",
        "Write the parallelization report of a plan: summary, dependency graphs, recommendations,\n"
        "critical path analysis, claim audit, module impact, decision matrix, risk checklist,\n"
        "roadmap, success metrics and diagnostics, every number computed from the plan. The\n"
        "report is itself a plan mdplan reads back (its phase tables are editable).",
    )
    parser.add_argument("inputs", metavar="INPUT", nargs="+", help="plans or folders; - reads standard input")
    parser.add_argument(
        "-o", "--output", metavar="OUT", default="-", help="where to write (default: - , standard output)"
    )
    parser.add_argument(
        "--out-dir", metavar="DIR", help="write one report per input here (needed for several inputs or a folder)"
    )
    parser.add_argument(
        "--format", choices=("md", "json"), default="md", help="Markdown report or the JSON model with analyses"
    )
    parser.add_argument("--template-dir", metavar="DIR", help="templates that override the bundled ones by name")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 and print a diff when OUT is not up to date"
    )
    _add_estimate(parser)
    parser.set_defaults(command=_report)


def _add_graph(commands: _Commands, version: str) -> None:
    parser = _command(
        commands,
        "graph",
        version,
        "print the extracted model",
        "Print the plan mdplan read: phases, dependencies and durations per scenario.",
    )
    parser.add_argument("input", metavar="INPUT", help="the plan (Markdown); - reads standard input")
    parser.add_argument("--scenario", metavar="NAME", help="only this scenario (current, optimized)")
    parser.add_argument(
        "--format", choices=("json", "mermaid", "dot", "ascii"), default="json", help="output format (default: json)"
    )
    _add_estimate(parser)
    parser.set_defaults(command=_graph)


def _add_check(commands: _Commands, version: str) -> None:
    parser = _command(
        commands,
        "check",
        version,
        "print diagnostics only",
        "Print diagnostics as PATH:LINE:COL: severity CODE message.\n"
        "Exit 1 on any error, and on warnings too with --strict. Folders are searched for *.md;\n"
        "files found there that hold no plan are skipped.",
    )
    parser.add_argument("inputs", metavar="INPUT", nargs="+", help="plans or folders; - reads standard input")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.set_defaults(command=_check)


def _add_rewrite(commands: _Commands, version: str) -> None:
    fmt = _command(
        commands,
        "fmt",
        version,
        "rewrite documents in canonical form",
        "Rewrite Markdown documents in canonical form: mdformat with GFM tables, and code blocks\n"
        "that hold only chains (Phase 1 -> Phase 2) redrawn with one arrow. Refuses (exit 1,\n"
        "file untouched) when the rendered HTML or the plan would change.",
    )
    sync = _command(
        commands,
        "sync",
        version,
        "refresh generated regions in place",
        "Refresh every <!-- mdplan:begin KIND [scenario=NAME] --> ... <!-- mdplan:end --> region\n"
        "from the plan the rest of the document states. KIND: report, summary, graph,\n"
        "critical-path, gantt, claims, findings, modules, matrix, checklist, roadmap, metrics.\n"
        "Every byte outside the regions stays as it was.",
    )
    for parser, command in ((fmt, _fmt), (sync, _sync)):
        parser.add_argument("inputs", metavar="INPUT", nargs="+", help="documents or folders; - reads standard input")
        parser.add_argument(
            "--check", action="store_true", help="write nothing; exit 1 and print a diff if out of date"
        )
        parser.set_defaults(command=command)
    sync.add_argument("--template-dir", metavar="DIR", help="templates that override the bundled ones by name")
    _add_estimate(sync)


def run_main() -> None:
    """Console-script entry point."""
    sys.exit(run())
