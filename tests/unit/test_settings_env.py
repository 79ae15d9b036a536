"""A bad value of any PORTAL_* variable is exit 2 naming the variable, never a crash."""

from __future__ import annotations

import pytest

from chathq_cli import errors
from chathq_cli.cli import runtime as _runtime
from chathq_cli.state.settings import load_settings


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORTAL_RETRY_ATTEMPTS", "inf"),
        ("PORTAL_RETRY_ATTEMPTS", "1e309"),
        ("PORTAL_RETRY_ATTEMPTS", "0"),
        ("PORTAL_RETRY_ATTEMPTS", "lots"),
        ("PORTAL_RETRY_TOTAL_TIMEOUT", "inf"),
        ("PORTAL_RETRY_TOTAL_TIMEOUT", "-1"),
        ("PORTAL_RETRY_MAX_DELAY", "nan"),
        ("PORTAL_KEYRING_TIMEOUT", "inf"),
        ("PORTAL_FORMAT", "xml"),
        ("PORTAL_DEBUG", "maybe"),
        ("PORTAL_NO_PROMPT", "2"),
    ],
)
def test_a_bad_variable_is_a_usage_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(errors.UsageError) as caught:
        load_settings()
    assert caught.value.param == variable
    assert str(caught.value).startswith(f"invalid {variable}: ")
    assert caught.value.exit_code == errors.ExitCode.USAGE


def test_a_bad_value_from_a_flag_names_the_flag() -> None:
    with pytest.raises(errors.UsageError) as caught:
        load_settings(keyring_timeout=0)
    assert caught.value.param == "--keyring-timeout"


def test_retry_variables_reach_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_TOKEN", "sk_test_env")
    monkeypatch.setenv("PORTAL_RETRY_ATTEMPTS", "3")
    monkeypatch.setenv("PORTAL_RETRY_MAX_DELAY", "0.5")
    client = _runtime.runtime().client()
    try:
        assert (client.retry.attempts, client.retry.max_delay) == (3, 0.5)
    finally:
        client.close()
