"""MkDocs plugin: plan pages become reports at build time (``plugins: [search, mdplan]``).

A page is a plan page when its front matter says ``mdplan: report`` (the page is followed by
the full report) or when it holds ``<!-- mdplan:begin KIND -->`` … ``<!-- mdplan:end -->``
regions (they are refreshed from the plan the rest of the page states, in the built site only:
the source file is never written). A page whose markers all sit inside code (fenced or inline,
as in a page documenting them) is left alone; once a page has a live marker, ``sync_text``
refreshes every marker on it, shown-in-code ones included.
The report is nested under one heading of the page: after an HTML comment that marks where
mdplan's part starts (``<!-- mdplan:report -->``), on a page with its own H1 every heading of
the report moves one level down (its title becomes an H2, its sections H3), so the report's
sections sit under its title in the page's table of contents, not beside the page's own.
What mdplan generates is Markdown for CommonMark, where a backslash escapes any ASCII
punctuation; Python-Markdown, which MkDocs uses, reads only some of these escapes, so it would
show ``\\<40 minutes`` with its backslash and build ``\\<img …>`` from a label into a live tag.
So in the report and in each refreshed region every other escape (outside code) becomes a
character reference (``\\<`` becomes ``&lt;``): the same text in both, and text from the page
never becomes HTML (``html_safe``).
Input mdplan cannot use is a warning naming the page, its line and the MP code, never a
traceback; the page is then built as written (``mkdocs build --strict`` fails on it).

Options, under ``- mdplan:`` in ``mkdocs.yml``: ``template_dir`` (templates overriding the
bundled ones by name, relative to ``mkdocs.yml``) and ``estimate`` (``low``, ``mid`` or
``high``: which end of a duration range a schedule uses).

This module itself imports only MkDocs and the standard library at load time; the parser,
analysis and renderer are imported inside the hook (``mdplan/__init__.py`` still loads the
analysis when MkDocs imports ``mdplan.cli.mkdocs_plugin``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin, get_plugin_logger

from mdplan.model import patterns

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it.token import Token
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from mdplan.parse.merge import Estimate

log = get_plugin_logger("mdplan")  # the logger "mkdocs.plugins.mdplan", messages prefixed "mdplan: "

META_KEY = "mdplan"
META_REPORT = "report"
_MARKER = patterns.compile(r"<!--\s*mdplan:begin\b")
REPORT_MARKER = "<!-- mdplan:report -->"
REPORT_HEADING = "mdplan report"  # the heading a report gets when its template writes no title
_ESCAPE = patterns.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation (CommonMark)
_PYTHON_MARKDOWN_ESCAPES = frozenset("\\`*_{}[]()>#+-.!")  # the escapes Python-Markdown reads
_REFERENCES = {"<": "&lt;", "&": "&amp;"}


class MdplanConfig(base.Config):  # type: ignore[no-untyped-call]  # MkDocs leaves __init_subclass__ untyped
    """The plugin's options in ``mkdocs.yml``."""

    template_dir = c.Optional(c.Dir(exists=True))
    estimate = c.Choice(("low", "mid", "high"), default="mid")


class MdplanPlugin(BasePlugin[MdplanConfig]):  # type: ignore[no-untyped-call]  # as above
    """Renders mdplan reports and refreshes mdplan regions in the pages of an MkDocs site."""

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        wants_report = self._wants_report(page)
        has_regions = has_live_markers(markdown)
        if not wants_report and not has_regions:
            return markdown
        from mdplan.model.errors import UnusableInput

        source = page.file.src_path
        try:
            text = self._sync(markdown, source) if has_regions else markdown
            return self._append_report(text, source) if wants_report else text
        except UnusableInput as error:
            error.line += front_matter_lines(page, markdown)
            log.warning("%s (page built as written)", error.format())
            return markdown

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., object]
    ) -> LiveReloadServer | None:
        if self.config.template_dir:
            server.watch(self.config.template_dir)
        return server

    @property
    def _template_dir(self) -> Path | None:
        return Path(self.config.template_dir) if self.config.template_dir else None

    @property
    def _estimate(self) -> Estimate:
        return cast("Estimate", self.config.estimate)

    def _wants_report(self, page: Page) -> bool:
        value = page.meta.get(META_KEY)
        if value is None:
            return False
        if value == META_REPORT:
            return True
        log.warning(
            "%s: front matter %s: %r is not understood; the one value is %r",
            page.file.src_path,
            META_KEY,
            value,
            META_REPORT,
        )
        return False

    def _sync(self, markdown: str, source: str) -> str:
        from mdplan.parse.regions import find_regions
        from mdplan.rewrite.sync import sync_text

        synced = sync_text(markdown, source, self._template_dir, self._estimate)
        parts: list[str] = []
        position = 0
        for region in find_regions(synced, source):
            parts += [synced[position : region.body_start], html_safe(synced[region.body_start : region.body_end])]
            position = region.body_end
        return "".join(parts) + synced[position:]

    def _append_report(self, markdown: str, source: str) -> str:
        from mdplan.analyze import analyze
        from mdplan.parse.document import parse
        from mdplan.render import render_report

        report = render_report(analyze(parse(markdown, source, self._estimate)), self._template_dir)
        if has_h1(markdown):  # the page keeps its own title; the report's becomes a section of it
            report = headings_down(report)
        page = markdown.rstrip("\n")
        return f"{page}\n\n{REPORT_MARKER}\n\n{html_safe(report)}"


def html_safe(markdown: str) -> str:
    """``markdown`` with each backslash escape Python-Markdown does not read, outside code,
    written as a character reference (``\\<`` as ``&lt;``, ``\\~`` as ``&#126;``): the same
    text in CommonMark, and neither a backslash shown nor a tag built in Python-Markdown."""
    from mdplan.parse.regions import code_blanked

    blanked = code_blanked(markdown)
    parts: list[str] = []
    position = 0
    for escape in _ESCAPE.finditer(blanked):
        char = escape.group(1)
        if char not in _PYTHON_MARKDOWN_ESCAPES:
            parts += [markdown[position : escape.start()], _REFERENCES.get(char, f"&#{ord(char)};")]
            position = escape.end()
    return "".join(parts) + markdown[position:]


def headings_down(report: str) -> str:
    """``report`` with every heading one level down (H6 stays), under an H2 of its own: its
    title, or ``REPORT_HEADING`` when it starts with no H1."""
    lines = report.split("\n")
    tokens = _tokens(report)
    for token in tokens:
        if token.type == "heading_open" and token.map and token.tag != "h6" and token.markup.startswith("#"):
            line = lines[token.map[0]]
            lines[token.map[0]] = line.replace("#", "##", 1)
    lowered = "\n".join(lines)
    starts_with_title = bool(tokens) and tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    return lowered if starts_with_title else f"## {REPORT_HEADING}\n\n{lowered}"


def has_live_markers(markdown: str) -> bool:
    """Whether the page holds an ``mdplan:begin`` marker as HTML, not only shown inside code."""
    if not _MARKER.search(markdown):
        return False
    for token in _tokens(markdown):
        if token.type == "html_block" and _MARKER.search(token.content):
            return True
        if token.type == "inline" and any(
            child.type == "html_inline" and _MARKER.search(child.content) for child in token.children or []
        ):
            return True
    return False


def has_h1(markdown: str) -> bool:
    return any(token.type == "heading_open" and token.tag == "h1" for token in _tokens(markdown))


def _tokens(markdown: str) -> list[Token]:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").parse(markdown)


def front_matter_lines(page: Page, markdown: str) -> int:
    """How many lines of the source file precede ``markdown`` (its front matter), so that line
    numbers in warnings point into the file; 0 when that cannot be told."""
    try:
        original = page.file.content_string
    except (OSError, ValueError):
        return 0
    if not markdown or not original.endswith(markdown):
        return 0
    return original[: len(original) - len(markdown)].count("\n")


__all__ = ["MdplanConfig", "MdplanPlugin"]
