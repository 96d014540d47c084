"""Coverage-guided fuzzing of parse, analyze, report and fmt with atheris, run by hand:

    pip install atheris
    python tests/fuzz_atheris.py -max_total_time=600 -max_len=4096 [corpus folder]

Every input must end in a result or ``UnusableInput`` (``FormatRefused`` is one), the report
must be mdformat-stable and fmt a fixed point; anything else is a crash, which libFuzzer saves
as ``crash-*``. Each crash found becomes a case in ``tests/test_hostile_inputs.py`` or
``tests/test_fuzz.py``. The bounded hypothesis fuzz in ``tests/test_fuzz.py`` is what CI runs.
"""

from __future__ import annotations

import contextlib
import sys

import atheris
import mdformat

with atheris.instrument_imports():
    import mdplan
    from mdplan.model.errors import UnusableInput
    from mdplan.rewrite.fmt import format_text


def one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    with contextlib.suppress(UnusableInput):
        report = mdplan.render_report(mdplan.analyze(mdplan.parse(text, "fuzz.md")))
        if mdformat.text(report, extensions={"gfm"}) != report:
            raise AssertionError("the report is not mdformat-stable")
    try:
        formatted = format_text(text, "fuzz.md")
    except UnusableInput:
        return
    if format_text(formatted, "fuzz.md") != formatted:
        raise AssertionError("fmt is not a fixed point")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
