"""The pager: which command pages, and what reaches it (a tiny fake pager, a real process)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from chathq_cli.cli import environment
from chathq_cli.output._pager import PagedStream, screen_rows

FAKE_PAGER = "import sys\nsys.stdout.write('[pager]\\n' + sys.stdin.read())\n"


@pytest.fixture
def fake_pager(tmp_path: Path) -> str:
    script = tmp_path / "pager.py"
    script.write_text(FAKE_PAGER)
    return f"{sys.executable} {script}"


def _page(tmp_path: Path, command: str, text: str, rows: int = 5) -> str:
    out = tmp_path / "terminal"
    with out.open("w") as stream:
        paged = PagedStream(stream, command, rows)
        paged.write(text)
        paged.close()
    return out.read_text()


def test_output_taller_than_the_screen_goes_through_the_pager(
    tmp_path: Path, fake_pager: str
) -> None:
    text = "".join(f"line {n}\n" for n in range(10))
    assert _page(tmp_path, fake_pager, text) == "[pager]\n" + text


def test_output_that_fits_is_written_as_it_is(tmp_path: Path, fake_pager: str) -> None:
    assert _page(tmp_path, fake_pager, "one\ntwo\n") == "one\ntwo\n"


def test_a_missing_pager_leaves_the_output_on_the_terminal(tmp_path: Path) -> None:
    text = "x\n" * 10
    assert _page(tmp_path, "no-such-pager-anywhere", text) == text


def test_released_output_is_not_paged_afterwards(tmp_path: Path, fake_pager: str) -> None:
    out = tmp_path / "terminal"
    with out.open("w") as stream:
        paged = PagedStream(stream, fake_pager, rows=3)
        paged.write("before the question\n")
        paged.release()
        paged.write("after\n" * 5)
        paged.close()
    assert out.read_text() == "before the question\n" + "after\n" * 5


def test_a_stream_without_a_terminal_has_no_height(tmp_path: Path) -> None:
    with (tmp_path / "file").open("w") as stream:
        assert screen_rows(stream) is None


@pytest.mark.parametrize(
    ("configured", "variables", "expected"),
    [
        ("most", {"PAGER": "more"}, "most"),  # PORTAL_PAGER or config.toml's pager
        (None, {"PAGER": "more -d"}, "more -d"),
        (None, {"PAGER": "cat"}, None),
        ("cat", {"PAGER": "more"}, None),
    ],
)
def test_which_pager(
    configured: str | None, variables: dict[str, str], expected: str | None
) -> None:
    environment.set_current(environment.Environment(variables=variables))
    try:
        assert environment.pager(configured) == expected
    finally:
        environment.set_current(None)


def test_less_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    environment.set_current(environment.Environment(variables={}))
    try:
        assert environment.pager(None) == "less -FRX"
    finally:
        environment.set_current(None)


def test_a_pager_quit_early_stops_the_output_quietly(tmp_path: Path) -> None:
    script = tmp_path / "quit.py"
    script.write_text("import sys\nsys.stdout.write('[quit]\\n')\n")
    out = tmp_path / "terminal"
    with out.open("w") as stream:
        paged = PagedStream(stream, f"{sys.executable} {script}", rows=2)
        # More than a pipe holds: a write meets the pager gone (the boundary then exits 0).
        with pytest.raises(BrokenPipeError):
            for _ in range(1000):
                paged.write("x" * 1000 + "\n")
                paged.flush()
        paged.close()  # nothing more to say, and no error
    assert out.read_text() == "[quit]\n"


def test_held_data_comes_before_a_message_on_the_shared_screen(
    tmp_path: Path, fake_pager: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chathq_cli.output import Env, Output, _pager

    monkeypatch.setattr(_pager, "screen_rows", lambda stream: 24)
    with (tmp_path / "terminal").open("w") as screen:
        out = Output(env=Env(stdout=screen, stderr=screen, stdout_isatty=True), no_color=True)
        out.page_with(fake_pager)
        out.value("the secret, shown once")
        out.info("Type the code from the app:")
        out.value("more data")
        out.end_paging()
    assert (tmp_path / "terminal").read_text() == (
        "the secret, shown once\nType the code from the app:\nmore data\n"
    )


@pytest.mark.parametrize(("less", "expected"), [(None, "FRX"), ("-S", "-S")])
def test_less_keeps_colours_unless_told_otherwise(
    tmp_path: Path, less: str | None, expected: str
) -> None:
    script = tmp_path / "pager.py"
    script.write_text("import os, sys\nsys.stdin.read()\nprint(os.environ['LESS'])\n")
    environment.set_current(
        environment.Environment(variables={} if less is None else {"LESS": less})
    )
    try:
        variables = environment.pager_variables()
    finally:
        environment.set_current(None)
    out = tmp_path / "terminal"
    with out.open("w") as stream:
        paged = PagedStream(stream, f"{sys.executable} {script}", 2, variables)
        paged.write("x\n" * 3)
        paged.close()
    assert out.read_text() == expected + "\n"
