"""`portal billing`: subscription, plan changes, cancellation, payment methods, invoices and
the hosted billing page.

Everything here is owner-only on the server (403 for admins, members and API keys, exit 5),
except `plans`, which any signed-in user may read. Card numbers never pass through the CLI:
cards are added on the hosted page that `portal billing portal` opens.

Decisions the product left open:
- `payment-methods remove` refuses (exit 7, before asking) to remove the default card while
  the account has others, as the server does: set another default first.
- `invoices --status/--since` filter on the client (the API lists invoices newest first, with
  no filters), stopping at the first invoice older than --since.
- `invoices download --all -o DIR` names each file after the invoice number (`NUMBER.pdf`, the
  name the server's Content-Disposition gives), so invoices already there are recognised
  without downloading them again.
- Downloads are read whole (invoice PDFs are small, and the client's retries then also cover
  a connection dropped mid-body), checked to be a complete PDF, and written through
  `output.open_destination`: FILE.part renamed on success, --force to replace a file.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from chathq_cli.cli.frame import ForceOpt, YesOpt, command
from chathq_cli.errors import UsageError

if TYPE_CHECKING:
    from chathq_cli.api.billing import (
        Invoice,
        PaymentMethod,
        Plan,
        SubscriptionPreview,
    )
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient
    from chathq_cli.output import Column, Output

app = typer.Typer(
    help=(
        "Subscription, plan changes, payment methods and invoices (owner only).\n\n"
        "\b\nExamples:\n  portal billing show\n  portal billing plans --json\n"
        "  portal billing change-plan transact --dry-run\n  portal billing invoices\n"
        "  portal billing portal"
    ),
    no_args_is_help=True,
)

DEFAULT_INVOICE_LIMIT = 100
MAX_INVOICE_LIMIT = 10_000
InvoiceStatus = Literal["paid", "open", "void"]


# --------------------------------------------------------------------------------------------
# Argument checks: pure, before any request.

_ID_BODY = re.compile(r"^[A-Za-z0-9]+$")
_ID_WHAT = {"pm_": "payment method", "in_": "invoice"}


def check_id(value: str, prefix: str, param: str) -> str:
    """A trimmed `pm_...`/`in_...` ID, or a UsageError naming `param` (nothing is sent)."""
    text = value.strip()
    what = _ID_WHAT[prefix]
    shown = repr(value) if not value.isprintable() or len(value) > 60 else f"'{value}'"
    if len(shown) > 64:
        shown = shown[:60] + "...'"
    if not text:
        raise UsageError(f"{param} must not be empty", param=param)
    if not text.startswith(prefix) or not _ID_BODY.match(text[len(prefix) :]) or len(text) > 100:
        raise UsageError(
            f"{param}: {shown} is not a {what} ID ({what} IDs look like {prefix}...)",
            param=param,
        )
    return text


def check_plan(value: str) -> str:
    """A plan ID (`connect`), also given by name in any case (`Connect`); UsageError otherwise."""
    from chathq_cli.api.rules import PLANS

    wanted = value.strip().lower()
    if wanted in PLANS:
        return wanted
    shown = repr(value) if not value.isprintable() or len(value) > 40 else f"'{value}'"
    if len(shown) > 44:
        shown = shown[:40] + "...'"
    raise UsageError(
        f"PLAN: {shown} is not a plan; choose one of {', '.join(PLANS)}",
        param="PLAN",
        hint="portal billing plans",
    )


def check_invoice_limit(limit: int | None, all_: bool) -> int | None:
    """How many invoices to list (None: all), from --limit/--all."""
    if all_ and limit is not None:
        raise UsageError("--limit and --all cannot be used together", param="--limit")
    if all_:
        return None
    if limit is None:
        return DEFAULT_INVOICE_LIMIT
    if not 1 <= limit <= MAX_INVOICE_LIMIT:
        raise UsageError(
            f"--limit must be between 1 and {MAX_INVOICE_LIMIT:,} (got {limit}); "
            "use --all for every invoice",
            param="--limit",
        )
    return limit


_DISPOSITION_STAR = re.compile(r"filename\*\s*=\s*([^';]*)'[^']*'([^;]+)", re.IGNORECASE)
_DISPOSITION = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.IGNORECASE)
_UNSAFE_NAME_CHARS = re.compile(
    r'[\x00-\x1f\x7f-\x9f<>:"|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]'
)


def file_name_from_disposition(header: str | None, fallback: str) -> str:
    """The file name a `Content-Disposition` header suggests, made safe to create here.

    Only the last path component is kept (no `../`, no `/etc/`, no `C:\\`), control and
    shell-awkward characters become `_`, a leading dot is dropped (no hidden or `..` files),
    and the result is at most 200 characters. `fallback` when nothing usable is left.
    """
    from urllib.parse import unquote

    name = ""
    if header:
        star = _DISPOSITION_STAR.search(header)
        plain = _DISPOSITION.search(header)
        if star:
            name = unquote(star.group(2).strip(), encoding=star.group(1) or "utf-8")
        elif plain:
            name = plain.group(1) if plain.group(1) is not None else plain.group(2).strip()
            name = re.sub(r"\\(.)", r"\1", name)
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        keep = dot and 0 < len(suffix) < 10
        name = stem[: 199 - len(suffix)] + "." + suffix if keep else name[:200]
    return name or fallback


def is_pdf(data: bytes) -> bool:
    """A whole PDF document: the header, and the end-of-file marker near the end."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


# --------------------------------------------------------------------------------------------
# Shared helpers.


@contextmanager
def _owner_only() -> Iterator[None]:
    """A 403 here means "not the owner" (or an API key): say who can do it."""
    from chathq_cli import errors

    try:
        yield
    except errors.PermissionDenied as exc:
        exc.hint = exc.hint or (
            "billing is managed by the account's owner (the owner role); "
            "ask an owner, or sign in as one with `portal auth login`"
        )
        raise


def _money(value: Any) -> str:
    from chathq_cli.output import format_money

    return format_money(str(value.amount), value.currency)


def _signed_money(value: Any) -> str:
    text = _money(value)
    return text if text.startswith("-") or value.amount == 0 else "+" + text


def _card(method: PaymentMethod) -> str:
    return f"{method.brand} •••• {method.last4} ({method.exp_month:02d}/{method.exp_year})"


def _day(moment: Any) -> str:
    return f"{moment:%Y-%m-%d}"


def _require_prompt(out: Output, yes: bool) -> None:
    """Fail before any request when a confirmation will be needed and cannot be asked."""
    if not yes and (out.no_prompt or not out.env.stdin_isatty):
        raise UsageError(
            "cannot ask for confirmation without a terminal; pass --yes", param="--yes"
        )


# --------------------------------------------------------------------------------------------
# show, plans


@command(app, "show", data=True, account=True)
def show(
    rt: Runtime,
) -> None:
    """Show the subscription and its payment method (owner only).

    \b
    Examples:
      portal billing show
      portal billing show --json --jq .plan
      portal billing show --account acct_123abc
    """
    from chathq_cli.output import Column

    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        subscription = client.get_subscription(account_id).model_dump(mode="json")
        if rt.out.is_json:
            # Scripts get the API's object, field names unchanged.
            rt.out.object(subscription)
            return
        subscription["payment_method"] = _describe_payment_method(
            client, account_id, subscription.get("default_payment_method")
        )
    rt.out.object(
        subscription,
        [
            Column("id", "ID", "id"),
            Column("plan", "Plan"),
            Column("price.amount", "Price per month", "money"),
            Column("status", "Status"),
            Column("current_period_start", "Period start", "time"),
            Column("current_period_end", "Period end", "time"),
            Column("cancel_at_period_end", "Cancels at period end", "bool"),
            Column("canceled_at", "Canceled at", "time"),
            Column("payment_method", "Default payment method"),
        ],
    )


def _describe_payment_method(
    client: PortalClient, account_id: str, method_id: str | None
) -> str | None:
    """`visa •••• 4242 (12/2028)` for the default payment method, or None when there is none."""
    if not method_id:
        return None
    # An account has a handful of cards: one page is the whole list.
    for method in client.list_payment_methods(account_id):
        if method.id == method_id:
            return _card(method)
    return method_id


@command(app, "plans", data=True)
def plans(
    rt: Runtime,
) -> None:
    """List the plans: price, monthly message limit, bots and features.

    \b
    Examples:
      portal billing plans
      portal billing plans --json --jq '.[].id'
    """
    from chathq_cli.output import Column

    rows: list[dict[str, Any]] = [plan.model_dump(mode="json") for plan in rt.client().list_plans()]
    if not rt.out.is_json:
        # A readable cell for people; JSON keeps the API's list.
        for row in rows:
            row["features"] = ", ".join(row["features"])
    rt.out.list(
        rows,
        [
            Column("id", "ID"),
            Column("name", "Name"),
            Column("price.amount", "Price per month", "money"),
            Column("message_limit", "Messages per month", "int"),
            Column("bot_limit", "Bots", "int"),
            Column("features", "Features"),
        ],
    )


# --------------------------------------------------------------------------------------------
# change-plan


@command(app, "change-plan", data=True, account=True)
def change_plan(
    rt: Runtime,
    plan: Annotated[
        str,
        typer.Argument(metavar="PLAN", help="connect, interact or transact.", show_default=False),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the preview and change nothing.")
    ] = False,
    yes: YesOpt = False,
) -> None:
    """Change the plan, after a preview of what changes (owner only).

    The preview shows the price change per month, the prorated amount charged (or credited)
    today, the new monthly message limit, that usage limits reset now, and which bots a
    downgrade pauses. Then it asks for confirmation (--yes skips it; without a terminal
    --yes is required).

    \b
    Examples:
      portal billing change-plan transact --dry-run
      portal billing change-plan transact
      portal billing change-plan connect --yes --json
    """
    plan_id = check_plan(plan)
    out = rt.out
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        subscription = client.get_subscription(account_id)
        if subscription.plan == plan_id:
            out.info(f"The account is already on the {plan_id} plan; nothing to change.")
            if out.is_json:
                out.object(subscription.model_dump(mode="json"))
            return
        if not dry_run:
            _require_prompt(out, yes)
        preview = client.preview_subscription(account_id, plan_id)
        catalog: dict[str, Plan] = {p.id: p for p in client.list_plans()}
        account = client.get_account(account_id)
        fields = _preview_fields(preview, catalog, account.name)
        if dry_run:
            _print_preview(out, preview, fields)
            out.info("Dry run: nothing was changed.")
            return
        out.info(_preview_text(fields))
        out.confirm(_change_question(preview, account.name, catalog[plan_id].name), yes=yes)
        changed = client.change_plan(account_id, plan_id)
    if out.is_json:
        out.object(changed.model_dump(mode="json"))
    paused = f"; paused: {', '.join(preview.bots_paused)}" if preview.bots_paused else ""
    out.success(
        f"{account.name} is now on the {catalog[plan_id].name} plan; "
        f"usage limits were reset{paused}"
    )


def _preview_fields(
    preview: SubscriptionPreview, catalog: dict[str, Plan], account_name: str
) -> list[tuple[str, str]]:
    """The preview for people: (label, text), every amount exactly as the server sent it."""
    old, new = catalog[preview.current_plan], catalog[preview.new_plan]
    proration = preview.proration
    if proration.amount > 0:
        today = f"{_money(proration)} charged today (prorated for the rest of the period)"
    elif proration.amount < 0:
        credit = proration.model_copy(update={"amount": -proration.amount})
        today = f"{_money(credit)} credited today (prorated for the rest of the period)"
    else:
        today = "nothing charged today"
    direction = "downgrade" if preview.is_downgrade else "upgrade"
    bots = ", ".join(preview.bots_paused) if preview.bots_paused else "none"
    return [
        ("Account", account_name),
        ("Plan", f"{old.name} → {new.name} ({direction})"),
        (
            "Price per month",
            f"{_money(old.price)} → {_money(new.price)} ({_signed_money(preview.price_change)})",
        ),
        ("Proration", today),
        ("Message limit", f"{preview.message_limit:,} messages a month"),
        (
            "Usage limits",
            "reset now (this month's message count starts again from 0)"
            if preview.limits_reset
            else "unchanged",
        ),
        ("Bots paused", bots),
    ]


def _preview_text(fields: list[tuple[str, str]]) -> str:
    width = max(len(label) for label, _ in fields)
    return "Plan change preview:\n" + "\n".join(
        f"  {label:<{width}}  {value}" for label, value in fields
    )


def _print_preview(
    out: Output, preview: SubscriptionPreview, fields: list[tuple[str, str]]
) -> None:
    """--dry-run: the preview as data (the API's object in JSON, plain figures in TSV/CSV)."""
    from chathq_cli.output import Column

    if out.is_json:
        out.object(preview.model_dump(mode="json"))
        return
    if out.is_terminal_table:
        out.object(dict(fields), [Column(label, label) for label, _ in fields])
        return
    row = preview.model_dump(mode="json")
    row["bots_paused"] = ", ".join(preview.bots_paused)
    out.object(
        row,
        [
            Column("current_plan", "Current plan"),
            Column("new_plan", "New plan"),
            Column("is_downgrade", "Downgrade", "bool"),
            Column("price_change.amount", "Price change per month", "money"),
            Column("proration.amount", "Proration today", "money"),
            Column("message_limit", "Message limit", "int"),
            Column("limits_reset", "Limits reset now", "bool"),
            Column("bots_paused", "Bots paused"),
        ],
    )


def _change_question(preview: SubscriptionPreview, account_name: str, target: str) -> str:
    if preview.is_downgrade and preview.bots_paused:
        count = len(preview.bots_paused)
        bots = "bot" if count == 1 else "bots"
        return (
            f"Downgrade {account_name} to {target} and pause {count} {bots} "
            f"({', '.join(preview.bots_paused)})?"
        )
    verb = "Downgrade" if preview.is_downgrade else "Upgrade"
    return f"{verb} {account_name} to {target}? Usage limits reset now."


# --------------------------------------------------------------------------------------------
# cancel


@command(app, "cancel", data=True, account=True)
def cancel(
    rt: Runtime,
    now: Annotated[
        bool, typer.Option("--now", help="End the subscription now, not at the period's end.")
    ] = False,
    yes: YesOpt = False,
) -> None:
    """Cancel the subscription: at the end of the period, or --now (owner only).

    \b
    Examples:
      portal billing cancel
      portal billing cancel --now
      portal billing cancel --yes --json
    """
    from chathq_cli import errors

    out = rt.out
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        subscription = client.get_subscription(account_id)
        if subscription.status == "canceled":
            raise errors.Conflict(
                "the subscription is already canceled",
                status=409,
                code="subscription_canceled",
                hint="portal billing show",
            )
        ends = _day(subscription.current_period_end)
        if subscription.cancel_at_period_end and not now:
            out.info(f"The subscription already ends on {ends}; nothing to change.")
            if out.is_json:
                out.object(subscription.model_dump(mode="json"))
            return
        _require_prompt(out, yes)
        account = client.get_account(account_id)
        plan = subscription.plan
        if now:
            question = (
                f"Cancel the {plan} plan of {account.name} now? It ends immediately: its monthly "
                f"message allowance, bots and features stop now, and the rest of the paid "
                f"period (until {ends}) is lost."
            )
        else:
            question = (
                f"Cancel the {plan} plan of {account.name} at the end of the period, on {ends}? "
                "Everything keeps working until then."
            )
        out.confirm(question, yes=yes)
        result = client.cancel_subscription(account_id, at_period_end=not now)
    if out.is_json:
        out.object(result.model_dump(mode="json"))
    if now:
        out.success(f"Canceled the {plan} plan of {account.name}; it has ended.")
    else:
        out.success(f"The {plan} plan of {account.name} will end on {ends}.")


# --------------------------------------------------------------------------------------------
# payment-methods


payment_methods_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
app.add_typer(
    payment_methods_app,
    name="payment-methods",
    help="List the payment methods; set the default; remove one (owner only).",
)


def _payment_method_columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("id", "ID", "id"),
        Column("brand", "Brand"),
        Column("card", "Card"),
        Column("expires", "Expires"),
        Column("is_default", "Default", "bool"),
        Column("created_at", "Added", "time"),
    ]


def _payment_method_row(method: PaymentMethod) -> dict[str, Any]:
    row = method.model_dump(mode="json")
    row["card"] = f"•••• {method.last4}"
    row["expires"] = f"{method.exp_month:02d}/{method.exp_year}"
    return row


@command(
    payment_methods_app,
    callback=True,
    invoke_without_command=True,
    data=True,
    account=True,
)
def payment_methods(rt: Runtime, ctx: typer.Context) -> None:
    """List the payment methods (card brand, last 4 digits, expiry, default).

    Cards are added on the hosted billing page (`portal billing portal`): card numbers never
    pass through the CLI.

    \b
    Examples:
      portal billing payment-methods
      portal billing payment-methods set-default pm_123abc
      portal billing payment-methods remove pm_456def
    """
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        methods = list(client.list_payment_methods(account_id))
    if rt.out.is_json:
        rt.out.list([m.model_dump(mode="json") for m in methods], _payment_method_columns())
        return
    rt.out.list([_payment_method_row(m) for m in methods], _payment_method_columns())
    if not methods:
        rt.out.hint("add a card on the hosted billing page: portal billing portal")


@command(payment_methods_app, "set-default", data=True, account=True)
def set_default(
    rt: Runtime,
    method_id: Annotated[
        str, typer.Argument(metavar="ID", help="The payment method (pm_...).", show_default=False)
    ],
) -> None:
    """Make a payment method the default one (owner only).

    \b
    Examples:
      portal billing payment-methods set-default pm_123abc
    """
    method_id = check_id(method_id, "pm_", "ID")
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        method = client.set_default_payment_method(account_id, method_id)
    if rt.out.is_json:
        rt.out.object(method.model_dump(mode="json"))
    rt.out.success(f"{_card(method)} is now the default payment method")


@command(payment_methods_app, "remove", data=True, account=True)
def remove(
    rt: Runtime,
    method_id: Annotated[
        str, typer.Argument(metavar="ID", help="The payment method (pm_...).", show_default=False)
    ],
    yes: YesOpt = False,
) -> None:
    """Remove a payment method, after confirmation (owner only).

    The default card cannot be removed while the account has others (exit 7): make another
    one the default first. Removing the only card leaves the account without one.

    \b
    Examples:
      portal billing payment-methods remove pm_456def
      portal billing payment-methods remove pm_456def --yes
    """
    from chathq_cli import errors

    method_id = check_id(method_id, "pm_", "ID")
    out = rt.out
    _require_prompt(out, yes)
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        methods = list(client.list_payment_methods(account_id))
        method = next((m for m in methods if m.id == method_id), None)
        if method is None:
            raise errors.NotFound(
                f"no payment method {method_id} on this account",
                status=404,
                code="resource_missing",
                param="ID",
                hint="portal billing payment-methods",
            )
        others = [m for m in methods if m.id != method_id]
        if method.is_default and others:
            raise errors.Conflict(
                f"{_card(method)} is the default payment method; "
                "make another one the default before removing it",
                status=409,
                code="default_payment_method",
                param="ID",
                hint=f"portal billing payment-methods set-default {others[0].id}",
            )
        warning = (
            " It is the account's only payment method: add another on the hosted billing page."
            if not others
            else ""
        )
        out.confirm(f"Remove {_card(method)} ({method.id})?{warning}", yes=yes)
        client.remove_payment_method(account_id, method_id)
    if out.is_json:
        out.object({"id": method_id, "object": "payment_method", "deleted": True})
    out.success(f"Removed {_card(method)}")


# --------------------------------------------------------------------------------------------
# invoices


invoices_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
app.add_typer(invoices_app, name="invoices", help="List, show and download invoices (owner only).")


def _invoice_columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("id", "ID", "id"),
        Column("number", "Number"),
        Column("status", "Status"),
        Column("period", "Period"),
        Column("total.amount", "Total", "money"),
        Column("created_at", "Issued", "time"),
        Column("paid_at", "Paid", "time"),
    ]


@command(invoices_app, callback=True, invoke_without_command=True, data=True, account=True)
def invoices(
    rt: Runtime,
    ctx: typer.Context,
    status: Annotated[
        InvoiceStatus | None, typer.Option("--status", help="Only invoices in this status.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only invoices issued on or after DATE."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", help="List at most N invoices (default 100)."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="List every matching invoice.")] = False,
) -> None:
    """List invoices, newest first.

    \b
    Examples:
      portal billing invoices
      portal billing invoices --status paid --since 2026-01-01
      portal billing invoices --all --json --jq '.[].total.amount'
      portal billing invoices show in_123abc
      portal billing invoices download in_123abc
    """
    from chathq_cli.inputs.dates import parse_date

    count = check_invoice_limit(limit, all_)
    since_at = parse_date(since, "--since").instant if since is not None else None
    client = rt.client()
    account_id = rt.account_id()

    def matching() -> Iterator[dict[str, Any]]:
        listed = 0
        with _owner_only():
            for invoice in client.list_invoices(account_id):
                if since_at is not None and invoice.created_at < since_at:
                    return  # newest first: every later one is older still
                if status is not None and invoice.status != status:
                    continue
                row = invoice.model_dump(mode="json")
                if not rt.out.is_json:
                    row["period"] = f"{_day(invoice.period_start)} to {_day(invoice.period_end)}"
                yield row
                listed += 1
                if count is not None and listed >= count:
                    return

    rows = matching()
    # The first page is fetched before anything is printed, so a refusal (403) or a network
    # failure leaves stdout empty instead of a header line with no rows.
    first = next(rows, None)
    rt.out.list(itertools.chain([] if first is None else [first], rows), _invoice_columns())


@command(invoices_app, "show", data=True, account=True)
def invoice_show(
    rt: Runtime,
    invoice_id: Annotated[
        str, typer.Argument(metavar="ID", help="The invoice (in_...).", show_default=False)
    ],
) -> None:
    """Show an invoice: its lines and total.

    \b
    Examples:
      portal billing invoices show in_123abc
      portal billing invoices show in_123abc --json --jq .total.amount
    """
    from chathq_cli.output import Column

    invoice_id = check_id(invoice_id, "in_", "ID")
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        invoice = client.get_invoice(account_id, invoice_id)
    out = rt.out
    if out.is_json:
        out.object(invoice.model_dump(mode="json"))
        return
    lines: list[dict[str, Any]] = [
        {"description": line.description, "amount": line.amount.model_dump(mode="json")}
        for line in invoice.lines
    ]
    lines.append({"description": "Total", "amount": invoice.total.model_dump(mode="json")})
    line_columns = [
        Column("description", "Description"),
        Column("amount.amount", "Amount", "money"),
    ]
    if out.is_terminal_table:
        out.object(
            {
                "id": invoice.id,
                "number": invoice.number,
                "status": invoice.status,
                "period": f"{_day(invoice.period_start)} to {_day(invoice.period_end)}",
                "created_at": invoice.created_at.isoformat(),
                "paid_at": invoice.paid_at.isoformat() if invoice.paid_at else None,
            },
            [
                Column("id", "ID", "id"),
                Column("number", "Number"),
                Column("status", "Status"),
                Column("period", "Period"),
                Column("created_at", "Issued", "time"),
                Column("paid_at", "Paid", "time"),
            ],
        )
        out.env.stdout.write("\n")
        out.list(lines, line_columns)
        return
    # TSV/CSV: one table, the lines then the total, each row naming its invoice.
    for line in lines:
        line["invoice"] = invoice.id
        line["number"] = invoice.number
    out.list(lines, [Column("invoice", "Invoice", "id"), Column("number", "Number"), *line_columns])


@command(invoices_app, "download", account=True)
def invoice_download(
    rt: Runtime,
    invoice_id: Annotated[
        str | None,
        typer.Argument(metavar="ID", help="The invoice (in_...).", show_default=False),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE|DIR|-",
            help="Where to save: a file, - for stdout, or the directory with --all "
            "(default: the name the server gives, in the current directory).",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Download every invoice not already in -o DIR.")
    ] = False,
    force: ForceOpt = False,
) -> None:
    """Download an invoice as a PDF, or every invoice with --all -o DIR.

    The file appears only once it is complete (it is written to FILE.part and renamed): an
    interrupted or failed download leaves nothing behind. An existing file is replaced only
    with --force.

    \b
    Examples:
      portal billing invoices download in_123abc
      portal billing invoices download in_123abc -o invoice.pdf
      portal billing invoices download in_123abc -o - > invoice.pdf
      portal billing invoices download --all -o invoices/
    """
    if all_:
        if invoice_id is not None:
            raise UsageError("give an invoice ID or --all, not both", param="--all")
        if output is None or output == "-":
            raise UsageError(
                "--all needs --output DIR (-o DIR), the directory to save into", param="--output"
            )
        directory = _check_directory(Path(output))
        _download_all(rt, directory, force=force)
        return
    if invoice_id is None:
        raise UsageError("give an invoice ID (or --all -o DIR)", param="ID")
    invoice_id = check_id(invoice_id, "in_", "ID")
    from chathq_cli.output import check_destination, open_destination

    out = rt.out
    if output is not None:  # a bad -o is refused before any request
        check_destination(output, force=force, binary=True, env=out.env)
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        response = client.get_invoice_pdf(account_id, invoice_id)
    data = _pdf_body(response, invoice_id)
    if output is None:
        # The server's name for it, in the current directory (checked like an -o FILE).
        output = file_name_from_disposition(
            response.headers.get("Content-Disposition"), f"{invoice_id}.pdf"
        )
        check_destination(output, force=force, binary=True, env=out.env)
    with open_destination(output, force=force, binary=True, env=out.env) as stream:
        stream.write(data)
    if output != "-":
        out.success(f"Saved invoice {invoice_id} to {output} ({len(data):,} bytes)")


def _download_all(rt: Runtime, directory: Path, *, force: bool) -> None:
    from chathq_cli.output import open_destination

    out = rt.out
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        every: list[Invoice] = list(client.list_invoices(account_id))
        try:
            directory.mkdir(exist_ok=True)
        except OSError as error:
            raise UsageError(f"--output: {directory}: {error.strerror}", param="--output") from None
        wanted = []
        for invoice in every:
            name = file_name_from_disposition(f'filename="{invoice.number}.pdf"', invoice.id)
            path = directory / name
            if force or not os.path.lexists(path):
                wanted.append((invoice, path))
        skipped = len(every) - len(wanted)
        with out.progress("Downloading invoices", len(wanted)) as advance:
            for invoice, path in wanted:
                response = client.get_invoice_pdf(account_id, invoice.id)
                data = _pdf_body(response, invoice.id)
                with open_destination(path, force=force, binary=True) as stream:
                    stream.write(data)
                advance(1)
    if not wanted:
        out.info(f"Nothing to download: all {skipped} invoice(s) are already in {directory}")
        return
    already = f"; {skipped} already there" if skipped else ""
    out.success(f"Downloaded {len(wanted)} invoice(s) to {directory}{already}")


def _pdf_body(response: Any, invoice_id: str) -> bytes:
    """The response's bytes, when they are a whole PDF (anything else is the server's fault)."""
    from chathq_cli import errors

    data: bytes = response.content
    if not is_pdf(data):
        raise errors.ServerError(
            f"the server did not send a complete PDF for invoice {invoice_id}; nothing was saved",
            status=response.status_code,
            request_id=response.headers.get("Request-Id"),
            hint="try again, or rerun with --debug for the request id",
        )
    return data


# --------------------------------------------------------------------------------------------
# Where --all saves: the files themselves go through output.open_destination (NAME.part,
# renamed once complete; never a partial file).


def _check_directory(path: Path) -> Path:
    """The --all directory: an existing writable one, or one that can be created (it is, once
    the invoices could be listed, so a refusal leaves nothing behind)."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"--output: {path} is not a directory", param="--output")
    where = path if path.exists() else path.parent
    if not where.is_dir():
        raise UsageError(f"--output: directory {where} does not exist", param="--output")
    if not os.access(where, os.W_OK | os.X_OK):
        raise UsageError(f"--output: cannot write in {where}", param="--output")
    return path


# --------------------------------------------------------------------------------------------
# portal


@command(app, "portal", data=True, account=True)
def portal(
    rt: Runtime,
    print_url: Annotated[
        bool, typer.Option("--print-url", help="Print the link instead of opening a browser.")
    ] = False,
) -> None:
    """Open the hosted billing page (add cards, change billing details) in the browser.

    The link is short-lived and signs you in to the billing page: do not share it. It is
    printed instead of opened with --print-url, when standard output is not a terminal, or
    when no browser can be started.

    \b
    Examples:
      portal billing portal
      portal billing portal --print-url
    """
    client = rt.client()
    account_id = rt.account_id()
    with _owner_only():
        session = client.create_billing_portal_session(account_id)
    out = rt.out
    expires = f"{session.expires_at:%Y-%m-%d %H:%M} UTC"
    if out.is_json:
        out.object(session.model_dump(mode="json"))
        return
    if print_url or not out.env.stdout_isatty:
        out.value(session.url)
        out.info(f"The link expires at {expires}.")
        return
    if _open_browser(session.url):
        out.success(f"Opened the billing page in your browser (the link expires at {expires})")
        return
    out.info("Could not open a browser; open this link (it expires at " + expires + "):")
    out.value(session.url)


def _open_browser(url: str) -> bool:
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False
