"""The portal API client: httpx, retries, idempotency keys, pagination, typed errors.

Importing this package imports httpx and the wire models, so commands import it inside their
bodies (or under TYPE_CHECKING), never at module level.
"""

import sys

# httpx's own __init__ imports its command-line tool (click, pygments, rich.syntax) whenever
# click is importable, as it is next to uvicorn: ~150 ms on every command for code we never
# run. A None entry makes that optional import fail fast, and httpx falls back to a stub.
# It must run before anything here imports httpx.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from chathq_cli.client._http import HttpClient  # noqa: E402
from chathq_cli.client._portal import PortalClient  # noqa: E402
from chathq_cli.client._retry import RetryPolicy, parse_retry_after, should_retry  # noqa: E402

__all__ = ["HttpClient", "PortalClient", "RetryPolicy", "parse_retry_after", "should_retry"]
