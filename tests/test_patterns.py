"""The store of compiled patterns (``mdplan.model.patterns``): a pattern rebuilt from the store
is the pattern ``re.compile`` gives, and a store that is missing, damaged, foreign or unwritable
changes nothing but the time taken."""

from __future__ import annotations

import hashlib
import importlib
import marshal
import os
import pkgutil
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mdplan
from mdplan.model import patterns
from mdplan.model.disk import read_regular
from mdplan.model.patterns import PatternStore
from tests.helpers import FIXTURES, REFERENCE


def module_patterns() -> list[tuple[str, int]]:
    """Every pattern a module of mdplan holds at its top level, as (text, flags)."""
    found: dict[tuple[str, int], None] = {}
    for module in pkgutil.walk_packages(mdplan.__path__, "mdplan."):
        if module.name.endswith(("mkdocs_plugin", "__main__")):
            continue  # needs MkDocs, a test extra; runs the command
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found[value.pattern, value.flags] = None
    return list(found)


PATTERNS = module_patterns()
SAMPLES = [
    *REFERENCE.read_text(encoding="utf-8").splitlines(),
    *(FIXTURES / "notations" / "languages.md").read_text(encoding="utf-8").splitlines(),
    *(FIXTURES / "notations" / "durations-i18n.md").read_text(encoding="utf-8").splitlines(),
    "Fase 2 (3 días) depende de Fase 1 → 2h30, ½ jour, 1,5 Tage, 10,000 hours, ~2〜3日",
    "Phase 1 ──→ Phase 2 ├──→ Phase 3 ↓ T001 Depends on: T002, T003 (8 min) Week 1",
]


@pytest.fixture(autouse=True)
def bytecode_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a default interpreter does (this suite may run with ``PYTHONDONTWRITEBYTECODE``)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def stored_store(path: Path, keys: list[tuple[str, int]]) -> PatternStore:
    """A store at ``path`` that compiled ``keys`` and saved them, read back by a new store."""
    writer = PatternStore(path)
    for pattern, flags in keys:
        writer.compile(pattern, flags)
    writer.save()
    return PatternStore(path)


def unpacked(path: Path) -> tuple[tuple[object, ...], dict[tuple[str, int], patterns.Parts]]:
    """A store file's (header, entries), past its magic line and digest."""
    header, parts = marshal.loads(path.read_bytes()[len(patterns._MAGIC) + patterns._DIGEST :])
    return header, parts


def packed(path: Path, header: tuple[object, ...], parts: dict[tuple[str, int], patterns.Parts]) -> None:
    """A store file holding ``parts`` under ``header``, with a digest that matches them."""
    body = marshal.dumps((header, parts))
    path.write_bytes(patterns._MAGIC + hashlib.sha256(body).digest() + body)


def same_matches(a: re.Pattern[str], b: re.Pattern[str], text: str) -> bool:
    def seen(pattern: re.Pattern[str]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
        return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]

    return seen(a) == seen(b)


def test_mdplan_holds_its_patterns_at_module_level() -> None:
    assert len(PATTERNS) > 100  # the test below covers the recognizers' own patterns


def test_every_stored_pattern_is_the_one_re_compiles(tmp_path: Path) -> None:
    store = stored_store(tmp_path / "p.sre", PATTERNS)
    for pattern, flags in PATTERNS:
        stored, fresh = store.compile(pattern, flags), re.compile(pattern, flags)
        assert (stored.pattern, stored.flags, stored.groups, stored.groupindex) == (
            fresh.pattern,
            fresh.flags,
            fresh.groups,
            fresh.groupindex,
        )
        assert all(same_matches(stored, fresh, line) for line in SAMPLES), pattern[:80]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="Phase 12→-–, min:hdays()*_`|Tjoursé日½", max_size=40))
def test_stored_patterns_match_as_compiled_ones_on_any_text(pattern_flags: tuple[str, int], text: str) -> None:
    stored = patterns.compile(*pattern_flags)
    assert same_matches(stored, re.compile(*pattern_flags), text)


def test_a_second_store_reads_what_the_first_saved_and_compiles_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.sre"
    store = stored_store(path, PATTERNS[:5])
    before = path.read_bytes()
    for pattern, flags in PATTERNS[:5]:
        store.compile(pattern, flags)
    store.save()
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: os.urandom(len(data)),
        lambda data: marshal.dumps("not a store"),
    ],
    ids=["empty", "truncated", "random", "wrong shape"],
)
def test_a_damaged_store_is_compiled_again(tmp_path: Path, damage: object) -> None:
    path = tmp_path / "p.sre"
    stored_store(path, PATTERNS[:20])
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    store = PatternStore(path)
    for pattern, flags in PATTERNS[:20]:
        assert store.compile(pattern, flags).pattern == pattern
        assert same_matches(store.compile(pattern, flags), re.compile(pattern, flags), SAMPLES[-1])


def test_a_store_of_another_interpreter_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "p.sre"
    stored_store(path, [("x", 0), *PATTERNS[:20]])
    (format_, *version), parts = unpacked(path)
    other = {key: parts["x", 0] for key in parts}  # valid code, but another pattern's
    packed(path, (format_ + 1, *version), other)
    store = PatternStore(path)
    for pattern, flags in PATTERNS[:20]:
        assert same_matches(store.compile(pattern, flags), re.compile(pattern, flags), " ".join(SAMPLES))


def test_an_entry_with_invalid_code_is_compiled_again(tmp_path: Path) -> None:
    path = tmp_path / "p.sre"
    stored_store(path, PATTERNS[:1])
    header, parts = unpacked(path)
    (key, (flags, words, *rest)), *_ = parts.items()
    parts[key] = (flags, b"\xff" * len(words), *rest)  # type: ignore[assignment]
    packed(path, header, parts)
    pattern = PatternStore(path).compile(*key)
    assert same_matches(pattern, re.compile(*key), " ".join(SAMPLES[:50]))


def test_an_unwritable_place_leaves_nothing_behind(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    store = PatternStore(blocker / "cache" / "p.sre")  # a folder inside a file cannot be made
    store.compile(r"a+b")
    store.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_temporary_file_a_killed_run_left_is_removed_by_the_next_save(tmp_path: Path) -> None:
    stale, fresh = tmp_path / ".p.sre.1a2b.tmp", tmp_path / ".p.sre.3c4d.tmp"
    for temporary in (stale, fresh):
        temporary.write_bytes(b"half a store")
    old = time.time() - patterns.STALE_SECONDS - 1
    os.utime(stale, (old, old))
    stored_store(tmp_path / "p.sre", [("a+b", 0)])
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, "p.sre"]  # another run may be writing


def test_nothing_is_written_when_bytecode_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    store = PatternStore(tmp_path / "p.sre")
    store.compile(r"a+b")
    store.save()
    assert list(tmp_path.iterdir()) == []


def test_patterns_built_from_a_document_stop_being_kept_past_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patterns, "MAX_STORED", 2)
    store = stored_store(tmp_path / "p.sre", [("a", 0), ("b", 0), ("c", 0)])
    assert store.compile("c").fullmatch("c")
    assert unpacked(tmp_path / "p.sre")[1].keys() == {("a", 0), ("b", 0)}


def check_in_a_new_process(cache: Path, seed: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPYCACHEPREFIX": str(cache), "PYTHONHASHSEED": seed}
    command = [sys.executable, "-m", "mdplan", "check", str(REFERENCE)]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def test_check_says_the_same_with_the_store_cold_and_warm_in_any_process(tmp_path: Path) -> None:
    cold = check_in_a_new_process(tmp_path, "1")
    (store,) = tmp_path.glob("**/patterns.*.sre")
    written = store.read_bytes()
    warm = check_in_a_new_process(tmp_path, "2")  # another hash seed: every pattern's text is the same
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert store.read_bytes() == written


# whatever lies in the store's file, every pattern is the one re.compile gives, and loading it
# neither blocks nor reads without bound

SMALL = (
    (r"(?P<n>\d{1,9})\s*(?:min|minutes?)\b", re.IGNORECASE),
    (r"^(?:phase|stage)\s+(?P<id>\w+)", 0),
    (r"total\b[^:=\n]{0,40}?(?::|=|\bis\b)", re.IGNORECASE),
)


def _saved_store(path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    store = patterns.PatternStore(path)
    for text, flags in SMALL:
        store.compile(text, flags)
    store.save()
    return path.read_bytes()


def _fresh_parts() -> dict[tuple[str, int], patterns.Parts]:
    fresh = patterns.PatternStore(None)
    return {(text, int(flags)): fresh._compiled(text, int(flags)) for text, flags in SMALL}


def _same_patterns(store: patterns.PatternStore) -> None:
    expected = _fresh_parts()
    for key, parts in store._parts.items():
        assert parts == expected.get(key, parts), f"a damaged entry was loaded for {key[0]!r}"
    for text, flags in SMALL:
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
        assert store.compile(*SMALL[0]).pattern == SMALL[0][0]


def test_a_store_past_its_size_is_read_only_to_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.sre"
    with path.open("wb") as stream:  # sparse: no disk used
        stream.truncate(patterns.MAX_BYTES + 4096)
    assert len(read_regular(str(path), patterns.MAX_BYTES)[0]) == patterns.MAX_BYTES + 1
    assert patterns.PatternStore(path)._parts == {}


def test_a_store_past_its_size_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(patterns, "MAX_BYTES", 64)
    path = tmp_path / "patterns.sre"
    store = patterns.PatternStore(path)
    store.compile(*SMALL[0])
    store.save()
    assert not path.exists()
