"""Markdown backslash escapes: ``\\<5`` is the text ``<5`` (CommonMark: a backslash before an
ASCII punctuation character makes it literal; before anything else it is a backslash)."""

from __future__ import annotations

from mdplan.model import patterns

_ESCAPED = patterns.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(text: str) -> str:
    """Text as it reads before Markdown escaping (``\\|``, ``\\<``, ``\\\\``)."""
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text
