"""Billing beyond reading the subscription: plan changes, payment methods, invoices.

Methods import their models when they run, as in `_portal.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from chathq_cli import errors
from chathq_cli.client._body import body, seg
from chathq_cli.client._http import HttpClient

if TYPE_CHECKING:
    import httpx

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
        """The invoice's PDF, whole in memory (see `open_invoice_pdf` to stream it)."""
        import io

        with self.open_invoice_pdf(account_id, invoice_id) as pdf:
            buffer = io.BytesIO()
            pdf.save_to(buffer)
        return InvoicePdf(buffer.getvalue(), pdf.file_name)

    @contextmanager
    def open_invoice_pdf(self, account_id: str, invoice_id: str) -> Iterator[PdfDownload]:
        """The invoice's PDF as it arrives: its suggested file name at once, its bytes written
        by `save_to` a chunk at a time (never the whole file in memory)."""
        path = f"/v1/accounts/{seg(account_id)}/invoices/{seg(invoice_id)}/pdf"
        download = PdfDownload(self, path, invoice_id)
        try:
            yield download
        finally:
            download.close()

    def create_billing_portal_session(self, account_id: str) -> BillingPortalSession:
        from chathq_cli.api.billing import BillingPortalSession

        path = f"/v1/accounts/{seg(account_id)}/billing_portal_sessions"
        return self._parse(BillingPortalSession, self.request("POST", path))


class PdfDownload:
    """One PDF being downloaded; the request (retried as any) is sent when this is made."""

    CHUNK = 1 << 16

    def __init__(self, client: HttpClient, path: str, invoice_id: str) -> None:
        self._client = client
        self._path = path
        self._invoice_id = invoice_id
        self._response = self._send()
        self.file_name = suggested_file_name(self._response.headers.get("Content-Disposition"))

    def _send(self) -> httpx.Response:
        return self._client.request(
            "GET", self._path, headers={"Accept": "application/pdf"}, stream=True
        )

    def save_to(self, stream: IO[bytes]) -> int:
        """Write the PDF to `stream` as it arrives; its size. A connection dropped half-way
        starts the download over (a GET is safe to repeat) when `stream` can be rewound, as
        often as the retry policy allows; a body that is not a whole PDF is a ServerError."""
        import httpx

        policy = self._client.retry
        started = policy.clock()
        attempt = 1
        while True:
            try:
                return self._write(stream)
            except httpx.TransportError as exc:
                if attempt >= policy.attempts or not stream.seekable():
                    raise self._client._network_error(exc, started) from exc
                policy.sleep(policy.delay(attempt, None))
                attempt += 1
                self._response.close()
                stream.seek(0)
                stream.truncate()
                self._response = self._send()

    def _write(self, stream: IO[bytes]) -> int:
        size = 0
        head = tail = b""
        for chunk in self._response.iter_bytes(self.CHUNK):
            stream.write(chunk)
            size += len(chunk)
            if len(head) < 5:
                head = (head + chunk)[:5]
            tail = (tail + chunk)[-1024:]
        if not (head.startswith(b"%PDF-") and b"%%EOF" in tail):
            raise errors.ServerError(
                f"the server did not send a complete PDF for invoice {self._invoice_id}; "
                "nothing was saved",
                status=self._response.status_code,
                request_id=self._response.headers.get("Request-Id"),
                hint="try again, or rerun with --debug for the request id",
            )
        return size

    def close(self) -> None:
        self._response.close()


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
