"""The README's MkDocs setup, exactly as the README writes it: ``mkdocs build --strict``, then the
built site served on 127.0.0.1 and opened in headless Chromium (``tests/browser.py``; the
Mermaid script the README names comes from ``tests/mermaid``'s locked package, and no other
request leaves the machine).

Every Mermaid block must become an SVG, never its source or Mermaid's error picture; the report
sits under one heading of the page; no backslash of a Markdown escape shows in the text.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser import BrowserRequest, missing_tools, render
from tests.helpers import REFERENCE, REPORT_SECTIONS, ROOT

pytest.importorskip("mkdocs")
pytest.importorskip("pymdownx")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(missing_tools() is not None, reason=missing_tools() or "")]

README_CONFIG = re.compile(r"^### MkDocs\n.*?^```yaml\n(site_name: .*?)^```$", re.DOTALL | re.MULTILINE)
SYNCED = """\
# Release plan

## Phase 1: Build (10 min)

## Phase 2: Ship (5 min)

- Depends on: Phase 1

Total: <20 minutes.

<!-- mdplan:begin graph -->
<!-- mdplan:end -->

<!-- mdplan:begin gantt -->
<!-- mdplan:end -->

<!-- mdplan:begin claims -->
<!-- mdplan:end -->
"""
PAGES = {
    "index.md": "---\nmdplan: report\n---\n\n" + REFERENCE.read_text(encoding="utf-8"),
    "synced.md": SYNCED,
}
HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.DOTALL)
SHOWN_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
MARKER = "<!-- mdplan:report -->"
THEME_CDN = "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/"  # the mkdocs theme's, refused offline
THEME_ERRORS = {"Failed to load resource: net::ERR_FAILED", "ReferenceError: hljs is not defined"}


def readme_config() -> str:
    found = README_CONFIG.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found is not None, "the README's MkDocs section holds a whole mkdocs.yml (```yaml, site_name: …)"
    return found.group(1)


class VisibleText(HTMLParser):
    """The text of a page outside code, scripts, styles and Mermaid blocks, references decoded."""

    HIDDEN = frozenset({"pre", "code", "script", "style", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden: tuple[str, int] | None = None  # the tag hiding its content, and how deep

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden is not None:
            name, depth = self._hidden
            self._hidden = (name, depth + (tag == name))
        elif tag in self.HIDDEN or ("class", "mermaid") in attrs:
            self._hidden = (tag, 1)

    def handle_endtag(self, tag: str) -> None:
        if self._hidden is not None and tag == self._hidden[0]:
            name, depth = self._hidden
            self._hidden = (name, depth - 1) if depth > 1 else None

    def handle_data(self, data: str) -> None:
        if self._hidden is None:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("readme-site")
    (root / "docs").mkdir()
    for name, text in PAGES.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(readme_config(), encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return root / "site"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No log line per request."""


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site over HTTP (the search plugin's worker cannot load from ``file:``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def opened(served: str) -> dict[str, dict[str, Any]]:
    """What Chromium shows of each built page, by page name."""
    urls = {"index": served, "synced": served + "synced/"}
    result = render(BrowserRequest(pages=tuple(urls.values())))
    return dict(zip(urls, result["timezones"]["UTC"]["pages"], strict=True))


def test_the_readme_config_names_the_mermaid_fence_and_script() -> None:
    config = readme_config()
    assert "pymdownx.superfences.fence_div_format" in config
    assert re.search(r"^extra_javascript:\n  - \S+/mermaid\.min\.js$", config, re.MULTILINE)


# the reference report: a flowchart and a gantt for each of its two scenarios and the recommended plan
@pytest.mark.parametrize(("page", "diagrams"), [("index", 6), ("synced", 2)])
def test_every_mermaid_block_becomes_a_diagram(opened: dict[str, dict[str, Any]], page: str, diagrams: int) -> None:
    shown = opened[page]
    assert all(url.startswith(THEME_CDN) for url in shown["refused"])
    assert set(shown["errors"]) <= THEME_ERRORS
    assert len(shown["diagrams"]) == diagrams
    for diagram in shown["diagrams"]:
        assert diagram["type"] in {"flowchart-v2", "gantt"} and not diagram["error"], diagram["text"][:300]
        if diagram["type"] == "gantt":
            assert diagram["tasks"] and diagram["ticks"][0] == "00:00"
        else:
            assert diagram["nodes"] >= 2 and diagram["edges"] >= 1


def test_the_report_sits_under_one_heading_after_the_marker(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    page, report = html.split(MARKER)
    page_headings = HEADING.findall(page)
    assert [level for level, _ in page_headings].count("1") == 1
    assert ("2", "Executive Summary") in page_headings  # the plan's own section, at the top level
    (title, *sections) = HEADING.findall(report)
    assert title == ("2", "Parallelization Report: Multipart Form Data Implementation Plan")  # the title once
    assert all(level in {"3", "4"} for level, _ in sections)
    top_sections = [text for level, text in sections if level == "3"]
    assert top_sections == [section.removeprefix("## ") for section in REPORT_SECTIONS]


@pytest.mark.parametrize("page", ["index.html", "synced/index.html"])
def test_no_escape_shows_its_backslash(site: Path, page: str) -> None:
    text = visible_text((site / page).read_text(encoding="utf-8"))
    assert "<40 min" in text or "<20 min" in text  # a claim's "\<" reached the page, as "<"
    assert SHOWN_ESCAPE.findall(text) == []


def test_visible_text_leaves_out_code_and_mermaid_blocks() -> None:
    html = '<p>a \\&lt;b</p><pre><code>\\&lt;c</code></pre><div class="mermaid"><div>\\&lt;d</div></div><p>e</p>'
    assert visible_text(html) == "a \\<be"
