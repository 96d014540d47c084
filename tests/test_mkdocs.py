"""The MkDocs plugin, through real ``mkdocs build`` runs of small sites in a temporary folder."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")

from mdplan.cli.mkdocs_plugin import REPORT_MARKER, headings_down, html_safe

PLAN = """\
## Phase 1: Build (10 min)

Compile everything.

## Phase 2: Ship (5 min)

- Depends on: Phase 1
"""

GOOD_PAGES = {
    "index.md": "# Welcome\n\nJust prose about the project, no plan here.\n",
    "report.md": "---\nmdplan: report\n---\n\n# Release plan\n\n" + PLAN,
    "synced.md": textwrap.dedent("""\
        # Synced plan

        ## Phase 1: Build (10-30 min)

        ## Phase 2: Ship (5 min)

        - Depends on: Phase 1

        <!-- mdplan:begin summary -->
        stale text the build replaces
        <!-- mdplan:end -->

        <!-- mdplan:begin checklist -->
        <!-- mdplan:end -->
        """),
    "markers-in-code.md": textwrap.dedent("""\
        # Writing regions

        Put `<!-- mdplan:begin summary -->` below a plan, for example:

        ```markdown
        <!-- mdplan:begin summary -->
        <!-- mdplan:end -->
        ```
        """),
}

BAD_PAGES = {
    "index.md": "# Welcome\n",
    "no-plan.md": "---\nmdplan: report\n---\n\n# Meeting notes\n\nNothing to schedule here.\n",
    "bad-region.md": "---\ntitle: Broken\n---\n\n# Broken\n\n<!-- mdplan:begin summary -->\n",
    "typo.md": "---\nmdplan: reprot\n---\n\n# Typo\n\n" + PLAN,
}


def make_site(root: Path, pages: dict[str, str], plugin_options: str = "") -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    plugin = f"  - mdplan:\n{plugin_options}" if plugin_options else "  - mdplan\n"
    config = root / "mkdocs.yml"
    config.write_text(f"site_name: Plans\ntheme:\n  name: mkdocs\nplugins:\n  - search\n{plugin}", encoding="utf-8")
    return config


def build(config: Path, *, strict: bool) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "-f", str(config)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def html(config: Path, page: str) -> str:
    return (config.parent / "site" / page / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("good")
    templates = root / "mdplan-templates"
    templates.mkdir()
    (templates / "checklist.md.j2").write_text("Site checklist: {{ phase_count }} phases.\n", encoding="utf-8")
    config = make_site(root, GOOD_PAGES, "      template_dir: mdplan-templates\n      estimate: high\n")
    result = build(config, strict=True)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return config


def test_the_installed_package_registers_the_plugin() -> None:
    (entry,) = entry_points(group="mkdocs.plugins", name="mdplan")
    assert entry.load().__name__ == "MdplanPlugin"


def test_front_matter_report_appends_the_full_report_under_the_page_title(good_site: Path) -> None:
    page = html(good_site, "report")
    for section in ("Executive Summary", "Critical Path Analysis", "15 min", "Compile everything."):
        assert section in page
    assert "Site checklist: 2 phases." in page  # template_dir, relative to mkdocs.yml, reaches the report
    assert page.count("<h1") == 1
    assert "Release plan</h1>" in page
    page_part, report_part = page.split(REPORT_MARKER)
    assert ">Phase 2: Ship (5 min)</h2>" in page_part
    assert re.match(r'\s*<h2 id="[^"]+">Parallelization Report: Release plan</h2>\s*<h3', report_part)
    assert '<h3 id="executive-summary">Executive Summary</h3>' in report_part


def test_regions_are_refreshed_in_the_site_but_not_in_the_source(good_site: Path) -> None:
    page = html(good_site, "synced")
    assert "Executive Summary" in page
    assert "35 min" in page  # estimate: high takes the top of "10-30 min"
    assert "Site checklist: 2 phases." in page
    assert "stale text" not in page
    source = good_site.parent / "docs" / "synced.md"
    assert source.read_text(encoding="utf-8") == GOOD_PAGES["synced.md"]


@pytest.mark.parametrize(
    ("page", "own_text"), [("", "Just prose about the project"), ("markers-in-code", "for example")]
)
def test_pages_without_a_plan_or_live_markers_are_untouched(good_site: Path, page: str, own_text: str) -> None:
    built = html(good_site, page)  # "" is the home page, site/index.html
    assert own_text in built
    assert "Executive Summary" not in built


def test_unusable_pages_warn_with_file_line_and_code_and_fail_only_strict_builds(tmp_path: Path) -> None:
    config = make_site(tmp_path, BAD_PAGES)
    relaxed = build(config, strict=False)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "Traceback" not in relaxed.stderr
    assert "mdplan: no-plan.md:" in relaxed.stderr
    assert "error MP002" in relaxed.stderr
    assert "bad-region.md:7:1: error MP007" in relaxed.stderr  # a line of the file, front matter counted
    assert "'reprot'" in relaxed.stderr
    assert "Nothing to schedule here." in html(config, "no-plan")
    assert "Executive Summary" not in html(config, "typo")

    strict = build(config, strict=True)
    assert strict.returncode != 0
    assert "MP002" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_headings_go_one_level_down_under_the_report_title() -> None:
    report = "# Report: Plan\n\n## Summary\n\n### Detail\n\n###### Deepest\n\n```\n# not a heading\n```\n"
    assert headings_down(report) == (
        "## Report: Plan\n\n### Summary\n\n#### Detail\n\n###### Deepest\n\n```\n# not a heading\n```\n"
    )


def test_a_report_without_a_title_gets_one_heading_to_sit_under() -> None:
    assert headings_down("## Summary\n\ntext\n") == "## mdplan report\n\n### Summary\n\ntext\n"


def test_html_safe_writes_the_escapes_python_markdown_does_not_read_as_references() -> None:
    import markdown
    from markdown_it import MarkdownIt

    text = "Total: \\<40 min, A \\& B, \\~x\\~, a \\| b, \\*kept\\*, \\\\\\<y `\\<z`\n"
    safe = html_safe(text)
    assert safe == "Total: &lt;40 min, A &amp; B, &#126;x&#126;, a &#124; b, \\*kept\\*, \\\\&lt;y `\\<z`\n"
    commonmark = MarkdownIt("commonmark")
    assert commonmark.render(safe) == commonmark.render(text)
    shown = markdown.markdown(safe).removeprefix("<p>Total: &lt;40 min, A &amp; B, ")
    assert shown == "&#126;x&#126;, a &#124; b, *kept*, \\&lt;y <code>\\&lt;z</code></p>"


def test_a_pipe_written_as_a_reference_stays_inside_its_table_cell() -> None:
    import markdown

    table = html_safe("| a | b |\n| - | - |\n| x \\| y | z |\n")
    assert "<td>x &#124; y</td>" in markdown.markdown(table, extensions=["tables"])
