"""Mermaid in a real browser: headless Chromium driven by ``tests/mermaid/browser.mjs``.

The Node packages come from ``tests/mermaid/package-lock.json`` (``npm ci``, run once, under a
lock so parallel test workers never install at the same time); the browser is the system's
Chromium (``MDPLAN_CHROMIUM``, else ``chromium``, ``chromium-browser`` or ``google-chrome`` on
the PATH), so nothing is downloaded.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mdplan
from mdplan.render import render_report

MERMAID_DIR = Path(__file__).resolve().parent / "mermaid"
MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)\n```$", re.DOTALL | re.MULTILINE)
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
LOCKED_PACKAGES = ("mermaid", "jsdom", "puppeteer-core")


def chromium() -> str | None:
    """The Chromium to drive, or None when there is none."""
    chosen = os.environ.get("MDPLAN_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def missing_tools() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (shutil.which("node") and shutil.which("npm")):
        return "Node.js and npm are not here (apt-get install nodejs npm)"
    if chromium() is None:
        return "Chromium is not here (apt-get install chromium, or set MDPLAN_CHROMIUM)"
    return None


def install_node_packages() -> None:
    """``npm ci`` in ``tests/mermaid`` unless every locked package is there already."""
    npm = shutil.which("npm")
    assert npm is not None
    with (MERMAID_DIR / "package-lock.json").open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not all((MERMAID_DIR / "node_modules" / name).is_dir() for name in LOCKED_PACKAGES):
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=MERMAID_DIR, check=True, capture_output=True)


def report_blocks(path: Path) -> list[str]:
    """The Mermaid blocks of the report mdplan writes for the plan at ``path``."""
    plan = mdplan.parse(path.read_text(encoding="utf-8"), path.name)
    return MERMAID_BLOCK.findall(render_report(mdplan.analyze(plan)))


@dataclass(frozen=True, slots=True)
class BrowserRequest:
    """What to render (``browser.mjs`` reads it as JSON)."""

    timezones: tuple[str, ...] = ("UTC",)
    blocks: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    screenshots: tuple[tuple[int, Path], ...] = ()  # (block index, PNG path)

    def to_json(self, browser: str) -> str:
        shots = [{"block": index, "path": str(path)} for index, path in self.screenshots]
        request = {"chromium": browser, "timezones": self.timezones, "blocks": self.blocks, "pages": self.pages}
        return json.dumps({**request, "screenshots": shots})


def render(request: BrowserRequest, timeout: float = 300) -> dict[str, Any]:
    """Runs one browser for the whole request; what each diagram shows, per time zone."""
    install_node_packages()
    node, browser = shutil.which("node"), chromium()
    assert node is not None and browser is not None
    result = subprocess.run(
        [node, str(MERMAID_DIR / "browser.mjs")],
        input=request.to_json(browser),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"browser.mjs failed ({result.returncode}): {result.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer
