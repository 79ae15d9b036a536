"""An invoice as people name it: its ID (`in_...`) or the number printed on it (`ACME1-0012`).

The one resolver of `billing invoices show` and `download`. An ID is used as given, with no
request (the server says 404 when it is not this account's); a number is looked up among the
account's invoices, so it costs one listing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from chathq_cli.errors import UsageError

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

# What an invoice number can be: letters, digits and dashes (the sandbox's `ACME1-0012`).
# An underscore is an ID's (`in_...`, or another kind's `pm_...`): checked as an ID.
_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")


def is_invoice_number(ref: str) -> bool:
    """`ref` is written as an invoice number, not an ID."""
    return _NUMBER.fullmatch(ref.strip()) is not None


def resolve_invoice(rt: Runtime, ref: str, param: str = "ID") -> str:
    """The ID of the invoice `ref` names on the current account: an ID, or a number (any case).

    A number that no invoice has is "not found" (exit 6), naming `param`.
    """
    from chathq_cli.cli.resolve import find_one
    from chathq_cli.inputs.ids import check_id
    from chathq_cli.inputs.names import shown

    text = ref.strip()
    if not is_invoice_number(text):
        if text and "_" not in text:
            raise UsageError(
                f"{param}: {shown(ref)} is not an invoice ID or number "
                "(in_... or the number on the invoice, such as ACME1-0001)",
                param=param,
            )
        return check_id(ref, "invoice", param)
    wanted = text.upper()
    invoices = rt.client().list_invoices(rt.account_id())
    invoice = find_one(
        invoices,
        lambda inv: inv.number.upper() == wanted,
        "invoice",
        text,
        param,
        where=" on this account",
        code="invoice_number_unknown",
    )
    return invoice.id
