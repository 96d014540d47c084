"""Pictures of the reference report's Mermaid diagrams, drawn the way the tests draw them: the
locked ``mermaid`` package in headless Chromium (``tests/browser.py``). Run by hand::

    PYTHONPATH=src python docs/screenshots.py             # docs/images/reference-gantt.png
    PYTHONPATH=src python docs/screenshots.py --all DIR   # every diagram of the report, in DIR

The README shows ``docs/images/reference-gantt.png``: the current plan's gantt, whose critical
path (Phase 1 → 2 → 3 → 4, 38 minutes) runs bar after bar.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import BrowserRequest, missing_tools, render, report_blocks  # noqa: E402  # after the path
from tests.helpers import REFERENCE  # noqa: E402

GANTT = ROOT / "docs" / "images" / "reference-gantt.png"


def shots(blocks: list[str], every_into: Path | None) -> tuple[tuple[int, Path], ...]:
    """(block, PNG) pairs: every block into ``every_into``, else the first gantt into ``GANTT``."""
    if every_into is None:
        first_gantt = next(index for index, block in enumerate(blocks) if block.startswith("gantt"))
        return ((first_gantt, GANTT),)
    every_into.mkdir(parents=True, exist_ok=True)
    kinds = [block.split(maxsplit=1)[0] for block in blocks]
    return tuple((index, every_into / f"reference-{index}-{kind}.png") for index, kind in enumerate(kinds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--all", type=Path, metavar="DIR", help="write every diagram of the report into DIR")
    args = parser.parse_args(argv)
    reason = missing_tools()
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 2
    blocks = report_blocks(REFERENCE)
    wanted = shots(blocks, args.all)
    render(BrowserRequest(blocks=tuple(blocks), screenshots=wanted))
    for _, path in wanted:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
