"""PortalClient.get_invoice_pdf: the PDF's bytes and the name the server suggests, or an
error; no HTTP object reaches the command."""

from __future__ import annotations

import httpx
import pytest
import respx

from chathq_cli import errors
from chathq_cli.client import PortalClient, RetryPolicy
from chathq_cli.client._billing import InvoicePdf, is_whole_pdf, suggested_file_name

HOST = "http://127.0.0.1:8787"
PDF_PATH = "/v1/accounts/acct_1/invoices/in_1/pdf"
WHOLE = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _client(attempts: int = 1) -> PortalClient:
    retry = RetryPolicy(attempts=attempts, sleep=lambda _: None) if attempts > 1 else None
    return PortalClient(HOST, "pst_t", retry=retry or RetryPolicy.none())


def _serve(content: bytes, headers: dict[str, str] | None = None, status: int = 200) -> InvoicePdf:
    with respx.mock(base_url=HOST) as api, _client() as client:
        route = api.get(PDF_PATH).mock(
            return_value=httpx.Response(
                status,
                content=content,
                headers={"Content-Type": "application/pdf", **(headers or {})},
            )
        )
        pdf = client.get_invoice_pdf("acct_1", "in_1")
    assert route.calls[0].request.headers["Accept"] == "application/pdf"
    return pdf


def test_a_whole_pdf_comes_back_with_the_servers_name() -> None:
    pdf = _serve(WHOLE, {"Content-Disposition": 'attachment; filename="ACME1-0012.pdf"'})
    assert pdf == InvoicePdf(WHOLE, "ACME1-0012.pdf")


def test_no_disposition_means_no_name() -> None:
    assert _serve(WHOLE).file_name is None


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n1 0 obj <<>> endobj\n",  # cut short: no end-of-file marker
        b"<html><body>Bad gateway</body></html>",
        b"",
        b"%%EOF",
    ],
)
def test_anything_but_a_whole_pdf_is_a_server_error(content: bytes) -> None:
    with pytest.raises(errors.ServerError) as caught:
        _serve(content, {"Request-Id": "req_42"})
    error = caught.value
    assert "did not send a complete PDF for invoice in_1" in error.message
    assert (error.status, error.request_id) == (200, "req_42")
    assert error.exit_code == errors.ExitCode.FAILURE


def test_a_missing_invoice_is_not_found() -> None:
    body = {
        "error": {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "message": "no such invoice",
        }
    }
    with respx.mock(base_url=HOST) as api, _client() as client:
        api.get(PDF_PATH).mock(return_value=httpx.Response(404, json=body))
        with pytest.raises(errors.NotFound):
            client.get_invoice_pdf("acct_1", "in_1")


def test_a_body_dropped_half_way_is_retried_and_comes_back_whole() -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        if len(attempts) == 1:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete body")
        return httpx.Response(200, content=WHOLE)

    with respx.mock(base_url=HOST) as api, _client(attempts=3) as client:
        api.get(PDF_PATH).mock(side_effect=handler)
        pdf = client.get_invoice_pdf("acct_1", "in_1")
    assert (len(attempts), pdf.content) == (2, WHOLE)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ('attachment; filename="ACME1-0012.pdf"', "ACME1-0012.pdf"),
        ("attachment; filename=ACME1-0012.pdf", "ACME1-0012.pdf"),
        ("attachment; filename = plain.pdf ; size=3", "plain.pdf"),
        ('attachment; filename="../../etc/passwd"', "../../etc/passwd"),  # unchecked: as sent
        ('attachment; filename="C:\\\\Windows\\\\x.pdf"', "C:\\Windows\\x.pdf"),
        ('attachment; filename="say \\"hi\\".pdf"', 'say "hi".pdf'),
        ("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", "résumé.pdf"),
        ("attachment; filename*=UTF-8''..%2F..%2Fx.pdf", "../../x.pdf"),
        ("attachment; filename=\"a.pdf\"; filename*=UTF-8''b%C3%A9.pdf", "bé.pdf"),  # * wins
        ("attachment; filename*=no-such-charset''%41.pdf; filename=\"a.pdf\"", "a.pdf"),
        ("attachment; filename*=no-such-charset''%41.pdf", None),
        ("attachment", None),
        ("inline", None),
        ("", None),
    ],
)
def test_the_suggested_name_is_read_from_content_disposition(header: str, name: str | None) -> None:
    assert suggested_file_name(header) == name
    if header:
        assert _serve(WHOLE, {"Content-Disposition": header}).file_name == name


def test_is_whole_pdf() -> None:
    assert is_whole_pdf(WHOLE)
    assert is_whole_pdf(b"%PDF-1.7\n" + b"x" * 5000 + b"\n%%EOF\n")
    assert not is_whole_pdf(b"%PDF-1.7\n%%EOF\n" + b"x" * 2000)  # the marker is not near the end
    assert not is_whole_pdf(b"PDF-1.4 %%EOF")
