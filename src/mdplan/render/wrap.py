"""Prose lines of canonical Markdown broken to fit a width (120 columns), meaning kept.

A report is read in a 120-column view (GitHub's file view, a terminal, a diff), so every
paragraph and list-item line longer than that is broken at spaces. Only a single space between
two words is a break point: never inside a code span, never after a backslash (that would be
a hard break). A word that would open a block at the start of a line (``-``, ``+``, ``1.``,
``#``, ``>``, a fence, ``<``, ``|``, a run of ``=``/``-``/``*``/``_``) stays on the line of
the word before it, so the text means what it meant and mdformat writes it as it is.
Continuation lines of a list item are indented to its content, as mdformat writes them.
Tables, headings and code blocks are left as they are: a table row cannot be broken, and a
picture needs its width.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache

from mdplan.model import patterns

WIDTH = 120
_FENCE = patterns.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
# where a line's text starts: after list markers (nested items open on one line: "- - a") and
# a task's checkbox, which a break right after would turn into text
_ITEM = patterns.compile(r"^(?P<indent> *(?P<markers>(?:(?:[-*+]|\d{1,9}[.)]) )*))(?P<task>(?<=[-*+.)] )\[[ xX]\] )?")
_NOT_PROSE = patterns.compile(r"^(?:#{1,6}(?: |$)|[|<]|```|~~~|(?:[-*_] *){3,}$)")
_OPENS_A_BLOCK = patterns.compile(r"^(?:[-+*]|#{1,6}|\d+[.)]|[-=*_]+)$|^(?:>|```|~~~|<|\||\[)")
# ASCII punctuation alone (`*`, `+`, `--`): mdformat escapes some of it at a line's start or end
_PUNCTUATION = patterns.compile(r"^[!-/:-@\[-`{-~]+$")
_BACKTICKS = patterns.compile(r"`+")
_NON_ASCII = patterns.compile(r"[^\x00-\x7f]")


def columns(text: str) -> int:
    """Display columns: wide (East Asian) characters take two, combining marks none; an ASCII
    character one (so only the others are looked up: a report's lines are mostly ASCII)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(_char_columns(char) - 1 for char in _NON_ASCII.findall(text))


@cache  # a pure function of one character: each is looked up once
def _char_columns(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap_markdown(text: str, width: int = WIDTH) -> str:
    """``text`` (canonical Markdown) with its long paragraph and list-item lines broken."""
    return _Wrapper(width).wrap(text)


def wrap_parts(parts: Iterable[str], width: int = WIDTH) -> Iterator[str]:
    """Each of ``parts`` wrapped as :func:`wrap_markdown` wraps it where it stands in the text
    the parts make joined by newlines (a fence opened in one part runs on into the next)."""
    wrapper = _Wrapper(width)
    for part in parts:
        yield wrapper.wrap(part)


class _Wrapper:
    """Wraps text piece by piece, remembering between pieces the fence that is open."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.fence = ""

    def wrap(self, text: str) -> str:
        out: list[str] = []
        for line in text.split("\n"):
            opened = _FENCE.match(line)
            if self.fence:
                fence = self.fence
                if opened and opened["fence"][0] == fence[0] and len(opened["fence"]) >= len(fence):
                    self.fence = "" if not line.strip().strip(fence[0]) else fence
                out.append(line)
            elif opened:
                self.fence = opened["fence"]
                out.append(line)
            elif len(line) <= self.width // 2 or not _is_prose(line) or columns(line) <= self.width:
                out.append(line)
            else:
                out.extend(_wrap_line(line, self.width))
        return "\n".join(out)


def _is_prose(line: str) -> bool:
    """A paragraph or list-item line: its text (after any list markers) is no table row,
    heading, HTML, fence or thematic break, and it is not indented code."""
    found = _ITEM.match(line)
    assert found is not None  # the pattern matches any line
    text = line[len(found["indent"]) :]
    if not text.strip() or _NOT_PROSE.match(text):
        return False
    return bool(found["markers"]) or len(line) - len(line.lstrip(" ")) < 4


def _wrap_line(line: str, width: int) -> list[str]:
    found = _ITEM.match(line)
    assert found is not None  # the pattern matches any line
    prefix = found.group(0)
    indent = " " * len(found["indent"])
    groups = _unbreakable_groups(line[len(prefix) :])
    lines: list[str] = []
    current = [prefix + groups[0]]
    used = columns(current[0])
    for group in groups[1:]:
        needed = columns(group)
        if used + 1 + needed > width:
            lines.append(" ".join(current))
            current, used = [indent + group], len(indent) + needed
        else:
            current.append(group)
            used += 1 + needed
    lines.append(" ".join(current))
    return lines


def _unbreakable_groups(text: str) -> list[str]:
    """The words of ``text`` between break points, joined where a break would change the text:
    a word that would open a block (or a link, ``[``) at the start of a line stays with the one
    before it, and a word of punctuation alone with both its neighbours."""
    groups: list[str] = []
    after_punctuation = False
    for word in _words(text):
        if groups and (after_punctuation or _OPENS_A_BLOCK.match(word) or _PUNCTUATION.match(word)):
            groups[-1] = f"{groups[-1]} {word}"
        else:
            groups.append(word)
        after_punctuation = bool(_PUNCTUATION.match(word))
    return groups


def _words(text: str) -> list[str]:
    """``text`` split at its break points: single spaces between two non-spaces, outside code
    spans, not escaped."""
    closers = _code_span_ends(text)
    words: list[str] = []
    start = index = 0
    end = len(text)
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
        elif char == "`":
            index = closers.get(index, index + 1)
        else:
            if char == " " and 0 < index < end - 1 and text[index - 1] != " " and text[index + 1] != " ":
                words.append(text[start:index])
                start = index + 1
            index += 1
    words.append(text[start:])
    return words


def _code_span_ends(text: str) -> dict[int, int]:
    """Where each backtick run ends the code span it opens (past the next run of the same
    length), or past itself when none closes it; in one pass from the right."""
    runs = [(run.start(), run.end()) for run in _BACKTICKS.finditer(text)]
    ends: dict[int, int] = {}
    next_of_length: dict[int, int] = {}
    for start, stop in reversed(runs):
        length = stop - start
        ends[start] = next_of_length.get(length, stop)
        next_of_length[length] = stop
    return ends
