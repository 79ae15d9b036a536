"""Who may manage API keys (a person, not an API key) and finding a key by ID or name."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chathq_cli.api.keys import ApiKey
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient


def people_only(rt: Runtime) -> None:
    """API keys cannot manage API keys (SPEC §5): say so before any request."""
    from chathq_cli import errors
    from chathq_cli.cli.runtime import is_api_key
    from chathq_cli.state.credentials import resolve_token

    if is_api_key(resolve_token(rt.settings, rt.credentials()).token):
        raise errors.PermissionDenied(
            "an API key cannot manage API keys; sign in as a person",
            status=403,
            code="api_key_not_allowed",
        )


HERE = " on this account"


def find_key(client: PortalClient, account_id: str, ref: str) -> ApiKey:
    """A key by id, or by name (an active key wins over revoked/expired ones of that name)."""
    from chathq_cli.api.rules import ID_PREFIXES
    from chathq_cli.cli.resolve import find_one
    from chathq_cli.inputs.names import check_name, not_blank

    not_blank(ref, "ID|NAME")
    ref = check_name(ref, "ID|NAME")
    keys = list(client.list_api_keys(account_id))
    if ref.startswith(ID_PREFIXES["api_key"]):
        return find_one(keys, lambda key: key.id == ref, "API key", ref, "ID|NAME", where=HERE)
    # An active key wins over revoked or expired ones of the same name.
    named = [key for key in keys if key.name == ref]
    active = [key for key in named if key.status == "active"]
    return find_one(
        active if len(named) > 1 and len(active) == 1 else named,
        lambda key: True,
        "API key",
        ref,
        "ID|NAME",
        named=True,
        where=HERE,
        describe=lambda key: f"{key.id} ({key.status})",
    )


def must_be_active(key: ApiKey) -> None:
    """Only an active key can be rolled: say so before asking anything (as the server would)."""
    from chathq_cli import errors

    if key.status != "active":
        raise errors.Conflict(
            f"API key {key.name} ({key.id}) is {key.status}; create a new one",
            status=409,
            code="api_key_not_active",
            param="ID|NAME",
            hint="portal secrets add NAME",
        )
