"""Billing beyond reading the subscription: plan changes, payment methods, invoices.

Methods import their models when they run, as in `_portal.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from chathq_cli.client._body import body, seg
from chathq_cli.client._http import HttpClient

if TYPE_CHECKING:
    import httpx

    from chathq_cli.api.billing import BillingPortalSession, Invoice, PaymentMethod, Subscription


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

    def get_invoice_pdf(self, account_id: str, invoice_id: str) -> httpx.Response:
        """The PDF response (`.content` holds the bytes; `Content-Type: application/pdf`)."""
        path = f"/v1/accounts/{seg(account_id)}/invoices/{seg(invoice_id)}/pdf"
        return self.request("GET", path, headers={"Accept": "application/pdf"})

    def create_billing_portal_session(self, account_id: str) -> BillingPortalSession:
        from chathq_cli.api.billing import BillingPortalSession

        path = f"/v1/accounts/{seg(account_id)}/billing_portal_sessions"
        return self._parse(BillingPortalSession, self.request("POST", path))
