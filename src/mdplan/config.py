"""Configuration: ``[tool.mdplan]`` in ``pyproject.toml`` or a ``.mdplan.toml``, found upward.

For each input file, the nearest folder (the file's own, then its parents) holding a
``.mdplan.toml`` or a ``pyproject.toml`` with a ``[tool.mdplan]`` table gives the settings.
Keys are checked strictly: an unknown key or a wrong type is an error naming what is allowed.
Flags on the command line override the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mdplan.errors import UnusableInput

BAD_CONFIG = "MP009"
ESTIMATES = ("low", "mid", "high")
KEYS = {"estimate": str, "strict": bool, "template-dir": str}


@dataclass(frozen=True, slots=True)
class Config:
    estimate: str = "mid"
    strict: bool = False
    template_dir: Path | None = None
    source: Path | None = None  # the file it came from


def config_for(path: str) -> Config:
    """The settings that apply to ``path`` (``-``: the working folder)."""
    start = Path.cwd() if path == "-" else Path(path).resolve().parent
    return _config_in(start)


def _config_in(folder: Path) -> Config:
    for candidate in (folder, *folder.parents):
        dotfile = candidate / ".mdplan.toml"
        if dotfile.is_file():
            return _validated(_load(dotfile), dotfile)
        pyproject = candidate / "pyproject.toml"
        data = _bytes_mentioning_mdplan(pyproject)
        if data is not None:
            table = _load(pyproject, data).get("tool", {}).get("mdplan")
            if table is not None:
                return _validated(table, pyproject)
    return Config()


def _bytes_mentioning_mdplan(pyproject: Path) -> bytes | None:
    """The file, when it says ``mdplan``: a pyproject.toml that never does holds no
    ``[tool.mdplan]``, so it is not parsed (parsing TOML is most of a small check's start-up),
    and a fault in it is not ours to report."""
    try:
        data = pyproject.read_bytes()
    except OSError:
        return None
    return data if b"mdplan" in data else None


def _load(path: Path, data: bytes | None = None) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads((path.read_bytes() if data is None else data).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UnusableInput(str(path), BAD_CONFIG, f"cannot read the configuration: {error}") from None


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
    template_dir = (path.parent / folder).resolve() if folder else None
    return Config(estimate, table.get("strict", False), template_dir, path)
