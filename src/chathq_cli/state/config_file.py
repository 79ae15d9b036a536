"""`config.toml`: profiles (host, email, current org and account) and preferences.

Never a secret; written atomically, 0600 in a 0700 directory (`files.write_private`). Keys and
values are checked here, for `portal config set` and for what commands remember. No pydantic:
`portal config get/set/list` need none.

Reading uses the standard library (tomllib). A change is made in place with tomlkit, so the
user's comments, order and layout survive `portal config set`; tomlkit is imported only then.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from chathq_cli import errors
from chathq_cli.api import rules
from chathq_cli.state.files import read_toml, write_private

DEFAULT_HOST = "http://127.0.0.1:8787"
FORMATS = ("table", "json", "csv")
PROFILE_KEYS = ("host", "email", "org", "account")
PREFERENCE_KEYS = ("format", "no_color", "no_prompt", "keyring_timeout", "pager")
CONFIG_KEYS = PROFILE_KEYS + PREFERENCE_KEYS
# Keys people try to store that must never be written to a plain file.
SECRET_KEYS = ("token", "password", "secret", "api_key", "totp_code")
PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def default_config_dir() -> Path:
    return platformdirs.user_config_path("chathq")


def check_host(url: str) -> str:
    """`url` normalised (no trailing slash); plain http:// only for loopback hosts."""
    value = url.strip()
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a malformed port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(ch.isspace() for ch in value)
    ):
        raise errors.UsageError(
            f"invalid host {url!r}: expected a URL like https://portal.example.com",
            param="host",
        )
    if parts.username or parts.password:
        raise errors.UsageError("the host URL must not contain credentials", param="host")
    scheme = parts.scheme.lower()
    if scheme == "http" and not _is_loopback(parts.hostname):
        raise errors.UsageError(
            f"refusing plain http:// for {parts.hostname}: tokens would travel unencrypted",
            param="host",
            hint="use https://, or http:// only for a local sandbox (127.0.0.1, localhost)",
        )
    netloc = parts.hostname.lower()
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def _is_loopback(hostname: str) -> bool:
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def check_profile_name(name: str) -> str:
    if not PROFILE_NAME.match(name):
        raise errors.UsageError(
            f"invalid profile name {name!r}: use letters, digits, '.', '_', '-' or '@' "
            "(at most 64 characters)",
            param="profile",
        )
    return name


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


# --- value validation for `portal config set` and update_profile -----------------------------


def _check_email(value: str) -> str:
    if rules.email_problem(value.strip()):
        raise ValueError("not a valid e-mail address")
    return value.strip().lower()


def _id_checker(prefix: str) -> Callable[[str], str]:
    pattern = re.compile(rf"^{prefix}[A-Za-z0-9]+$")

    def check(value: str) -> str:
        if not pattern.match(value.strip()):
            raise ValueError(f"expected an ID starting with {prefix}")
        return value.strip()

    return check


def _check_format(value: str) -> str:
    if value not in FORMATS:
        raise ValueError(f"expected one of {', '.join(FORMATS)}")
    return value


def _check_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected true or false")


def _check_command(value: str) -> str:
    if not value.strip():
        raise ValueError("expected a command, such as less -R (cat: no paging)")
    return value.strip()


def _check_timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError("expected a number of seconds") from None
    if not 0 < seconds <= 120:
        raise ValueError("expected a number of seconds between 0 and 120")
    return seconds


_VALIDATORS: dict[str, Callable[[str], Any]] = {
    "host": check_host,
    "email": _check_email,
    "org": _id_checker(rules.ID_PREFIXES["org"]),
    "account": _id_checker(rules.ID_PREFIXES["account"]),
    "format": _check_format,
    "no_color": _check_bool,
    "no_prompt": _check_bool,
    "keyring_timeout": _check_timeout,
    "pager": _check_command,
}


def check_key(key: str) -> str:
    if key in CONFIG_KEYS:
        return key
    if any(secret in key.lower() for secret in SECRET_KEYS):
        raise errors.UsageError(
            f"KEY {key} cannot be stored in the config file: it never holds secrets",
            param="KEY",
            hint="sign in with `portal auth login` (the token goes to the keyring) "
            "or set PORTAL_TOKEN",
        )
    raise errors.UsageError(
        f"unknown config KEY {key!r}", param="KEY", hint=f"known keys: {', '.join(CONFIG_KEYS)}"
    )


def check_value(key: str, value: str) -> Any:
    """The stored form of `value` for `key`, or a UsageError naming VALUE (and the key)."""
    check_key(key)
    try:
        return _VALIDATORS[key](value)
    except errors.UsageError as exc:
        raise errors.UsageError(
            f"VALUE for {key}: {exc.message}", param="VALUE", hint=exc.hint
        ) from None
    except ValueError as exc:
        raise errors.UsageError(f"invalid VALUE for {key}: {exc}", param="VALUE") from None


# What each top-level key of config.toml must be; a wrong type is named, never ignored.
_SHAPE: dict[str, tuple[type, str]] = {
    "current_profile": (str, "a string"),
    "preferences": (dict, "a table"),
    "profiles": (dict, "a table of profiles"),
}
_TOML_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "a table"),
)


def check_shape(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """`data` when its sections have the types portal reads, or a UsageError naming the key
    and the file (a `profiles = "x"` would otherwise be silently ignored)."""
    for key, (kind, expected) in _SHAPE.items():
        if key in data and not isinstance(data[key], kind):
            raise _shape_error(path, key, expected, data[key])
    for name, table in data.get("profiles", {}).items():
        if not isinstance(table, dict):
            raise _shape_error(path, f"profiles.{name}", "a table", table)
    return data


def _shape_error(path: Path, key: str, expected: str, value: Any) -> errors.UsageError:
    found = next((what for kind, what in _TOML_TYPES if isinstance(value, kind)), "a date")
    return errors.UsageError(
        f"{key} in {path} must be {expected}, not {found}",
        param=key,
        hint=f"fix or remove {key} in {path} (`portal config list` shows what is read)",
    )


class ConfigFile:
    """`config.toml`: `current_profile`, `[preferences]`, `[profiles.<name>]`."""

    def __init__(self, config_dir: Path) -> None:
        self.config_dir = config_dir
        self.path = config_dir / "config.toml"

    def load(self) -> dict[str, Any]:
        return check_shape(read_toml(self.path), self.path)

    @contextmanager
    def _edit(self) -> Iterator[Any]:
        """The file as a tomlkit document to change in place; written back (atomically, 0600)
        when the block ends without an error."""
        import tomlkit

        self.load()  # refuses a broken file before anything is changed
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        document = tomlkit.parse(text)
        yield document
        write_private(self.path, tomlkit.dumps(document))

    def get(self, key: str, profile: str) -> Any:
        """The file's value for `key` (the current profile's, for profile keys) or its default."""
        return self.items(profile)[check_key(key)]

    def set(self, key: str, value: str, profile: str) -> None:
        stored = check_value(key, value)
        if key in PROFILE_KEYS:
            check_profile_name(profile)
        with self._edit() as document:
            _put(self._table(document, key, profile), key, stored)

    def unset(self, key: str, profile: str) -> None:
        check_key(key)
        if not self._has(key, profile):
            return  # nothing stored: leave the file as it is
        with self._edit() as document:
            self._table(document, key, profile).pop(key, None)

    def _has(self, key: str, profile: str) -> bool:
        data = self.load()
        if key in PROFILE_KEYS:
            return key in _section(_section(data, "profiles"), check_profile_name(profile))
        return key in _section(data, "preferences")

    def items(self, profile: str) -> dict[str, Any]:
        """Every config key with its effective file value (None when unset, no default)."""
        data = self.load()
        values = {
            **_section(data, "preferences"),
            **_section(_section(data, "profiles"), profile),
        }
        defaults: dict[str, Any] = {"host": DEFAULT_HOST}
        return {key: values.get(key, defaults.get(key)) for key in CONFIG_KEYS}

    def profiles(self) -> list[str]:
        names = set(_section(self.load(), "profiles"))
        names.add(self.current_profile())
        return sorted(names)

    def current_profile(self) -> str:
        current = self.load().get("current_profile")
        return current if isinstance(current, str) and current else "default"

    def set_current_profile(self, name: str) -> None:
        check_profile_name(name)
        with self._edit() as document:
            # tomlkit puts a new top-level key above the tables, where TOML needs it.
            document["current_profile"] = name

    def update_profile(self, profile: str, **values: str | None) -> None:
        """Remember `host`/`email`/`org`/`account` in `profile`; None forgets the key."""
        check_profile_name(profile)
        bad = set(values) - set(PROFILE_KEYS)
        if bad:
            raise errors.UsageError(f"not a profile key: {', '.join(sorted(bad))}")
        stored = {k: None if v is None else check_value(k, v) for k, v in values.items()}
        with self._edit() as document:
            table = _profile_table(document, profile)
            for key, value in stored.items():
                if value is None:
                    table.pop(key, None)
                else:
                    _put(table, key, value)

    @staticmethod
    def _table(document: Any, key: str, profile: str) -> Any:
        import tomlkit

        if key in PROFILE_KEYS:
            return _profile_table(document, check_profile_name(profile))
        if "preferences" not in document:
            document["preferences"] = tomlkit.table()
        return document["preferences"]


def _profile_table(document: Any, profile: str) -> Any:
    """`[profiles.<profile>]` of a tomlkit document, added when missing."""
    import tomlkit

    if "profiles" not in document:
        document["profiles"] = tomlkit.table(is_super_table=True)
    profiles = document["profiles"]
    if profile not in profiles:
        profiles[profile] = tomlkit.table()
    return profiles[profile]


def _put(table: Any, key: str, value: Any) -> None:
    """Set `key` in a tomlkit table: in place when present (its comment stays), else right
    after the table's last key, above any comment that introduces what follows."""
    if key in table:
        table[key] = value
        return
    container = getattr(table, "value", table)
    keyed = [i for i, (name, _) in enumerate(container.body) if name is not None]
    if keyed and keyed[-1] + 1 < len(container.body):
        container._insert_at(keyed[-1] + 1, key, value)
    else:
        table[key] = value
