"""`portal export`, `plan`, `apply` (SPEC §9) in-process against the sandbox: the round trip,
drift, confirmation, removals, the last owner, saved plans, secrets and faults.

Files are written as JSON (the same document; JSON is YAML) edited from `export --json`;
the YAML round trip is the first test.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest

from support.demo import OWNER
from support.harness import Sandbox
from support.inprocess import Portal

NEW = "new.person@example.com"
RETRIES = {"PORTAL_RETRY_ATTEMPTS": "10", "PORTAL_RETRY_MAX_DELAY": "0.1"}
POSITION = re.compile(r"^error: \S+:\d+:\d+: ", re.M)


def _export(portal: Portal) -> tuple[str, dict[str, Any]]:
    """The current account's ID and its exported section map."""
    document = portal.json("export")
    [(account_id, account)] = document["accounts"].items()
    return account_id, account


def _write(tmp_path: Path, account_id: str, account: dict[str, Any], name: str = "a.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"version": 1, "accounts": {account_id: account}}))
    return str(path)


def _members(sandbox: Sandbox, token: str, account_id: str) -> dict[str, str]:
    found = {
        m["email"]: m["role"] for m in sandbox.list_all(f"accounts/{account_id}/members", token)
    }
    for inv in sandbox.list_all(f"accounts/{account_id}/invitations?status=pending", token):
        found.setdefault(inv["email"], inv["role"])
    return found


@pytest.fixture
def token(portal: Portal) -> str:
    return portal.sign_in(OWNER)


def test_export_then_plan_is_clean(portal: Portal, token: str, tmp_path: Path) -> None:
    path = tmp_path / "portal.yaml"
    portal.run("export", "-o", str(path), exit_code=0)
    text = path.read_text()
    assert "bot_token: ${SLACK_BOT_TOKEN}" in text
    assert "xoxb-demo" not in text and "sk_test_" not in text
    result = portal.run("plan", "-f", str(path), exit_code=0)
    assert "0 to add, 0 to change, 0 to remove" in result.stdout
    assert "SLACK_BOT_TOKEN is not set: bot_token left alone" in result.stdout


def test_plan_shows_drift_and_exits_9_changing_nothing(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    before = _members(sandbox, token, account_id)
    account["members"][NEW] = "admin"
    account["members"]["member@demo.chathq.test"] = "admin"
    del account["members"]["sam@demo.chathq.test"]
    account["integrations"]["webhook"]["enabled"] = True
    result = portal.run("plan", "-f", _write(tmp_path, account_id, account), exit_code=9)
    assert f"+ {NEW}: invite as admin" in result.stdout
    assert "~ member@demo.chathq.test: member -> admin" in result.stdout
    assert "- sam@demo.chathq.test: remove (member)" in result.stdout
    assert "~ webhook: enabled: False -> True" in result.stdout
    assert "Plan: 1 to add, 2 to change, 1 to remove." in result.stdout
    assert result.stdout.startswith(f"{account_id} (Acme Support)\n")  # which account, by name
    assert _members(sandbox, token, account_id) == before


def test_plan_json_and_saved_plan_hold_no_secret(
    portal: Portal, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["api_keys"]["Deploy bot"] = {}
    path = _write(tmp_path, account_id, account)
    saved = tmp_path / "plan.json"
    env = {"SLACK_BOT_TOKEN": "xoxb-rotated-secret-0042"}
    result = portal.run("plan", "-f", path, "--out", str(saved), "--json", env=env, exit_code=9)
    plan = result.json()
    assert json.loads(saved.read_text())["changes"] == plan["changes"]
    assert [(c["section"], c["item"], c["action"]) for c in plan["changes"]] == [
        ("integrations", "slack", "update"),
        ("api_keys", "Deploy bot", "create"),
    ]
    for text in (result.stdout, saved.read_text()):
        assert "xoxb-rotated" not in text and "${SLACK_BOT_TOKEN}" in text


def test_apply_makes_the_changes_then_plan_is_clean(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["name"] = "Acme Care"
    account["members"][NEW] = "member"
    account["members"]["member@demo.chathq.test"] = "admin"
    account["integrations"]["webhook"]["settings"]["events"] = "tickets"
    path = _write(tmp_path, account_id, account)
    result = portal.run("apply", "-f", path, "--yes", exit_code=0)
    assert "Applied 4 changes." in result.stderr
    assert sandbox.get(f"accounts/{account_id}", token)["name"] == "Acme Care"
    members = _members(sandbox, token, account_id)
    assert members[NEW] == "member" and members["member@demo.chathq.test"] == "admin"
    portal.run("plan", "-f", path, exit_code=0)
    # A second apply finds nothing to do and sends nothing twice.
    again = portal.run("apply", "-f", path, "--yes", exit_code=0)
    assert "No changes" in again.stderr
    invited = sandbox.list_all(f"accounts/{account_id}/invitations?status=pending", token)
    assert [i["email"] for i in invited].count(NEW) == 1


def test_apply_without_a_terminal_needs_yes(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["members"][NEW] = "member"
    result = portal.run("apply", "-f", _write(tmp_path, account_id, account), exit_code=2)
    assert "--yes" in result.stderr
    assert NEW not in _members(sandbox, token, account_id)


def test_apply_asks_and_a_no_changes_nothing(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["members"][NEW] = "member"
    path = _write(tmp_path, account_id, account)
    result = portal.run("apply", "-f", path, tty=True, stdin="n\n", exit_code=3)
    assert f"+ {NEW}: invite as member" in result.stderr
    assert "Apply 1 change?" in result.stderr
    assert NEW not in _members(sandbox, token, account_id)
    portal.run("apply", "-f", path, tty=True, stdin="y\n", exit_code=0)
    assert NEW in _members(sandbox, token, account_id)


def test_removals_need_allow_removals_and_stay_within_max(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    del account["members"]["sam@demo.chathq.test"]
    del account["members"]["new.hire@example.com"]  # a pending invitation: revoked
    del account["api_keys"]["Zapier"]
    path = _write(tmp_path, account_id, account)
    refused = portal.run("apply", "-f", path, "--yes", exit_code=2)
    assert "--allow-removals" in refused.stderr
    capped = portal.run(
        "apply", "-f", path, "--yes", "--allow-removals", "--max-removals", "2", exit_code=2
    )
    assert "--max-removals" in capped.stderr and "3 item(s)" in capped.stderr
    assert "sam@demo.chathq.test" in _members(sandbox, token, account_id)
    portal.run("apply", "-f", path, "--yes", "--allow-removals", "--max-removals", "3", exit_code=0)
    members = _members(sandbox, token, account_id)
    assert "sam@demo.chathq.test" not in members and "new.hire@example.com" not in members
    keys = sandbox.list_all(f"accounts/{account_id}/api_keys", token)
    assert {k["name"]: k["status"] for k in keys}["Zapier"] == "revoked"
    portal.run("plan", "-f", path, exit_code=0)


def test_the_last_owner_is_never_demoted_and_nothing_changes(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["name"] = "Ownerless"
    account["members"][OWNER] = "admin"
    path = _write(tmp_path, account_id, account)
    result = portal.run("apply", "-f", path, "--yes", "--allow-removals", exit_code=7)
    assert "last owner" in result.stderr and OWNER in result.stderr
    assert sandbox.get(f"accounts/{account_id}", token)["name"] == "Acme Support"
    assert _members(sandbox, token, account_id)[OWNER] == "owner"


def test_an_owner_hand_over_promotes_before_it_demotes(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["members"][OWNER] = "admin"
    account["members"]["admin@demo.chathq.test"] = "owner"
    path = _write(tmp_path, account_id, account)
    portal.run("apply", "-f", path, "--yes", exit_code=0)
    members = _members(sandbox, token, account_id)
    assert (members[OWNER], members["admin@demo.chathq.test"]) == ("admin", "owner")


def test_a_saved_plan_applies_only_to_the_state_it_was_made_from(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["members"][NEW] = "member"
    path = _write(tmp_path, account_id, account)
    saved = tmp_path / "plan.json"
    portal.run("plan", "-f", path, "--out", str(saved), exit_code=9)
    portal.run("team", "invite", "late@example.com", exit_code=0)
    stale = portal.run("apply", str(saved), "--yes", exit_code=7)
    assert "changed since the plan" in stale.stderr
    assert NEW not in _members(sandbox, token, account_id)
    # The plan is made again (it now also revokes the late invitation) and applies.
    portal.run("plan", "-f", path, "--out", str(saved), "--force", exit_code=9)
    portal.run("apply", str(saved), "--yes", "--allow-removals", exit_code=0)
    members = _members(sandbox, token, account_id)
    assert NEW in members and "late@example.com" not in members


def test_new_key_secrets_are_printed_once_and_never_in_a_file(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["api_keys"]["Deploy bot"] = {"expires_at": "2027-06-01T00:00:00Z"}
    path = _write(tmp_path, account_id, account)
    result = portal.run("apply", "-f", path, "--yes", exit_code=0)
    secrets = re.findall(r"sk_test_\S+", result.stdout)
    assert len(secrets) == 1 and f"{account_id}\tDeploy bot\t{secrets[0]}" in result.stdout
    assert "sk_test_" not in Path(path).read_text()
    keys = {k["name"]: k for k in sandbox.list_all(f"accounts/{account_id}/api_keys", token)}
    assert keys["Deploy bot"]["expires_at"] == "2027-06-01T00:00:00Z"
    assert secrets[0].endswith(keys["Deploy bot"]["last4"])


def test_secrets_out_is_a_private_file_and_stdout_stays_clean(
    portal: Portal, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["api_keys"]["Deploy bot"] = {}
    path = _write(tmp_path, account_id, account)
    out = tmp_path / "secrets.json"
    result = portal.run("apply", "-f", path, "--yes", "--secrets-out", str(out), exit_code=0)
    assert "sk_test_" not in result.stdout + result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())[account_id]["Deploy bot"].startswith("sk_test_")
    exists = portal.run("apply", "-f", path, "--yes", "--secrets-out", str(out), exit_code=2)
    assert "already exists" in exists.stderr


def test_a_secret_setting_comes_from_the_environment(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    path = _write(tmp_path, account_id, account)
    same = {"SLACK_BOT_TOKEN": "xoxb-demo-4471-9f3a"}
    clean = portal.run("plan", "-f", path, env=same, exit_code=0)
    assert "not set" not in clean.stdout
    new = {"SLACK_BOT_TOKEN": "xoxb-new-token-7788"}
    drift = portal.run("plan", "-f", path, env=new, exit_code=9)
    assert "~ slack: bot_token: ••••9f3a -> ${SLACK_BOT_TOKEN}" in drift.stdout
    assert "xoxb-new" not in drift.stdout
    applied = portal.run("apply", "-f", path, "--yes", "--debug", env=new, exit_code=0)
    assert "xoxb-new-token-7788" not in applied.stdout + applied.stderr
    slack = sandbox.get(f"accounts/{account_id}/integrations/slack", token)
    assert slack["settings"]["bot_token"] == "••••7788"
    portal.run("plan", "-f", path, env=new, exit_code=0)


def test_creating_an_integration_needs_its_secret_variable(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    account["integrations"]["zendesk"] = {
        "settings": {"subdomain": "acme", "email": "ops@acme.example", "api_token": "${ZD}"}
    }
    path = _write(tmp_path, account_id, account)
    result = portal.run("apply", "-f", path, "--yes", exit_code=2)
    assert "ZD is not set" in result.stderr
    portal.run("apply", "-f", path, "--yes", env={"ZD": "zd-token-abcd"}, exit_code=0)
    zendesk = sandbox.get(f"accounts/{account_id}/integrations/zendesk", token)
    assert zendesk["settings"]["api_token"] == "••••abcd"


BAD_FILES = {
    "syntax": "version: 1\naccounts: {{acct_x: [\n",
    "unknown key": "version: 1\naccounts:\n  {account}:\n    nmae: x\n",
    "bad e-mail": "version: 1\naccounts:\n  {account}:\n    members: {{not-an-email: member}}\n",
    "unknown role": "version: 1\naccounts:\n  {account}:\n    members: {{a@b.example: boss}}\n",
    "wrong type": "version: 1\naccounts:\n  {account}:\n    integrations:\n"
    "      slack: {{enabled: 3}}\n",
    "unknown type": "version: 1\naccounts:\n  {account}:\n    integrations: {{fax: {{}}}}\n",
    "unknown setting": "version: 1\naccounts:\n  {account}:\n    integrations:\n"
    "      webhook: {{settings: {{url: 'https://x.example', colour: red}}}}\n",
    "literal secret": "version: 1\naccounts:\n  {account}:\n    integrations:\n      slack:\n"
    "        settings: {{workspace: a, channel: b, bot_token: xoxb-literal-1234}}\n",
    "unknown account": "version: 1\naccounts:\n  acct_0000000000000000:\n    name: x\n",
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_exit_2_at_file_line_column(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path, case: str
) -> None:
    account_id = sandbox.get("me", token)["default_account_id"]
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_FILES[case].format(account=account_id))
    for command in ("plan", "apply"):
        result = (
            portal.run(command, "-f", str(path), "--yes", exit_code=2)
            if command == ("apply")
            else portal.run(command, "-f", str(path), exit_code=2)
        )
        assert POSITION.search(result.stderr), result.stderr
        assert str(path) in result.stderr
    if case == "literal secret":
        assert "${SLACK_BOT_TOKEN}" in result.stderr and "xoxb-literal" not in result.stderr


def test_one_section_of_an_account_in_two_files_is_exit_2(
    portal: Portal, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    first = _write(tmp_path, account_id, {"members": account["members"]}, "team.json")
    second = _write(tmp_path, account_id, {"members": account["members"]}, "more.json")
    result = portal.run("plan", "-f", first, "-f", second, exit_code=2)
    assert "also written at" in result.stderr and "team.json" in result.stderr
    # Different sections of one account merge.
    third = _write(tmp_path, account_id, {"api_keys": account["api_keys"]}, "keys.json")
    portal.run("plan", "-f", first, "-f", third, exit_code=0)


def test_apply_under_30_percent_faults_ends_clean(
    portal: Portal, sandbox: Sandbox, token: str, tmp_path: Path
) -> None:
    account_id, account = _export(portal)
    invited = [f"faulty{n}@example.com" for n in range(4)]
    for email in invited:
        account["members"][email] = "member"
    account["members"]["member@demo.chathq.test"] = "admin"
    account["api_keys"]["Faulty key"] = {}
    account["integrations"]["webhook"]["enabled"] = True
    path = _write(tmp_path, account_id, account)
    sandbox.faults(0.3, seed=89)
    result = portal.run("apply", "-f", path, "--yes", "--debug", env=RETRIES)
    sandbox.faults(0.0)
    assert result.code == 0, result.describe()
    assert "retry" in result.stderr.lower()  # else the test proved nothing
    portal.run("plan", "-f", path, exit_code=0)
    pending = sandbox.list_all(f"accounts/{account_id}/invitations?status=pending", token)
    for email in invited:
        assert [i["email"] for i in pending].count(email) == 1
    keys = sandbox.list_all(f"accounts/{account_id}/api_keys", token)
    assert [k["name"] for k in keys].count("Faulty key") == 1


def test_export_schema_is_the_checked_in_one(portal: Portal) -> None:
    schema = portal.json("export", "--schema")
    checked_in = Path(__file__).parents[2] / "docs" / "portal-config.schema.json"
    assert schema == json.loads(checked_in.read_text())


def test_at_a_terminal_export_and_plan_say_what_they_wrote(
    portal: Portal, token: str, tmp_path: Path
) -> None:
    exported = tmp_path / "portal.yaml"
    result = portal.run("export", "-o", str(exported), tty=True)
    assert f"Wrote 1 account(s) to {exported} (" in result.stderr
    saved = tmp_path / "plan.json"
    result = portal.run("plan", "-f", str(exported), "--out", str(saved), tty=True)
    assert f"Wrote the plan to {saved} (" in result.stderr
    piped = portal.run("export", "-o", str(tmp_path / "again.yaml"))
    assert "Wrote" not in piped.stderr
