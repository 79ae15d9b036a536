"""`portal account`: list, select, inspect, rename and close accounts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.cli.prompts import PasswordAndCode

if TYPE_CHECKING:
    from chathq_cli.api.accounts import Account
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient
    from chathq_cli.output import Column, Output

app = typer.Typer(
    help="Work with accounts (the current one, or pick another).", no_args_is_help=True
)

_BAR_WIDTH = 24


def _columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("id", "ID", "id"),
        Column("name", "Name", priority=1),
        Column("org_id", "Org", "id"),
        Column("plan", "Plan"),
        Column("role", "Role"),
        Column("status", "Status"),
        Column("created_at", "Created", "time"),
    ]


@contextmanager
def _account_hint() -> Iterator[None]:
    """A 404 on the current account usually means it was closed or is not ours: say what to do."""
    from chathq_cli import errors

    try:
        yield
    except errors.NotFound as exc:
        exc.hint = exc.hint or (
            "the account may be closed or not yours; "
            "see `portal account list` and pick one with `portal account use ACCOUNT`"
        )
        raise


def _find_account(client: PortalClient, ref: str) -> Account:
    """An account by id, or by exact name across the caller's orgs."""
    from chathq_cli import errors

    if ref.startswith("acct_"):
        with _account_hint():
            return client.get_account(ref)
    matches = [
        acct
        for org in client.list_orgs()
        for acct in client.list_accounts(org.id)
        if acct.name == ref
    ]
    if not matches:
        raise errors.NotFound(
            f"no account named {ref!r}",
            status=404,
            code="resource_missing",
            param="ACCOUNT",
            hint="portal account list --all-orgs",
        )
    if len(matches) > 1:
        ids = ", ".join(f"{acct.id} (org {acct.org_id})" for acct in matches)
        raise errors.UsageError(
            f"several accounts are named {ref!r}: {ids}; use the id", param="ACCOUNT"
        )
    return matches[0]


def _usage_line(used: int, limit: int) -> str:
    """`1,234 / 10,000 (12%)`."""
    percent = f" ({used * 100 // limit}%)" if limit > 0 else ""
    return f"{used:,} / {limit:,}{percent}"


def _usage_bar(used: int, limit: int) -> str:
    """A fixed-width text bar for terminals: `█████░░░ 1,234 / 10,000 (12%)`."""
    filled = _BAR_WIDTH if limit <= 0 else min(_BAR_WIDTH, used * _BAR_WIDTH // limit)
    return "█" * filled + "░" * (_BAR_WIDTH - filled) + " " + _usage_line(used, limit)


def _messages(out: Output, used: int, limit: int) -> str:
    line = _usage_bar(used, limit) if out.env.stdout_isatty else _usage_line(used, limit)
    if limit > 0 and used >= limit:
        line += ", limit reached: bots paused until the reset"
    return line


@command(app, "list", data=True, org=True)
def list_(
    rt: Runtime,
    all_orgs: Annotated[
        bool, typer.Option("--all-orgs", help="List the accounts of every org you belong to.")
    ] = False,
) -> None:
    """List the accounts of the current org (or of every org with --all-orgs).

    \b
    Examples:
      portal account list
      portal account list --all-orgs
      portal account list --org org_123abc --format csv
      portal account list --json --jq '.[] | select(.plan == "transact") | .id'
    """

    client = rt.client()
    org_ids = (o.id for o in client.list_orgs()) if all_orgs else iter([rt.org_id()])
    from chathq_cli.state.completion_cache import tee

    rows = (
        acct.model_dump(mode="json") for org_id in org_ids for acct in client.list_accounts(org_id)
    )
    # IDs for TAB completion, at no extra request.
    cached = tee(rt, "accounts", rows, complete=all_orgs)
    # The org column only when several orgs are listed: the table stays narrow otherwise.
    columns = [c for c in _columns() if all_orgs or c.key != "org_id"]
    rt.out.list(cached, columns)


@command(app)
def use(
    rt: Runtime,
    ref: Annotated[
        str, typer.Argument(metavar="ACCOUNT", help="Account id (acct_...) or exact name.")
    ],
) -> None:
    """Make an account the current one for this profile (its org becomes current too).

    \b
    Examples:
      portal account use "Acme Sales"
      portal account use acct_123abc
    """
    from chathq_cli.inputs.names import not_blank

    not_blank(ref, "ACCOUNT")
    acct = _find_account(rt.client(), ref)
    rt.config().update_profile(rt.settings.profile, account=acct.id, org=acct.org_id)
    rt.out.success(f"Using account {acct.name} ({acct.id})")


@command(app, data=True, account=True)
def show(
    rt: Runtime,
) -> None:
    """Show the current account (or the one given with --account).

    \b
    Examples:
      portal account show
      portal account show --json
      portal account show --jq .name
      portal account show --account acct_123abc
    """

    client = rt.client()
    account_id = rt.account_id()
    with _account_hint():
        acct = client.get_account(account_id)
    rt.out.object(acct.model_dump(mode="json"), _columns())


@command(app, "id", account=True)
def id_(
    rt: Runtime,
) -> None:
    """Print the current account's id alone, for scripts.

    \b
    Examples:
      portal account id
      portal api "accounts/$(portal account id)/members"
    """

    rt.out.value(rt.account_id())


@command(app, data=True, account=True)
def rename(
    rt: Runtime,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The new name (1-100 characters).")],
) -> None:
    """Rename the current account (admin or owner).

    \b
    Examples:
      portal account rename "Acme Support EU"
      portal account rename Helpdesk --account acct_123abc --json
    """
    from chathq_cli.inputs.names import check_name

    clean = check_name(name, "NAME")
    client = rt.client()
    account_id = rt.account_id()
    with _account_hint():
        acct = client.rename_account(account_id, clean)
    rt.out.object(acct.model_dump(mode="json"), _columns())
    rt.out.success(f"Renamed account {acct.id} to {acct.name}")


@command(app, data=True, account=True)
def package(
    rt: Runtime,
) -> None:
    """Show the account's package: price, what is included, usage against the limits.

    Message limits reset on the 1st of each month at 00:00 UTC; past the limit, bots
    stop until the reset.

    \b
    Examples:
      portal account package
      portal account package --json --jq .features
    """
    from chathq_cli.output import Column

    client = rt.client()
    account_id = rt.account_id()
    with _account_hint():
        pkg = client.get_package(account_id)
    data = pkg.model_dump(mode="json")
    if rt.out.fmt != "table":
        rt.out.object(data)
        return
    view: dict[str, Any] = {
        **data,
        "package": f"{pkg.name} ({pkg.plan})",
        "messages": _messages(rt.out, pkg.messages_used, pkg.message_limit),
        "bots": f"{pkg.bots_running} running, {pkg.bots_paused} paused (limit {pkg.bot_limit})",
        "included": ", ".join(pkg.features),
    }
    rt.out.object(
        view,
        [
            Column("package", "Package"),
            Column("price", "Price per month", "money"),
            Column("messages", "Messages this month"),
            Column("bots", "Bots"),
            Column("included", "Included"),
            Column("period_start", "Period start", "time"),
            Column("limits_reset_at", "Limits reset", "time"),
        ],
    )


@command(app, data=True, account=True)
def dashboard(
    rt: Runtime,
) -> None:
    """Show the account at a glance: plan, messages used, unpaid usage, team, integrations, bots.

    \b
    Examples:
      portal account dashboard
      portal account dashboard --json --jq .unpaid_this_month.amount
    """
    from chathq_cli.output import Column

    client = rt.client()
    account_id = rt.account_id()
    with _account_hint():
        board = client.get_dashboard(account_id)
    data = board.model_dump(mode="json")
    if rt.out.fmt != "table":
        rt.out.object(data)
        return
    view: dict[str, Any] = {
        **data,
        "account": f"{board.account_name} ({board.account_id})",
        "messages": _messages(rt.out, board.messages_used, board.message_limit),
        "bots": f"{board.bots_running} running, {board.bots_paused} paused",
    }
    rt.out.object(
        view,
        [
            Column("account", "Account"),
            Column("plan", "Plan"),
            Column("messages", "Messages this month"),
            Column("limits_reset_at", "Limits reset", "time"),
            Column("unpaid_this_month", "Unpaid pay-as-you-go", "money"),
            Column("members", "Members", "int"),
            Column("active_integrations", "Active integrations", "int"),
            Column("bots", "Bots"),
        ],
    )


@command(app, data=True, account=True)
def close(
    rt: Runtime,
    yes: YesOpt = False,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read your password from stdin (a two-factor code may follow on the second line).",
        ),
    ] = False,
) -> None:
    """Close the account permanently (owner only).

    Subscriptions and balances are lost. Asks you to type the account name (--yes skips
    that), then always asks for your password, and a two-factor code when 2FA is on.

    \b
    Examples:
      portal account close
      portal account close --account acct_123abc
      echo "$PASSWORD" | portal account close --yes --password-stdin
    """
    from chathq_cli import errors

    out = rt.out
    client = rt.client()
    account_id = rt.account_id()
    with _account_hint():
        acct = client.get_account(account_id)
    rt.prompts.confirm_typed(
        f"This permanently closes {acct.name} ({acct.id}); its subscription and balances "
        "are lost. Type the account name to confirm",
        acct.name,
        yes=yes,
    )
    answers = PasswordAndCode(rt.prompts, from_stdin=password_stdin, command="portal account close")
    password = answers.password()
    with _account_hint():
        try:
            closed = client.close_account(acct.id, confirm_name=acct.name, password=password)
        except errors.Unauthenticated as exc:
            if exc.code != "totp_required":
                raise
            code = answers.code()
            closed = client.close_account(
                acct.id, confirm_name=acct.name, password=password, totp_code=code
            )

    config = rt.config()
    if config.get("account", rt.settings.profile) == acct.id:
        config.unset("account", rt.settings.profile)
    if out.is_json:
        out.object(closed.model_dump(mode="json"), _columns())
    out.success(f"Closed account {acct.name} ({acct.id})")
