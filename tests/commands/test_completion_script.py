"""`portal completion SHELL` prints a static script: it needs no profile, so a broken config
or a bad PORTAL_* value must not stop it (item 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "env",
    [
        {"PORTAL_HOST": "ftp://not-a-portal"},
        {"PORTAL_FORMAT": "xml"},
        {"PORTAL_CONFIG_DIR": "/proc/self"},
        {"PORTAL_RETRY_ATTEMPTS": "inf"},
    ],
    ids=lambda env: next(iter(env)),
)
def test_printing_a_script_needs_no_settings(portal, env) -> None:
    result = portal.run("completion", "bash", env=env)
    assert result.stdout == (ROOT / "completions" / "portal.bash").read_text()


def test_a_broken_config_file_does_not_stop_it(portal, config_dir) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text("profiles = [\n")
    for shell, name in (("zsh", "portal.zsh"), ("fish", "portal.fish")):
        result = portal.run("completion", shell)
        assert result.stdout == (ROOT / "completions" / name).read_text()
