"""Writing results without losing a byte, and ``--check`` diffs.

How a file is written (``write_file``):

- Only a regular file (or a path where nothing is yet) is written: a device, a FIFO, a socket
  or a folder is refused (MP005), never replaced. A symlink is written through: the file it
  points at changes, the link stays a link (the real path is resolved first).
- The file is locked (``flock``) while it is compared and written, so two mdplan runs never
  interleave; when the caller read the file before (``expected``), its content is compared with
  what was read, and if it changed nothing is written (MP012: no lost update).
- A file that already holds the result is left alone, mtime included.
- Otherwise the result goes to a temporary file beside the real target
  (``.mdplan-NAME-PID.tmp``), synced, given the target's owner, group and mode, and renamed
  over it: atomic. Where that would break something, the file is rewritten in place instead
  (its old content put back if the write fails): a file with several hard links (renaming
  would split them), a file whose owner this user cannot give to a new file, and a folder
  where no temporary file may be created.
- SIGINT, SIGTERM and SIGHUP wait until the write is over (they are held, then delivered), so
  a temporary file is never left behind by them; one left by a SIGKILL or a power cut is
  removed by the next run that writes in that folder, once its process is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from mdplan.model import patterns
from mdplan.model.disk import Snapshot, digest, kind, read_bounded, reason
from mdplan.model.errors import UnusableInput, printable

STDOUT = "-"
CANNOT_WRITE = "MP005"
CHANGED = "MP012"
LOCK_TRIES = 400  # x 25 ms: ten seconds for another run to finish writing the same file
_TEMPORARY = patterns.compile(r"\.mdplan-.*-(\d{1,9})\.tmp\Z", re.DOTALL)
_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
_NAME_PART = 96  # bytes of the target's name kept in a temporary file's name


class _NoTemporary(Exception):
    """No temporary file can stand in for the target here (folder or owner), so it is
    rewritten in place."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause)
        self.cause = cause


class _Target:
    """The file being written, open and locked (``handle``), or None where nothing is yet."""

    def __init__(self, real: str, handle: int | None, status: os.stat_result | None) -> None:
        self.real = real
        self.handle = handle
        self.status = status

    def content(self) -> bytes | None:
        if self.handle is None or self.status is None:
            return None
        os.lseek(self.handle, 0, os.SEEK_SET)
        return read_bounded(self.handle, self.status.st_size + 1)


# --- standard output ---------------------------------------------------------------------


def emit(text: str) -> None:
    """``text`` to standard output, whole or not at all (a clear MP005 when it cannot be)."""
    stream = sys.stdout
    if stream is None or stream.closed:
        raise UnusableInput("<stdout>", CANNOT_WRITE, "cannot write: standard output is closed")
    encoding = stream.encoding or "utf-8"
    try:
        text.encode(encoding, stream.errors or "strict")  # as the stream will, before a byte is written
    except UnicodeEncodeError as error:
        char = error.object[error.start]
        message = f"cannot write {char!r} to standard output in {encoding}; set PYTHONIOENCODING=utf-8"
        raise UnusableInput("<stdout>", CANNOT_WRITE, message) from None
    stream.write(text)
    stream.flush()


def emit_bytes(data: bytes) -> None:
    stream = sys.stdout
    if stream is None or stream.closed:
        raise UnusableInput("<stdout>", CANNOT_WRITE, "cannot write: standard output is closed")
    stream.flush()
    stream.buffer.write(data)
    stream.buffer.flush()


# --- files -------------------------------------------------------------------------------


def current_text(path: str) -> str | None:
    """What the regular file ``path`` holds now, or None when it does not exist or is not text."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            return None
        return read_bounded(handle, status.st_size + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(handle)


def refuse_unwritable(path: str) -> None:
    """Raise MP005 now when ``path`` exists and is not a regular file (links followed), or
    ends with a slash (a folder, to the system; ``Path`` would drop the slash and write a file)."""
    if path.endswith(("/", os.sep)):
        raise UnusableInput(path, CANNOT_WRITE, "cannot write: a name ending with / is a folder, not a file")
    try:
        status = Path(path).stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise UnusableInput(path, CANNOT_WRITE, f"cannot write: {reason(error)}") from None
    what = kind(status.st_mode)
    if what is not None:
        message = f"cannot write: {what}, not a regular file; mdplan replaces only regular files"
        raise UnusableInput(path, CANNOT_WRITE, message)


def write_text(path: str, text: str, expected: Snapshot | None = None) -> bool:
    """Write ``text`` to ``path`` (``-``: stdout). Returns whether anything changed."""
    if path == STDOUT:
        emit(text)
        return True
    return write_file(path, text.encode("utf-8"), expected)


def write_bytes(path: str, data: bytes, expected: Snapshot | None = None) -> bool:
    """``data`` to ``path`` (``-``: stdout). Returns whether anything changed."""
    if path == STDOUT:
        emit_bytes(data)
        return True
    return write_file(path, data, expected)


def write_file(path: str, data: bytes, expected: Snapshot | None = None) -> bool:
    """``data`` to the file ``path`` names, as the module docstring says. Returns whether the
    file changed. Raises :class:`UnusableInput` (MP005, MP012) when it must not or cannot."""
    try:
        real = os.path.realpath(path)
        remove_stale_temporaries(Path(real).parent)
        with _locked(path, real) as target:
            old = target.content()
            if expected is not None:
                _refuse_if_changed(path, old, expected)
            if old == data:
                return False
            with _signals_held():
                _write(target, data, old)
    except OSError as error:
        raise UnusableInput(printable(path), CANNOT_WRITE, f"cannot write: {reason(error)}") from None
    return True


def _refuse_if_changed(path: str, old: bytes | None, expected: Snapshot) -> None:
    if old is None or len(old) != expected.size or digest(old) != expected.digest:
        message = "changed on disk since mdplan read it (another program wrote it); nothing was written, run again"
        raise UnusableInput(printable(path), CHANGED, message)


@contextlib.contextmanager
def _locked(path: str, real: str) -> Iterator[_Target]:
    """The target open and locked against other mdplan runs; reopened if it was replaced while
    waiting for the lock, so the lock is always on the file the path names."""
    for _ in range(LOCK_TRIES):
        try:
            handle = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except FileNotFoundError:
            yield _Target(real, None, None)
            return
        try:
            status = _regular(path, handle)
            if _lock(handle) and _still_named(real, status):
                yield _Target(real, handle, status)
                return
        finally:
            os.close(handle)
        time.sleep(0.025)
    raise UnusableInput(printable(path), CANNOT_WRITE, "cannot write: another program holds the file locked")


def _regular(path: str, handle: int) -> os.stat_result:
    status = os.fstat(handle)
    what = kind(status.st_mode)
    if what is not None:
        message = f"cannot write: {what}, not a regular file; mdplan replaces only regular files"
        raise UnusableInput(printable(path), CANNOT_WRITE, message)
    return status


def _lock(handle: int) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _still_named(real: str, status: os.stat_result) -> bool:
    try:
        now = Path(real).lstat()
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino) == (status.st_dev, status.st_ino)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait (blocked, then delivered) until the block ends."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write(target: _Target, data: bytes, old: bytes | None) -> None:
    status = target.status
    if status is not None and status.st_nlink > 1:
        _overwrite(target.real, data, old or b"")
        return
    try:
        _replace(target.real, data, status)
    except _NoTemporary as error:
        if status is None:
            raise error.cause from None
        _overwrite(target.real, data, old or b"")


def _replace(real: str, data: bytes, status: os.stat_result | None) -> None:
    """A temporary file beside ``real`` with ``data`` and ``real``'s owner and mode, renamed
    over it. :class:`_NoTemporary` when the folder takes no new file or the owner cannot be kept."""
    target = Path(real)
    short = os.fsdecode(os.fsencode(target.name)[:_NAME_PART])  # a name fits in NAME_MAX bytes
    temporary = target.with_name(f".mdplan-{short}-{os.getpid()}.tmp")
    try:
        handle = _create(temporary, 0o600 if status else 0o666)
    except PermissionError as error:
        raise _NoTemporary(error) from error
    try:
        try:
            if status is not None:
                _keep_owner_and_mode(handle, status)
            _write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create(temporary: Path, mode: int) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(temporary, flags, mode)
    except FileExistsError:  # left by an earlier process that had this pid
        temporary.unlink()
        return os.open(temporary, flags, mode)


def _keep_owner_and_mode(handle: int, status: os.stat_result) -> None:
    if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(handle, status.st_uid, status.st_gid)
        except PermissionError as error:  # not ours to give: the file is rewritten in place
            raise _NoTemporary(error) from error
    os.fchmod(handle, stat.S_IMODE(status.st_mode))


def _overwrite(real: str, data: bytes, old: bytes) -> None:
    """``data`` written into the existing file itself (every hard link sees it); if that
    fails midway, ``old`` is put back as far as the disk allows."""
    handle = os.open(real, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        try:
            _write_at_start(handle, data)
        except OSError:
            with contextlib.suppress(OSError):
                _write_at_start(handle, old)
            raise
    finally:
        os.close(handle)


def _write_at_start(handle: int, data: bytes) -> None:
    os.lseek(handle, 0, os.SEEK_SET)
    _write_all(handle, data)
    os.ftruncate(handle, len(data))
    os.fsync(handle)


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files mdplan left in ``folder`` (a SIGKILL, a power cut) whose process
    is gone; those of running processes stay."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = _TEMPORARY.match(entry.name)
        if found and not _alive(int(found.group(1))) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                Path(entry.path).unlink()


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def unified_diff(old: str, new: str, name: str) -> str:
    """What ``--check`` shows: the file on disk against what it would become (near-linear time)."""
    from mdplan.rewrite.diff import unified

    return unified(old, new, f"{name} (on disk)", f"{name} (expected)")
