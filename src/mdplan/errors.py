"""The one exception base class: raised only for input mdplan cannot use at all."""

from __future__ import annotations


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
        return f"{self.path}:{self.line}:{self.col}: error {self.code} {self.message}"
