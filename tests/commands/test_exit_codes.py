"""Every exit code of SPEC §3 with a real cause (3 and 130 need a terminal: tests/pty/).

0 ok, 1 server/network failure after retries, 2 usage/422, 4 auth, 5 permission, 6 not found,
7 conflict, 8 rate limited / unavailable after retries.
"""

from __future__ import annotations

import socket

from support.harness import MEMBER, OWNER, Sandbox, assert_error, assert_one_line_error
from support.inprocess import Portal

# A tiny retry budget (the client reads these) so "after retries" takes well under a second.
FAST_RETRIES = {"PORTAL_RETRY_ATTEMPTS": "2", "PORTAL_RETRY_MAX_DELAY": "0.05"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


def test_exit_0_success(portal: Portal) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "show", exit_code=0)
    assert result.stdout.strip()


def test_exit_1_network_failure_after_retries(portal: Portal) -> None:
    host = f"http://127.0.0.1:{_closed_port()}"
    result = portal.run(
        "account",
        "show",
        "--account",
        "acct_x",
        env={"PORTAL_HOST": host, "PORTAL_TOKEN": "pst_whatever", **FAST_RETRIES},
        exit_code=1,
    )
    assert_one_line_error(result, mentions="127.0.0.1")


def test_exit_1_server_error_after_retries(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    sandbox.faults(1.0, ["error_after"], seed=7)
    result = portal.run("account", "show", "--account", account_id, env=FAST_RETRIES, exit_code=1)
    assert_one_line_error(result)


def test_exit_2_bad_flag_value(portal: Portal) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "show", "--format", "xml", exit_code=2)
    assert_one_line_error(result, mentions="--format")
    unknown = portal.run("account", "show", "--no-such-flag", exit_code=2)
    assert_one_line_error(unknown, mentions="--no-such-flag")


def test_exit_2_api_422(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    # `portal api` sends what it is given: the server's validation answers (422 naming `name`).
    result = portal.run("api", "PATCH", f"accounts/{account_id}", "-f", "name=", exit_code=2)
    assert_error(result, mentions="name")
    assert sandbox.get(f"accounts/{account_id}", token)["name"].strip()


def test_exit_2_plain_http_to_a_remote_host_is_refused_before_any_request(portal: Portal) -> None:
    result = portal.run(
        "account",
        "show",
        env={"PORTAL_HOST": "http://portal.example.com", "PORTAL_TOKEN": "pst_x"},
        exit_code=2,
    )
    assert_one_line_error(result, mentions="http")


def test_exit_4_not_signed_in(portal: Portal) -> None:
    result = portal.run("account", "show", exit_code=4)
    assert_one_line_error(result)
    assert "portal auth login" in result.stderr
    assert_one_line_error(portal.run("auth", "token", exit_code=4))


def test_exit_4_bad_portal_token(portal: Portal) -> None:
    result = portal.run(
        "account", "show", env={"PORTAL_TOKEN": "pst_not_a_real_token"}, exit_code=4
    )
    assert_one_line_error(result)
    status = portal.run("auth", "status", env={"PORTAL_TOKEN": "pst_not_a_real_token"}, exit_code=4)
    assert "Traceback" not in status.stderr


def test_exit_4_wrong_password(portal: Portal) -> None:
    result = portal.login(OWNER, "not-the-password", exit_code=4)
    assert_one_line_error(result)
    assert not any(t.startswith("pst_") for t in portal.stored_tokens())


def test_exit_5_member_renaming_the_account(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(MEMBER)
    account_id = sandbox.get("me", token)["default_account_id"]
    before = sandbox.get(f"accounts/{account_id}", token)["name"]
    result = portal.run("account", "rename", "Mine Now", exit_code=5)
    assert_one_line_error(result)
    assert sandbox.get(f"accounts/{account_id}", token)["name"] == before


def test_exit_6_unknown_account_id(portal: Portal) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "show", "--account", "acct_doesnotexist", exit_code=6)
    assert_one_line_error(result)


def test_exit_6_another_users_account_is_not_found_not_forbidden(
    portal: Portal, sandbox: Sandbox
) -> None:
    portal.sign_in(OWNER)
    outsider = sandbox.sign_in("outsider@demo.chathq.test")
    globex = sandbox.get("me", outsider)["default_account_id"]
    result = portal.run("account", "show", "--account", globex, exit_code=6)
    assert_one_line_error(result)


def test_exit_7_idempotency_key_reused_with_another_body(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    path = f"accounts/{account_id}"
    portal.run("api", "PATCH", path, "-f", "name=First Name", "-H", "Idempotency-Key: k1")
    # The same key and body again is a replay, not an error.
    portal.run("api", "PATCH", path, "-f", "name=First Name", "-H", "Idempotency-Key: k1")
    result = portal.run(
        "api", "PATCH", path, "-f", "name=Second Name", "-H", "Idempotency-Key: k1", exit_code=7
    )
    assert_error(result)
    assert sandbox.get(path, token)["name"] == "First Name"


def test_exit_7_removing_the_last_owner(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    members = sandbox.list_all(f"accounts/{account_id}/members", token)
    owners = [m for m in members if m["role"] == "owner"]
    assert len(owners) == 1, owners
    result = portal.run(
        "api", "DELETE", f"accounts/{account_id}/members/{owners[0]['id']}", exit_code=7
    )
    assert_error(result)
    after = sandbox.list_all(f"accounts/{account_id}/members", token)
    assert {m["id"] for m in after} == {m["id"] for m in members}


def test_exit_8_rate_limited_after_retries(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    sandbox.faults(1.0, ["rate_limit"], seed=5)
    result = portal.run("account", "show", "--account", account_id, env=FAST_RETRIES, exit_code=8)
    assert_one_line_error(result)


def test_exit_8_unavailable_after_retries(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    sandbox.faults(1.0, ["error_before"], seed=5)
    result = portal.run(
        "account", "rename", "Never Applied", "--account", account_id, env=FAST_RETRIES, exit_code=8
    )
    assert_one_line_error(result)
    sandbox.faults(0.0)
    assert sandbox.get(f"accounts/{account_id}", token)["name"] != "Never Applied"
