"""Billing beyond reading the subscription: plan changes, payment methods, invoices.

Methods import their models when they run, as in `_portal.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chathq_cli import errors
from chathq_cli.client._body import body, seg
from chathq_cli.client._http import HttpClient

if TYPE_CHECKING:
    from chathq_cli.api.billing import BillingPortalSession, Invoice, PaymentMethod, Subscription


@dataclass(frozen=True)
class InvoicePdf:
    """An invoice's PDF, whole, and the file name the server suggests for it.

    `file_name` is the name as the server sent it (None when it sent none): it may hold a
    path, dots or control characters, so whoever saves under it makes it safe first.
    """

    content: bytes
    file_name: str | None


class BillingMethods(HttpClient):
    def change_plan(self, account_id: str, plan: str) -> Subscription:
        from chathq_cli.api.billing import Subscription, SubscriptionChange

        payload = body(SubscriptionChange, plan=plan)
        path = f"/v1/accounts/{seg(account_id)}/subscription"
        return self._parse(Subscription, self.request("POST", path, json=payload))

    def cancel_subscription(self, account_id: str, *, at_period_end: bool = True) -> Subscription:
        from chathq_cli.api.billing import Subscription, SubscriptionCancel

        payload = body(SubscriptionCancel, at_period_end=at_period_end)
        path = f"/v1/accounts/{seg(account_id)}/subscription/cancel"
        return self._parse(Subscription, self.request("POST", path, json=payload))

    def list_payment_methods(self, account_id: str) -> Iterator[PaymentMethod]:
        from chathq_cli.api.billing import PaymentMethod

        return self.paginate(f"/v1/accounts/{seg(account_id)}/payment_methods", PaymentMethod)

    def set_default_payment_method(self, account_id: str, method_id: str) -> PaymentMethod:
        from chathq_cli.api.billing import PaymentMethod

        path = f"/v1/accounts/{seg(account_id)}/payment_methods/{seg(method_id)}/set_default"
        return self._parse(PaymentMethod, self.request("POST", path))

    def remove_payment_method(self, account_id: str, method_id: str) -> None:
        self.request("DELETE", f"/v1/accounts/{seg(account_id)}/payment_methods/{seg(method_id)}")

    def list_invoices(self, account_id: str, *, limit: int | None = None) -> Iterator[Invoice]:
        from chathq_cli.api.billing import Invoice

        return self.paginate(f"/v1/accounts/{seg(account_id)}/invoices", Invoice, limit=limit)

    def get_invoice(self, account_id: str, invoice_id: str) -> Invoice:
        from chathq_cli.api.billing import Invoice

        path = f"/v1/accounts/{seg(account_id)}/invoices/{seg(invoice_id)}"
        return self.get_model(path, Invoice)

    def get_invoice_pdf(self, account_id: str, invoice_id: str) -> InvoicePdf:
        """The invoice's PDF, read whole (so a connection dropped mid-body is retried like any
        failed request), or ServerError when the body is not a complete PDF."""
        path = f"/v1/accounts/{seg(account_id)}/invoices/{seg(invoice_id)}/pdf"
        response = self.request("GET", path, headers={"Accept": "application/pdf"})
        if not is_whole_pdf(response.content):
            raise errors.ServerError(
                f"the server did not send a complete PDF for invoice {invoice_id}; "
                "nothing was saved",
                status=response.status_code,
                request_id=response.headers.get("Request-Id"),
                hint="try again, or rerun with --debug for the request id",
            )
        return InvoicePdf(
            response.content, suggested_file_name(response.headers.get("Content-Disposition"))
        )

    def create_billing_portal_session(self, account_id: str) -> BillingPortalSession:
        from chathq_cli.api.billing import BillingPortalSession

        path = f"/v1/accounts/{seg(account_id)}/billing_portal_sessions"
        return self._parse(BillingPortalSession, self.request("POST", path))


def is_whole_pdf(data: bytes) -> bool:
    """A whole PDF document: the header, and the end-of-file marker near the end."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


_DISPOSITION_STAR = re.compile(r"filename\*\s*=\s*([^';]*)'[^']*'([^;]+)", re.IGNORECASE)
_DISPOSITION = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.IGNORECASE)


def suggested_file_name(header: str | None) -> str | None:
    """The file name of a `Content-Disposition` header (RFC 6266: `filename*=UTF-8''...`
    first, then `filename="..."` or a bare `filename=...`), unchecked; None without one."""
    from urllib.parse import unquote

    if not header:
        return None
    star = _DISPOSITION_STAR.search(header)
    if star:
        try:
            return unquote(star.group(2).strip(), encoding=star.group(1) or "utf-8")
        except LookupError:  # a charset Python does not know: use the plain filename=
            pass
    plain = _DISPOSITION.search(header)
    if not plain:
        return None
    name = plain.group(1) if plain.group(1) is not None else plain.group(2).strip()
    return re.sub(r"\\(.)", r"\1", name)
