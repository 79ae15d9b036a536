"""`portal org`: list, select, create, show and update organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import command

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Column

app = typer.Typer(
    help="Work with organizations.",
    # "\b" keeps Click from re-wrapping the example block into one paragraph.
    epilog="""\
\b
Examples:
  portal org list
  portal org use Acme
  portal org show --json
  portal org create "Acme Europe"
""",
    no_args_is_help=True,
)


def _columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("id", "ID", "id"),
        Column("name", "Name"),
        Column("role", "Role"),
        Column("legal_name", "Legal name"),
        Column("billing_email", "Billing e-mail"),
        Column("address", "Address"),
        Column("tax_id", "Tax ID"),
        Column("created_at", "Created", "time"),
    ]


@command(app, "list", data=True)
def list_(
    rt: Runtime,
) -> None:
    """List the organizations you belong to.

    \b
    Examples:
      portal org list
      portal org list --json --jq '.[].name'
    """
    from chathq_cli.cli.completion_feed import tee
    from chathq_cli.output import Column

    rows = tee(rt, "orgs", (org.model_dump(mode="json") for org in rt.client().list_orgs()))
    rt.out.list(
        rows,
        [
            Column("id", "ID", "id"),
            Column("name", "Name"),
            Column("role", "Role"),
            Column("created_at", "Created", "time"),
        ],
    )


@command(app)
def use(
    rt: Runtime,
    ref: Annotated[str, typer.Argument(metavar="ORG", help="Org id (org_...) or exact name.")],
) -> None:
    """Make an organization the current one for this profile.

    When the remembered account is not in it, the org's first account becomes current.

    \b
    Examples:
      portal org use Acme
      portal org use org_123abc
    """
    from chathq_cli import errors
    from chathq_cli.inputs.names import not_blank

    not_blank(ref, "ORG")
    client = rt.client()
    from chathq_cli.cli.resolve import find_org

    org = find_org(client, ref, "ORG")
    config = rt.config()
    profile_name = rt.settings.profile
    config.update_profile(profile_name, org=org.id)
    rt.out.success(f"Using org {org.name} ({org.id})")

    remembered = config.get("account", profile_name)
    if remembered:
        try:
            if client.get_account(remembered).org_id == org.id:
                return
        except errors.NotFound:
            pass  # closed or no longer reachable: replace it as well
    first = next(iter(client.list_accounts(org.id)), None)
    if first is None:
        config.unset("account", profile_name)
        rt.out.info(f"{org.name} has no accounts yet; no account is selected")
        return
    config.update_profile(profile_name, account=first.id)
    rt.out.info(f"Account set to {first.name} ({first.id}); change it with `portal account use`")


@command(app, data=True)
def create(
    rt: Runtime,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The new org's name.")],
) -> None:
    """Create an organization (you become its owner).

    \b
    Examples:
      portal org create "Acme Europe"
      portal org create Initech --json --jq .id
    """
    from chathq_cli.inputs.names import check_name

    # The runtime first, so a bad name is reported in the requested format (e.g. JSON).

    clean = check_name(name, "NAME")
    org = rt.client().create_org(clean)
    rt.out.object(org.model_dump(mode="json"), _columns())
    rt.out.success(f"Created org {org.name} ({org.id})")
    rt.out.next_step(f"portal account create NAME --org {org.id} --use", "to give it an account")


@command(app, data=True, org=True)
def show(
    rt: Runtime,
) -> None:
    """Show the current organization (or the one given with --org).

    \b
    Examples:
      portal org show
      portal org show --org org_123abc --json
    """

    found = rt.client().get_org(rt.org_id())
    rt.out.object(found.model_dump(mode="json"), _columns())


@command(app, data=True, org=True)
def update(
    rt: Runtime,
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help="New display name.")
    ] = None,
    legal_name: Annotated[
        str | None, typer.Option("--legal-name", metavar="NAME", help="Legal name on invoices.")
    ] = None,
    billing_email: Annotated[
        str | None,
        typer.Option("--billing-email", metavar="EMAIL", help="Where invoices are sent."),
    ] = None,
    address: Annotated[
        str | None, typer.Option("--address", metavar="TEXT", help="Postal address.")
    ] = None,
    tax_id: Annotated[
        str | None, typer.Option("--tax-id", metavar="TEXT", help="VAT / tax number.")
    ] = None,
) -> None:
    """Update the organization's details (org owner only).

    \b
    Examples:
      portal org update --name "Acme Inc"
      portal org update --legal-name "Acme Incorporated" --billing-email billing@acme.test
      portal org update --address "1 Main St, Springfield" --tax-id DE123456789
    """
    from chathq_cli import errors
    from chathq_cli.api import rules
    from chathq_cli.inputs.names import check_email, check_name

    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = check_name(name, "--name")
    if legal_name is not None:
        fields["legal_name"] = check_name(legal_name, "--legal-name")
    if billing_email is not None:
        fields["billing_email"] = check_email(billing_email, "--billing-email")
    if address is not None:
        fields["address"] = _check_text(address, "--address", rules.TEXT_MAX)
    if tax_id is not None:
        fields["tax_id"] = _check_text(tax_id, "--tax-id", rules.TAX_ID_MAX)
    if not fields:
        raise errors.UsageError(
            "nothing to update: pass at least one of --name, --legal-name, --billing-email, "
            "--address, --tax-id",
            param="--name",
        )

    updated = rt.client().update_org(rt.org_id(), **fields)
    rt.out.object(updated.model_dump(mode="json"), _columns())
    rt.out.success(f"Updated org {updated.name} ({updated.id})")


def _check_text(value: str, flag: str, limit: int) -> str:
    """Free text as the server takes it (trimmed, no control characters, within `limit`),
    refused before the request so that the error names the flag, not the API field."""
    from chathq_cli import errors
    from chathq_cli.api import rules

    problem = rules.text_problem(value, limit)
    if problem:
        raise errors.UsageError(f"{flag} {problem}", param=flag)
    return value.strip()
