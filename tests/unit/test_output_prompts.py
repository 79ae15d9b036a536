"""Prompts and confirmations: injected streams, and a hidden prompt under a real pty."""

from __future__ import annotations

import io
import sys

import pytest
from _output_helpers import make_env, make_output, stderr_of

from chathq_cli import errors
from support.terminal import spawn

NO_TERMINAL = "cannot ask for confirmation without a terminal; pass --yes"


def tty_output(answer: str, **kwargs: object):
    return make_output(env=make_env(stdin=answer, stdin_isatty=True), **kwargs)  # type: ignore[arg-type]


# -- confirm ---------------------------------------------------------------------------------


def test_confirm_with_yes_asks_nothing() -> None:
    out, env = make_output()  # no terminal at all: --yes is enough
    out.confirm("Cancel the plan?", yes=True)
    assert stderr_of(env) == ""


@pytest.mark.parametrize("answer", ["y\n", "yes\n", "Y\n", " YES \n"])
def test_confirm_accepts_yes(answer: str) -> None:
    out, env = tty_output(answer)
    out.confirm("Cancel the plan?", yes=False)
    assert stderr_of(env) == "Cancel the plan? [y/N] "


@pytest.mark.parametrize("answer", ["n\n", "\n", "nope\n"])
def test_confirm_declined_is_cancelled(answer: str) -> None:
    out, _ = tty_output(answer)
    with pytest.raises(errors.Cancelled) as caught:
        out.confirm("Cancel the plan?", yes=False)
    assert caught.value.exit_code == errors.ExitCode.CANCELLED


def test_confirm_default_yes_accepts_enter() -> None:
    out, env = tty_output("\n")
    out.confirm("Continue?", yes=False, default=True)
    assert stderr_of(env) == "Continue? [Y/n] "


def test_confirm_end_of_input_is_cancelled() -> None:
    out, _ = tty_output("")
    with pytest.raises(errors.Cancelled):
        out.confirm("Cancel the plan?", yes=False)


def test_confirm_without_a_terminal_names_the_flag() -> None:
    out, _ = make_output(env=make_env(stdin="y\n", stdin_isatty=False))
    with pytest.raises(errors.UsageError) as caught:
        out.confirm("Remove?", yes=False)
    assert caught.value.message == NO_TERMINAL
    assert caught.value.param == "--yes"
    assert caught.value.exit_code == errors.ExitCode.USAGE


def test_confirm_with_no_prompt_fails_even_on_a_terminal() -> None:
    out, _ = tty_output("y\n", no_prompt=True)
    with pytest.raises(errors.UsageError) as caught:
        out.confirm("Remove?", yes=False, flag="--force")
    assert caught.value.message == "cannot ask for confirmation without a terminal; pass --force"
    assert caught.value.param == "--force"


# -- confirm_typed ---------------------------------------------------------------------------


def test_confirm_typed_exact_match() -> None:
    out, env = tty_output("Acme Prod\n")
    out.confirm_typed("This closes Acme Prod for good.", "Acme Prod", yes=False)
    assert stderr_of(env) == 'This closes Acme Prod for good.\nType "Acme Prod" to confirm: '


@pytest.mark.parametrize("answer", ["acme prod\n", "Acme\n", "\n", " Acme Prod\n"])
def test_confirm_typed_anything_else_is_cancelled(answer: str) -> None:
    out, _ = tty_output(answer)
    with pytest.raises(errors.Cancelled):
        out.confirm_typed("Close?", "Acme Prod", yes=False)


def test_confirm_typed_without_a_terminal_names_the_flag() -> None:
    out, _ = make_output()
    with pytest.raises(errors.UsageError) as caught:
        out.confirm_typed("Close?", "Acme Prod", yes=False)
    assert caught.value.message == NO_TERMINAL


def test_confirm_typed_with_yes_asks_and_reads_nothing() -> None:
    # A terminal with a wrong answer waiting: asking would read it and cancel.
    out, env = tty_output("not the name\n")
    out.confirm_typed("Close?", "Acme Prod", yes=True)
    assert stderr_of(env) == ""
    assert env.stdin.read() == "not the name\n"


# -- prompt and stdin secrets ----------------------------------------------------------------


def test_prompt_reads_a_stripped_line() -> None:
    out, env = tty_output("  owner@demo.chathq.test \n")
    assert out.prompt("Email", flag="--email") == "owner@demo.chathq.test"
    assert stderr_of(env) == "Email: "


def test_prompt_hidden_on_injected_streams_keeps_spaces() -> None:
    out, _ = tty_output(" pass word \n")
    assert out.prompt("Password", hidden=True, flag="--password-stdin") == " pass word "


def test_prompt_without_a_terminal_names_the_flag() -> None:
    out, _ = make_output(env=make_env(stdin="x\n"))
    with pytest.raises(errors.UsageError) as caught:
        out.prompt("Password", hidden=True, flag="--password-stdin")
    assert caught.value.param == "--password-stdin"
    assert "--password-stdin" in caught.value.message


def test_prompt_empty_answer_is_a_usage_error() -> None:
    out, _ = tty_output("\n")
    with pytest.raises(errors.UsageError) as caught:
        out.prompt("Email", flag="--email")
    assert caught.value.message == "no email given"


def test_read_stdin_secret_takes_the_first_line() -> None:
    out, _ = make_output(env=make_env(stdin="sk_test_123\nignored\n"))
    assert out.read_stdin_secret("token") == "sk_test_123"


def test_read_stdin_secret_empty_is_a_usage_error() -> None:
    out, _ = make_output(env=make_env(stdin="\n"))
    with pytest.raises(errors.UsageError) as caught:
        out.read_stdin_secret("password")
    assert caught.value.message == "no password on standard input"


def test_prompt_reads_the_injected_stdin_not_the_process_one() -> None:
    out, env = tty_output("abc\n")
    assert isinstance(env.stdin, io.StringIO)
    assert out.prompt("Code", flag="--code") == "abc"


# -- a real terminal --------------------------------------------------------------------------

PROMPT_SCRIPT = """
from chathq_cli.output import Output
out = Output()
secret = out.prompt("Password", hidden=True, flag="--password-stdin")
out.confirm("Proceed?", yes=False)
out.value("got " + str(len(secret)) + " chars")
"""


@pytest.mark.pty
def test_hidden_prompt_does_not_echo_under_a_real_pty() -> None:
    pexpect = pytest.importorskip("pexpect")
    child = spawn(sys.executable, ["-c", PROMPT_SCRIPT], encoding="utf-8", timeout=10)
    transcript = io.StringIO()
    child.logfile_read = transcript  # everything the terminal showed
    try:
        child.expect_exact("Password: ")
        child.sendline("hunter2-secret")
        child.expect_exact("Proceed? [y/N] ")
        child.sendline("y")
        child.expect_exact("got 14 chars")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert "hunter2-secret" not in transcript.getvalue()
    assert "y" in transcript.getvalue()  # a visible answer is echoed, a hidden one is not


@pytest.mark.pty
def test_ctrl_c_at_a_prompt_is_a_keyboard_interrupt_under_a_real_pty() -> None:
    pexpect = pytest.importorskip("pexpect")
    script = (
        "from chathq_cli.output import Output\n"
        "try:\n"
        "    Output().prompt('Email', flag='--email')\n"
        "except KeyboardInterrupt:\n"
        "    raise SystemExit(130)\n"
    )
    child = spawn(sys.executable, ["-c", script], encoding="utf-8", timeout=10)
    try:
        child.expect_exact("Email: ")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130
