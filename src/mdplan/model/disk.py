"""Files on disk, read safely: regular files only, never more than the limit, with a fingerprint.

Reading opens without blocking (``O_NONBLOCK``: a FIFO with no writer does not hang), checks
the opened file is a regular file (a FIFO, a device such as ``/dev/zero``, a socket or a folder
is refused before a byte is read) and reads at most ``limit + 1`` bytes, so what is too large
is known without reading it all. The :class:`Snapshot` of what was read lets a later write
check that nobody changed the file in between (``output.write_file``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_REASONS = {
    errno.ELOOP: "a symlink loop (too many levels of symbolic links)",
    errno.ENAMETOOLONG: "the path is too long",
}


class NotARegularFile(OSError):
    """The path names something other than a regular file (the message says what)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file was when it was read: its identity, size, mtime and content hash."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    digest: str


def kind(mode: int) -> str | None:
    """What a file of this mode is, when it is not a regular file (None for a regular file)."""
    return next((name for test, name in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "not a regular file")


def reason(error: OSError) -> str:
    """One short phrase for an operating-system error."""
    return _REASONS.get(error.errno or 0) or error.strerror or str(error)


def read_regular(path: str, limit: int) -> tuple[bytes, Snapshot]:
    """At most ``limit + 1`` bytes of the regular file ``path`` and its snapshot.

    Raises :class:`NotARegularFile` (an ``OSError``) for anything else, without reading."""
    handle = os.open(path, _OPEN_FLAGS)
    try:
        return read_open(handle, limit)
    finally:
        os.close(handle)


def read_open(handle: int, limit: int) -> tuple[bytes, Snapshot]:
    status = os.fstat(handle)
    what = kind(status.st_mode)
    if what is not None:
        raise NotARegularFile(errno.EINVAL, f"{what}, not a regular file")
    data = read_bounded(handle, limit + 1)
    return data, Snapshot(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, digest(data))


def read_bounded(handle: int, most: int) -> bytes:
    """Up to ``most`` bytes from ``handle``, stopping at end of file."""
    chunks: list[bytes] = []
    left = most
    while left > 0:
        chunk = os.read(handle, min(left, CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` names, links followed; None when it does not exist."""
    try:
        status = Path(path).stat()
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino
