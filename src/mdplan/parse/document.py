"""Reading a plan: bytes -> text -> facts -> plan, with unusable input raised clearly."""

from __future__ import annotations

import sys

from mdplan.model import Fact, Plan
from mdplan.model.disk import Snapshot, read_regular, reason
from mdplan.model.errors import UnusableInput, printable
from mdplan.parse import ids, read_document
from mdplan.parse.merge import Estimate, merge, orders_or_times

# how every report mdplan writes begins (``mdplan.parse.report`` reads it back; it loads only then)
REPORT_TITLE = "# Parallelization Report: "
REPORT_SUMMARY = "\n## Executive Summary\n\nmdplan read "

STDIN = "-"
NOT_A_PLAN = "MP002"
TOO_LARGE = "MP010"
MAX_INPUT_BYTES = 8 * 2**20  # what is read at all (fmt and sync refuse past their work earlier)
# What ``check`` and ``report`` read in about ten seconds on an idle 2-core machine (measured by
# ``benchmarks/limits.py``): every line costs a block's recognizers, every character their
# patterns, every phase and edge the merge, the schedule and the report. Checked before that work.
MAX_LINES = 50_000  # 8,000 phases written as headings with two fields each are 32,000 lines
MAX_CHARACTERS = 1_000_000  # the same plan is 830,000 characters; drawings trace slower
MAX_PHASES = 8_000  # a report of 8,000 phases takes about 15 s (the spec's budgets are measured there)
MAX_CLAIMS = 10_000  # each audited and listed by the report: plans hold tens, hostile text tens of thousands
MAX_EDGES = 2 * MAX_PHASES  # two a phase: a report of a complete graph of 180 phases (16,110) takes about 8 s


def parse(text: str, source: str = "<text>", estimate: Estimate = "mid", *, bounded: bool = True) -> Plan:
    """The plan a Markdown document states. Raises :class:`UnusableInput` when it is not a plan
    (no unit, or units that nothing orders or times: ``merge.orders_or_times``) or too large.
    ``bounded=False``: the caller bounded the work before (``fmt`` and ``sync``: their ``Work``),
    so the reading limits of lines and characters are not checked again.

    A report mdplan wrote is a plan by construction: it is read back as one."""
    if bounded:
        _refuse_past_reading_limits(text, source)
    if is_report(text):
        from mdplan.parse.report import read_report

        plan = read_report(text, source, estimate)
    else:
        if "mdplan:" in text:  # generated regions are output, not plan
            from mdplan.parse.regions import find_regions, without_regions

            text = without_regions(text, find_regions(text, source))
        title, facts = _read_within_limits(text, source)
        plan = merge(facts, source, title, estimate)
        if plan.phases and not orders_or_times(facts):
            units = f"{len(plan.phases):,} unit{'s' if len(plan.phases) != 1 else ''}"
            raise UnusableInput(source, NOT_A_PLAN, f"not a plan: {units} named but no dependency and no duration")
    if not plan.phases:
        raise UnusableInput(source, NOT_A_PLAN, "not a plan: no phase found")
    if len(plan.phases) > MAX_PHASES:
        message = f"too large: {len(plan.phases):,} phases; mdplan analyzes plans of up to {MAX_PHASES:,}"
        raise UnusableInput(source, TOO_LARGE, message)
    if len(plan.claims) > MAX_CLAIMS:
        message = f"too large: {len(plan.claims):,} numeric claims; mdplan audits plans of up to {MAX_CLAIMS:,}"
        raise UnusableInput(source, TOO_LARGE, message)
    edges = max(len(s.edges) for s in plan.scenarios) if plan.scenarios else 0
    if edges > MAX_EDGES:
        message = f"too large: {edges:,} dependencies in one plan; mdplan analyzes plans of up to {MAX_EDGES:,}"
        raise UnusableInput(source, TOO_LARGE, message)
    return plan


def _read_within_limits(text: str, source: str) -> tuple[str | None, list[Fact]]:
    try:
        return read_document(text)
    except ids.TooManyRangeIds:
        message = (
            f'too large: ranges such as "Phases 1-200" name more than {ids.MAX_RANGE_IDS:,} phases in all; '
            f"mdplan reads up to {ids.MAX_RANGE_IDS:,}"
        )
        raise UnusableInput(source, TOO_LARGE, message) from None


def line_count(text: str) -> int:
    """Lines as the Markdown parser splits them (LF, CRLF or a lone CR ends a line)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def _refuse_past_reading_limits(text: str, source: str) -> None:
    """MP010 before any block is read: past these, reading alone takes more than seconds."""
    lines = line_count(text)
    if lines > MAX_LINES:
        message = f"too large: {lines:,} lines; mdplan reads plans of up to {MAX_LINES:,} lines"
        raise UnusableInput(source, TOO_LARGE, message)
    if len(text) > MAX_CHARACTERS:
        message = f"too large: {len(text):,} characters; mdplan reads plans of up to {MAX_CHARACTERS:,}"
        raise UnusableInput(source, TOO_LARGE, message)


def is_report(text: str) -> bool:
    """Whether ``text`` is a report mdplan wrote (its own title and summary, as anyone sees them)."""
    return text.startswith(REPORT_TITLE) and REPORT_SUMMARY in text


def parse_file(path: str, estimate: Estimate = "mid") -> Plan:
    """Read ``path`` (``-`` for standard input) as a plan."""
    return parse(read_text(path), display_name(path), estimate)


def read_bytes_keeping_bom(path: str) -> tuple[str, str]:
    """(the BOM or "", the text after it), line endings as written, for rewriting in place."""
    bom, text, _ = read_for_rewrite(path)
    return bom, text


def read_for_rewrite(path: str) -> tuple[str, str, Snapshot | None]:
    """(the BOM or "", the text after it, what the file was when read: None for stdin)."""
    data, snapshot = read_input(path)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    return bom, decode(data, display_name(path), snapshot), snapshot


def display_name(path: str) -> str:
    """The name diagnostics print: ``<stdin>`` for ``-``, control characters escaped."""
    return "<stdin>" if path == STDIN else printable(path)


def read_text(path: str) -> str:
    """The file as text: UTF-8 (a leading BOM dropped), or a clear :class:`UnusableInput`."""
    data, snapshot = read_input(path)
    return decode(data, display_name(path), snapshot)


def read_input(path: str) -> tuple[bytes, Snapshot | None]:
    """At most the limit + 1 bytes of ``path`` (``-``: standard input) and, for a file, its
    snapshot. A FIFO, a device, a socket or a folder is refused before anything is read."""
    name = display_name(path)
    if path == STDIN:
        return _read_stdin(), None
    try:
        return read_regular(path, MAX_INPUT_BYTES)
    except OSError as error:
        raise UnusableInput(name, "MP001", f"cannot read: {reason(error)}") from None


def _read_stdin() -> bytes:
    stream = sys.stdin
    if stream is None or stream.closed:
        raise UnusableInput(display_name(STDIN), "MP001", "cannot read: standard input is closed")
    try:
        return stream.buffer.read(MAX_INPUT_BYTES + 1)
    except (OSError, ValueError) as error:
        raise UnusableInput(display_name(STDIN), "MP001", f"cannot read standard input: {error}") from None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of its ASCII text is NUL."""
    sample = data[:512]
    return len(sample) >= 8 and (
        sample[1::2].count(0) > 0.9 * len(sample[1::2]) or sample[0::2].count(0) > 0.9 * len(sample[0::2])
    )


def decode(data: bytes, name: str, snapshot: Snapshot | None = None) -> str:
    if len(data) > MAX_INPUT_BYTES:
        size = f"{snapshot.size:,} bytes" if snapshot and snapshot.size > MAX_INPUT_BYTES else "more than that"
        message = f"too large: {size}; mdplan reads files of up to {MAX_INPUT_BYTES:,} bytes (8 MiB)"
        raise UnusableInput(name, TOO_LARGE, message)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise UnusableInput(name, "MP001", "not UTF-8: the file is UTF-16; save it as UTF-8")
    if b"\x00" in data:
        raise UnusableInput(name, "MP001", "not text: the file contains NUL bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnusableInput(name, "MP001", f"not UTF-8: invalid byte at offset {error.start}", line) from None
