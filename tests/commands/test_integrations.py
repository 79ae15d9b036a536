"""`portal integrations`: the catalog with this account's status, show, configure (create and
partial update, checked against the settings_schema, prompts), enable/disable/remove; and, for
both `integrations` and `secrets`, the fault-injection loop and the --debug leak test."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from support.demo import MEMBER, OUTSIDER, OWNER
from support.harness import assert_one_line_error
from support.inprocess import FAST_RETRIES, Portal

SLACK_TOKEN = "xoxb-demo-4471-9f3a"  # the seeded Slack bot token of Acme Support
ZENDESK_TOKEN = "zd-token-5e1c-88aa-0b7f"


@pytest.fixture
def owner(portal: Portal) -> tuple[str, str]:
    """(token, the owner's default account id: Acme Support)."""
    token = portal.sign_in(OWNER)
    return token, portal.sandbox.get("me", token)["default_account_id"]


def integrations(portal: Portal, token: str, account: str) -> dict[str, dict[str, Any]]:
    """The account's integrations on the server, by type."""
    found = portal.sandbox.list_all(f"accounts/{account}/integrations", token)
    return {i["type"]: i for i in found}


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# -- list and show ------------------------------------------------------------------------------


def test_list_json_is_the_catalog_with_this_accounts_status(portal: Portal, owner) -> None:
    token, account = owner
    rows = {row["id"]: row for row in portal.json("integrations", "list")}
    assert set(rows) == {"slack", "zendesk", "salesforce", "whatsapp", "webhook", "shopify"}
    server = integrations(portal, token, account)
    assert rows["slack"]["status"] == "enabled"
    assert rows["slack"]["integration"]["id"] == server["slack"]["id"]
    assert rows["webhook"]["status"] == "disabled"
    assert rows["zendesk"]["status"] == "not_configured" and rows["zendesk"]["integration"] is None
    assert rows["zendesk"]["settings_schema"][0]["name"] == "subdomain"
    assert SLACK_TOKEN not in json.dumps(rows)


def test_list_table_fits_80_columns(portal: Portal, owner) -> None:
    result = portal.run("integrations", "list", tty=True, columns=80)
    lines = plain(result.stdout).splitlines()
    assert all(len(line) <= 80 for line in lines), result.stdout
    assert "not configured" in result.stdout and "WhatsApp Business" in result.stdout


def test_list_piped_and_csv(portal: Portal, owner) -> None:
    tsv = portal.run("integrations", "list").stdout.splitlines()
    assert tsv[0].split("\t") == ["Type", "Name", "Status", "ID", "Description"]
    assert any(line.startswith("zendesk\tZendesk\tnot_configured\t\t") for line in tsv)
    csv = portal.run("integrations", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,name,status,integration.id,description"


def test_show_masks_secrets(portal: Portal, owner) -> None:
    shown = portal.run("integrations", "show", "slack", tty=True, columns=80)
    text = plain(shown.stdout)
    assert "Bot token" in text and "••••9f3a" in text and "#support" in text
    assert SLACK_TOKEN not in shown.stdout + shown.stderr
    assert all(len(line) <= 80 for line in text.splitlines())
    data = portal.json("integrations", "show", "Slack")  # type names are case-insensitive
    assert data["integration"]["settings"]["bot_token"] == "••••9f3a"


def test_show_by_id_and_an_unconfigured_type(portal: Portal, owner) -> None:
    token, account = owner
    webhook = integrations(portal, token, account)["webhook"]
    assert portal.json("integrations", "show", webhook["id"])["id"] == "webhook"
    zendesk = portal.run("integrations", "show", "zendesk")
    assert "API token\t(required, secret)" in zendesk.stdout
    assert "hint: portal integrations configure zendesk" in zendesk.stderr


# -- configure ----------------------------------------------------------------------------------


def test_configure_creates_from_set_and_a_json_file(portal: Portal, owner, tmp_path) -> None:
    token, account = owner
    path = write(tmp_path, "zendesk.json", json.dumps({"api_token": ZENDESK_TOKEN}))
    result = portal.run(
        "integrations",
        "configure",
        "zendesk",
        "--set",
        "subdomain=acme",
        "--set",
        "email=agent@acme.test",
        "--from-file",
        path,
        "--json",
    )
    data = result.json()
    assert data["object"] == "integration" and data["status"] == "enabled"
    assert data["settings"]["api_token"] == "••••0b7f"
    assert ZENDESK_TOKEN not in result.stdout + result.stderr
    server = integrations(portal, token, account)["zendesk"]
    assert server["settings"] == {
        "subdomain": "acme",
        "email": "agent@acme.test",
        "api_token": "••••0b7f",
    }


def test_configure_from_toml_and_from_stdin(portal: Portal, owner, tmp_path) -> None:
    token, account = owner
    toml = write(
        tmp_path,
        "shop.toml",
        'shop_domain = "acme.myshopify.com"\naccess_token = "shpat_0000aaaa"\nsync_orders = true\n',
    )
    portal.run("integrations", "configure", "shopify", "--from-file", toml)
    shopify = integrations(portal, token, account)["shopify"]["settings"]
    assert shopify == {
        "shop_domain": "acme.myshopify.com",
        "access_token": "••••aaaa",
        "sync_orders": True,
    }
    stdin = 'phone_number_id = 1234567\naccess_token = "EAAG-secret-zzzz"\n'
    portal.run("integrations", "configure", "whatsapp", "--from-file", "-", stdin=stdin)
    whatsapp = integrations(portal, token, account)["whatsapp"]["settings"]
    assert whatsapp == {"phone_number_id": "1234567", "access_token": "••••zzzz"}


def test_a_partial_reconfigure_keeps_the_other_settings(portal: Portal, owner) -> None:
    token, account = owner
    before = integrations(portal, token, account)["slack"]
    result = portal.run("integrations", "configure", "slack", "--set", "channel=#alerts")
    assert "Updated slack" in result.stderr
    after = integrations(portal, token, account)["slack"]
    assert after["id"] == before["id"]
    assert after["settings"] == {**before["settings"], "channel": "#alerts"}
    assert after["settings"]["bot_token"] == "••••9f3a"  # the secret is kept


def test_a_secret_is_replaced_from_stdin(portal: Portal, owner) -> None:
    token, account = owner
    stdin = json.dumps({"bot_token": "xoxb-new-token-1234"})
    portal.run("integrations", "configure", "slack", "--from-file", "-", stdin=stdin)
    settings = integrations(portal, token, account)["slack"]["settings"]
    assert settings["bot_token"] == "••••1234" and settings["workspace"] == "acme"


def test_configure_prompts_for_missing_required_settings(portal: Portal, owner) -> None:
    token, account = owner
    result = portal.run(
        "integrations",
        "configure",
        "zendesk",
        "--set",
        "subdomain=acme",
        tty=True,
        stdin=f"not-an-email\nagent@acme.test\n{ZENDESK_TOKEN}\n",
    )
    assert "Agent e-mail:" in result.stderr and "API token:" in result.stderr
    assert "is not a valid e-mail address" in result.stderr  # asked again
    assert "Subdomain" not in result.stderr  # given with --set, not asked
    assert ZENDESK_TOKEN not in result.stdout + result.stderr
    assert integrations(portal, token, account)["zendesk"]["settings"]["api_token"] == "••••0b7f"


def test_a_guided_setup_asks_every_setting(portal: Portal, owner) -> None:
    token, account = owner
    answers = "acme.myshopify.com\nshpat_guided_9999\nmaybe\nyes\n"
    result = portal.run("integrations", "configure", "shopify", tty=True, stdin=answers)
    assert "Sync orders [y/n], optional (Enter skips):" in result.stderr
    assert "must be true or false" in result.stderr
    settings = integrations(portal, token, account)["shopify"]["settings"]
    assert settings == {
        "shop_domain": "acme.myshopify.com",
        "access_token": "••••9999",
        "sync_orders": True,
    }


def test_a_guided_setup_skips_optional_settings_on_enter(portal: Portal, owner) -> None:
    token, account = owner
    portal.run("integrations", "remove", "webhook", "--yes")
    result = portal.run(
        "integrations", "configure", "webhook", tty=True, stdin="https://h.example/x\n\nTickets\n"
    )
    assert "Events (all/messages/tickets), optional (Enter skips):" in result.stderr
    settings = integrations(portal, token, account)["webhook"]["settings"]
    assert settings == {"url": "https://h.example/x", "events": "tickets"}


def test_without_a_terminal_a_missing_required_setting_is_exit_2(portal: Portal, owner) -> None:
    token, account = owner
    result = portal.run("integrations", "configure", "zendesk", "--set", "subdomain=a", exit_code=2)
    line = assert_one_line_error(result, mentions="email")
    assert "api_token" in line
    assert "zendesk" not in integrations(portal, token, account)


def test_reconfigure_with_nothing_to_change_is_exit_2(portal: Portal, owner) -> None:
    result = portal.run("integrations", "configure", "slack", exit_code=2)
    assert_one_line_error(result, mentions="--set")


def test_an_api_key_may_configure_integrations(portal: Portal, owner) -> None:
    token, account = owner
    key = portal.json("secrets", "add", "ci")["secret"]
    portal.run("integrations", "disable", "slack", env={"PORTAL_TOKEN": key}, exit_code=0)
    assert integrations(portal, token, account)["slack"]["status"] == "disabled"


# -- enable, disable, remove --------------------------------------------------------------------


def test_enable_and_disable(portal: Portal, owner) -> None:
    token, account = owner
    before = integrations(portal, token, account)
    portal.run("integrations", "enable", "webhook")
    data = portal.json("integrations", "disable", "slack")
    assert data["status"] == "disabled" and data["settings"]["bot_token"] == "••••9f3a"
    after = integrations(portal, token, account)
    assert after["webhook"]["status"] == "enabled" and after["slack"]["status"] == "disabled"
    assert after["slack"]["settings"] == before["slack"]["settings"]


def test_enable_an_unconfigured_type_is_exit_6_with_a_hint(portal: Portal, owner) -> None:
    result = portal.run("integrations", "enable", "zendesk", exit_code=6)
    assert_one_line_error(result, mentions="not configured")
    assert "portal integrations configure zendesk" in result.stderr


def test_remove_asks_and_deletes(portal: Portal, owner) -> None:
    token, account = owner
    declined = portal.run("integrations", "remove", "webhook", tty=True, stdin="n\n", exit_code=3)
    assert "Remove Webhook" in declined.stderr
    assert "webhook" in integrations(portal, token, account)
    no_tty = portal.run("integrations", "remove", "webhook", exit_code=2)
    assert_one_line_error(no_tty, mentions="--yes")
    data = portal.json("integrations", "remove", "webhook", "--yes")
    assert data["deleted"] is True and data["object"] == "integration"
    assert "webhook" not in integrations(portal, token, account)


# -- who may ------------------------------------------------------------------------------------

CHANGES = [
    ("configure", "slack", "--set", "channel=#member"),
    ("enable", "webhook"),
    ("disable", "slack"),
    ("remove", "slack", "--yes"),
]


@pytest.mark.parametrize("args", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_member_gets_exit_5_for_changes(portal: Portal, owner, args: tuple[str, ...]) -> None:
    token, account = owner
    before = integrations(portal, token, account)
    portal.sign_in(MEMBER)
    assert portal.json("integrations", "list", "--account", account)  # reading is allowed
    result = portal.run("integrations", *args, "--account", account, exit_code=5)
    assert_one_line_error(result, mentions="admin")
    assert integrations(portal, token, account) == before


@pytest.mark.parametrize("verb", ["show", "configure", "enable", "disable", "remove"])
def test_another_accounts_integration_id_is_exit_6(portal: Portal, owner, verb: str) -> None:
    token, _ = owner
    sales = portal.sandbox.account_named(token, "Acme Sales")["id"]
    salesforce = integrations(portal, token, sales)["salesforce"]
    extra = {"configure": ("--set", "client_id=x"), "remove": ("--yes",)}.get(verb, ())
    result = portal.run("integrations", verb, salesforce["id"], *extra, exit_code=6)
    assert_one_line_error(result, mentions=salesforce["id"])
    assert integrations(portal, token, sales)["salesforce"] == salesforce


def test_an_outsiders_account_is_exit_6(portal: Portal, owner) -> None:
    outsider = portal.sandbox.sign_in(OUTSIDER)
    globex = portal.sandbox.get("me", outsider)["default_account_id"]
    result = portal.run("integrations", "disable", "slack", "--account", globex, exit_code=6)
    assert_one_line_error(result)


# -- bad input ----------------------------------------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "folder.json").mkdir()
    return {
        "malformed.json": write(tmp_path, "malformed.json", '{"channel": '),
        "malformed.toml": write(tmp_path, "malformed.toml", "channel = \n"),
        "list.json": write(tmp_path, "list.json", '["channel"]'),
        "nested.toml": write(tmp_path, "nested.toml", "[channel]\nname = 'x'\n"),
        "settings.yaml": write(tmp_path, "settings.yaml", "channel: x\n"),
        "folder.json": str(tmp_path / "folder.json"),
        "latin1.json": str(tmp_path / "latin1.json"),
        "under-a-file.json": str(tmp_path / "list.json" / "x.json"),
    }


BAD_INPUT = {
    "set-without-equals": (("slack", "--set", "channel"), 2, "KEY=VALUE"),
    "set-empty-key": (("slack", "--set", "=#x"), 2, "--set"),
    "set-twice": (("slack", "--set", "channel=#a", "--set", "channel=#b"), 2, "twice"),
    "unknown-key": (("slack", "--set", "colour=red"), 2, "workspace, channel"),
    "bad-enum": (("slack", "--set", "notify_on=loud"), 2, "all, mentions, none"),
    "bad-url-scheme": (("webhook", "--set", "url=ftp://h.example/x"), 2, "url"),
    "bad-url": (("webhook", "--set", "url=not a url"), 2, "url"),
    "bad-email": (("zendesk", "--set", "email=agent@", "--set", "subdomain=a"), 2, "email"),
    "bad-bool": (("shopify", "--set", "sync_orders=maybe"), 2, "true or false"),
    "empty-value": (("slack", "--set", "channel="), 2, "channel"),
    "control-chars-value": (("slack", "--set", "channel=#a\x1b[2J"), 2, "control"),
    "10000-char-value": (("slack", "--set", "channel=" + "c" * 10_000), 2, "2000"),
    "secret-in-argv": (("slack", "--set", "bot_token=xoxb-argv-0000"), 2, "--from-file"),
    "unknown-type": (("nosuch", "--set", "a=b"), 2, "slack, zendesk"),
    "type-control-chars": (("sla\x07ck", "--set", "channel=#x"), 2, "NAME"),
    "type-10000-chars": (("s" * 10_000, "--set", "channel=#x"), 2, "NAME"),
    "unknown-id": (("intg_0000000000000000", "--set", "channel=#x"), 6, "intg_"),
    "missing-file": (("slack", "--from-file", "/nonexistent/slack.json"), 2, "no such file"),
    "malformed-json": (("slack", "--from-file", "{malformed.json}"), 2, "not valid JSON"),
    "malformed-toml": (("slack", "--from-file", "{malformed.toml}"), 2, "not valid TOML"),
    "file-holds-a-list": (("slack", "--from-file", "{list.json}"), 2, "object of settings"),
    "file-nested-value": (("slack", "--from-file", "{nested.toml}"), 2, "must be text"),
    "file-wrong-extension": (("slack", "--from-file", "{settings.yaml}"), 2, ".json or .toml"),
    "file-is-a-directory": (("slack", "--from-file", "{folder.json}"), 2, "directory"),
    "file-not-utf8": (("slack", "--from-file", "{latin1.json}"), 2, "UTF-8"),
    "file-unreadable": (("slack", "--from-file", "{under-a-file.json}"), 2, "cannot read"),
    "stdin-malformed": (("slack", "--from-file", "-"), 2, "not valid TOML"),
}


@pytest.mark.parametrize(("args", "code", "mentions"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input(
    portal: Portal, owner, tmp_path: Path, args: tuple[str, ...], code: int, mentions: str
) -> None:
    token, account = owner
    files = _bad_files(tmp_path)
    (tmp_path / "latin1.json").write_bytes('{"channel": "caf\xe9"}'.encode("latin-1"))
    argv = [files[a[1:-1]] if a.startswith("{") and a.endswith("}") else a for a in args]
    before = integrations(portal, token, account)
    result = portal.run("integrations", "configure", *argv, stdin="channel = = =\n", exit_code=code)
    line = assert_one_line_error(result, mentions=mentions)
    assert len(line) < 300
    assert "xoxb-argv-0000" not in result.stderr  # a secret is never echoed back
    assert result.stdout == ""
    assert integrations(portal, token, account) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_exit_2(portal: Portal, owner, tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    path.write_text("{}")
    path.chmod(0)
    result = portal.run("integrations", "configure", "slack", "--from-file", str(path), exit_code=2)
    assert_one_line_error(result, mentions="permission denied")


@pytest.mark.parametrize("verb", ["show", "enable", "disable", "remove"])
def test_unknown_types_and_ids_for_every_verb(portal: Portal, owner, verb: str) -> None:
    token, account = owner
    before = integrations(portal, token, account)
    unknown = portal.run("integrations", verb, "nosuch", exit_code=2)
    assert_one_line_error(unknown, mentions="is not an integration type")
    extra = ("--yes",) if verb == "remove" else ()
    result = portal.run("integrations", verb, "intg_ffffffffffffffff", *extra, exit_code=6)
    assert_one_line_error(result)
    assert integrations(portal, token, account) == before


@pytest.mark.parametrize("verb", ["list", "show", "configure", "enable", "disable", "remove"])
def test_help_has_examples(portal: Portal, capsys: pytest.CaptureFixture[str], verb: str) -> None:
    portal.run("integrations", verb, "--help")
    shown = capsys.readouterr().out
    assert "Examples:" in shown and f"portal integrations {verb}" in shown


# -- both groups: faults and the leak test ------------------------------------------------------


def test_fifteen_changes_under_30_percent_faults_apply_exactly_once(
    portal: Portal, owner, tmp_path: Path
) -> None:
    token, account = owner
    keys_before = portal.sandbox.list_all(f"accounts/{account}/api_keys", token)
    files = {
        "zendesk": json.dumps(
            {"subdomain": "acme", "email": "a@acme.test", "api_token": "zd-fault-1111"}
        ),
        "whatsapp": json.dumps({"phone_number_id": "42", "access_token": "wa-fault-2222"}),
        "shopify": json.dumps({"shop_domain": "acme.shop", "access_token": "sh-fault-3333"}),
    }
    plan: list[tuple[str, ...]] = []
    for n in range(10):
        plan.append(("secrets", "add", f"fault key {n}"))
        if n in (1, 4, 7):
            kind = ("zendesk", "whatsapp", "shopify")[n // 3]
            plan.append(("integrations", "configure", kind, "--from-file", "-", files[kind]))
        if n in (2, 8):
            plan.append(("integrations", "configure", "slack", "--set", f"channel=#fault{n}"))
    assert len(plan) == 15
    portal.sandbox.faults(0.3, kinds=("error_before", "error_after", "rate_limit"), seed=7)
    retried = False
    for args in plan:
        if args[-2] == "-":
            *argv, stdin = args
            result = portal.run(*argv, "--debug", stdin=stdin, env=FAST_RETRIES)
        else:
            result = portal.run(*args, "--debug", env=FAST_RETRIES)
        retried = retried or "retry" in result.stderr.lower()
    portal.sandbox.faults(0.0)
    assert retried, "no request failed and was retried: the test would prove nothing"

    names = [k["name"] for k in portal.sandbox.list_all(f"accounts/{account}/api_keys", token)]
    for n in range(10):
        assert names.count(f"fault key {n}") == 1, names
    assert len(names) == len(keys_before) + 10
    found = portal.sandbox.list_all(f"accounts/{account}/integrations", token)
    types = [i["type"] for i in found]
    assert sorted(types) == sorted(["slack", "webhook", "zendesk", "whatsapp", "shopify"])
    by_type = {i["type"]: i for i in found}
    assert by_type["slack"]["settings"]["channel"] == "#fault8"
    assert by_type["zendesk"]["settings"]["api_token"] == "••••1111"


def test_debug_never_shows_a_secret_but_the_one_intended_print(
    portal: Portal, owner, tmp_path: Path
) -> None:
    token, account = owner
    new_secret = "xoxb-leaktest-secret-7777"
    printed: list[str] = []  # API key secrets from add/roll: each may appear once, on stdout

    def run(*args: str, stdin: str | None = None, intended: bool = False) -> None:
        result = portal.run(*args, "--debug", stdin=stdin)
        if "--json" in args and args[:2] == ("secrets", "add"):
            printed.append(result.json()["secret"])  # the intended print, as JSON
            return
        assert "> " in result.stderr and "/v1/" in result.stderr  # requests were logged
        text = result.stdout + result.stderr
        if intended:
            secret = result.stdout.strip()
            assert secret.startswith("sk_") and result.stdout == secret + "\n"
            assert secret not in result.stderr
            printed.append(secret)
            text = result.stderr
        for leaked in (token, SLACK_TOKEN, new_secret, *printed):
            assert leaked not in text, f"{leaked[:6]}… leaked\n{result.describe()}"

    run("secrets", "list")
    run("secrets", "add", "leak check", intended=True)
    run("secrets", "list", "--json")
    run("secrets", "roll", "leak check", intended=True)
    run("secrets", "add", "leak json", "--json")  # --json: the secret is in the object
    run("secrets", "revoke", "leak check", "--yes")
    run("integrations", "list", "--json")
    run("integrations", "show", "slack")
    run("integrations", "show", "slack", "--json")
    run(
        "integrations",
        "configure",
        "slack",
        "--from-file",
        "-",
        stdin=json.dumps({"bot_token": new_secret}),
    )
    run("integrations", "configure", "slack", "--set", "channel=#leak", "--json")
    run("integrations", "disable", "slack")
    run("integrations", "enable", "slack", "--json")
    run("integrations", "remove", "slack", "--yes")
    assert "slack" not in integrations(portal, token, account)


# -- the param of an error is what the user typed -----------------------------------------------

PARAMS = {
    "missing-setting": (("configure", "zendesk", "--set", "subdomain=a"), "--set"),
    "missing-secret": (
        ("configure", "zendesk", "--set", "subdomain=a", "--set", "email=a@b.test"),
        "--from-file",
    ),
    "set-without-equals": (("configure", "slack", "--set", "channel"), "--set"),
    "missing-file": (("configure", "slack", "--from-file", "/nonexistent/x.json"), "--from-file"),
    "unknown-type": (("configure", "nosuch", "--set", "a=b"), "NAME"),
    "control-chars-name": (("show", "sla\x07ck"), "NAME"),
}


@pytest.mark.parametrize(("args", "param"), PARAMS.values(), ids=PARAMS.keys())
def test_json_errors_name_the_flag_or_metavar(
    portal: Portal, owner, args: tuple[str, ...], param: str
) -> None:
    result = portal.run("integrations", *args, "--json", exit_code=2)
    error = json.loads(result.stderr)["error"]
    assert error["param"] == param
    assert param in error["message"]


def test_a_prompt_answered_badly_three_times_names_the_flag(portal: Portal, owner) -> None:
    token, account = owner
    result = portal.run(
        "integrations",
        "configure",
        "salesforce",
        tty=True,
        stdin="not a url\nftp://x\nstill not\n",
        env={"PORTAL_FORMAT": "json"},
        exit_code=2,
    )
    error = json.loads(result.stderr.splitlines()[-1])["error"]
    assert error["param"] == "--set"
    assert "--set instance_url" in error["message"]
    assert "salesforce" not in integrations(portal, token, account)
