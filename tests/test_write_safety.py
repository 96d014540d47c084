"""The write path never loses a byte: no output over an input, nothing but regular files
replaced, links and owners kept, no temporary file left, no lost update; and what cannot be
read, or printed, is one clear line (exit 2), never a traceback or a hang."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mdplan.cli import run
from mdplan.parse import document as api
from mdplan.rewrite import fmt as fmt_module
from mdplan.rewrite import sync as sync_module
from tests.helpers import REFERENCE

MESSY = "# Plan\n\n## Phase 1: Build (10 min)\n* messy item\n"
BOUND = 60  # seconds: a bound against hangs, not a benchmark
SRC = Path(__file__).resolve().parents[1] / "src"


def one_error(capsys: pytest.CaptureFixture[str], code: str) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f" error {code} " in err[0] and "Traceback" not in err[0], err
    return err[0]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def cli(*argv: str, cwd: Path | None = None, **options: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.update(options.pop("env", {}))  # type: ignore[call-overload]
    return subprocess.run(
        [sys.executable, "-m", "mdplan", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=BOUND,
        **options,  # type: ignore[arg-type]
    )


# --- 1. an output is never an input of the same run ---------------------------------------


@pytest.mark.parametrize("how", ["same", "symlink", "hard link", "dot path"])
def test_report_onto_its_own_plan_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    plan = tmp_path / "plan.md"
    plan.write_bytes(REFERENCE.read_bytes())
    out = {"same": plan, "symlink": tmp_path / "link.md", "hard link": tmp_path / "hard.md"}.get(how)
    if how == "symlink":
        out.symlink_to(plan)  # type: ignore[union-attr]
    elif how == "hard link":
        os.link(plan, out)  # type: ignore[arg-type]
    target = str(out) if out else f"{tmp_path}/./plan.md"
    assert run(["report", str(plan), "-o", target]) == 2
    assert "is an input of this run" in one_error(capsys, "MP011")
    assert plan.read_bytes() == REFERENCE.read_bytes()


def test_report_of_stdin_onto_the_file_it_comes_from_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_bytes(REFERENCE.read_bytes())
    with plan.open("rb") as stdin:
        result = cli("report", "-", "-o", str(plan), stdin=stdin)
    assert result.returncode == 2 and "MP011" in result.stderr
    assert plan.read_bytes() == REFERENCE.read_bytes()


def test_report_of_a_folder_into_itself_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "plan.md").write_bytes(REFERENCE.read_bytes())
    assert run(["report", str(plans), "--out-dir", str(plans)]) == 2
    one_error(capsys, "MP011")
    assert (plans / "plan.md").read_bytes() == REFERENCE.read_bytes()
    assert sorted(p.name for p in plans.iterdir()) == ["plan.md"]


def test_two_inputs_never_write_one_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.md").write_bytes(REFERENCE.read_bytes())
    out = tmp_path / "out"
    assert run(["report", str(tmp_path / "a" / "plan.md"), str(tmp_path / "b" / "plan.md"), "--out-dir", str(out)]) == 2
    assert "two inputs" in one_error(capsys, "MP011")
    assert not out.exists()


def test_one_plan_named_twice_is_one_report(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_bytes(REFERENCE.read_bytes())
    assert run(["report", str(plan), str(plan), "--out-dir", str(tmp_path / "out")]) == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["plan.md"]


# --- 2. only regular files are written ------------------------------------------------------


def test_report_onto_a_device_fifo_or_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    device = "/dev/null"  # only root could replace it: root gets a null device of its own below
    if os.geteuid() == 0:
        device = str(tmp_path / "null")
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    for out in (device, str(fifo), str(tmp_path)):
        before = Path(out).stat()
        assert run(["report", str(REFERENCE), "-o", out]) == 2
        assert "not a regular file" in one_error(capsys, "MP005")
        after = Path(out).stat()
        assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)
    assert temporaries(tmp_path) == []


def test_an_out_ending_with_a_slash_is_a_folder_not_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "notes.md"
    existing.write_text("my notes\n", encoding="utf-8")
    for out in (f"{existing}/", f"{tmp_path / 'new.md'}/"):
        assert run(["report", str(REFERENCE), "-o", out]) == 2
        assert "ending with / is a folder" in one_error(capsys, "MP005")
    assert existing.read_text(encoding="utf-8") == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_out_dir_naming_a_file_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_bytes(REFERENCE.read_bytes())
    assert run(["report", str(plan), str(REFERENCE), "--out-dir", str(plan)]) == 2
    assert "--out-dir names a file" in one_error(capsys, "MP005")
    assert plan.read_bytes() == REFERENCE.read_bytes()


# --- 3. links, owners and modes ---------------------------------------------------------------


def rewrite(command: str, path: Path) -> list[str]:
    if command == "report":
        return ["report", str(REFERENCE), "-o", str(path)]
    return [command, str(path)]


def seed(command: str, path: Path) -> None:
    region = "\n<!-- mdplan:begin summary -->\n<!-- mdplan:end -->\n" if command == "sync" else ""
    path.write_text(MESSY + region, encoding="utf-8")


@pytest.mark.parametrize("command", ["fmt", "sync", "check", "report"])
def test_a_link_found_in_a_folder_that_leads_out_of_it_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A link named on the command line is written through; one a folder walk finds that leads
    out of the folder (a cloned repository's ``notes.md -> ~/.bashrc``) is neither read nor written."""
    outside = tmp_path / "home" / "dotfile"
    outside.parent.mkdir()
    seed("sync", outside)
    before = outside.read_bytes()
    docs = tmp_path / "docs"
    (docs / "inner").mkdir(parents=True)
    seed(command, docs / "inner" / "plan.md")
    (docs / "notes.md").symlink_to(outside)
    (docs / "same.md").symlink_to(docs / "inner" / "plan.md")  # a link inside the folder is fine
    argv = [command, str(docs)] + (["--out-dir", str(tmp_path / "out")] if command == "report" else [])
    assert run(argv) in (0, 1)
    assert outside.read_bytes() == before
    err = capsys.readouterr().err
    assert f"notes.md:1:1: warning MP019 skipped: a link to a file outside {docs}" in err
    assert "same.md" not in err
    if command == "report":
        assert sorted(p.name for p in (tmp_path / "out").rglob("*.md")) == ["plan.md", "same.md"]


@pytest.mark.parametrize("command", ["fmt", "sync", "report"])
def test_a_symlink_is_written_through(tmp_path: Path, command: str) -> None:
    target = tmp_path / "real" / "plan.md"
    target.parent.mkdir()
    seed(command, target)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    before = target.read_text(encoding="utf-8")
    assert run(rewrite(command, link)) == 0
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text(encoding="utf-8") != before
    assert temporaries(tmp_path) == [] and temporaries(target.parent) == []


def test_a_symlink_to_another_filesystem_is_written_through(tmp_path: Path) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK) or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs a writable /dev/shm on another filesystem")
    target = shm / f"mdplan-test-{os.getpid()}-plan.md"
    try:
        seed("fmt", target)
        link = tmp_path / "plan.md"
        link.symlink_to(target)
        assert run(["fmt", str(link)]) == 0
        assert (
            link.is_symlink()
            and target.read_text(encoding="utf-8") == "# Plan\n\n## Phase 1: Build (10 min)\n\n- messy item\n"
        )
    finally:
        target.unlink(missing_ok=True)


@pytest.mark.parametrize("command", ["fmt", "sync", "report"])
def test_hard_links_are_kept(tmp_path: Path, command: str) -> None:
    plan = tmp_path / "plan.md"
    seed(command, plan)
    other = tmp_path / "other-name.md"
    os.link(plan, other)
    assert run(rewrite(command, plan)) == 0
    assert plan.stat().st_ino == other.stat().st_ino and plan.stat().st_nlink == 2
    assert other.read_text(encoding="utf-8") == plan.read_text(encoding="utf-8") != MESSY
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("command", ["fmt", "sync", "report"])
def test_owner_group_and_mode_are_kept(tmp_path: Path, command: str) -> None:
    plan = tmp_path / "plan.md"
    seed(command, plan)
    plan.chmod(0o640)
    owner = (os.getuid(), os.getgid())
    if os.geteuid() == 0:
        owner = (4321, 8765)
        os.chown(plan, *owner)
    assert run(rewrite(command, plan)) == 0
    status = plan.stat()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o7777) == (*owner, 0o640)
    assert plan.read_text(encoding="utf-8") != MESSY


def test_a_file_in_a_folder_that_takes_no_new_file_is_rewritten_in_place(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may create files in any folder")
    folder = tmp_path / "locked"
    folder.mkdir()
    plan = folder / "plan.md"
    seed("fmt", plan)
    folder.chmod(0o555)
    try:
        assert run(["fmt", str(plan)]) == 0
        assert plan.read_text(encoding="utf-8") != MESSY
    finally:
        folder.chmod(0o755)


# --- 4. temporary files ---------------------------------------------------------------------


def dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=False
    )
    return int(child.stdout)


def test_stale_temporary_files_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    seed("fmt", plan)
    stale = tmp_path / f".mdplan-plan.md-{dead_pid()}.tmp"
    stale.write_text("half a file", encoding="utf-8")
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as alive:
        try:
            live = tmp_path / f".mdplan-plan.md-{alive.pid}.tmp"
            live.write_text("being written", encoding="utf-8")
            mine = tmp_path / "notes.tmp"
            mine.write_text("not mdplan's", encoding="utf-8")
            assert run(["fmt", str(plan)]) == 0
            assert temporaries(tmp_path) == [live.name, "notes.tmp"]
        finally:
            alive.kill()


def test_a_long_name_gets_a_temporary_file_the_system_accepts(tmp_path: Path) -> None:
    plan = tmp_path / ("界" * 80 + ".md")  # 243 bytes: the name of its temporary must be cut in bytes
    seed("fmt", plan)
    assert run(["fmt", str(plan)]) == 0
    assert plan.read_text(encoding="utf-8") != MESSY and temporaries(tmp_path) == []


SIGNALLED = """
import os, signal, sys
sys.path.insert(0, {src!r})
real_fsync = os.fsync
def fsync(handle):
    os.kill(os.getpid(), signal.{signal})  # arrives in the middle of the write
    real_fsync(handle)
os.fsync = fsync
from mdplan.cli import run
sys.exit(run(["fmt", {plan!r}]))
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path: Path, name: str) -> None:
    plan = tmp_path / "plan.md"
    seed("fmt", plan)
    script = SIGNALLED.format(src=str(SRC), signal=name, plan=str(plan))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=BOUND, check=False)
    assert result.returncode in (-getattr(signal, name), 130), result.stderr
    assert "Traceback" not in result.stderr
    assert temporaries(tmp_path) == []
    assert plan.read_text(encoding="utf-8") in (MESSY, "# Plan\n\n## Phase 1: Build (10 min)\n\n- messy item\n")


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan.md"
    seed("fmt", plan)

    def full(*_: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    assert run(["fmt", str(plan)]) == 2
    assert plan.read_text(encoding="utf-8") == MESSY
    assert temporaries(tmp_path) == []


# --- 5. no lost update ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "module", "function"), [("fmt", fmt_module, "format_text"), ("sync", sync_module, "sync_text")]
)
def test_a_file_changed_while_mdplan_worked_is_not_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    module: object,
    function: str,
) -> None:
    plan = tmp_path / "plan.md"
    seed(command, plan)
    theirs = plan.read_text(encoding="utf-8") + "\nA line another program added.\n"
    real = getattr(module, function)

    def meanwhile(text: str, *rest: object) -> str:
        plan.write_text(theirs, encoding="utf-8")  # the other program writes while mdplan works
        return real(text, *rest)  # type: ignore[no-any-return]

    monkeypatch.setattr(module, function, meanwhile)
    assert run([command, str(plan)]) == 2
    assert "changed on disk" in one_error(capsys, "MP012")
    assert plan.read_text(encoding="utf-8") == theirs
    assert temporaries(tmp_path) == []


def test_fmt_and_sync_at_once_never_lose_a_change(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(MESSY + "\n<!-- mdplan:begin summary -->\n<!-- mdplan:end -->\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "mdplan", command, str(plan)], env=env, stderr=subprocess.PIPE, text=True
        )
        for command in ("fmt", "sync")
    ]
    statuses = [child.wait(timeout=BOUND) for child in runs]
    for child in runs:
        assert child.stderr is not None
        child.stderr.close()
    text = plan.read_text(encoding="utf-8")
    formatted, synced = "- messy item" in text, "mdplan read" in text
    # each run either did its change (and it is in the file) or said so with exit 2
    assert (statuses[0] == 0 and formatted) or statuses[0] == 2
    assert (statuses[1] == 0 and synced) or statuses[1] == 2
    assert temporaries(tmp_path) == []


# --- 6. inputs that are not regular files ---------------------------------------------------


def test_a_device_or_fifo_as_input_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.md"
    os.mkfifo(fifo)
    for command in ("check", "report", "graph", "fmt", "sync"):
        for path in ("/dev/zero", str(fifo)):
            result = cli(command, path)
            assert result.returncode == 2, (command, path)
            assert "not a regular file" in result.stderr and len(result.stderr.splitlines()) == 1


def test_reading_stops_past_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    plan = tmp_path / "big.md"
    plan.write_bytes(b"x" * (api.MAX_INPUT_BYTES * 2))
    read: list[int] = []
    real_read = os.read

    def counting(handle: int, size: int) -> bytes:
        chunk = real_read(handle, size)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(os, "read", counting)
    with pytest.raises(api.UnusableInput, match=r"too large: 16,777,216 bytes"):
        api.read_text(str(plan))
    assert sum(read) == api.MAX_INPUT_BYTES + 1


# --- 7. what used to crash: one clear line, exit 2 ----------------------------------------------


def test_closed_stdout_from_the_shell(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        f"{sys.executable} -m mdplan check {REFERENCE} >&-",
        shell=True,
        env=env,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=BOUND,
    )
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "MP005" in result.stderr


def test_closed_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert run(["check", "-"]) == 2
    assert "standard input is closed" in one_error(capsys, "MP001")


def test_an_ascii_terminal_with_non_ascii_output(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("## Phase 1: Café (5 min)\n\n## Phase 2: Thé (5 min)\n\nAfter Phase 1.\n", encoding="utf-8")
    for command in (["graph", str(plan), "--format", "mermaid"], ["report", str(plan)]):
        result = cli(*command, env={"PYTHONIOENCODING": "ascii"})
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
        assert "MP005" in result.stderr and "PYTHONIOENCODING=utf-8" in result.stderr


def test_a_removed_working_folder(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); sys.path.insert(0, {str(SRC)!r})\n"
        "from mdplan.cli import run; sys.exit(run(['check', '-']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], input="", capture_output=True, text=True, check=False, timeout=BOUND
    )
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "working folder no longer exists" in result.stderr


def test_a_path_past_the_system_limit(capsys: pytest.CaptureFixture[str]) -> None:
    path = "a/" * 2100 + "plan.md"
    for command in (["check", path], ["report", path], ["fmt", path], ["graph", path]):
        assert run(command) == 2
        assert "the path is too long" in one_error(capsys, "MP001")


def test_a_symlink_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    for command in ("check", "report", "fmt", "sync", "graph"):
        assert run([command, str(tmp_path / "a.md")]) == 2
        assert "symlink loop" in one_error(capsys, "MP001")


# --- 8. names never forge a line ------------------------------------------------------------------


def test_a_newline_in_a_file_name_cannot_forge_a_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forged = tmp_path / "x.md\nplan.md:1:1: error MP999 forged"
    forged.write_text("# Notes\n", encoding="utf-8")
    assert run(["check", str(forged)]) == 2
    line = one_error(capsys, "MP002")
    assert "\\nplan.md:1:1: error MP999 forged:1:1:" in line
    cycle = tmp_path / "cycle\x1b[2J.md"
    cycle.write_text("## Phase 1: A (5 min)\n- Depends on: Phase 2\n\n## Phase 2: B (5 min)\n- Depends on: Phase 1\n")
    assert run(["check", str(cycle)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "cycle\\x1b[2J.md:" in out
    assert all(line.startswith(str(tmp_path)) for line in out.splitlines())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named_as_such_not_as_nul_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    plan = tmp_path / "plan.md"
    plan.write_bytes("## Phase 1: Build (2h)\n".encode(encoding))
    assert run(["check", str(plan)]) == 2
    err = capsys.readouterr().err
    assert "MP001" in err and "UTF-16" in err and "NUL" not in err
