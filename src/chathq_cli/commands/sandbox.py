"""`portal sandbox serve`: the local portal API (needs the `sandbox` extra)."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from chathq_cli.errors import UsageError

app = typer.Typer(
    help="Run the local sandbox: the whole portal API with demo data, for trying portal out.",
    # "\b" keeps Click from re-wrapping the example block into one paragraph.
    epilog="""\
\b
Examples:
  portal sandbox serve
  portal sandbox serve --port 0 --clock 2026-11-15T12:00:00Z
""",
    no_args_is_help=True,
)

FAULT_KINDS = ("error_before", "error_after", "rate_limit", "latency")


class SeedChoice(StrEnum):
    demo = "demo"
    empty = "empty"


def _parse_clock(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--clock: '{value}' is not an RFC 3339 time",
            hint="e.g. --clock 2026-11-15T12:00:00Z",
            param="--clock",
        ) from None


def _parse_kinds(values: list[str] | None) -> tuple[str, ...]:
    kinds = [k.strip() for v in values or [] for k in v.split(",") if k.strip()]
    unknown = sorted(set(kinds) - set(FAULT_KINDS))
    if unknown:
        raise UsageError(
            f"--fault-kinds: unknown kind {', '.join(unknown)}",
            hint=f"choose from {', '.join(FAULT_KINDS)}",
            param="--fault-kinds",
        )
    return tuple(kinds)


def _sandbox_extra_installed() -> bool:
    # python-multipart is importable as `python_multipart` (new) or `multipart` (old releases).
    multipart = any(importlib.util.find_spec(m) for m in ("python_multipart", "multipart"))
    return multipart and all(importlib.util.find_spec(m) for m in ("fastapi", "uvicorn"))


@app.command()
def serve(
    # Not --host: across portal, --host is the portal API's URL (auth login --host URL).
    bind: Annotated[
        str, typer.Option("--bind", metavar="ADDRESS", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port; 0 picks a free one.")] = 8787,
    db: Annotated[
        Path | None,
        typer.Option(help="SQLite file to use, re-seeded at start (default: a temporary file)."),
    ] = None,
    seed: Annotated[SeedChoice, typer.Option(help="Start with demo data or nothing.")] = (
        SeedChoice.demo
    ),
    usage_records: Annotated[
        int | None,
        typer.Option(min=0, max=10_000_000, help="Generate N usage records (benchmarks)."),
    ] = None,
    fault_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of /v1 requests that fail.")
    ] = 0.0,
    fault_kinds: Annotated[
        list[str] | None,
        typer.Option(help="Fault kinds (repeat or comma-separate): " + ", ".join(FAULT_KINDS)),
    ] = None,
    seed_value: Annotated[int, typer.Option(help="Seed of the demo data and faults.")] = 42,
    # Not --now: across portal, --now means "at once" (billing cancel --now).
    clock: Annotated[
        str | None,
        typer.Option(
            "--clock", metavar="TIME", help="Start the sandbox clock at this RFC 3339 time."
        ),
    ] = None,
) -> None:
    """Serve the portal API on ADDRESS:PORT until Ctrl-C.

    \b
    Examples:
      portal sandbox serve
      portal sandbox serve --port 0 --clock 2026-11-15T12:00:00Z
      portal sandbox serve --usage-records 1000000 --fault-rate 0.3
    """
    if not _sandbox_extra_installed():
        raise UsageError(
            "the sandbox needs the 'sandbox' extra", hint="pip install 'chathq-cli[sandbox]'"
        )
    start = _parse_clock(clock)
    kinds = _parse_kinds(fault_kinds)
    from chathq_cli.sandbox.serve import serve as run

    try:
        run(
            host=bind,
            port=port,
            db_path=str(db) if db else None,
            seed=seed.value,
            seed_value=seed_value,
            usage_records=usage_records,
            fault_rate=fault_rate,
            fault_kinds=kinds,
            now=start,
        )
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {bind}:{port}: {exc.strerror or exc}",
            hint="pick another --port (0 = any free port)",
            param="--port",
        ) from None
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
