"""Writing results: atomic replacement, only when the content changed, and --check diffs."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path

STDOUT = "-"


def current_text(path: str) -> str | None:
    """What ``path`` holds now, or None when it does not exist or is not text."""
    try:
        return Path(path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_text(path: str, text: str) -> bool:
    """Write ``text`` to ``path`` (``-``: stdout). Returns whether anything changed.

    A file is replaced atomically (temporary file in the same folder, then rename), and left
    alone, mtime included, when it already holds ``text``.
    """
    if path == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return True
    if current_text(path) == text:
        return False
    write_atomic(Path(path), text.encode("utf-8"))
    return True


def write_bytes(path: str, data: bytes) -> None:
    """``data`` to ``path`` atomically (``-``: stdout)."""
    if path == STDOUT:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomic(Path(path), data)


def write_atomic(target: Path, data: bytes) -> None:
    folder = target.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(_mode_for(target))
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def unified_diff(old: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"{name} (on disk)", f"{name} (expected)"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
