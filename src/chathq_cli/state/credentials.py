"""Where the token lives: PORTAL_TOKEN, else the OS keyring, else an opt-in plain-text file.

The keyring is called in a worker thread with a timeout, because a locked Secret Service
collection can block forever waiting for an unlock prompt nobody sees. An unusable keyring is
an error that says how to proceed, never a silent fall back to a file: the file is used only
after `portal auth login --insecure-storage` created it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from chathq_cli import errors

if TYPE_CHECKING:
    from chathq_cli.state.settings import Settings

SERVICE = "chathq-cli"
CREDENTIALS_FILE = "credentials.toml"

T = TypeVar("T")


@dataclass(frozen=True)
class Credential:
    token: str = field(repr=False)
    source: Literal["env", "keyring", "file"]


class CredentialStore:
    """Tokens per `<profile>@<host>` in the keyring, or in `credentials.toml` when opted in."""

    def __init__(self, *, config_dir: Path, timeout: float = 3.0) -> None:
        self.config_dir = config_dir
        self.file = config_dir / CREDENTIALS_FILE
        self.timeout = timeout

    def get(self, profile: str, host: str) -> Credential | None:
        """The stored token: the opt-in file's, else the keyring's, else None.

        A token lives in one place per profile (a keyring sign-in removes the file's copy), so
        the file is read first: a profile signed in with --insecure-storage never loads the
        keyring. When the keyring is unusable that is reported (KeyringUnavailable).
        """
        user = _user(profile, host)
        from_file = self._read_file().get(user)
        if from_file:
            return Credential(from_file, "file")
        token = self._keyring(lambda kr: kr.get_password(SERVICE, user))
        return Credential(token, "keyring") if token else None

    def set(
        self, profile: str, host: str, token: str, *, insecure: bool = False
    ) -> Literal["keyring", "file"]:
        user = _user(profile, host)
        if insecure:
            tokens = self._read_file()
            tokens[user] = token
            self._write_file(tokens)
            return "file"
        self._keyring(lambda kr: kr.set_password(SERVICE, user, token))
        # One place per profile: a stale plain-text copy must not outlive a keyring login.
        tokens = self._read_file()
        if tokens.pop(user, None) is not None:
            self._write_file(tokens)
        return "keyring"

    def delete(self, profile: str, host: str) -> bool:
        """Remove the token from the keyring and the file; True if either held one."""
        user = _user(profile, host)
        tokens = self._read_file()
        removed_file = tokens.pop(user, None) is not None
        if removed_file:
            self._write_file(tokens)
        try:
            removed_keyring = self._keyring(lambda kr: _delete_password(kr, user))
        except errors.KeyringUnavailable:
            if removed_file:
                return True  # the file was where this profile's token lived
            raise
        return removed_file or removed_keyring

    def check_keyring(self) -> None:
        """Raise KeyringUnavailable now if the keyring cannot be used (before asking anything)."""
        self._keyring(lambda kr: kr.get_password(SERVICE, "portal-keyring-check"))

    # --- keyring --------------------------------------------------------------------------

    def _keyring(self, call: Callable[[Any], T]) -> T:
        """Run `call(backend)` in a daemon thread; errors and timeouts -> KeyringUnavailable.

        A daemon thread (not an executor) so a keyring that never answers cannot keep the
        process alive at exit.
        """
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["value"] = call(_usable_backend())
            except BaseException as exc:  # noqa: BLE001 - handed to the calling thread below
                outcome["error"] = exc

        worker = threading.Thread(target=work, name="portal-keyring", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise errors.KeyringUnavailable(
                f"the system keyring did not answer within {self.timeout:g} s (is it locked?)"
            )
        if "error" in outcome:
            exc = outcome["error"]
            if _is_keyring_failure(exc):
                raise errors.KeyringUnavailable(f"the system keyring is not usable: {exc}") from exc
            raise exc
        value: T = outcome["value"]
        return value

    # --- the opt-in file --------------------------------------------------------------------

    def _read_file(self) -> dict[str, str]:
        from chathq_cli.state.files import read_toml

        tokens = read_toml(self.file).get("tokens")
        if not isinstance(tokens, dict):
            return {}
        return {str(k): v for k, v in tokens.items() if isinstance(v, str) and v}

    def _write_file(self, tokens: dict[str, str]) -> None:
        import tomli_w

        from chathq_cli.state.files import write_private

        header = (
            "# Tokens stored by `portal auth login --insecure-storage`. Plain text: keep private.\n"
        )
        write_private(self.file, header + tomli_w.dumps({"tokens": tokens}))


def resolve_token(settings: Settings, store: CredentialStore) -> Credential:
    """PORTAL_TOKEN first, then the stored credential for the profile and host.

    A token that could not go into an `Authorization` header (a line break, a control or
    non-ASCII character) is refused here, naming where it came from and never echoing it.
    """
    if settings.token is not None and settings.token.get_secret_value():
        credential = Credential(settings.token.get_secret_value(), "env")
    else:
        try:
            stored = store.get(settings.profile, settings.host)
        except errors.KeyringUnavailable as exc:
            # Nothing in the opt-in file and no keyring to ask: to the user, that is signed
            # out, and the ways in that need no keyring are what helps.
            raise errors.NotSignedIn(
                settings.host, profile=settings.profile, keyring_problem=exc.message
            ) from exc
        if stored is None:
            raise errors.NotSignedIn(settings.host, profile=settings.profile)
        credential = stored
    where = str(store.file) if credential.source == "file" else None
    errors.MalformedToken.check(credential.token, credential.source, where=where)
    return credential


def _user(profile: str, host: str) -> str:
    return f"{profile}@{host}"


def _usable_backend() -> Any:
    """The active keyring backend, refusing the ones that cannot store anything."""
    import keyring
    import keyring.backends.fail
    import keyring.backends.null
    import keyring.errors

    backend = keyring.get_keyring()
    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        raise keyring.errors.NoKeyringError(f"no keyring backend is available ({backend.name})")
    if getattr(backend, "backends", None) == []:  # a chainer with nothing to chain
        raise keyring.errors.NoKeyringError("no keyring backend is available")
    return backend


def _delete_password(backend: Any, user: str) -> bool:
    import keyring.errors

    try:
        backend.delete_password(SERVICE, user)
    except keyring.errors.PasswordDeleteError:
        return False  # nothing stored under that name
    return True


def _is_keyring_failure(exc: BaseException) -> bool:
    import keyring.errors

    # OSError covers D-Bus sockets that vanish under a backend that does not wrap them.
    return isinstance(exc, keyring.errors.KeyringError | OSError)
