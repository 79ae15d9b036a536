"""Credential resolution: PORTAL_TOKEN, the keyring behind a timeout, the opt-in file."""

from __future__ import annotations

import os
import stat
import threading
import time

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from chathq_cli import errors
from chathq_cli.cli.hints import hint_for
from chathq_cli.state.credentials import SERVICE, Credential, CredentialStore, resolve_token
from chathq_cli.state.settings import load_settings

HOST = "http://127.0.0.1:8787"
TOKEN = "pst_round_trip_token_value"


class BrokenKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("collection is locked")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("cannot store")

    def delete_password(self, service, username):
        raise keyring.errors.KeyringLocked("collection is locked")


class HangingKeyring(keyring.backend.KeyringBackend):
    """A locked collection waiting for an unlock prompt nobody will answer."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service, username):
        self.release.wait(5)
        return None

    def set_password(self, service, username, password):
        self.release.wait(5)


@pytest.fixture
def store(config_dir) -> CredentialStore:
    return CredentialStore(config_dir=config_dir, timeout=0.2)


@pytest.fixture
def hanging():
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()  # let the abandoned worker thread finish


def assert_keyring_unavailable(caught: pytest.ExceptionInfo) -> None:
    err = caught.value
    assert isinstance(err, errors.KeyringUnavailable)
    assert err.exit_code == errors.ExitCode.AUTH
    assert err.hint is None  # the advice comes from the boundary's table
    assert "PORTAL_TOKEN" in (hint_for(err) or "")
    assert "--insecure-storage" in (hint_for(err) or "")


def test_round_trip_through_the_keyring(store, memory_keyring):
    assert store.get("default", HOST) is None
    assert store.set("default", HOST, TOKEN) == "keyring"
    assert memory_keyring.passwords == {(SERVICE, f"default@{HOST}"): TOKEN}
    assert store.get("default", HOST) == Credential(TOKEN, "keyring")
    assert store.get("other", HOST) is None
    assert store.delete("default", HOST) is True
    assert store.get("default", HOST) is None
    assert store.delete("default", HOST) is False
    assert not store.file.exists()


def test_credential_repr_hides_the_token():
    assert TOKEN not in repr(Credential(TOKEN, "keyring"))


def test_portal_token_wins_with_source_env(store, monkeypatch):
    store.set("default", HOST, TOKEN)
    monkeypatch.setenv("PORTAL_TOKEN", "sk_test_from_env")
    assert resolve_token(load_settings(), store) == Credential("sk_test_from_env", "env")


def test_resolve_token_uses_the_profile_and_host(store):
    store.set("work", "https://portal.example.com", TOKEN)
    settings = load_settings(profile="work", host="https://portal.example.com")
    assert resolve_token(settings, store) == Credential(TOKEN, "keyring")


def test_not_signed_in(store):
    with pytest.raises(errors.NotSignedIn) as caught:
        resolve_token(load_settings(), store)
    assert caught.value.message == f"not signed in to {HOST}"
    assert caught.value.host == HOST
    assert hint_for(caught.value) == "sign in with `portal auth login`, or set PORTAL_TOKEN (CI)"
    assert caught.value.exit_code == errors.ExitCode.AUTH


def test_raising_keyring_is_unavailable_and_nothing_falls_back(store):
    keyring.set_keyring(BrokenKeyring())
    with pytest.raises(errors.KeyringUnavailable) as caught:
        store.set("default", HOST, TOKEN)
    assert_keyring_unavailable(caught)
    assert not store.file.exists()  # no silent plain-text fallback
    with pytest.raises(errors.KeyringUnavailable) as caught:
        store.get("default", HOST)
    assert_keyring_unavailable(caught)


def test_hanging_keyring_times_out(store, hanging):
    started = time.monotonic()
    with pytest.raises(errors.KeyringUnavailable) as caught:
        store.get("default", HOST)
    assert time.monotonic() - started < 2
    assert_keyring_unavailable(caught)
    assert "did not answer within 0.2 s" in caught.value.message
    with pytest.raises(errors.KeyringUnavailable):
        store.set("default", HOST, TOKEN)
    assert not store.file.exists()


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring, keyring.backends.null.Keyring])
def test_fail_and_null_backends_are_unusable(store, backend):
    keyring.set_keyring(backend())
    with pytest.raises(errors.KeyringUnavailable) as caught:
        store.set("default", HOST, TOKEN)
    assert_keyring_unavailable(caught)
    assert not store.file.exists()


def test_insecure_file_is_0600_and_reports_source_file(store, config_dir):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert store.set("default", HOST, TOKEN, insecure=True) == "file"
    assert stat.S_IMODE(os.stat(store.file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(config_dir).st_mode) == 0o700
    assert store.get("default", HOST) == Credential(TOKEN, "file")
    assert resolve_token(load_settings(), store).source == "file"
    # The config file never holds the token; only the opt-in credentials file does.
    assert not (config_dir / "config.toml").exists()
    assert store.delete("default", HOST) is True
    with pytest.raises(errors.KeyringUnavailable):
        store.get("default", HOST)


def test_keyring_login_removes_a_stale_plain_text_copy(store, memory_keyring):
    store.set("default", HOST, "pst_old_file_token", insecure=True)
    assert store.get("default", HOST) == Credential("pst_old_file_token", "file")
    store.set("default", HOST, TOKEN)
    assert store.get("default", HOST) == Credential(TOKEN, "keyring")
    assert "pst_old_file_token" not in store.file.read_text()


def test_file_profiles_are_independent(store):
    store.set("a", HOST, "pst_token_a_value", insecure=True)
    store.set("b", HOST, "pst_token_b_value", insecure=True)
    store.delete("a", HOST)
    assert store.get("b", HOST) == Credential("pst_token_b_value", "file")


def test_a_token_in_the_opt_in_file_never_touches_the_keyring(store, monkeypatch):
    # The file is read first: with --insecure-storage, a command loads no keyring at all
    # (SPEC §7: the request path imports only what the request uses).
    store.set("default", "https://p.example", "tok_file", insecure=True)

    def no_keyring(self, call):
        raise AssertionError("the keyring was asked")

    monkeypatch.setattr(CredentialStore, "_keyring", no_keyring)
    assert store.get("default", "https://p.example") == Credential("tok_file", "file")
