"""Which methods a path answers: the `Allow` header of a 405, and HEAD served as GET."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# The order methods are listed in `Allow` (RFC 9110 sets none; this one reads naturally).
_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(routes: Iterable[Any], path: str) -> list[str]:
    """Every method some route declares for `path` (several routes can share a path, one per
    method, and Starlette's own 405 names only the first); HEAD wherever GET is."""
    methods: set[str] = set()
    for route in routes:
        regex = getattr(route, "path_regex", None)
        declared = getattr(route, "methods", None)
        if regex is not None and declared and regex.match(path):
            methods.update(declared)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods, key=lambda m: (_ORDER.index(m) if m in _ORDER else len(_ORDER), m))
