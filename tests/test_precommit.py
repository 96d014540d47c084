"""The hooks of ``.pre-commit-hooks.yaml``, run by the real ``pre-commit`` in throwaway git repositories.

The hooks are installed from a snapshot of this working tree (tracked files as they are on disk,
plus untracked files git does not ignore), committed in a git repository of its own: that is what
a user would get from the commit about to be made. ``pre-commit try-repo`` installs the hook
environment into a fresh temporary store on every call, so it is run once (all hooks on a tidy
repository); the other cases run ``pre-commit run`` with a ``.pre-commit-config.yaml`` naming the
snapshot, and share one ``PRE_COMMIT_HOME`` per test session so the environment (``pip install``
from the package index: network access) is built once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # pre-commit builds environments: run by `pytest -m slow` and .ci/run

ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
HOOK_IDS = ("mdplan-check", "mdplan-sync", "mdplan-fmt")
INSTALL_TIMEOUT = 900  # seconds: building the hook environment downloads packages
RUN_TIMEOUT = 300

PLAN = """\
# Release plan

## Phase 1: Write the parser (10 min)

- Files: src/parse.py

## Phase 2: Write the report (15 min)

- Depends on: Phase 1
- Files: src/report.py

## Phase 3: Document it (5 min)

- Depends on: Phase 1
"""

CYCLE = """\
# Cyclic plan

## Phase 1: A (5 min)

- Depends on: Phase 2

## Phase 2: B (5 min)

- Depends on: Phase 1
"""

BEGIN = "<!-- mdplan:begin summary -->"
END = "<!-- mdplan:end -->"
SYNCABLE = PLAN.replace("# Release plan\n", f"# Release plan\n\n{BEGIN}\n{END}\n", 1)

MESSY = """\
Rollout plan
============

```
Phase 1 -> Phase 2
Phase 1 -> Phase 3
```

## Phase 1: Prepare (10 min) ##
* Files: src/a.py



## Phase 2: Migrate (20 min)
* Depends on: Phase 1

## Phase 3: Announce (5 min)
+ Depends on: Phase 1
"""

# Markdown that is no plan (mdplan check exits 2 when it is named) and is not in canonical form
# (mdplan fmt would rewrite it): the hooks must leave it alone.
ORDINARY = """\
Example project
===============

* Nothing to plan here.
* Just notes.
"""


# --- helpers -----------------------------------------------------------------------------------


def _environment(**extra: str) -> dict[str, str]:
    """This process's environment without what would leak into the subprocesses: git's variables
    (set when the tests run inside a git hook), pre-commit's, and the test run's PYTHONPATH."""
    dropped = ("GIT_", "PRE_COMMIT")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    for name in ("PYTHONPATH", "PYTHONHOME", "SKIP"):
        env.pop(name, None)
    env.update(extra)
    return env


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=_environment(), capture_output=True, text=True, check=False, timeout=RUN_TIMEOUT
    )
    if result.returncode != 0:
        pytest.fail(f"git {' '.join(args)} failed in {cwd}:\n{result.stdout}{result.stderr}")
    return result.stdout


def _init_repo(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    _git(path, "init", "--quiet")
    _git(path, "config", "user.email", "tests@mdplan.invalid")
    _git(path, "config", "user.name", "mdplan tests")
    _git(path, "config", "commit.gpgsign", "false")


def _commit_all(path: Path, message: str) -> str:
    _git(path, "add", "--all", "--force")
    _git(path, "commit", "--quiet", "--no-verify", "--allow-empty", "-m", message)
    return _git(path, "rev-parse", "HEAD").strip()


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))  # bytes: no newline translation


def _config(source: HookSource, hook_ids: tuple[str, ...]) -> str:
    hooks = "".join(f"      - id: {hook_id}\n" for hook_id in hook_ids)
    # a JSON string is a YAML double-quoted string: any path survives
    return f"repos:\n  - repo: {json.dumps(str(source.path))}\n    rev: {source.rev}\n    hooks:\n{hooks}"


def _manifest() -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit
    hooks: list[dict[str, Any]] = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    return hooks


@dataclass(frozen=True)
class HookSource:
    """A committed snapshot of this working tree: what ``repo:`` and ``rev:`` point at."""

    path: Path
    rev: str


@dataclass(frozen=True)
class Project:
    """A user's repository, with a ``.pre-commit-config.yaml`` that uses the mdplan hooks."""

    path: Path
    env: dict[str, str]

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``pre-commit ARGS`` here; stdout and stderr together, as a user sees them."""
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
            cwd=self.path,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
            timeout=INSTALL_TIMEOUT,
        )

    def run_hook(self, hook_id: str, *args: str) -> subprocess.CompletedProcess[str]:
        return self.pre_commit("run", hook_id, *(args or ("--all-files",)))

    def read(self, name: str) -> str:
        return (self.path / name).read_bytes().decode("utf-8")

    def changed(self) -> str:
        return _git(self.path, "status", "--porcelain")


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    if shutil.which("git") is None:
        pytest.skip("git is not available")
    pytest.importorskip("pre_commit")
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, env=_environment(), capture_output=True, check=False
    )
    if inside.returncode != 0:
        pytest.skip(f"{ROOT} is not a git checkout; pre-commit installs hooks from a git repository")
    snapshot = tmp_path_factory.mktemp("mdplan-hook-source")
    listing = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted on disk is left out, as a commit would
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _init_repo(snapshot)
    return HookSource(snapshot, _commit_all(snapshot, "mdplan working tree"))


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory, hook_source: HookSource) -> Path:
    """One pre-commit store for the session, its hook environment built up front."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    project = _project(tmp_path_factory.mktemp("install"), hook_source, home, {})
    result = project.pre_commit("install-hooks")
    assert result.returncode == 0, f"building the hook environment failed:\n{result.stdout}"
    return home


def _project(path: Path, source: HookSource, home: Path, files: dict[str, str]) -> Project:
    _init_repo(path)
    _write(path, {".pre-commit-config.yaml": _config(source, HOOK_IDS), **files})
    _commit_all(path, "initial")
    return Project(path, _environment(PRE_COMMIT_HOME=str(home)))


@pytest.fixture
def make_project(tmp_path: Path, hook_source: HookSource, pre_commit_home: Path) -> Callable[[dict[str, str]], Project]:
    return lambda files: _project(tmp_path / "project", hook_source, pre_commit_home, files)


# --- the hook manifest (no pre-commit run) -----------------------------------------------------


def test_every_hook_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [hook["id"] for hook in _manifest() if hook["id"] not in readme]
    assert not missing, f"README.md does not mention the hooks {missing}"


def test_manifest_declares_the_three_python_hooks() -> None:
    hooks = {hook["id"]: hook for hook in _manifest()}
    assert sorted(hooks) == sorted(HOOK_IDS)
    for hook_id, hook in hooks.items():
        assert hook["language"] == "python"
        assert hook["entry"] == hook_id.replace("-", " ")
        assert hook["types"] == ["markdown"]
        assert hook["name"]
        assert hook["description"]


def test_manifest_is_valid_for_pre_commit() -> None:
    pytest.importorskip("pre_commit")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS_FILE)],
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


PLAN_NAMES = [
    "plan.md",
    "PLAN.md",
    "plans.md",
    "docs/release-plan.md",
    "IMPLEMENTATION_PLAN.md",
    ".planning/phases/04-api/04-02-PLAN.md",
    ".planning/ROADMAP.md",
    "specs/001-login/tasks.md",
    "specs/001-login/plan.md",
    "migration.plan.md",
    "plan-v2.markdown",
]
OTHER_NAMES = [
    "README.md",
    "CHANGELOG.md",
    "docs/explanation.md",
    "planet.md",
    "docs/planning.md",
    "plans/auth.md",
    "specs/001-login/spec.md",
    ".planning/STATE.md",
    "plan.txt",
]


@pytest.mark.parametrize("hook_id", ["mdplan-check", "mdplan-fmt"])
def test_check_and_fmt_only_take_files_named_as_plans(hook_id: str) -> None:
    hook = {hook["id"]: hook for hook in _manifest()}[hook_id]
    files = re.compile(hook["files"])  # pre-commit matches with re.search on the repo-relative path
    assert [name for name in PLAN_NAMES if not files.search(name)] == []
    assert [name for name in OTHER_NAMES if files.search(name)] == []


def test_sync_takes_every_markdown_file() -> None:
    hook = {hook["id"]: hook for hook in _manifest()}["mdplan-sync"]
    assert hook.get("files", "") == ""
    assert hook.get("pass_filenames", True)


# --- real pre-commit runs ----------------------------------------------------------------------


def test_try_repo_runs_every_hook_clean_on_a_tidy_repository(
    tmp_path: Path, hook_source: HookSource, pre_commit_home: Path
) -> None:
    files = {"docs/plan.md": PLAN, "README.md": ORDINARY}
    project = _project(tmp_path / "project", hook_source, pre_commit_home, files)
    result = project.pre_commit("try-repo", str(hook_source.path), "--all-files")
    assert result.returncode == 0, result.stdout
    for name in ("mdplan check", "mdplan sync", "mdplan fmt"):
        assert re.search(rf"^{name}\.+Passed$", result.stdout, re.MULTILINE), result.stdout
    assert project.changed() == ""


def test_check_passes_on_a_valid_plan_beside_ordinary_markdown(make_project: Callable[..., Project]) -> None:
    project = make_project({"docs/plan.md": PLAN, "README.md": ORDINARY, "docs/guide.md": ORDINARY})
    result = project.run_hook("mdplan-check")
    assert result.returncode == 0, result.stdout
    assert re.search(r"^mdplan check\.+Passed$", result.stdout, re.MULTILINE), result.stdout
    # a file that is no plan is not passed to mdplan at all (mdplan check README.md exits 2)
    only_readme = project.run_hook("mdplan-check", "--files", "README.md")
    assert only_readme.returncode == 0, only_readme.stdout
    assert "(no files to check)Skipped" in only_readme.stdout
    assert project.changed() == ""


def test_check_fails_on_a_dependency_cycle_and_names_file_and_code(make_project: Callable[..., Project]) -> None:
    project = make_project({"docs/cycle-plan.md": CYCLE, "docs/plan.md": PLAN, "README.md": ORDINARY})
    result = project.run_hook("mdplan-check")
    assert result.returncode == 1, result.stdout
    assert re.search(r"^mdplan check\.+Failed$", result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"docs/cycle-plan\.md:\d+:\d+: error MP107 ", result.stdout), result.stdout
    assert "docs/plan.md" not in result.stdout  # the valid plan has nothing to report
    assert project.changed() == ""  # check never writes


def test_sync_fills_regions_then_passes(make_project: Callable[..., Project]) -> None:
    project = make_project({"docs/plan.md": SYNCABLE, "README.md": ORDINARY})
    first = project.run_hook("mdplan-sync")
    assert first.returncode == 1, first.stdout
    assert "files were modified by this hook" in first.stdout
    synced = project.read("docs/plan.md")
    head, rest = synced.split(BEGIN + "\n", 1)
    body, tail = rest.split(END, 1)
    assert body.strip(), "the summary region is still empty"
    assert head + BEGIN + "\n" + END + tail == SYNCABLE  # bytes outside the region are kept
    assert project.changed().split() == ["M", "docs/plan.md"]  # README.md is left alone

    second = project.run_hook("mdplan-sync")
    assert second.returncode == 0, second.stdout
    assert project.read("docs/plan.md") == synced


def test_fmt_rewrites_a_messy_plan_then_passes(make_project: Callable[..., Project]) -> None:
    project = make_project({"docs/plan.md": MESSY, "README.md": ORDINARY})
    first = project.run_hook("mdplan-fmt")
    assert first.returncode == 1, first.stdout
    assert "files were modified by this hook" in first.stdout
    formatted = project.read("docs/plan.md")
    assert formatted != MESSY
    assert formatted.startswith("# Rollout plan\n\n")
    assert "\n* " not in formatted
    assert "\n+ " not in formatted
    assert "\n\n\n" not in formatted
    assert "Phase 1 ──→ Phase 2\n" in formatted
    assert "## Phase 1: Prepare (10 min)\n\n- Files: src/a.py\n" in formatted
    assert project.changed().split() == ["M", "docs/plan.md"]  # README.md is not a plan: untouched

    second = project.run_hook("mdplan-fmt")
    assert second.returncode == 0, second.stdout
    assert project.read("docs/plan.md") == formatted

    check = project.run_hook("mdplan-check")  # the rewritten plan is still a valid plan
    assert check.returncode == 0, check.stdout
