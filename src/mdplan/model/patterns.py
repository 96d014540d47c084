"""Every regular expression mdplan compiles, kept between runs as Python keeps bytecode.

The recognizers hold about 300 patterns; many are long alternations of every language's cue
words and units (about 53,000 characters in all). ``re`` parses and compiles them in Python in
every process: about 0.1 s, a third of a ``check`` on a real plan. :func:`compile` stores what
``re`` produced (its SRE code, flags and groups) in a file beside this module's bytecode
(``__pycache__/patterns.<interpreter>.sre``, honouring ``PYTHONPYCACHEPREFIX`` and
``PYTHONDONTWRITEBYTECODE``), and later runs rebuild each pattern from it with ``_sre.compile``,
which validates the code before it accepts it.

The store is an optimisation only: the file is keyed by the interpreter's version and the SRE
engine's magic number, each entry by its pattern's text and flags, and anything unexpected (a
file from another interpreter, a damaged or truncated file, an unwritable folder, an
interpreter whose ``re`` internals differ) falls back to :func:`re.compile` and the same
pattern. The file begins with a SHA-256 digest of the rest, checked before a byte is
unmarshalled: ``_sre.compile`` accepts most damaged code as valid code of another pattern, and
``marshal`` can be made to allocate without bound by a few damaged bytes. It is read as mdplan
reads documents: a regular file only (a FIFO there does not block), at most ``MAX_BYTES``. The
file lives with the package's own code, so it is exactly as trusted as that code.

A well-kept library was looked for first: ``pickle`` stores a pattern as its text (it compiles
again on load) and neither ``regex`` nor ``re2`` keeps compiled programs.
"""

from __future__ import annotations

import array
import atexit
import contextlib
import hashlib
import importlib
import importlib.util
import marshal
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mdplan.model.disk import read_regular

# (flags, SRE code as machine words, groups, group numbers by name, group names by number)
Parts = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
_FORMAT = 2  # bump when the stored layout changes
_MAGIC = b"mdplan-sre\n"  # then the SHA-256 of the marshalled (header, patterns) that follow
_DIGEST = hashlib.sha256().digest_size
MAX_BYTES = 1 << 24  # mdplan's own patterns take about 1 MB; a larger file is not read nor written
_WORD = "I"  # the SRE engine's code unit: four bytes (checked against ``_sre.CODESIZE``)
# mdplan's own patterns are about 300; a pattern built from a document's words is not kept past this
MAX_STORED = 1_000
STALE_SECONDS = 600


def _engine() -> tuple[Any, Any, Any] | None:
    """``re``'s parser and compiler and the SRE engine, where this interpreter has them."""
    try:
        modules = tuple(importlib.import_module(name) for name in ("re._parser", "re._compiler", "_sre"))
    except ImportError:
        return None
    parser, compiler, sre = modules
    wanted = ((parser, "parse"), (compiler, "_code"), (sre, "compile"), (sre, "MAGIC"), (sre, "CODESIZE"))
    if not all(hasattr(module, name) for module, name in wanted):
        return None
    return (parser, compiler, sre) if array.array(_WORD).itemsize == sre.CODESIZE else None


class PatternStore:
    """Compiled patterns by ``(text, flags)``, loaded from and saved to one file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._engine = _engine()
        self._parts: dict[tuple[str, int], Parts] = self._load()
        self._added = False

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        """The same pattern ``re.compile(pattern, flags)`` gives."""
        if self._engine is None:
            return re.compile(pattern, flags)
        key = (pattern, int(flags))
        parts = self._parts.get(key)
        if parts is not None:
            try:
                return self._built(pattern, parts)
            except (RuntimeError, TypeError, ValueError, OverflowError):
                del self._parts[key]  # damaged: compile it again below
        parts = self._compiled(pattern, int(flags))
        if len(self._parts) < MAX_STORED:
            self._parts[key] = parts
            self._added = True
        return self._built(pattern, parts)

    def save(self) -> None:
        """Write the patterns compiled in this run, atomically; quietly nothing where that fails."""
        if not self._added or self.path is None or self._engine is None or sys.dont_write_bytecode:
            return
        body = marshal.dumps((self._header(), self._parts))
        if len(_MAGIC) + _DIGEST + len(body) > MAX_BYTES:
            return
        data = _MAGIC + hashlib.sha256(body).digest() + body
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _remove_stale_temporaries(self.path)
            _write_atomically(self.path, data)
            self._added = False

    def _built(self, pattern: str, parts: Parts) -> re.Pattern[str]:
        assert self._engine is not None
        flags, words, groups, groupindex, indexgroup = parts
        code = array.array(_WORD, words).tolist()
        compiled: re.Pattern[str] = self._engine[2].compile(pattern, flags, code, groups, groupindex, indexgroup)
        return compiled

    def _compiled(self, pattern: str, flags: int) -> Parts:
        """What ``re._compiler.compile`` hands to ``_sre.compile`` (as in CPython 3.11 to 3.14)."""
        assert self._engine is not None
        parser, compiler, _ = self._engine
        tree = parser.parse(pattern, flags)
        code = compiler._code(tree, flags)
        names: dict[str, int] = dict(tree.state.groupdict)
        by_index: list[str | None] = [None] * tree.state.groups
        for name, index in names.items():
            by_index[index] = name
        words = array.array(_WORD, code).tobytes()
        return int(flags | tree.state.flags), words, tree.state.groups - 1, names, tuple(by_index)

    def _header(self) -> tuple[int, str, int, int]:
        assert self._engine is not None
        return _FORMAT, sys.version, int(self._engine[2].MAGIC), int(self._engine[2].CODESIZE)

    def _load(self) -> dict[tuple[str, int], Parts]:
        if self.path is None or self._engine is None:
            return {}
        try:
            data, _ = read_regular(str(self.path), MAX_BYTES)  # a FIFO there is not waited on
        except OSError:
            return {}
        body = _checked(data)
        if body is None:
            return {}
        try:
            header, parts = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return {}
        return parts if header == self._header() and isinstance(parts, dict) else {}


def _checked(data: bytes) -> bytes | None:
    """The marshalled body of a store file, if the file is whole (its digest matches)."""
    start = len(_MAGIC) + _DIGEST
    if len(data) > MAX_BYTES or not data.startswith(_MAGIC):
        return None
    body = data[start:]
    return body if hashlib.sha256(body).digest() == data[len(_MAGIC) : start] else None


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files an earlier run left when it was killed while it wrote (a write takes
    milliseconds: one older than ``STALE_SECONDS`` is no other run's)."""
    now = time.time()
    for temporary in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - temporary.lstat().st_mtime > STALE_SECONDS:
                temporary.unlink()


def _write_atomically(path: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        temporary.chmod(Path(__file__).stat().st_mode & 0o666)  # readable as the bytecode beside it
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def store_path() -> Path | None:
    """Where this interpreter keeps the store: beside this module's bytecode, as Python would
    (nowhere when it keeps no bytecode files: it has no cache tag)."""
    if sys.implementation.cache_tag is None:
        return None
    return Path(importlib.util.cache_from_source(__file__)).with_suffix(".sre")


_STORE = PatternStore(store_path())
atexit.register(_STORE.save)


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile``, from the store when this interpreter compiled the pattern before."""
    return _STORE.compile(pattern, flags)
