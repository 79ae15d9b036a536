"""The progress bar tells of waits ("retrying page 412 in 1 s") until the next step."""

from __future__ import annotations

import io

from _output_helpers import make_env, make_output, stderr_of

from chathq_cli.output._progress import plain_progress


def test_plain_progress_shows_a_note_until_the_next_step() -> None:
    stream = io.StringIO()
    with plain_progress(stream, "Fetching usage records", 3000, 100, completed=1000) as bar:
        bar(1000)
        bar.note("retrying page 3 in 1 s")
        noted = stream.getvalue()
        bar(1000)
    lines = stream.getvalue().split("\r")
    assert "Fetching usage records 1000/3000" in lines  # resumed: starts at what was done
    assert noted.endswith("Fetching usage records 2000/3000 (retrying page 3 in 1 s)")
    after = stream.getvalue()[len(noted) :].split("\r")
    assert any(line.rstrip() == "Fetching usage records 3000/3000" for line in after)


def test_a_note_on_the_rich_bar_and_none_off_a_terminal() -> None:
    out, env = make_output(env=make_env(stderr_isatty=True))
    with out.progress("Fetching usage records", 10) as bar:
        bar(1)
        bar.note("retrying page 2 in\x1b[31m 1 s")
    assert "retrying page 2 in" in stderr_of(env)
    assert "\x1b[31m" not in stderr_of(env)  # the note is made terminal-safe
    quiet, quiet_env = make_output()
    with quiet.progress("Fetching usage records", 10) as bar:
        bar.note("retrying page 2 in 1 s")
        bar(1)
    assert stderr_of(quiet_env) == ""
