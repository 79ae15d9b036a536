"""Settings: flags > `PORTAL_*` env vars > the config file (current profile) > defaults.

The config file itself (profiles, preferences, checks of keys and values) is `config_file`.
Imported only inside command bodies: pydantic-settings is not on the `--help` path.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from chathq_cli import errors
from chathq_cli.state.config_file import (
    CONFIG_KEYS,
    DEFAULT_HOST,
    ConfigFile,
    _section,
    check_host,
    check_profile_name,
    default_config_dir,
)

__all__ = ["Settings", "load_settings"]

# The current profile's file values, handed to the settings source for one load_settings().
_FILE_VALUES: ContextVar[dict[str, Any] | None] = ContextVar("portal_file_values", default=None)


class _ConfigFileSource(PydanticBaseSettingsSource):
    """The config file as a settings source, ranked below the environment."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return (_FILE_VALUES.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_FILE_VALUES.get() or {})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore", env_ignore_empty=True)

    host: str = DEFAULT_HOST
    token: pydantic.SecretStr | None = None  # PORTAL_TOKEN only; never written to the file
    profile: str = "default"
    account: str | None = None
    org: str | None = None
    format: Literal["table", "json", "csv"] | None = None
    no_prompt: bool = False
    debug: bool = False
    no_color: bool = False
    config_dir: Path = pydantic.Field(default_factory=default_config_dir)
    keyring_timeout: float = pydantic.Field(default=3.0, gt=0, le=120)
    # PORTAL_RETRY_*: a smaller (or larger) retry budget for scripts and tests. None keeps the
    # client's default; bounded so that `inf` or `1e309` is a usage error, not a crash.
    retry_attempts: int | None = pydantic.Field(default=None, ge=1, le=10_000)
    retry_total_timeout: float | None = pydantic.Field(default=None, gt=0, le=86_400)
    retry_max_delay: float | None = pydantic.Field(default=None, ge=0, le=3_600)
    email: str | None = None  # from the profile
    # PORTAL_PAGER, else the config file's; cli/environment.pager() adds PAGER and `less`.
    pager: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Flags (init kwargs) > PORTAL_* env > config file > field defaults; no .env files.
        return (init_settings, env_settings, _ConfigFileSource(settings_cls))


def load_settings(**flags: Any) -> Settings:
    """Effective settings for one command. `flags` are the command-line values.

    A flag of None is "not given"; so is False, since on/off flags can only switch on
    (otherwise `--debug` absent would override PORTAL_DEBUG=1).
    """
    given = {k: v for k, v in flags.items() if v is not None and v is not False}
    unknown = set(given) - set(Settings.model_fields)
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    config_dir = Path(
        given.get("config_dir") or os.environ.get("PORTAL_CONFIG_DIR") or default_config_dir()
    ).expanduser()
    config = ConfigFile(config_dir)
    data = config.load()
    profile = str(
        given.get("profile")
        or os.environ.get("PORTAL_PROFILE")
        or data.get("current_profile")
        or "default"
    )
    check_profile_name(profile)
    file_values = {
        **_section(data, "preferences"),
        **_section(_section(data, "profiles"), profile),
    }
    given.update(profile=profile, config_dir=config_dir)
    token = _FILE_VALUES.set({k: v for k, v in file_values.items() if k in CONFIG_KEYS})
    try:
        settings = Settings(**given)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        source = _source_of(field, given, file_values, config.path)
        raise errors.UsageError(
            f"invalid {source}: {first['msg']}", param=source.split(" ")[0]
        ) from None
    finally:
        _FILE_VALUES.reset(token)
    updates: dict[str, Any] = {"host": check_host(settings.host)}
    if os.environ.get("NO_COLOR"):  # https://no-color.org: any non-empty value
        updates["no_color"] = True
    return settings.model_copy(update=updates)


def _source_of(field: str, flags: dict[str, Any], file_values: dict[str, Any], path: Path) -> str:
    """Where the bad value of `field` came from, as the user would name it."""
    if field in flags:
        return f"--{field.replace('_', '-')}"
    variable = f"PORTAL_{field.upper()}"
    if os.environ.get(variable):
        return variable
    if field in file_values:
        return f"{field} (in {path})"
    return field
