"""Which methods a path answers: the `Allow` header of a 405, and HEAD served as GET."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.routing import Match

# The methods the API uses, in the order `Allow` lists them (RFC 9110 sets none).
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(routes: Iterable[Any], path: str) -> list[str]:
    """Every method some route answers on `path`, HEAD wherever GET is.

    Asked of the routes themselves (a full match per method): several routes share a path, one
    per method, and Starlette's own 405 names only the first one's.
    """
    routes = list(routes)
    methods = [
        method
        for method in _METHODS
        if any(
            route.matches({"type": "http", "path": path, "root_path": "", "method": method})[0]
            == Match.FULL
            for route in routes
        )
    ]
    if "GET" in methods:
        methods.insert(1, "HEAD")
    return methods
