"""The pager on a real terminal: long data goes through it, --no-pager and short output do not,
and quitting it early is not an error. The pager is a tiny script that marks what it shows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from support.harness import OWNER, Cli
from support.terminal import Terminal

pytestmark = pytest.mark.pty

# Marks the text it shows, so the transcript tells whether the pager showed it.
SHOW = "import sys\nsys.stdout.write('[pager]\\n' + sys.stdin.read() + '[end]\\n')\n"
# Quits at once, as `q` at the first screen would: portal's writes then meet a closed pipe.
QUIT = "import sys\nsys.stdout.write('[quit]\\n')\n"


def _pager(tmp_path: Path, name: str, source: str) -> str:
    script = tmp_path / f"{name}.py"
    script.write_text(source)
    return f"{sys.executable} {script}"


def test_data_longer_than_the_screen_goes_through_the_pager(cli: Cli, tmp_path: Path) -> None:
    cli.login(OWNER)
    pager = _pager(tmp_path, "show", SHOW)
    session = Terminal(cli, "integrations", "list", "--json", rows=8, env={"PORTAL_PAGER": pager})
    assert session.finish() == 0, session.text
    assert session.text.startswith("[pager]\n[\n"), session.text
    assert session.text.rstrip().endswith("]\n[end]")

    short = Terminal(cli, "account", "id", rows=8, env={"PORTAL_PAGER": pager})
    assert short.finish() == 0, short.text
    assert short.text.startswith("acct_") and "[pager]" not in short.text


def test_no_pager_flag_and_the_config_key(cli: Cli, tmp_path: Path) -> None:
    cli.login(OWNER)
    cli.run("config", "set", "pager", _pager(tmp_path, "show", SHOW))
    paged = Terminal(cli, "integrations", "list", "--json", rows=8, env={"PAGER": "more"})
    assert paged.finish() == 0, paged.text
    assert paged.text.startswith("[pager]\n")
    plain = Terminal(cli, "integrations", "list", "--json", "--no-pager", rows=8)
    assert plain.finish() == 0, plain.text
    assert plain.text.startswith("[\n") and "[pager]" not in plain.text


def test_a_pager_quit_early_is_not_an_error(cli: Cli, tmp_path: Path) -> None:
    cli.login(OWNER)
    pager = _pager(tmp_path, "quit", QUIT)
    session = Terminal(cli, "integrations", "list", "--json", rows=4, env={"PORTAL_PAGER": pager})
    assert session.finish() == 0, session.text
    assert "[quit]" in session.text
    assert "error" not in session.text and "Traceback" not in session.text
