"""The one home for questions (cli/prompts.py): --yes, --no-input, PORTAL_NO_PROMPT and the
terminal decide whether to ask; the refusal says why and names the flag to pass; reading
standard input at a terminal says so. Plus a hidden prompt under a real pty."""

from __future__ import annotations

import io
import sys

import pytest
from _output_helpers import make_env, make_output, stderr_of

from chathq_cli import errors
from chathq_cli.cli.prompts import PasswordAndCode, Prompter
from support.terminal import spawn

NO_TERMINAL = "cannot ask for confirmation: standard input is not a terminal; pass --yes"


def prompter(answer: str = "", *, tty: bool = True, off: str | None = None):
    out, env = make_output(env=make_env(stdin=answer, stdin_isatty=tty))
    return Prompter(out, off=off), env


# -- confirm ---------------------------------------------------------------------------------


def test_confirm_with_yes_asks_nothing() -> None:
    prompts, env = prompter()
    prompts.confirm("Cancel the plan?", yes=True)
    assert stderr_of(env) == ""


@pytest.mark.parametrize("answer", ["y\n", "yes\n", "Y\n", " YES \n"])
def test_confirm_accepts_yes(answer: str) -> None:
    prompts, env = prompter(answer)
    prompts.confirm("Cancel the plan?", yes=False)
    assert stderr_of(env) == "Cancel the plan? [y/N] "


@pytest.mark.parametrize("answer", ["n\n", "\n", "maybe\n"])
def test_confirm_declined_is_cancelled(answer: str) -> None:
    prompts, _ = prompter(answer)
    with pytest.raises(errors.Cancelled) as caught:
        prompts.confirm("Cancel the plan?", yes=False)
    assert caught.value.exit_code == errors.ExitCode.CANCELLED


def test_confirm_default_yes_accepts_enter() -> None:
    prompts, env = prompter("\n")
    prompts.confirm("Continue?", yes=False, default=True)
    assert stderr_of(env) == "Continue? [Y/n] "


def test_confirm_end_of_input_is_cancelled() -> None:
    prompts, _ = prompter("")
    with pytest.raises(errors.Cancelled):
        prompts.confirm("Cancel the plan?", yes=False)


def test_confirm_without_a_terminal_names_the_reason_and_the_flag() -> None:
    prompts, _ = prompter("y\n", tty=False)
    with pytest.raises(errors.UsageError) as caught:
        prompts.confirm("Remove?", yes=False)
    assert caught.value.message == NO_TERMINAL
    assert caught.value.param == "--yes"
    assert caught.value.exit_code == errors.ExitCode.USAGE


@pytest.mark.parametrize(
    "off", ["--no-input was given", "PORTAL_NO_PROMPT is set", "no_prompt is on in config.toml"]
)
def test_prompts_turned_off_say_so_even_at_a_terminal(off: str) -> None:
    prompts, env = prompter("y\n", off=off)
    with pytest.raises(errors.UsageError) as caught:
        prompts.confirm("Remove?", yes=False, flag="--force")
    assert caught.value.message == f"cannot ask for confirmation: {off}; pass --force"
    assert caught.value.param == "--force"
    assert stderr_of(env) == ""  # nothing was asked


def test_can_confirm_checks_before_any_request() -> None:
    prompts, _ = prompter(tty=False)
    prompts.can_confirm(yes=True)  # --yes: nothing to ask
    with pytest.raises(errors.UsageError) as caught:
        prompts.can_confirm(yes=False)
    assert caught.value.message == NO_TERMINAL


# -- confirm_typed ---------------------------------------------------------------------------


def test_confirm_typed_exact_match() -> None:
    prompts, env = prompter("Acme Prod\n")
    prompts.confirm_typed("This closes Acme Prod for good.", "Acme Prod", yes=False)
    assert stderr_of(env) == 'This closes Acme Prod for good.\nType "Acme Prod" to confirm: '


@pytest.mark.parametrize("answer", ["acme prod\n", "Acme\n", "\n"])
def test_confirm_typed_anything_else_is_cancelled(answer: str) -> None:
    prompts, _ = prompter(answer)
    with pytest.raises(errors.Cancelled):
        prompts.confirm_typed("Close?", "Acme Prod", yes=False)


def test_confirm_typed_without_a_terminal_names_the_flag() -> None:
    prompts, _ = prompter("Acme Prod\n", tty=False)
    with pytest.raises(errors.UsageError) as caught:
        prompts.confirm_typed("Close?", "Acme Prod", yes=False)
    assert caught.value.message == NO_TERMINAL


def test_confirm_typed_with_yes_asks_and_reads_nothing() -> None:
    prompts, env = prompter("not the name\n")
    prompts.confirm_typed("Close?", "Acme Prod", yes=True)
    assert stderr_of(env) == ""
    assert env.stdin.read() == "not the name\n"  # the answer was left unread


# -- values ----------------------------------------------------------------------------------


def test_text_reads_a_trimmed_line() -> None:
    prompts, env = prompter("  owner@demo.chathq.test \n")
    assert prompts.text("Email", flag="--email") == "owner@demo.chathq.test"
    assert stderr_of(env) == "Email: "


def test_secret_on_injected_streams_keeps_spaces() -> None:
    prompts, _ = prompter(" pass word \n")
    assert prompts.secret("Password", flag="--password-stdin") == " pass word "


def test_a_value_without_a_terminal_names_the_flag() -> None:
    prompts, _ = prompter("hunter2\n", tty=False)
    with pytest.raises(errors.UsageError) as caught:
        prompts.secret("Password", flag="--password-stdin")
    assert caught.value.message == (
        "cannot ask for password: standard input is not a terminal; pass --password-stdin"
    )
    assert caught.value.param == "--password-stdin"


def test_an_empty_answer_is_a_usage_error() -> None:
    prompts, _ = prompter("\n")
    with pytest.raises(errors.UsageError) as caught:
        prompts.text("Email", flag="--email")
    assert (caught.value.message, caught.value.param) == ("no email given", "--email")


def test_choice_asks_again_then_gives_up_naming_the_flag() -> None:
    prompts, env = prompter("purple\nDARK\n")
    assert prompts.choice("Theme", ["light", "dark", "system"], flag="THEME") == "dark"
    assert "choose one of light, dark, system" in stderr_of(env)
    prompts, _ = prompter("a\nb\nc\n")
    with pytest.raises(errors.UsageError) as caught:
        prompts.choice("Theme", ["light", "dark"], flag="THEME")
    assert caught.value.param == "THEME"


# -- standard input --------------------------------------------------------------------------


def test_stdin_line_takes_the_first_line_quietly_when_piped() -> None:
    prompts, env = prompter("sk_test_123\nrest\n", tty=False)
    assert prompts.stdin_line("token", flag="--with-token") == "sk_test_123"
    assert stderr_of(env) == ""


def test_reading_stdin_at_a_terminal_says_what_and_how_to_end() -> None:
    prompts, env = prompter("sk_test_123\n", tty=True)
    assert prompts.stdin_line("the token", flag="--with-token") == "sk_test_123"
    assert stderr_of(env) == "Reading the token from standard input (end with Ctrl-D)\n"


def test_stdin_line_empty_is_a_usage_error_naming_the_flag() -> None:
    prompts, _ = prompter("\n", tty=False)
    with pytest.raises(errors.UsageError) as caught:
        prompts.stdin_line("password", flag="--password-stdin")
    assert caught.value.param == "--password-stdin"


def test_password_and_code_from_successive_stdin_lines() -> None:
    prompts, _ = prompter("hunter2\n123456\n", tty=False)
    answers = PasswordAndCode(prompts, from_stdin=True, command="portal me delete")
    assert (answers.password(), answers.code()) == ("hunter2", "123456")


def test_a_missing_code_is_an_authentication_error_with_the_way_to_give_it() -> None:
    prompts, _ = prompter("hunter2\n", tty=False)
    answers = PasswordAndCode(prompts, from_stdin=True, command="portal me delete")
    answers.password()
    with pytest.raises(errors.AuthRequired) as caught:
        answers.code()
    assert "--password-stdin" in (caught.value.hint or "")


def test_questions_read_the_injected_stdin_not_the_process_one() -> None:
    prompts, env = prompter("abc\n")
    assert isinstance(env.stdin, io.StringIO)
    assert prompts.text("Code", flag="--code") == "abc"


# -- a real terminal --------------------------------------------------------------------------

PROMPT_SCRIPT = """
from chathq_cli.cli.prompts import Prompter
from chathq_cli.output import Output
out = Output()
prompts = Prompter(out)
secret = prompts.secret("Password", flag="--password-stdin")
prompts.confirm("Proceed?", yes=False)
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
        "from chathq_cli.cli.prompts import Prompter\n"
        "from chathq_cli.output import Output\n"
        "try:\n"
        "    Prompter(Output()).text('Email', flag='--email')\n"
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
