"""Files a phase touches: fields, task lines, tree listings, commented paths, file tables.

- fields under a phase: ``Location: `path```, ``Affected File: `path```, ``Files: …``;
- paths in a phase's own label: ``Phase 2: Write to types.rs``;
- tree listings in code blocks, entries with a phase note: ``│ ├── types.rs (modified Phase 2)``;
- commented paths in code: ``// src/examples.rs (Phase 5)``;
- tables with a Module/File column beside a Phase column (read in ``tables``).
"""

from __future__ import annotations

import re

from mdplan.model import Fact, FileTouched, Pos, patterns
from mdplan.parse.blocks import Block, Line
from mdplan.parse.refs import ids_in, parse_label, strip_markup

_EXTENSIONS = (
    "rs|py|pyi|ts|tsx|js|jsx|mjs|cjs|go|java|kt|kts|rb|md|mdx|json|jsonc|yaml|yml|toml|sql|sh|bash"
    "|c|h|cc|cpp|hpp|cs|swift|m|mm|css|scss|sass|less|html|htm|vue|svelte|php|ex|exs|erl|hs|ml"
    "|txt|lock|cfg|ini|env|proto|graphql|gql|tf|xml|gradle|dart|lua|r|scala|clj|zig|nim|ps1|bat"
)
_BARE_PATH = patterns.compile(rf"(?<![\w/.@-])((?:[\w.-]+/)*[\w-][\w.-]*\.(?:{_EXTENSIONS}))(?![\w/])")
_CODE_SPAN = patterns.compile(r"`([^`\n]+)`")
_PATHLIKE = patterns.compile(r"^[~./\w@-][\w./@ -]*$")
_FIELD = patterns.compile(
    r"^(?:location|affected files?|files?(?: modified| touched| changed)?|paths?|modif(?:y|ies|ied)"
    r"|create[sd]?|touch(?:es)?)\s*:\s*(?P<value>.+)",
    re.IGNORECASE,
)
_TREE_GLYPHS = "│├└─┬┌┐┘┤┼|`+\\- \t"
_TREE_LINE = patterns.compile(r"^(?P<indent>[│├└─┬┌|`+\\\- \t]*)(?P<name>[^\s(#]+)(?P<rest>.*)$")
_COMMENTED_PATH = patterns.compile(r"^\s*(?://|#|--|/\*|;)\s*(?P<path>[\w./@-]+)\s*\((?P<note>[^)]*)\)")


def paths_in(text: str) -> list[str]:
    """Paths named in ``text``: code spans that look like paths, and bare ``name.ext``."""
    found: dict[str, None] = {}
    for span in _CODE_SPAN.finditer(text):
        candidate = span[1].strip()
        if _PATHLIKE.match(candidate) and ("/" in candidate or _BARE_PATH.fullmatch(candidate)):
            found[candidate.rstrip("/")] = None
    for bare in _BARE_PATH.finditer(_CODE_SPAN.sub(" ", text)):
        found[bare[1]] = None
    return list(found)


def read_file_fields(block: Block) -> list[Fact]:
    """``Location: `path``` and alike, under a phase's label."""
    if not block.owner:
        return []
    facts: list[Fact] = []
    for line in block.lines:
        match = _FIELD.match(strip_markup(line.text).strip())
        if match:
            pos = Pos(line.number, line.col)
            facts.extend(FileTouched(ref, path, pos) for path in paths_in(match["value"]) for ref in block.owner)
    return facts


def read_code_paths(block: Block) -> list[Fact]:
    """Tree listings and commented paths in a code block, where a phase note names the phase."""
    facts: list[Fact] = []
    stack: list[tuple[int, str]] = []
    for line in block.lines:
        facts.extend(_commented_path(line))
        facts.extend(_tree_entry(line, stack))
        facts.extend(_task_line(line))
    return facts


def _task_line(line: Line) -> list[Fact]:
    """``Phase 2: Write to types.rs (…)``: a code line that opens with a phase label."""
    if "/" not in line.text and "." not in line.text:
        return []  # every path has one or the other
    label = parse_label(line.text)
    if label is None or len(label.ids) != 1 or not label.title:
        return []
    return [FileTouched(label.ids[0], path, Pos(line.number, line.col)) for path in paths_in(label.title)]


def _commented_path(line: Line) -> list[Fact]:
    match = _COMMENTED_PATH.match(line.text)
    if not match or "/" not in match["path"]:
        return []
    pos = Pos(line.number, line.col + match.start("path"))
    return [FileTouched(ref, match["path"], pos) for ref in ids_in(match["note"])]


def _tree_entry(line: Line, stack: list[tuple[int, str]]) -> list[Fact]:
    match = _TREE_LINE.match(line.text)
    if not match or not match["name"] or not _looks_like_entry(match["name"]):
        return []
    depth = len(match["indent"])
    while stack and stack[-1][0] >= depth:
        stack.pop()
    path = "/".join([name.rstrip("/") for _, name in stack] + [match["name"].rstrip("/")])
    if match["name"].endswith("/"):
        stack.append((depth, match["name"]))
        return []
    refs = ids_in(match["rest"]) if match["rest"].strip().startswith("(") else ()
    pos = Pos(line.number, line.col + match.start("name"))
    return [FileTouched(ref, path, pos) for ref in refs]


def _looks_like_entry(name: str) -> bool:
    return name.endswith("/") or bool(_BARE_PATH.fullmatch(name)) or "." in name.strip(".")
