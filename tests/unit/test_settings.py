"""Settings precedence, profiles, host checks and the config file."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest

from chathq_cli import errors
from chathq_cli.state.config_file import DEFAULT_HOST, ConfigFile, check_host
from chathq_cli.state.settings import load_settings


@pytest.fixture
def config(config_dir) -> ConfigFile:
    return ConfigFile(config_dir)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --- precedence -----------------------------------------------------------------------------


def test_defaults(config_dir):
    settings = load_settings()
    assert settings.host == DEFAULT_HOST
    assert settings.profile == "default"
    assert settings.token is None
    assert settings.format is None
    assert settings.keyring_timeout == 3.0
    assert settings.config_dir == config_dir
    assert settings.no_color is True  # the isolation fixture sets NO_COLOR=1


def test_flag_beats_env_beats_file_beats_default(config, monkeypatch):
    config.set("format", "csv", "default")
    config.set("account", "acct_file", "default")
    assert load_settings().format == "csv"
    monkeypatch.setenv("PORTAL_FORMAT", "json")
    monkeypatch.setenv("PORTAL_ACCOUNT", "acct_env")
    assert load_settings().format == "json"
    assert load_settings().account == "acct_env"
    flagged = load_settings(format="table", account="acct_flag")
    assert (flagged.format, flagged.account) == ("table", "acct_flag")


def test_absent_flags_do_not_override(monkeypatch):
    monkeypatch.setenv("PORTAL_DEBUG", "1")
    monkeypatch.setenv("PORTAL_HOST", "https://portal.example.com")
    settings = load_settings(debug=False, host=None, account=None)
    assert settings.debug is True
    assert settings.host == "https://portal.example.com"


def test_token_comes_from_the_environment_only(config, monkeypatch):
    monkeypatch.setenv("PORTAL_TOKEN", "pst_env_token_value")
    settings = load_settings()
    assert settings.token is not None
    assert settings.token.get_secret_value() == "pst_env_token_value"
    assert "pst_env_token_value" not in repr(settings)
    monkeypatch.setenv("PORTAL_TOKEN", "")
    assert load_settings().token is None


def test_no_color_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    assert load_settings().no_color is False
    monkeypatch.setenv("PORTAL_NO_COLOR", "1")
    assert load_settings().no_color is True
    monkeypatch.delenv("PORTAL_NO_COLOR")
    monkeypatch.setenv("NO_COLOR", "yes")
    assert load_settings().no_color is True


def test_invalid_env_value_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("PORTAL_FORMAT", "xml")
    with pytest.raises(errors.UsageError) as caught:
        load_settings()
    assert caught.value.param == "PORTAL_FORMAT"
    assert caught.value.exit_code == errors.ExitCode.USAGE


def test_config_dir_env(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("PORTAL_CONFIG_DIR", str(elsewhere))
    ConfigFile(elsewhere).set("format", "json", "default")
    settings = load_settings()
    assert settings.config_dir == elsewhere
    assert settings.format == "json"


# --- profiles -------------------------------------------------------------------------------


def test_profile_selection(config, monkeypatch):
    config.update_profile("default", host="http://127.0.0.1:9001", email="a@demo.chathq.test")
    config.update_profile("work", host="https://portal.example.com", org="org_work")
    assert load_settings().host == "http://127.0.0.1:9001"
    assert load_settings().email == "a@demo.chathq.test"

    config.set_current_profile("work")
    current = load_settings()
    assert (current.profile, current.host, current.org) == (
        "work",
        "https://portal.example.com",
        "org_work",
    )
    assert current.email is None  # profile keys do not leak between profiles

    monkeypatch.setenv("PORTAL_PROFILE", "default")
    assert load_settings().profile == "default"
    assert load_settings(profile="work").profile == "work"


def test_unknown_profile_uses_defaults(config):
    settings = load_settings(profile="fresh")
    assert (settings.profile, settings.host) == ("fresh", DEFAULT_HOST)


def test_bad_profile_name_is_refused():
    with pytest.raises(errors.UsageError) as caught:
        load_settings(profile="../etc")
    assert caught.value.param == "profile"


def test_preferences_apply_to_every_profile(config):
    config.set("format", "json", "default")
    config.set("keyring_timeout", "0.5", "default")
    settings = load_settings(profile="other")
    assert (settings.format, settings.keyring_timeout) == ("json", 0.5)


# --- hosts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8787/", "http://127.0.0.1:8787"),
        ("http://127.8.9.10", "http://127.8.9.10"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://LOCALHOST:8000", "http://localhost:8000"),
        ("http://[::1]:8787", "http://[::1]:8787"),
        ("https://example.com", "https://example.com"),
        ("HTTPS://Portal.Example.com/api/", "https://portal.example.com/api"),
        ("https://10.0.0.1:8443", "https://10.0.0.1:8443"),
    ],
)
def test_check_host_accepts(url, expected):
    assert check_host(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http://10.0.0.1",
        "http://192.168.1.5:8787",
        "http://[2001:db8::1]",
        "example.com",
        "ftp://example.com",
        "https://",
        "https://exa mple.com",
        "https://example.com:99999",
        "https://example.com/?a=1",
        "https://user:pw@example.com",
        "",
    ],
)
def test_check_host_refuses(url):
    with pytest.raises(errors.UsageError) as caught:
        check_host(url)
    assert caught.value.param == "host"
    assert caught.value.exit_code == errors.ExitCode.USAGE


def test_plain_http_host_refused_when_loading(monkeypatch):
    monkeypatch.setenv("PORTAL_HOST", "http://example.com")
    with pytest.raises(errors.UsageError) as caught:
        load_settings()
    assert caught.value.param == "host"
    assert "http://" in caught.value.message


# --- the config file ------------------------------------------------------------------------


def test_file_mode_0600_dir_0700_and_shape(config, config_dir):
    assert config.load() == {}
    config.set("host", "https://portal.example.com/", "default")
    config.set("no_color", "on", "default")
    config.set_current_profile("default")
    assert mode(config_dir) == 0o700
    assert mode(config.path) == 0o600
    with open(config.path, "rb") as handle:
        data = tomllib.load(handle)
    assert data == {
        "current_profile": "default",
        "preferences": {"no_color": True},
        "profiles": {"default": {"host": "https://portal.example.com"}},
    }


def test_save_is_atomic(config, config_dir, monkeypatch):
    config.set("format", "json", "default")
    before = config.path.read_bytes()

    def explode(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", explode)
    with pytest.raises(errors.PortalError, match="disk full") as caught:
        config.set("format", "csv", "default")
    assert str(config.path) in caught.value.message
    assert caught.value.exit_code == errors.ExitCode.FAILURE
    assert config.path.read_bytes() == before
    assert sorted(p.name for p in config_dir.iterdir()) == ["config.toml"]  # no temp file left


@pytest.mark.parametrize("key", ["token", "password", "api_secret"])
def test_secret_keys_are_refused(config, key):
    with pytest.raises(errors.UsageError) as caught:
        config.set(key, "sk_test_abc", "default")
    assert caught.value.param == "KEY"
    assert key in caught.value.message
    assert "portal auth login" in (caught.value.hint or "")
    assert not config.path.exists()


def test_unknown_key_is_refused(config):
    with pytest.raises(errors.UsageError) as caught:
        config.set("colour", "red", "default")
    assert caught.value.param == "KEY"
    assert "'colour'" in caught.value.message
    with pytest.raises(errors.UsageError):
        config.get("colour", "default")
    with pytest.raises(errors.UsageError):
        config.unset("colour", "default")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("format", "xml"),
        ("no_color", "maybe"),
        ("keyring_timeout", "-1"),
        ("keyring_timeout", "soon"),
        ("host", "http://example.com"),
        ("email", "not-an-email"),
        ("org", "acct_123"),
        ("account", "acct_../x"),
    ],
)
def test_values_are_validated(config, key, value):
    with pytest.raises(errors.UsageError) as caught:
        config.set(key, value, "default")
    assert caught.value.param == "VALUE"
    assert key in caught.value.message
    assert not config.path.exists()


def test_get_unset_items(config):
    assert config.get("host", "default") == DEFAULT_HOST
    assert config.get("format", "default") is None
    config.set("format", "csv", "default")
    config.set("account", "acct_1", "work")
    assert config.get("format", "work") == "csv"
    assert config.get("account", "work") == "acct_1"
    assert config.get("account", "default") is None
    items = config.items("work")
    assert list(items) == [
        "host",
        "email",
        "org",
        "account",
        "format",
        "no_color",
        "no_prompt",
        "keyring_timeout",
        "pager",
    ]
    assert items["account"] == "acct_1"
    config.unset("account", "work")
    assert config.get("account", "work") is None


def test_profiles_and_update_profile(config):
    assert config.profiles() == ["default"]
    assert config.current_profile() == "default"
    config.update_profile("ci", host="https://portal.example.com", email="CI@Example.com")
    config.update_profile("ci", org="org_1", account="acct_1")
    config.update_profile("ci", account=None)
    assert config.items("ci")["email"] == "ci@example.com"
    assert config.items("ci")["org"] == "org_1"
    assert config.items("ci")["account"] is None
    assert config.profiles() == ["ci", "default"]
    with pytest.raises(errors.UsageError):
        config.update_profile("ci", token="pst_x")


def test_malformed_file_is_a_usage_error(config, config_dir):
    config_dir.mkdir(parents=True)
    config.path.write_text("this is = = not toml")
    with pytest.raises(errors.UsageError) as caught:
        load_settings()
    assert str(config.path) in caught.value.message


# --- editing in place, and a file of the wrong shape ----------------------------------------

COMMENTED = """\
# portal settings, kept by hand
current_profile = "default"  # the one I use most

[preferences]
format = "json"  # scripts like JSON

# Work: the EU portal
[profiles.default]
host = "https://portal.example.com"
"""


def test_changes_keep_comments_order_and_layout(config, config_dir):
    config_dir.mkdir(parents=True)
    config.path.write_text(COMMENTED)
    config.set("no_color", "on", "default")
    config.set("format", "csv", "default")
    config.update_profile("default", email="ME@example.com")
    config.update_profile("ci", org="org_1")
    config.unset("no_color", "default")
    config.set_current_profile("ci")
    assert config.path.read_text() == COMMENTED.replace(
        '"default"  # the one', '"ci"  # the one'
    ).replace('"json"  # scripts', '"csv"  # scripts').replace(
        'host = "https://portal.example.com"\n',
        'host = "https://portal.example.com"\nemail = "me@example.com"\n\n'
        '[profiles.ci]\norg = "org_1"\n',
    )
    assert mode(config.path) == 0o600


def test_a_new_key_goes_above_the_comment_of_the_next_table(config, config_dir):
    config_dir.mkdir(parents=True)
    config.path.write_text(COMMENTED)
    config.set("keyring_timeout", "5", "default")
    text = config.path.read_text()
    assert 'format = "json"  # scripts like JSON\nkeyring_timeout = 5.0\n\n# Work' in text


def test_unset_of_an_absent_key_leaves_the_file_alone(config, config_dir):
    config_dir.mkdir(parents=True)
    config.path.write_text(COMMENTED)
    before = os.stat(config.path).st_mtime_ns
    config.unset("email", "default")
    config.unset("no_prompt", "default")
    assert config.path.read_text() == COMMENTED
    assert os.stat(config.path).st_mtime_ns == before


@pytest.mark.parametrize(
    ("text", "key", "expected", "found"),
    [
        ('profiles = "x"\n', "profiles", "a table of profiles", "a string"),
        ("profiles = [1, 2]\n", "profiles", "a table of profiles", "an array"),
        ("preferences = 3\n", "preferences", "a table", "an integer"),
        ("current_profile = true\n", "current_profile", "a string", "a boolean"),
        ("current_profile = 1979-05-27\n", "current_profile", "a string", "a date"),
        ("[profiles]\ndefault = 1.5\n", "profiles.default", "a table", "a number"),
        ('[profiles]\nwork = "x"\n', "profiles.work", "a table", "a string"),
    ],
)
def test_a_section_of_the_wrong_type_is_named(config, config_dir, text, key, expected, found):
    config_dir.mkdir(parents=True)
    config.path.write_text(text)
    for attempt in (load_settings, lambda: config.set("format", "json", "default")):
        with pytest.raises(errors.UsageError) as caught:
            attempt()
        assert caught.value.param == key
        assert caught.value.message == f"{key} in {config.path} must be {expected}, not {found}"
    assert config.path.read_text() == text
