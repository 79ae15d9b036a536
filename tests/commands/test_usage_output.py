"""`portal usage --output FILE`: never replaces what it should not, never leaves a partial file."""

from __future__ import annotations

import os
from pathlib import Path

from support.harness import assert_one_line_error
from support.inprocess import Portal


def test_an_existing_file_needs_force(portal: Portal, tmp_path: Path) -> None:
    portal.sign_in()
    target = tmp_path / "usage.csv"
    target.write_text("keep me\n")
    result = portal.run("usage", "--format", "csv", "--output", str(target), exit_code=2)
    assert_one_line_error(result, mentions="--force")
    assert target.read_text() == "keep me\n"
    portal.run("usage", "--format", "csv", "--output", str(target), "--force")
    assert target.read_text().startswith("occurred_at,unit,")
    assert not (tmp_path / "usage.csv.part").exists()


def test_a_symlink_is_followed_and_stays_a_link(portal: Portal, tmp_path: Path) -> None:
    portal.sign_in()
    real = tmp_path / "real.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    portal.run("usage", "--format", "csv", "--limit", "3", "--output", str(link))
    assert link.is_symlink()
    assert len(real.read_text().splitlines()) == 4


def test_a_device_is_written_in_place(portal: Portal) -> None:
    portal.sign_in()
    portal.run("usage", "--limit", "3", "--output", os.devnull)
    assert Path(os.devnull).is_char_device()


def test_a_directory_is_refused_before_any_request(portal: Portal, tmp_path: Path) -> None:
    # Not signed in: a request would fail with exit 4, so exit 2 proves none was made.
    result = portal.run("usage", "--output", str(tmp_path), exit_code=2)
    assert_one_line_error(result, mentions="--output")


def test_a_failed_request_leaves_no_file_and_no_header(portal: Portal, tmp_path: Path) -> None:
    portal.sign_in()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "usage.csv"
    result = portal.run(
        "usage", "--format", "csv", "--output", str(target), "--account", "acct_nope", exit_code=6
    )
    assert result.stdout == ""
    assert list(out_dir.iterdir()) == []


def test_no_csv_header_on_stdout_when_the_request_fails(portal: Portal) -> None:
    portal.sign_in()
    result = portal.run("usage", "--format", "csv", "--account", "acct_nope", exit_code=6)
    assert result.stdout == ""
