"""The one rule for ``next`` links: a next page exists while earlier pages hold fewer
items than the total, and its link is this query with the page number moved on.

On the API the same link goes in the body's ``next`` and in a ``Link: <…>; rel="next"``
header (RFC 8288), which generic HTTP clients follow without knowing the body's shape:
``next_url`` records it on the request and ``api.http.NextLink`` writes the header."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

NEXT_LINK = "laborcommons.next_link"  # the request state key next_url records its link under


def next_page(page: int, page_size: int, total: int) -> int | None:
    """The number of the page after ``page``, or None when ``page`` is the last."""
    return page + 1 if page * page_size < total else None


def query_string(params: dict[str, Any]) -> str:
    """``?a=1&b=2`` from the non-empty values, or "" when there are none."""
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return "?" + urlencode(kept) if kept else ""


def next_url(
    request: Request, *, page: int, page_size: int, total: int, key: str = "page"
) -> str | None:
    """API: the request's own URL (all its filters kept) asking for the next page, also
    recorded for the ``Link`` header."""
    number = next_page(page, page_size, total)
    if number is None:
        return None
    return record_next(request, str(request.url.include_query_params(**{key: number})))


def record_next(request: Request, url: str | None) -> str | None:
    """Keep ``url`` (a page's ``next``, built here or by a cursor feed) for the ``Link``
    header; return it for the body."""
    if url is not None:
        request.scope.setdefault("state", {})[NEXT_LINK] = url
    return url


def link_header(url: str) -> str:
    """The ``Link`` header value naming ``url`` as the next page."""
    return f'<{url}>; rel="next"'


def next_query(
    params: dict[str, Any], *, page: int, page_size: int, total: int, key: str = "page"
) -> str | None:
    """Web: a relative ``?…`` link to the next page, keeping the non-empty filters."""
    number = next_page(page, page_size, total)
    return None if number is None else query_string({**params, key: number})


def previous_query(params: dict[str, Any], *, page: int, key: str = "page") -> str | None:
    """Web: a relative link to the page before, or None on the first page."""
    return query_string({**params, key: page - 1}) if page > 1 else None
