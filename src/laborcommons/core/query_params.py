"""Refuse query parameters a route does not declare: a typo (``country=`` where the route
has no such filter, ``page_sise=``) would otherwise be ignored and change the answer."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from laborcommons.core.errors import BadRequest

FREE_QUERY = "x-free-query-parameters"
"""Set in a route's ``openapi_extra`` when the route checks its own extra parameters
(the rows route takes ``?column=value`` filters and refuses unknown columns itself)."""


def _declared(dependant: Any) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for child in dependant.dependencies:
        names |= _declared(child)
    return names


def reject_unknown_query_params(request: Request) -> None:
    """Router dependency: 400 naming each unknown parameter and listing the allowed ones
    (a malformed request, like a row filter on a column the table has not)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or (getattr(route, "openapi_extra", None) or {}).get(FREE_QUERY):
        return
    allowed = _declared(dependant)
    unknown = sorted({name for name in request.query_params if name not in allowed})
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        offered = ", ".join(sorted(allowed)) or "none"
        raise BadRequest(
            f"unknown query parameter(s) {names}; this route takes: {offered}",
            details={"unknown": unknown, "allowed": sorted(allowed)},
        )
