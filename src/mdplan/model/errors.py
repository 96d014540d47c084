"""The one exception base class: raised only for input mdplan cannot use at all."""

from __future__ import annotations

import unicodedata

_UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp", "Cs"}


class UnusableInput(Exception):
    """The input cannot be read as a plan (missing, not UTF-8, no phase found)."""

    def __init__(self, path: str, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.path = path
        self.code = code
        self.message = message
        self.line = line
        self.col = col

    def format(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.col}: error {self.code} {self.message}"


def printable(path: str) -> str:
    """``path`` with control and format characters escaped (``\\n``, ``\\x1b``, ``\\u202e``), so
    a file name can never start a line of its own or disguise what follows it."""
    if path.isprintable():
        return path
    return "".join(_escaped(char) for char in path)


def _escaped(char: str) -> str:
    if unicodedata.category(char) in _UNPRINTABLE:
        return char.encode("unicode_escape", "backslashreplace").decode("ascii")
    return char
