"""`--output FILE`: what is at FILE decides how it is written; nothing is harmed on failure."""

from __future__ import annotations

import io
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _output_helpers import make_env, make_output, stdout_of

from chathq_cli import errors
from chathq_cli.output import (
    Column,
    Env,
    Terminated,
    check_destination,
    open_destination,
)


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    """An empty directory of its own (the isolation fixture keeps a home in tmp_path)."""
    directory = tmp_path / "out"
    directory.mkdir()
    return directory


def write(path: Path | str | None, text: str = "new\n", **kwargs: object) -> None:
    with open_destination(path, **kwargs) as stream:  # type: ignore[arg-type]
        stream.write(text)


def usage_error(path: Path | str | None, **kwargs: object) -> errors.UsageError:
    with pytest.raises(errors.UsageError) as caught:
        check_destination(path, **kwargs)  # type: ignore[arg-type]
    assert caught.value.exit_code == errors.ExitCode.USAGE
    return caught.value


# -- regular files ---------------------------------------------------------------------------


def test_a_new_file_is_written_through_a_part_file_and_renamed(tmp: Path) -> None:
    target = tmp / "usage.csv"
    with open_destination(target, force=False) as stream:
        stream.write("a,b\n")
        assert not target.exists()
        part = tmp / "usage.csv.part"
        assert stat.S_IMODE(part.stat().st_mode) == 0o600  # private while partial
    assert target.read_text() == "a,b\n"
    assert sorted(p.name for p in tmp.iterdir()) == ["usage.csv"]


def test_a_new_file_gets_the_umask_mode(tmp: Path) -> None:
    old = os.umask(0o027)
    try:
        write(tmp / "out.csv", force=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp / "out.csv").stat().st_mode) == 0o640


def test_an_existing_file_is_not_replaced_without_force(tmp: Path) -> None:
    target = tmp / "usage.csv"
    target.write_text("precious\n")
    error = usage_error(target, force=False)
    assert "--force" in error.message and error.param == "--output"
    with pytest.raises(errors.UsageError):
        write(target, force=False)
    assert target.read_text() == "precious\n"
    assert not (tmp / "usage.csv.part").exists()


def test_force_replaces_an_existing_file_and_keeps_its_mode(tmp: Path) -> None:
    target = tmp / "usage.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    write(target, "new\n", force=True)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_read_only_file_is_refused_even_with_force(tmp: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write any file")
    target = tmp / "usage.csv"
    target.write_text("old\n")
    target.chmod(0o444)
    assert "read-only" in usage_error(target, force=True).message


@pytest.mark.parametrize("exc", [RuntimeError("request failed"), KeyboardInterrupt()])
def test_a_failure_removes_the_part_file_and_leaves_the_target(
    tmp: Path, exc: BaseException
) -> None:
    target = tmp / "usage.csv"
    target.write_text("old\n")
    with pytest.raises(type(exc)), open_destination(target, force=True) as stream:
        stream.write("half")
        raise exc
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp.iterdir()) == ["usage.csv"]


def test_a_left_over_part_file_is_reported_not_overwritten(tmp: Path) -> None:
    (tmp / "usage.csv.part").write_text("someone else's export")
    error = usage_error(tmp / "usage.csv", force=False)
    assert "usage.csv.part" in error.message and error.hint
    assert (tmp / "usage.csv.part").read_text() == "someone else's export"


def test_binary_files_are_written_as_bytes(tmp: Path) -> None:
    target = tmp / "invoice.pdf"
    with open_destination(target, force=False, binary=True) as stream:
        stream.write(b"%PDF-1.7\n\x00\xff")
    assert target.read_bytes() == b"%PDF-1.7\n\x00\xff"


# -- symlinks: followed ----------------------------------------------------------------------


def test_a_symlink_is_followed_and_stays_a_link(tmp: Path) -> None:
    real = tmp / "reports" / "2026-11.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp / "latest.csv"
    link.symlink_to(real)
    assert "--force" in usage_error(link, force=False).message  # its target exists
    write(link, "new\n", force=True)
    assert link.is_symlink() and link.readlink() == real
    assert real.read_text() == "new\n"
    assert (
        not (tmp / "latest.csv.part").exists() and not real.with_name("2026-11.csv.part").exists()
    )


def test_a_dangling_symlink_creates_its_target(tmp: Path) -> None:
    link = tmp / "latest.csv"
    link.symlink_to(tmp / "fresh.csv")
    write(link, "new\n", force=False)
    assert link.is_symlink() and (tmp / "fresh.csv").read_text() == "new\n"


def test_a_symlink_loop_is_a_usage_error(tmp: Path) -> None:
    loop = tmp / "loop"
    loop.symlink_to(loop)
    assert "loop" in usage_error(loop, force=True).message.lower()


def test_a_part_symlink_planted_by_someone_else_is_never_followed(tmp: Path) -> None:
    victim = tmp / "victim"
    victim.write_text("keep\n")
    target = tmp / "usage.csv"
    (tmp / "usage.csv.part").symlink_to(victim)
    with pytest.raises(errors.UsageError):
        write(target, force=False)
    assert victim.read_text() == "keep\n"


# -- devices, FIFOs, stdout: written in place ------------------------------------------------


def test_dev_null_is_written_directly_never_renamed() -> None:
    assert check_destination("/dev/null", force=False).kind == "direct"
    write("/dev/null", force=False)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not Path("/dev/null.part").exists()


def test_a_fifo_is_written_directly(tmp: Path) -> None:
    fifo = tmp / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write(fifo, "through the pipe\n", force=False)
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp.iterdir()) == ["pipe"]


def test_dev_stdout_writes_to_the_process_stdout_even_when_it_is_a_file(tmp: Path) -> None:
    # `portal usage -o /dev/stdout >> log`: appended to the log, which is never replaced.
    log = tmp / "log"
    log.write_text("earlier\n")
    script = textwrap.dedent(
        """
        from chathq_cli.output import open_destination
        with open_destination("/dev/stdout", force=False) as stream:
            stream.write("new\\n")
        """
    )
    with log.open("a") as stdout:
        subprocess.run([sys.executable, "-c", script], stdout=stdout, check=True)
    assert log.read_text() == "earlier\nnew\n"
    assert sorted(p.name for p in tmp.iterdir()) == ["log"]


def test_a_socket_is_refused(tmp: Path) -> None:
    path = tmp / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert "socket" in usage_error(path, force=True).message


# -- bad paths: usage errors before any request ----------------------------------------------


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "missing" / "usage.csv", "does not exist"),
        (lambda tmp: "", "not a file name"),
    ],
)
def test_bad_paths_are_usage_errors_naming_the_option(tmp: Path, make, words: str) -> None:
    error = usage_error(make(tmp), force=True, param="-o")
    assert words in error.message and error.param == "-o"


def test_an_unwritable_directory_is_a_usage_error(tmp: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    locked = tmp / "locked"
    locked.mkdir(mode=0o500)
    assert "cannot write in" in usage_error(locked / "f.csv", force=False).message


def test_stdout_is_none_or_dash() -> None:
    env = make_env()
    assert check_destination(None, force=False).kind == "stdout"
    with open_destination("-", force=False, env=env) as stream:
        stream.write("x\n")
    assert stdout_of(env) == "x\n"


def test_binary_data_is_refused_on_a_terminal() -> None:
    error = usage_error(None, force=False, binary=True, env=make_env(stdout_isatty=True))
    assert "terminal" in error.message
    buffer = io.BytesIO()
    env = Env(stdout=io.TextIOWrapper(buffer), stdout_isatty=False)
    with open_destination(None, force=False, binary=True, env=env) as stream:
        stream.write(b"%PDF")
    assert buffer.getvalue() == b"%PDF"


# -- an Output writing to the file -------------------------------------------------------------


def test_output_to_destination_writes_the_same_format_as_a_pipe(tmp: Path) -> None:
    out, env = make_output(env=make_env(stdout_isatty=True), fmt="csv")
    target = tmp / "usage.csv"
    with out.to_destination(target, force=False) as to_file:
        assert to_file is not out and to_file.fmt == "csv"
        to_file.list([{"id": "ur_1"}], [Column("id", "ID")])
    assert target.read_text() == "id\nur_1\n"
    assert stdout_of(env) == ""
    with out.to_destination(None, force=False) as same:
        assert same is out


def test_output_redirected_gets_tsv_not_a_rich_table() -> None:
    out, _ = make_output(env=make_env(stdout_isatty=True))
    stream = io.StringIO()
    out.redirected(stream).list([{"id": "ur_1"}], [Column("id", "ID")])
    assert stream.getvalue() == "ID\nur_1\n"


# -- signals: a real process, writing slowly --------------------------------------------------

_SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from chathq_cli.output import open_destination
    with open_destination(sys.argv[1], force=True) as stream:
        for i in range(10_000):
            stream.write(f"row {i}\\n")
            stream.flush()
            if i == 3:
                print("writing", flush=True)
            time.sleep(0.01)
    """
)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_remove_the_part_file(
    tmp: Path, signum: signal.Signals, code: int
) -> None:
    target = tmp / "usage.csv"
    target.write_text("old\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "writing\n"  # the .part exists and is being written
        assert (tmp / "usage.csv.part").exists()
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp.iterdir()) == ["usage.csv"]


def test_signal_handlers_are_restored_after_the_write(tmp: Path) -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    write(tmp / "a.csv", force=False)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == before


def test_an_ignored_sighup_stays_ignored(tmp: Path) -> None:
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        with open_destination(tmp / "a.csv", force=False) as stream:
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGHUP)
            stream.write("kept\n")
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert (tmp / "a.csv").read_text() == "kept\n"


def test_terminated_is_a_system_exit_with_the_shell_code() -> None:
    assert isinstance(Terminated(signal.SIGTERM), SystemExit)
    assert Terminated(signal.SIGTERM).code == 143
    assert Terminated(signal.SIGHUP).code == 129
