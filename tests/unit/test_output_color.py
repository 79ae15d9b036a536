"""No colour means no escape sequence at all: NO_COLOR, PORTAL_NO_COLOR, --no-color, TERM=dumb.

Each cause is checked on every kind of output a terminal gets: a table (bold headers), the
record view and the key/value view (bold keys), messages (coloured `warning:`/`error:`), and
the progress bar (cursor movement).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from _output_helpers import make_env, stderr_of, stdout_of

from chathq_cli import errors
from chathq_cli.cli import environment
from chathq_cli.output import Column, Output

COLUMNS = [Column("id", "ID", "id"), Column("name", "Name"), Column("status", "Status")]
ROWS = [{"id": "acct_" + "A" * 20, "name": "Acme Production", "status": "active"}]


def _table(out: Output) -> None:
    out.list(ROWS, COLUMNS)


def _records(out: Output) -> None:
    out.env.columns = 30
    out.list(ROWS, COLUMNS)


def _object(out: Output) -> None:
    out.object(ROWS[0], COLUMNS)


def _messages(out: Output) -> None:
    out.success("done")
    out.warn("careful")
    out.hint("portal account list")
    out.error(errors.NotFound("no account", status=404, hint="portal account list"))


def _progress(out: Output) -> None:
    with out.progress("Fetching usage records", 100) as advance:
        advance(40)
        advance(60)


RENDERERS: dict[str, Callable[[Output], None]] = {
    "table": _table,
    "records": _records,
    "object": _object,
    "messages": _messages,
    "progress": _progress,
}


@pytest.fixture(autouse=True)
def _colour_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite runs with NO_COLOR=1: start from a terminal that may be coloured.
    for name in ("NO_COLOR", "PORTAL_NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def _render(render: Callable[[Output], None], **kwargs: bool) -> str:
    env = make_env(stdout_isatty=True, stderr_isatty=True, columns=80)
    render(Output(env=env, **kwargs))
    return stdout_of(env) + stderr_of(env)


@pytest.mark.parametrize("what", list(RENDERERS))
def test_a_terminal_gets_colour_by_default(what: str) -> None:
    # The other side of the tests below: without a reason to stop, there is something to stop.
    assert "\x1b" in _render(RENDERERS[what])


@pytest.mark.parametrize("what", list(RENDERERS))
@pytest.mark.parametrize(
    ("variable", "value"), [("NO_COLOR", "1"), ("PORTAL_NO_COLOR", "1"), ("TERM", "dumb")]
)
def test_the_environment_turns_every_escape_sequence_off(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, what: str
) -> None:
    # The frame reads the environment (cli/environment.py) and tells the Output.
    monkeypatch.setenv(variable, value)
    environment.set_current(None)
    assert environment.wants_plain()
    text = _render(RENDERERS[what], no_color=environment.wants_plain())
    assert "\x1b" not in text, repr(text)
    assert text.strip()  # still printed, only plain


@pytest.mark.parametrize("what", list(RENDERERS))
def test_no_color_flag_turns_every_escape_sequence_off(what: str) -> None:
    text = _render(RENDERERS[what], no_color=True)
    assert "\x1b" not in text, repr(text)
    assert text.strip()


def test_plain_progress_still_shows_the_count_and_clears_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "dumb")
    environment.set_current(None)
    text = _render(_progress, no_color=environment.wants_plain())
    assert "Fetching usage records" in text and "40/100" in text
    assert text.endswith("\r")  # the line is wiped: what follows starts on a clean line
