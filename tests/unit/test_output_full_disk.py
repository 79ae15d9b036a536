"""A full disk (`> /dev/full`) is "cannot write output: no space left on device", exit 1."""

from __future__ import annotations

import errno
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from _output_helpers import make_env

from chathq_cli import errors
from chathq_cli.output import Column, Output


class FullDisk(io.StringIO):
    """A stream whose writes or flushes fail as a full disk makes them fail."""

    def __init__(self, *, fail_on: str) -> None:
        super().__init__()
        self.fail_on = fail_on

    def write(self, text: str) -> int:
        if self.fail_on == "write":
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(text)

    def flush(self) -> None:
        if self.fail_on == "flush":
            raise OSError(errno.ENOSPC, "No space left on device")


COLUMNS = [Column("id", "ID", "id"), Column("price", "Price", "money")]
ROW = {"id": "acct_1", "price": {"amount": "1.00", "currency": "usd"}}
WRITES: dict[str, Callable[[Output], None]] = {
    "list": lambda out: out.list([ROW], COLUMNS),
    "object": lambda out: out.object(ROW, COLUMNS),
    "value": lambda out: out.value("acct_1"),
    "json": lambda out: out.write_json(ROW),
}


@pytest.mark.parametrize("fail_on", ["write", "flush"])
@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize("fmt", [None, "json", "csv"])
@pytest.mark.parametrize("what", list(WRITES))
def test_a_full_disk_is_an_output_error(fail_on: str, tty: bool, fmt: str, what: str) -> None:
    env = make_env(stdout_isatty=tty)
    env.stdout = FullDisk(fail_on=fail_on)
    with pytest.raises(errors.OutputError) as caught:
        WRITES[what](Output(env=env, fmt=fmt))  # type: ignore[arg-type]
    assert isinstance(caught.value, errors.PortalError)
    assert caught.value.message == "cannot write output: no space left on device"
    assert caught.value.exit_code == errors.ExitCode.FAILURE == 1


def test_other_write_errors_name_their_reason() -> None:
    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.EIO, "Input/output error")

    env = make_env()
    env.stdout = Broken()
    with pytest.raises(errors.OutputError, match=r"^cannot write output: input/output error$"):
        Output(env=env).value("x")


def test_a_closed_pipe_stays_a_broken_pipe() -> None:
    # `portal ... | head -1`: the boundary ends quietly on BrokenPipeError; not an error.
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    env = make_env()
    env.stdout = Closed()
    with pytest.raises(BrokenPipeError):
        Output(env=env).value("x")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_dev_full_in_a_real_process_says_so_once_and_exits_1() -> None:
    # The buffered data must not make the interpreter's last flush fail again at exit.
    script = (
        "import sys\n"
        "from chathq_cli import errors\n"
        "from chathq_cli.output import Output\n"
        "try:\n"
        "    Output().write_json({'id': 'acct_1'})\n"
        "except errors.OutputError as exc:\n"
        "    print(exc.message, file=sys.stderr)\n"
        "    sys.exit(exc.exit_code)\n"
    )
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-c", script], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.stderr == "cannot write output: no space left on device\n"
    assert done.returncode == 1
