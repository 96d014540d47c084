"""The command line: ``run(argv) -> exit status``. ``__main__`` only calls it.

Exit status: 0 clean or up to date; 1 findings (an error among the diagnostics of ``check`` or
``report``, a warning too with ``--strict``), or ``--check`` out of date; 2 usage error or
unusable input. Problems with the input print as ``PATH:LINE:COL: error CODE message``.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mdplan.cli.config import Config, config_for
from mdplan.model.disk import reason
from mdplan.model.errors import UnusableInput, printable

if TYPE_CHECKING:
    from mdplan.analyze import Analysis
    from mdplan.model import Diagnostic

OK, FINDINGS, UNUSABLE = 0, 1, 2
INTERRUPTED = 130  # 128 + SIGINT, as shells report it
if TYPE_CHECKING:
    _Commands = argparse._SubParsersAction[argparse.ArgumentParser]
DEBUG_ENV = "MDPLAN_DEBUG"
STDOUT = "-"
OUTPUT_IS_INPUT = "MP011"
LINK_OUT = "MP019"  # a file found in a folder is a link to a file outside it: skipped
ONE_GRAPH_FORMATS = ("mermaid", "graphml", "node-link")  # graph formats whose file holds one graph

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
        _working_folder_exists()
        return command(args)
    except UnusableInput as error:
        say(error.format())
        return UNUSABLE
    except BrokenPipeError:
        return OK
    except KeyboardInterrupt:
        say("mdplan: interrupted")
        return INTERRUPTED
    except Exception as error:  # a bug must still end in one clear line, not a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        say(f"mdplan: internal error: {type(error).__name__}: {error} (set {DEBUG_ENV}=1 for details)")
        return UNUSABLE


def say(line: str) -> None:
    """One line to standard error, whatever its encoding (what it cannot show is escaped)."""
    stream = sys.stderr
    if stream is None or stream.closed:
        return
    encoding = stream.encoding or "utf-8"
    stream.write(line.encode(encoding, "backslashreplace").decode(encoding) + "\n")
    stream.flush()


def _working_folder_exists() -> None:
    try:
        Path.cwd()
    except FileNotFoundError:
        message = "the working folder no longer exists (it was removed); change to a folder that exists"
        raise UnusableInput(".", "MP001", message) from None


# --- commands ----------------------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    if len(args.inputs) == 1 and args.out_dir is None and not _is_dir(args.inputs[0]):
        if args.output != STDOUT:
            _refuse_output_of_inputs(args.output, args.inputs, check=args.check)
        text, status = _report_text(args, args.inputs[0])
        return max(status, _deliver(text, args.output, check=args.check))
    if args.out_dir is None:
        raise UnusableInput(args.inputs[0], "MP006", "several inputs or a folder need --out-dir DIR")
    status = OK
    for path, explicit, target in _report_targets(args):
        try:
            text, found = _report_text(args, path)
        except UnusableInput as error:
            if explicit or error.code != "MP002":
                say(error.format())
                status = UNUSABLE
            continue
        status = max(status, found, _deliver_under(text, target, check=args.check))
    return status


def _report_targets(args: argparse.Namespace) -> list[tuple[str, bool, Path]]:
    """Each input with the file its report goes to, checked before anything is read: no two
    inputs share a report, and no report replaces an input of the run (MP011)."""
    out_dir = Path(args.out_dir)
    if out_dir.exists() and not _is_dir(args.out_dir):
        raise UnusableInput(args.out_dir, "MP005", "--out-dir names a file; it must be a folder (or not exist yet)")
    suffix = ".json" if args.format == "json" else ".md"
    found = list(_inputs_under(args.inputs))
    inputs = _identities(path for path, _, _ in found) if not args.check else {}
    jobs: dict[Path, tuple[str, bool, Path]] = {}
    for path, explicit, relative in found:
        target = Path(os.path.normpath(out_dir / Path(relative).with_suffix(suffix)))
        if target in jobs:
            _refuse_shared_target(jobs[target][0], path, target)
            continue
        _refuse_replacing_input(str(target), inputs.get(_identity(str(target))))
        jobs[target] = (path, explicit, target)
    return list(jobs.values())


def _refuse_shared_target(first: str, second: str, target: Path) -> None:
    if _identity(first) is not None and _identity(first) == _identity(second):
        return  # one file named twice: one report
    message = f"two inputs, {printable(first)} and {printable(second)}, would write one report; name them apart"
    raise UnusableInput(str(target), OUTPUT_IS_INPUT, message)


def _refuse_output_of_inputs(output: str, inputs: Sequence[str], *, check: bool) -> None:
    """OUT must be a regular file (or nothing yet), and never an input of the run."""
    from mdplan.rewrite.output import refuse_unwritable

    refuse_unwritable(output)
    if not check:
        _refuse_replacing_input(output, _identities(inputs).get(_identity(output)))


def _refuse_replacing_input(output: str, input_: str | None) -> None:
    if input_ is not None:
        from mdplan.parse.document import display_name

        message = f"is an input of this run ({display_name(input_)}); a report never replaces its plan"
        raise UnusableInput(output, OUTPUT_IS_INPUT, message)


def _identities(paths: Iterable[str]) -> dict[tuple[int, int] | None, str]:
    """The files among ``paths`` by (device, inode); links and other names of one file meet."""
    return {identity: path for path in paths if (identity := _identity(path)) is not None}


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of the file ``path`` names (``-``: standard input's, when it is a file)."""
    try:
        status = os.fstat(sys.stdin.fileno()) if path == "-" else Path(path).stat()
    except (OSError, ValueError, AttributeError):
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else None


def _is_dir(path: str) -> bool:
    try:
        return path != "-" and Path(path).is_dir()
    except OSError:  # too long, a loop: reading it says so
        return False


def _report_text(args: argparse.Namespace, path: str) -> tuple[str, int]:
    """The report, and FINDINGS when its diagnostics hold an error (as ``check`` exits)."""
    text = _read(path)
    settings = _settings(path)
    analysis = _analysis(path, args.estimate or settings.estimate, text)
    found = FINDINGS if any(d.severity == "error" for d in analysis.all_diagnostics) else OK
    if args.format == "json":
        from mdplan.render.model_json import dumps, model_json

        return dumps(model_json(analysis, full=True)), found
    from mdplan.render import render_report

    return render_report(analysis, _template_dir(args.template_dir) or settings.template_dir), found


def _fmt(args: argparse.Namespace) -> int:
    from mdplan.parse.document import display_name
    from mdplan.rewrite.fmt import format_text

    return _rewrite(args, lambda text, path: format_text(text, display_name(path)))


def _sync(args: argparse.Namespace) -> int:
    from mdplan.parse.document import display_name
    from mdplan.rewrite.sync import sync_text

    def refreshed(text: str, path: str) -> str:
        settings = _settings(path)
        template_dir = _template_dir(args.template_dir) or settings.template_dir
        return sync_text(text, display_name(path), template_dir, args.estimate or settings.estimate)  # type: ignore[arg-type]

    return _rewrite(args, refreshed)


def _rewrite(args: argparse.Namespace, change: Callable[[str, str], str]) -> int:
    """Rewrite each input in place (``-``: stdin to stdout); ``--check`` prints diffs instead.
    ``change(text, path)`` gives the new text."""
    status = OK
    for path, _, _ in _inputs_under(args.inputs):
        status = max(status, _rewrite_one(path, change, check=args.check))
    return status


def _rewrite_one(path: str, change: Callable[[str, str], str], *, check: bool) -> int:
    from mdplan.parse.document import display_name, read_for_rewrite
    from mdplan.rewrite.fmt import REFUSED
    from mdplan.rewrite.output import unified_diff, write_bytes

    name = display_name(path)
    try:
        bom, text, snapshot = read_for_rewrite(path)
        new = change(text, path)
        if check:
            if new == text:
                return OK
            _emit(unified_diff(text, new, name))
            return FINDINGS
        if path == "-" or new != text:
            write_bytes(STDOUT if path == "-" else path, (bom + new).encode("utf-8"), snapshot)
    except UnusableInput as error:
        say(error.format())
        return FINDINGS if error.code == REFUSED else UNUSABLE
    return OK


def _graph(args: argparse.Namespace) -> int:
    text = _read(args.input)
    analysis = _analysis(args.input, args.estimate or _settings(args.input).estimate, text)
    names = [s.scenario.name for s in analysis.schedules]
    if args.scenario and args.scenario not in names:
        raise UnusableInput(
            analysis.plan.source, "MP003", f"no scenario {args.scenario!r}; the plan has {', '.join(names)}"
        )
    if args.format in ONE_GRAPH_FORMATS and not args.scenario and len(names) > 1:
        raise UnusableInput(
            analysis.plan.source,
            "MP003",
            f"{args.format} holds one graph: choose one with --scenario ({', '.join(names)})",
        )
    _emit(_graph_text(analysis, args.format, args.scenario))
    return OK


def _check(args: argparse.Namespace) -> int:
    """Diagnostics per file, each file's together and by line; files with errors come first,
    then those with warnings (in the order given, within each)."""
    status = OK
    found: list[tuple[str, tuple[Diagnostic, ...]]] = []
    for path, explicit in _inputs(args.inputs):
        try:
            text = _read(path)
            settings = _settings(path)
            analysis = _analysis(path, settings.estimate, text, full=False)
        except UnusableInput as error:
            if explicit or error.code != "MP002":
                say(error.format())
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
        _emit("".join(d.format() + "\n" for _, diagnostics in found for d in diagnostics))
        return
    from mdplan.render.model_json import diagnostic_json, dumps

    files = [
        {"source": source, "diagnostics": [diagnostic_json(d) for d in diagnostics]} for source, diagnostics in found
    ]
    _emit(dumps({"version": 1, "files": files}))


# --- helpers -----------------------------------------------------------------------------


def _settings(path: str) -> Config:
    """The configuration for ``path``; files ignored on the way are warnings on stderr."""
    settings = config_for(path)
    for line in settings.warnings:
        say(line)
    return settings


def _read(path: str) -> str:
    from mdplan.parse.document import read_text

    return read_text(path)


def _analysis(path: str, estimate: str, text: str, *, full: bool = True) -> Analysis:
    """The analysis of ``text``, read from ``path`` (read before its configuration is looked
    up, so a path that cannot be read is one clear line)."""
    from mdplan.parse.document import display_name, parse

    plan = parse(text, display_name(path), estimate)  # type: ignore[arg-type]
    from mdplan.analyze import analyze

    return analyze(plan, full=full)


def _template_dir(value: str | None) -> Path | None:
    if value is None:
        return None
    folder = Path(value)
    if not folder.is_dir():
        raise UnusableInput(value, "MP004", "template directory does not exist")
    return folder


def _deliver(text: str, output: str, *, check: bool) -> int:
    from mdplan.rewrite.output import current_text, unified_diff, write_text

    if not check:
        write_text(output, text)
        return OK
    if output == STDOUT:
        raise UnusableInput("-", "MP006", "--check needs -o OUT: the file to compare with")
    existing = current_text(output)
    if existing == text:
        return OK
    _emit(unified_diff(existing or "", text, output))
    return FINDINGS


def _deliver_under(text: str, target: Path, *, check: bool) -> int:
    """One report of several, into its folder under ``--out-dir`` (made as needed)."""
    from mdplan.rewrite.output import refuse_unwritable

    try:
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
        refuse_unwritable(str(target))
        return _deliver(text, str(target), check=check)
    except UnusableInput as error:
        say(error.format())
    except OSError as error:
        say(UnusableInput(str(target.parent), "MP005", f"cannot make the folder: {reason(error)}").format())
    return UNUSABLE


def _emit(text: str) -> None:
    from mdplan.rewrite.output import emit

    if text:
        emit(text)


def _graph_text(analysis: Analysis, form: str, scenario: str | None) -> str:
    from mdplan.render import ascii, dot, mermaid
    from mdplan.render.model_json import dumps, model_json

    if form == "json":
        return dumps(model_json(analysis, scenario=scenario))
    if form in ("graphml", "node-link"):
        return _networkx_text(analysis, form, scenario)
    phases = analysis.plan.phases
    chosen = [s for s in analysis.schedules if scenario in (None, s.scenario.name)]
    if form == "ascii":
        return ascii.draw_scenarios(chosen, phases) + "\n"
    if form == "mermaid":  # one scenario: _graph refuses several
        return "\n\n".join(f"%% {s.scenario.name}\n{mermaid.flowchart(s, phases)}" for s in chosen) + "\n"
    return "\n\n".join(dot.digraph(s, phases) for s in chosen) + "\n"


def _networkx_text(analysis: Analysis, form: str, scenario: str | None) -> str:
    """One scenario's DiGraph through networkx's own writers: these formats hold one graph."""
    import io
    import json

    import networkx as nx

    from mdplan.analyze.graph import exported

    names = [s.scenario.name for s in analysis.schedules]  # one, or a scenario named: _graph refuses several
    graph = analysis.graph(scenario or names[0])
    if graph is None:
        raise UnusableInput(analysis.plan.source, "MP003", "the plan has no scenario to write")
    if form == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(exported(graph), buffer, encoding="utf-8")
        return buffer.getvalue().decode("utf-8").rstrip("\n") + "\n"
    data = nx.node_link_data(graph, edges="edges")
    for node in data["nodes"]:
        node["files"] = list(node["files"])
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _inputs_under(values: Sequence[str]) -> Iterator[tuple[str, bool, str]]:
    """Like ``_inputs``, with each file's path relative to the folder it was found in. A link
    found in a folder that leads out of it is skipped with a warning (MP019): a cloned
    repository's ``notes.md -> ~/.bashrc`` must not have ``fmt docs`` rewrite the target."""
    for value in values:
        if _is_dir(value):
            folder = Path(value)
            inside = folder.resolve()
            for found in sorted(folder.rglob("*.md")):
                if not found.is_file():
                    continue
                if not found.resolve().is_relative_to(inside):
                    outside = f"skipped: a link to a file outside {printable(value)}"
                    say(f"{printable(str(found))}:1:1: warning {LINK_OUT} {outside}")
                    continue
                yield str(found), False, str(found.relative_to(folder))
        else:
            yield value, True, Path(value).name if value != "-" else "stdin.md"


def _inputs(values: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Files named, and ``*.md`` files under folders named (those may hold no plan)."""
    for path, explicit, _ in _inputs_under(values):
        yield path, explicit


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
        "Print the plan mdplan read: phases, dependencies and durations per scenario.\n"
        "A plan can hold several scenarios (current: the plan as written; optimized: the plan\n"
        "it proposes). Every format prints each scenario it is given as a whole of its own:\n"
        "  json       one model holding every scenario\n"
        "  ascii      each scenario under a line that names it: NAME: TITLE (line N)\n"
        "  dot        one digraph per scenario, named after it (Graphviz reads them in turn)\n"
        "  mermaid    one flowchart; graphml, node-link: one graph (networkx's writers).\n"
        "             A file of these holds one graph: a plan of several scenarios needs\n"
        "             --scenario NAME (MP003 without it)",
    )
    parser.add_argument("input", metavar="INPUT", help="the plan (Markdown); - reads standard input")
    parser.add_argument(
        "--scenario",
        metavar="NAME",
        help="only this scenario (current, optimized); mermaid, graphml and node-link need one when there are several",
    )
    parser.add_argument(
        "--format",
        choices=("json", "mermaid", "dot", "ascii", "graphml", "node-link"),
        default="json",
        help="output format (default: json); graphml and node-link are networkx's writers, one scenario each",
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
