"""Odd config paths are the user's setup to fix: exit 2 with one line naming the path, never
"unexpected error"; and portal never chmods a directory it did not create."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from _output_helpers import fresh_process  # noqa: F401 - fixture

from chathq_cli import __main__ as entry
from chathq_cli import errors
from chathq_cli.state.config_file import ConfigFile
from chathq_cli.state.credentials import CredentialStore
from chathq_cli.state.settings import load_settings

pytestmark = pytest.mark.usefixtures("fresh_process")

HOST = "http://127.0.0.1:8787"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def portal(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = entry.main(list(args))
    return code, capsys.readouterr().err.splitlines()


def assert_one_line_naming(lines: list[str], path: Path, reason: str) -> None:
    assert lines[0].startswith("error: cannot ")
    assert str(path) in lines[0]
    assert reason in lines[0]
    assert "unexpected" not in lines[0]
    assert len(lines) <= 2 and all(line.startswith("hint: ") for line in lines[1:])


def test_a_directory_where_config_toml_should_be(
    capsys: pytest.CaptureFixture[str], config_dir: Path
) -> None:
    (config_dir / "config.toml").mkdir(parents=True)
    code, lines = portal(capsys, "config", "list")
    assert code == errors.ExitCode.USAGE
    assert_one_line_naming(lines, config_dir / "config.toml", "it is a directory")


def test_a_regular_file_as_portal_config_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_dir = tmp_path / "plain-file"
    not_a_dir.write_text("hello")
    monkeypatch.setenv("PORTAL_CONFIG_DIR", str(not_a_dir))
    for args in (["config", "list"], ["config", "set", "format", "json"]):
        code, lines = portal(capsys, *args)
        assert code == errors.ExitCode.USAGE, lines
        assert_one_line_naming(lines, not_a_dir, f"{not_a_dir} is not a directory")
    assert not_a_dir.read_text() == "hello"


def test_a_file_in_the_way_of_a_missing_config_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    config = ConfigFile(blocker / "deeper" / "chathq")
    with pytest.raises(errors.UsageError) as caught:
        config.set("format", "json", "default")
    assert f"{blocker} is not a directory" in caught.value.message
    assert caught.value.param == "config"


def test_invalid_toml_is_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], config_dir: Path
) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text("this is = = not toml")
    code, lines = portal(capsys, "config", "list")
    assert code == errors.ExitCode.USAGE
    assert lines[0].startswith(f"error: cannot read {config_dir / 'config.toml'}: ")


def test_an_unreadable_config_file(
    capsys: pytest.CaptureFixture[str], config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_dir.mkdir(parents=True)
    path = config_dir / "config.toml"
    path.write_text('current_profile = "default"\n')
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: make open() fail as for anyone else
        real_open = Path.open

        def denied(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Path, "open", denied)
    code, lines = portal(capsys, "config", "list")
    assert code == errors.ExitCode.USAGE
    assert_one_line_naming(lines, path, "permission denied")


def test_an_unreadable_credentials_file_is_a_usage_error(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CredentialStore(config_dir=config_dir)
    store.file.mkdir(parents=True)  # credentials.toml is a directory
    monkeypatch.setenv("PORTAL_TOKEN", "")
    with pytest.raises(errors.UsageError) as caught:
        store.set("default", HOST, "pst_x", insecure=True)
    assert str(store.file) in caught.value.message


def test_an_existing_config_dir_keeps_its_mode(tmp_path: Path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    monkeypatch.setenv("PORTAL_CONFIG_DIR", str(shared))
    settings = load_settings()
    ConfigFile(settings.config_dir).set("format", "json", "default")
    CredentialStore(config_dir=shared).set("default", HOST, "pst_x", insecure=True)
    assert mode(shared) == 0o1777
    assert mode(shared / "config.toml") == 0o600
    assert mode(shared / "credentials.toml") == 0o600


def test_a_created_config_dir_is_0700_and_its_parents_are_left_alone(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir(mode=0o755)
    parent.chmod(0o755)
    config = ConfigFile(parent / "new" / "chathq")
    config.set("format", "json", "default")
    assert mode(parent / "new" / "chathq") == 0o700
    assert mode(parent) == 0o755
    assert mode(config.path) == 0o600
