"""Finding what NAME means: an integration type of the catalog, or a configured integration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.api import rules

if TYPE_CHECKING:
    from chathq_cli.api.integrations import Integration, IntegrationType
    from chathq_cli.client import PortalClient

NameArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME", help="Integration type (slack, webhook, ...) or its ID (intg_...)."
    ),
]


def check_ref(ref: str) -> str:
    """NAME as given: a type (matched case-insensitively) or an ID; no control characters."""
    from chathq_cli.inputs.names import check_name, not_blank

    not_blank(ref, "NAME")
    clean = check_name(ref, "NAME")
    return clean if clean.startswith(rules.ID_PREFIXES["integration"]) else clean.lower()


def _catalog(client: PortalClient) -> dict[str, IntegrationType]:
    return {kind.id: kind for kind in client.list_integration_types()}


def resolve(
    client: PortalClient, account_id: str, ref: str
) -> tuple[IntegrationType, Integration | None]:
    """The type NAME means and this account's integration of it (None: not configured)."""
    from chathq_cli import errors
    from chathq_cli.inputs.names import shown

    catalog = _catalog(client)
    if ref.startswith(rules.ID_PREFIXES["integration"]):
        found = client.get_integration(account_id, ref)
        return catalog[found.type], found
    kind = catalog.get(ref)
    if kind is None:
        raise errors.UsageError(
            f"NAME {shown(ref)} is not an integration type; valid types: {', '.join(catalog)}",
            param="NAME",
        )
    configured = next((i for i in client.list_integrations(account_id) if i.type == kind.id), None)
    return kind, configured


def configured(kind: IntegrationType, found: Integration | None) -> Integration:
    from chathq_cli.cli.resolve import not_found

    if found is None:
        raise not_found(
            "integration",
            kind.id,
            "NAME",
            where=" (not configured on this account)",
            code="integration_not_configured",
        )
    return found
