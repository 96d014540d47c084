"""The compiled-pattern store (``model.patterns``): whatever lies in its file, every pattern is
the one ``re.compile`` gives, and loading it neither blocks nor reads without bound."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from mdplan.model import patterns

SAMPLES = (
    (r"(?P<n>\d{1,9})\s*(?:min|minutes?)\b", re.IGNORECASE),
    (r"^(?:phase|stage)\s+(?P<id>\w+)", 0),
    (r"total\b[^:=\n]{0,40}?(?::|=|\bis\b)", re.IGNORECASE),
)


def _saved_store(path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    store = patterns.PatternStore(path)
    for text, flags in SAMPLES:
        store.compile(text, flags)
    store.save()
    return path.read_bytes()


def _fresh_parts() -> dict[tuple[str, int], patterns.Parts]:
    fresh = patterns.PatternStore(None)
    return {(text, int(flags)): fresh._compiled(text, int(flags)) for text, flags in SAMPLES}


def _same_patterns(store: patterns.PatternStore) -> None:
    expected = _fresh_parts()
    for key, parts in store._parts.items():
        assert parts == expected.get(key, parts), f"a damaged entry was loaded for {key[0]!r}"
    for text, flags in SAMPLES:
        compiled, expected_pattern = store.compile(text, flags), re.compile(text, flags)
        assert (compiled.pattern, compiled.flags, compiled.groupindex) == (
            expected_pattern.pattern,
            expected_pattern.flags,
            expected_pattern.groupindex,
        )


def test_a_saved_store_is_read_back_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "patterns.sre"
    _saved_store(path, monkeypatch)
    store = patterns.PatternStore(path)
    assert store._parts == _fresh_parts()


def test_no_flipped_bit_loads_another_pattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A flipped bit in the SRE code most often leaves code ``_sre`` accepts, as another pattern:
    the digest keeps every such entry out (one bit per byte, at every byte)."""
    path = tmp_path / "patterns.sre"
    good = _saved_store(path, monkeypatch)
    damaged = tmp_path / "damaged.sre"
    for index in range(len(good)):
        data = bytearray(good)
        data[index] ^= 1 << (index % 8)
        damaged.write_bytes(data)
        _same_patterns(patterns.PatternStore(damaged))


def test_a_truncated_store_loads_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "patterns.sre"
    good = _saved_store(path, monkeypatch)
    cut = tmp_path / "cut.sre"
    for size in range(0, len(good), 7):
        cut.write_bytes(good[:size])
        assert patterns.PatternStore(cut)._parts == {}


def test_a_store_that_would_make_marshal_allocate_without_bound_is_not_unmarshalled(tmp_path: Path) -> None:
    """Five bytes are a tuple of 2**31 - 1 items to ``marshal``: never handed to it unchecked."""
    path = tmp_path / "patterns.sre"
    for data in (b"(\xff\xff\xff\x7f", patterns._MAGIC + bytes(32) + b"(\xff\xff\xff\x7f"):
        path.write_bytes(data)
        assert patterns.PatternStore(path)._parts == {}


def test_a_fifo_or_folder_in_the_store_s_place_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.sre"
    os.mkfifo(fifo)  # no writer: a blocking read would wait for ever
    folder = tmp_path / "folder.sre"
    folder.mkdir()
    for path in (fifo, folder, tmp_path / "missing.sre"):
        store = patterns.PatternStore(path)
        assert store._parts == {}
        assert store.compile(*SAMPLES[0]).pattern == SAMPLES[0][0]


def test_a_store_past_its_size_is_read_only_to_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.sre"
    with path.open("wb") as stream:  # sparse: no disk used
        stream.truncate(patterns.MAX_BYTES + 4096)
    assert len(patterns._read_regular(path)) == patterns.MAX_BYTES + 1
    assert patterns.PatternStore(path)._parts == {}


def test_a_store_past_its_size_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(patterns, "MAX_BYTES", 64)
    path = tmp_path / "patterns.sre"
    store = patterns.PatternStore(path)
    store.compile(*SAMPLES[0])
    store.save()
    assert not path.exists()
