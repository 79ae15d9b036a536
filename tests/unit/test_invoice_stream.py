"""An invoice PDF is written as it arrives, a chunk at a time, and a connection dropped
half-way starts the file over instead of failing the download."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
import respx

from chathq_cli import errors
from chathq_cli.client import PortalClient, RetryPolicy

HOST = "http://127.0.0.1:8787"
PDF_PATH = "/v1/accounts/acct_1/invoices/in_1/pdf"
BIG = b"%PDF-1.7\n" + b"x" * 600_000 + b"\n%%EOF\n"


class Recorder(io.BytesIO):
    """A seekable file that remembers the size of every write."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[int] = []

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.writes.append(len(data))
        return super().write(data)


def chunks(data: bytes, size: int = 20_000, fail_at: int | None = None) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        if fail_at is not None and start >= fail_at:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete body")
        yield data[start : start + size]


def test_the_pdf_is_written_a_chunk_at_a_time() -> None:
    sink = Recorder()
    with respx.mock(base_url=HOST) as api, PortalClient(HOST, "t", retry=RetryPolicy.none()) as c:
        api.get(PDF_PATH).mock(return_value=httpx.Response(200, content=chunks(BIG)))
        with c.open_invoice_pdf("acct_1", "in_1") as pdf:
            assert pdf.save_to(sink) == len(BIG)
    assert sink.getvalue() == BIG
    assert len(sink.writes) >= 9 and max(sink.writes) <= 1 << 16  # never the whole file


def test_a_connection_dropped_half_way_starts_the_file_over() -> None:
    sink = Recorder()
    answers = iter(
        [
            httpx.Response(200, content=chunks(BIG, fail_at=300_000)),
            httpx.Response(200, content=chunks(BIG)),
        ]
    )
    policy = RetryPolicy(attempts=3, sleep=lambda _: None)
    with respx.mock(base_url=HOST) as api, PortalClient(HOST, "t", retry=policy) as c:
        route = api.get(PDF_PATH).mock(side_effect=lambda request: next(answers))
        with c.open_invoice_pdf("acct_1", "in_1") as pdf:
            pdf.save_to(sink)
    assert route.call_count == 2
    assert sink.getvalue() == BIG  # the first attempt's bytes are gone


def test_a_drop_on_the_last_attempt_is_a_network_error() -> None:
    policy = RetryPolicy(attempts=1, sleep=lambda _: None)
    with respx.mock(base_url=HOST) as api, PortalClient(HOST, "t", retry=policy) as c:
        api.get(PDF_PATH).mock(return_value=httpx.Response(200, content=chunks(BIG, fail_at=1)))
        with c.open_invoice_pdf("acct_1", "in_1") as pdf, pytest.raises(errors.NetworkError):
            pdf.save_to(Recorder())
