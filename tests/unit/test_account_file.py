"""Account files (inputs/account_file.py): reading, FILE:LINE:COLUMN errors, merging, and the
checks against the catalogue, by table."""

from __future__ import annotations

import pytest

from chathq_cli import errors
from chathq_cli.inputs import account_file
from chathq_cli.inputs.account_file import SettingRule

ACCOUNT = "acct_1"
HEAD = f"version: 1\naccounts:\n  {ACCOUNT}:\n"
INTG = f"accounts.{ACCOUNT}.integrations."
GOOD = f"""\
version: 1
accounts:
  {ACCOUNT}:            # a comment is fine
    name: Acme Support
    members:
      Owner@Demo.chathq.test: owner
      new.hire@example.com: member
    integrations:
      slack:
        settings:
          workspace: acme
          bot_token: ${{SLACK_BOT_TOKEN}}
    api_keys:
      CI deploy: {{expires_at: 2027-03-01T00:00:00Z}}
      Zapier: {{}}
      Other:
"""
CATALOG = {
    "slack": {
        "workspace": SettingRule("string", required=True),
        "bot_token": SettingRule("secret", required=True),
        "notify_on": SettingRule("enum", choices=("all", "mentions")),
    },
    "salesforce": {"sandbox": SettingRule("bool")},
}


def test_a_good_file_reads_with_lower_cased_members_and_utc_times() -> None:
    document = account_file.load([("a.yaml", GOOD)])
    spec = document.accounts[ACCOUNT]
    assert spec.members == {"owner@demo.chathq.test": "owner", "new.hire@example.com": "member"}
    assert spec.managed() == ("name", "members", "integrations", "api_keys")
    assert spec.api_keys is not None and spec.api_keys["Other"] is None
    assert spec.api_keys["CI deploy"] is not None
    assert spec.api_keys["CI deploy"].expires_at is not None
    assert spec.api_keys["CI deploy"].expires_at.isoformat() == "2027-03-01T00:00:00+00:00"
    account_file.check_against(document, CATALOG, lambda account: True)


def test_json_is_read_as_the_same_document() -> None:
    members = '{"members": {"a@b.example": "admin"}}'
    text = f'{{"version": 1,\n "accounts": {{"{ACCOUNT}": {members}}}}}'
    document = account_file.load([("a.json", text)])
    assert document.accounts[ACCOUNT].members == {"a@b.example": "admin"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\naccounts: {x: [\n", "a.yaml:3:1: "),
        ("version: 1\nversion: 1\n", "a.yaml:2:1: found duplicate key"),
        ("- 1\n", "a.yaml:1:1: the file must be a mapping"),
        ("version: 2\naccounts: {}\n", "a.yaml:1:1: version: "),
        ("accounts: {}\n", "a.yaml:1:1: version: is required"),
        (
            HEAD + "    nme: x\n",
            f"a.yaml:4:5: accounts.{ACCOUNT}.nme: unknown key",
        ),
        (
            "version: 1\naccounts:\n  bad_id: {}\n",
            "a.yaml:3:3: accounts.bad_id: is not an account ID",
        ),
        (
            HEAD + "    members:\n      nobody: member\n",
            "a.yaml:5:7: accounts.acct_1.members.nobody: is not a valid e-mail",
        ),
        (
            HEAD + "    members: {a@b.example: boss}\n",
            "a.yaml:4:15: accounts.acct_1.members.a@b.example: Input should be",
        ),
        (
            HEAD + "    integrations:\n      slack: {enabled: 1}\n",
            "a.yaml:5:15: accounts.acct_1.integrations.slack.enabled: ",
        ),
        (
            HEAD + "    api_keys:\n      k: {expires_at: 2027-01-01T00:00:00}\n",
            "a.yaml:5:11: accounts.acct_1.api_keys.k.expires_at: Input should have timezone",
        ),
    ],
)
def test_bad_files_name_file_line_column_and_key(text: str, expected: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        account_file.load([("a.yaml", text)])
    assert caught.value.message.startswith(expected), caught.value.message
    assert caught.value.exit_code == errors.ExitCode.USAGE


def test_files_merge_by_account_but_one_section_lives_in_one_file() -> None:
    team = HEAD + "    members: {a@b.example: owner}\n"
    keys = HEAD + "    api_keys: {}\n"
    merged = account_file.load([("team.yaml", team), ("keys.yaml", keys)])
    assert merged.accounts[ACCOUNT].managed() == ("members", "api_keys")
    with pytest.raises(errors.UsageError) as caught:
        account_file.load([("team.yaml", team), ("again.yaml", team)])
    assert caught.value.message.startswith("again.yaml:4:5: ")
    assert "also written at team.yaml:4:5" in caught.value.message


def _integrations(body: str) -> str:
    return HEAD + f"    integrations:\n{body}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            _integrations("      fax: {}\n"),
            f"a.yaml:5:7: {INTG}fax: unknown integration type",
        ),
        (
            _integrations(
                "      slack:\n        settings: {workspace: a, bot_token: '${T}', colour: x}\n"
            ),
            f"a.yaml:6:53: {INTG}slack.settings.colour: not a setting of slack",
        ),
        (
            _integrations("      slack:\n        settings: {workspace: a, bot_token: xoxb-1234}\n"),
            f"a.yaml:6:34: {INTG}slack.settings.bot_token: is a secret: write it as "
            "${SLACK_BOT_TOKEN}",
        ),
        (
            _integrations("      slack:\n        settings: {workspace: a}\n"),
            f"a.yaml:6:9: {INTG}slack.settings: bot_token: is required",
        ),
        (
            _integrations(
                "      slack:\n        settings: {workspace: a, bot_token: '${T}', notify_on: x}\n"
            ),
            f"a.yaml:6:53: {INTG}slack.settings.notify_on: must be one of all, mentions",
        ),
        (
            _integrations("      salesforce:\n        settings: {sandbox: 'no'}\n"),
            f"a.yaml:6:20: {INTG}salesforce.settings.sandbox: must be true or false",
        ),
    ],
)
def test_what_only_the_catalogue_knows_is_checked_at_the_key(text: str, expected: str) -> None:
    document = account_file.load([("a.yaml", text)])
    with pytest.raises(errors.UsageError) as caught:
        account_file.check_against(document, CATALOG, lambda account: True)
    assert caught.value.message.startswith(expected), caught.value.message


def test_an_unknown_account_is_reported_at_its_key() -> None:
    document = account_file.load([("a.yaml", GOOD)])
    with pytest.raises(errors.UsageError) as caught:
        account_file.check_against(document, CATALOG, lambda account: False)
    assert caught.value.message.startswith(f"a.yaml:3:3: accounts.{ACCOUNT}: no such account")


def test_a_literal_secret_is_never_echoed() -> None:
    text = _integrations("      slack:\n        settings: {workspace: a, bot_token: xoxb-hidden}\n")
    document = account_file.load([("a.yaml", text)])
    with pytest.raises(errors.UsageError) as caught:
        account_file.check_against(document, CATALOG, lambda account: True)
    assert "xoxb-hidden" not in caught.value.message
