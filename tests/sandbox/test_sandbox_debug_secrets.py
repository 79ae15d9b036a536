"""`--debug` against the sandbox's real responses: a join link and a billing-portal link are
bearer credentials in a URL, so the debug log shows where they point but not their secret."""

from __future__ import annotations

import httpx
import pytest
from sandbox_support import OWNER, Sandbox

from chathq_cli.client import PortalClient, RetryPolicy
from chathq_cli.client._redact import REDACTED

Debug = tuple[PortalClient, list[str]]


class _ThroughApp(httpx.BaseTransport):
    """Hands each request to the sandbox's TestClient, so PortalClient talks to the app."""

    def __init__(self, app_client: httpx.Client) -> None:
        self._app_client = app_client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reply = self._app_client.send(request, follow_redirects=False)
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)


@pytest.fixture
def debug(sb: Sandbox) -> Debug:
    lines: list[str] = []
    client = PortalClient(
        str(sb.client.base_url),
        sb.token(OWNER),
        retry=RetryPolicy.none(),
        on_debug=lines.append,
        transport=_ThroughApp(sb.client),
    )
    return client, lines


def _secret_of(url: str) -> str:
    secret = url.rstrip("/").rsplit("/", 1)[1]
    assert len(secret) >= 16, url  # otherwise the test would prove nothing
    return secret


def test_invite_link_url_is_masked_in_debug(sb: Sandbox, debug: Debug) -> None:
    client, lines = debug
    link = client.create_invite_link(sb.ids.support)
    listed = list(client.list_invite_links(sb.ids.support))
    # Following the link shows the request line too: it must not give the token away either.
    client.request("GET", link.url)
    secret = _secret_of(link.url)
    assert link.url in {item.url for item in listed}
    log = "\n".join(lines)
    assert secret not in log, log
    assert f"/join/{REDACTED}" in log
    assert f"/v1/accounts/{sb.ids.support}/invite_links" in log  # IDs stay readable


def test_billing_portal_url_is_masked_in_debug(sb: Sandbox, debug: Debug) -> None:
    client, lines = debug
    session = client.create_billing_portal_session(sb.ids.support)
    client.request("GET", session.url)
    secret = _secret_of(session.url)
    log = "\n".join(lines)
    assert secret not in log, log
    assert f"/billing/portal/{REDACTED}" in log
