"""What a new user and a fuzzer hit in the core commands, each fixed and kept fixed (in-process)."""

from __future__ import annotations

import json

import keyring
import keyring.backends.fail
import pytest

from support.demo import OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal


def test_usage_says_when_more_records_match_than_shown(portal: Portal) -> None:
    portal.sign_in()
    shown = portal.run("usage", "--limit", "5")
    assert len(shown.stdout.splitlines()) == 1 + 5  # header + 5 records
    assert "more match" in shown.stderr
    assert "--all" in shown.stderr and "--limit" in shown.stderr


def test_usage_says_nothing_when_everything_is_shown(portal: Portal) -> None:
    portal.sign_in()
    every = portal.run("usage", "--all", "--unit", "numbers")
    assert "more match" not in every.stderr
    count = len(every.stdout.splitlines()) - 1
    exact = portal.run("usage", "--unit", "numbers", "--limit", str(count))
    assert "more match" not in exact.stderr
    assert len(exact.stdout.splitlines()) - 1 == count


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_out_of_range_dates_are_bad_input(portal: Portal, value: str) -> None:
    portal.sign_in()
    result = portal.run("usage", "--since", value, exit_code=2)
    assert_one_line_error(result, mentions="--since")


def test_an_argument_that_is_not_utf8_is_bad_input(portal: Portal) -> None:
    token = portal.sign_in()
    before = portal.sandbox.get("orgs", token)
    result = portal.run("org", "update", "--name", "Acme\udcff", exit_code=2)
    assert_one_line_error(result, mentions="--name")
    assert "UTF-8" in result.stderr
    assert portal.sandbox.get("orgs", token) == before


@pytest.mark.parametrize(
    "header", ["X-Test: a\r\nX-Evil: 1", "X-Test: a\nb", "X-Test: caf\u00e9", "X-Test: \x1b[2J"]
)
def test_api_header_with_line_breaks_or_controls_is_bad_input(portal: Portal, header: str) -> None:
    portal.sign_in()
    result = portal.run("api", "me", "-H", header, exit_code=2)
    assert "-H" in result.stderr
    assert "Traceback" not in result.stderr


def test_org_use_of_an_org_without_accounts_leaves_no_account_in_use(portal: Portal) -> None:
    portal.sign_in()
    created = portal.json("org", "create", "Empty Org")
    portal.run("org", "use", created["id"])
    result = portal.run("account", "show", exit_code=2)
    assert "no account selected" in result.stderr
    # The demo owner's default account (in Acme) is not quietly used instead.
    listing = portal.run("account", "list", "--json")
    assert json.loads(listing.stdout) == []


def test_login_checks_the_keyring_before_asking_for_the_password(portal: Portal) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    result = portal.run("auth", "login", "--email", OWNER, tty=True, stdin="", exit_code=4)
    assert "Password" not in result.stderr  # never asked: it could not have been stored
    assert "keyring" in result.stderr
    assert "--insecure-storage" in result.stderr


def test_status_of_a_signed_out_profile_says_not_signed_in(portal: Portal) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    result = portal.run("auth", "status", exit_code=4)
    assert result.stderr.startswith("error: not signed in to ")


def test_status_with_a_working_keyring_and_no_token_says_not_signed_in(portal: Portal) -> None:
    result = portal.run("auth", "status", exit_code=4)
    assert result.stderr.startswith("error: not signed in to ")


def test_status_with_a_rejected_portal_token_hints_to_fix_the_variable(portal: Portal) -> None:
    result = portal.run("auth", "status", env={"PORTAL_TOKEN": "pst_not_a_real_token"}, exit_code=4)
    assert "PORTAL_TOKEN" in result.stderr.splitlines()[-1]
    assert "auth login" not in result.stderr.splitlines()[-1]


def test_dates_take_ascii_digits_only(portal: Portal) -> None:
    # str.isdigit and \d accept Arabic-Indic digits; a date option must not.
    result = portal.run("usage", "--since", "٢٠٢٦-١١-٠١", exit_code=2)
    assert_one_line_error(result, mentions="--since")
