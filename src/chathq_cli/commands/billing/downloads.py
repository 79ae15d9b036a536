"""`portal billing invoices download`: one invoice's PDF, or every invoice into a directory."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import ForceOpt, command
from chathq_cli.commands.billing._lookup import resolve_invoice
from chathq_cli.errors import UsageError

if TYPE_CHECKING:
    from chathq_cli.api.billing import Invoice
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


_UNSAFE_NAME_CHARS = re.compile(
    r'[\x00-\x1f\x7f-\x9f<>:"|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]'
)


def safe_file_name(name: str | None, fallback: str) -> str:
    """`name` (the server's suggestion) made safe to create in the current directory.

    Only the last path component is kept (no `../`, no `/etc/`, no `C:\\`), control and
    shell-awkward characters become `_`, a leading dot is dropped (no hidden or `..` files),
    and the result is at most 200 characters. `fallback` when nothing usable is left.
    """
    name = re.split(r"[/\\]", name or "")[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        keep = dot and 0 < len(suffix) < 10
        name = stem[: 199 - len(suffix)] + "." + suffix if keep else name[:200]
    return name or fallback


@command(app, "download", account=True)
def invoice_download(
    rt: Runtime,
    invoice_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="The invoice: ID (in_...) or number.", show_default=False
        ),
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
      portal billing invoices download ACME1-0001
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
    invoice_id = resolve_invoice(rt, invoice_id)  # an ID, or the number on the invoice
    from chathq_cli.output import check_destination, open_destination

    out = rt.out
    if output is not None:  # a bad -o is refused before any request
        check_destination(output, force=force, binary=True, env=out.env)
    client = rt.client()
    account_id = rt.account_id()
    # Streamed to FILE.part as it arrives: a big PDF is never held in memory.
    with client.open_invoice_pdf(account_id, invoice_id) as pdf:
        if output is None:
            # The server's name for it, in the current directory (checked like an -o FILE).
            output = safe_file_name(pdf.file_name, f"{invoice_id}.pdf")
            check_destination(output, force=force, binary=True, env=out.env)
        with open_destination(output, force=force, binary=True, env=out.env) as stream:
            size = pdf.save_to(stream)
    if output != "-":
        out.success(f"Saved invoice {invoice_id} to {output} ({size:,} bytes)")


def _download_all(rt: Runtime, directory: Path, *, force: bool) -> None:
    from chathq_cli.output import open_destination

    out = rt.out
    client = rt.client()
    account_id = rt.account_id()
    every: list[Invoice] = list(client.list_invoices(account_id))
    try:
        directory.mkdir(exist_ok=True)
    except OSError as error:
        raise UsageError(f"--output: {directory}: {error.strerror}", param="--output") from None
    wanted = []
    for invoice in every:
        name = safe_file_name(f"{invoice.number}.pdf", invoice.id)
        path = directory / name
        if force or not os.path.lexists(path):
            wanted.append((invoice, path))
    skipped = len(every) - len(wanted)
    with out.progress("Downloading invoices", len(wanted)) as advance:
        for invoice, path in wanted:
            with (
                client.open_invoice_pdf(account_id, invoice.id) as pdf,
                open_destination(path, force=force, binary=True) as stream,
            ):
                pdf.save_to(stream)
            advance(1)
    if not wanted:
        out.info(f"Nothing to download: all {skipped} invoice(s) are already in {directory}")
        return
    already = f"; {skipped} already there" if skipped else ""
    out.success(f"Downloaded {len(wanted)} invoice(s) to {directory}{already}")


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
