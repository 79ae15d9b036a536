"""The portal API client: httpx, retries, idempotency keys, pagination, typed errors.

Importing this package imports httpx and the wire models, so commands import it inside their
bodies (or under TYPE_CHECKING), never at module level.
"""

from chathq_cli.client._http import HttpClient
from chathq_cli.client._portal import PortalClient
from chathq_cli.client._retry import RetryPolicy, parse_retry_after, should_retry

__all__ = ["HttpClient", "PortalClient", "RetryPolicy", "parse_retry_after", "should_retry"]
