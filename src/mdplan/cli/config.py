"""Configuration: ``[tool.mdplan]`` in ``pyproject.toml`` or a ``.mdplan.toml``, found upward.

For each input file, the nearest folder (the file's own, then its parents) holding a
``.mdplan.toml`` or a ``pyproject.toml`` with a ``[tool.mdplan]`` table gives the settings.
The search stops at the repository root (the first folder holding ``.git``) or the user's home,
whichever comes first; when neither lies above the file, only the file's own folder is searched.
It never reaches folders the project does not own (``/tmp``, ``/``), where anyone could plant
a ``template-dir``. A configuration file owned by another user (neither the current user nor
root) is ignored with a warning (``MP017``), as if absent: as root too, as git does with a
repository another user owns.
Keys are checked strictly: an unknown key or a wrong type is an error naming what is allowed.
Flags on the command line override the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mdplan.model.disk import read_regular, reason
from mdplan.model.errors import UnusableInput

BAD_CONFIG = "MP009"
NOT_OURS = "MP017"
ESTIMATES = ("low", "mid", "high")
KEYS = {"estimate": str, "strict": bool, "template-dir": str}
MAX_CONFIG_BYTES = 2**20  # far past any configuration; a device or a huge file is not read on


@dataclass(frozen=True, slots=True)
class Config:
    estimate: str = "mid"
    strict: bool = False
    template_dir: Path | None = None
    source: Path | None = None  # the file it came from
    warnings: tuple[str, ...] = ()  # files ignored on the way, as diagnostic lines


def config_for(path: str) -> Config:
    """The settings that apply to ``path`` (``-``: the working folder)."""
    start = Path.cwd() if path == "-" else Path(path).resolve().parent
    return _config_in(start)


def search_folders(start: Path) -> Iterator[Path]:
    """``start`` and its parents up to the repository root or the home folder, whichever comes
    first; only ``start`` when neither lies above it."""
    home = _home()
    chain = (start, *start.parents)
    for number, folder in enumerate(chain):
        if folder == home or (folder / ".git").exists():
            yield from chain[: number + 1]
            return
    yield start


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def _config_in(folder: Path) -> Config:
    ignored: list[str] = []
    for candidate in search_folders(folder):
        found = _config_at(candidate, ignored)
        if found is not None:
            return Config(found.estimate, found.strict, found.template_dir, found.source, tuple(ignored))
    return Config(warnings=tuple(ignored))


def _config_at(folder: Path, ignored: list[str]) -> Config | None:
    dotfile = folder / ".mdplan.toml"
    if dotfile.is_file() and _trusted(dotfile, ignored):
        return _validated(_load(dotfile), dotfile)
    pyproject = folder / "pyproject.toml"
    data = _bytes_mentioning_mdplan(pyproject)
    if data is not None and _trusted(pyproject, ignored):
        tool = _load(pyproject, data).get("tool", {})
        table = tool.get("mdplan") if isinstance(tool, dict) else None
        if table is not None:
            return _validated(table, pyproject)
    return None


def _trusted(path: Path, ignored: list[str]) -> bool:
    """Whether ``path`` is owned by the current user or by root; if not, say it is ignored."""
    owner = path.stat().st_uid
    if owner in (os.geteuid(), 0):
        return True
    ignored.append(f"{path}:1:1: warning {NOT_OURS} configuration owned by another user (uid {owner}) is ignored")
    return False


def _bytes_mentioning_mdplan(pyproject: Path) -> bytes | None:
    """The file, when it says ``mdplan``: a pyproject.toml that never does holds no
    ``[tool.mdplan]``, so it is not parsed (parsing TOML is most of a small check's start-up),
    and a fault in it is not ours to report. Only a regular file is read (a FIFO or a device
    named ``pyproject.toml`` is no configuration), and no more than ``MAX_CONFIG_BYTES``."""
    try:
        data = _bounded_bytes(pyproject)
    except OSError:
        return None
    return data if b"mdplan" in data else None


def _bounded_bytes(path: Path) -> bytes:
    """A regular file's bytes; ``OSError`` for anything else or past ``MAX_CONFIG_BYTES``."""
    data, _ = read_regular(str(path), MAX_CONFIG_BYTES)
    if len(data) > MAX_CONFIG_BYTES:
        raise OSError(f"larger than {MAX_CONFIG_BYTES:,} bytes")
    return data


def _load(path: Path, data: bytes | None = None) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads((_bounded_bytes(path) if data is None else data).decode("utf-8"))
    except OSError as error:
        raise UnusableInput(str(path), BAD_CONFIG, f"cannot read the configuration: {reason(error)}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UnusableInput(str(path), BAD_CONFIG, f"cannot read the configuration: {error}") from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise UnusableInput(str(path), BAD_CONFIG, "cannot read the configuration: nested too deeply") from None


def _validated(table: Any, path: Path) -> Config:
    where = f"[tool.mdplan] of {path}" if path.name == "pyproject.toml" else str(path)
    if not isinstance(table, dict):
        raise UnusableInput(str(path), BAD_CONFIG, f"{where} must be a table")
    allowed = ", ".join(KEYS)
    for key, value in table.items():
        if key not in KEYS:
            raise UnusableInput(str(path), BAD_CONFIG, f"unknown key {key!r} in {where}; allowed: {allowed}")
        if not isinstance(value, KEYS[key]):
            kind = KEYS[key].__name__
            raise UnusableInput(str(path), BAD_CONFIG, f"{key!r} in {where} must be a {kind}, not {value!r}")
    estimate = table.get("estimate", "mid")
    if estimate not in ESTIMATES:
        raise UnusableInput(str(path), BAD_CONFIG, f"'estimate' in {where} must be one of {', '.join(ESTIMATES)}")
    folder = table.get("template-dir")
    template_dir = _template_folder(path.parent, folder, where) if folder else None
    return Config(estimate, table.get("strict", False), template_dir, path)


def _template_folder(base: Path, folder: str, where: str) -> Path:
    """``template-dir`` resolved against the configuration's folder; it must be a folder (as
    ``--template-dir`` must): a misspelt one would silently give the bundled templates."""
    try:
        resolved = (base / folder).resolve()
        found = resolved.is_dir()
    except (OSError, ValueError, RuntimeError) as error:  # NUL bytes, loops, too long
        raise UnusableInput(str(base), BAD_CONFIG, f"'template-dir' in {where} cannot be used: {error}") from None
    if not found:
        raise UnusableInput(folder, "MP004", f"template directory does not exist ('template-dir' in {where})")
    return resolved
