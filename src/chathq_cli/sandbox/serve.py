"""Run the sandbox with uvicorn and say, on stderr, where it listens and how to sign in.

The sandbox is a server: its console is its own log, written with `sys.stderr.write` (the
CLI's `output/` is not involved). The line `portal sandbox listening on http://HOST:PORT`
appears once the socket accepts connections; tests wait for it.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable, Sequence
from datetime import datetime

import uvicorn

from chathq_cli.sandbox.app import create_app
from chathq_cli.sandbox.edge import DroppedConnection
from chathq_cli.sandbox.faults import KINDS
from chathq_cli.sandbox.seed import DEMO_PASSWORD, DEMO_USERS
from chathq_cli.sandbox.state import SeedKind


class _HideDroppedConnections(logging.Filter):
    """`error_after` faults cut connections on purpose; that is not an error to log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and record.exc_info[0] is DroppedConnection)


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, announce: str, on_stop: Callable[[], None]) -> None:
        super().__init__(config)
        self._announce = announce
        self._on_stop = on_stop

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            sys.stderr.write(self._announce)
            sys.stderr.flush()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await super().shutdown(sockets=sockets)
        # Here, not after run(): uvicorn re-raises SIGTERM once stopped, ending the process.
        self._on_stop()


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8787,
    db_path: str | None = None,
    seed: SeedKind = "demo",
    seed_value: int = 42,
    usage_records: int | None = None,
    fault_rate: float = 0.0,
    fault_kinds: Sequence[str] = (),
    now: datetime | None = None,
) -> None:
    """Seed, bind, serve until interrupted (Ctrl-C or SIGTERM)."""
    # Bind first so `--port 0` can report the port the kernel picked.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are
    # TCP, and without it small responses wait ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    actual_port = sock.getsockname()[1]
    url_host = f"[{host}]" if ":" in host else host
    url = f"http://{url_host}:{actual_port}"

    app = create_app(
        db_path,
        seed=seed,
        seed_value=seed_value,
        usage_records=usage_records,
        fault_rate=fault_rate,
        fault_kinds=tuple(fault_kinds) or KINDS,
        now=now,
    )
    sandbox = app.state.sandbox
    lines = [f"portal sandbox: {seed} data (seed {seed_value}), database {sandbox.store.path}"]
    if seed == "demo":
        lines += [
            f"  demo users: {', '.join(DEMO_USERS)}",
            f"  password:   {DEMO_PASSWORD}   (2FA off)",
            f"  sign in:    PORTAL_HOST={url} portal auth login --email {DEMO_USERS[0]}",
        ]
    if fault_rate:
        lines.append(f"  faults:     rate {fault_rate}, kinds {', '.join(sandbox.faults.kinds)}")
    lines.append(f"  clock:      {sandbox.clock.now():%Y-%m-%dT%H:%M:%SZ}")
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()

    logging.getLogger("uvicorn.error").addFilter(_HideDroppedConnections())
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=2
    )
    server = _Server(config, f"portal sandbox listening on {url}\n", sandbox.store.close)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        sandbox.store.close()  # removes a temporary database (idempotent)
