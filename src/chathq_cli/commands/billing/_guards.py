"""What every billing command checks or rewords: owner-only refusals, and confirmations that
cannot be asked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


@contextmanager
def _owner_only() -> Iterator[None]:
    """A 403 here means "not the owner" (or an API key): say who can do it."""
    from chathq_cli import errors

    try:
        yield
    except errors.PermissionDenied as exc:
        exc.hint = exc.hint or (
            "billing is managed by the account's owner (the owner role); "
            "ask an owner, or sign in as one with `portal auth login`"
        )
        raise
