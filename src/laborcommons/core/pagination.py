"""The one rule for ``next`` links: a next page exists while earlier pages hold fewer
items than the total, and its link is this query with the page number moved on."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import URL


def next_page(page: int, page_size: int, total: int) -> int | None:
    """The number of the page after ``page``, or None when ``page`` is the last."""
    return page + 1 if page * page_size < total else None


def query_string(params: dict[str, Any]) -> str:
    """``?a=1&b=2`` from the non-empty values, or "" when there are none."""
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return "?" + urlencode(kept) if kept else ""


def next_url(url: URL, *, page: int, page_size: int, total: int, key: str = "page") -> str | None:
    """API: the request's own URL (all its filters kept) asking for the next page."""
    number = next_page(page, page_size, total)
    return None if number is None else str(url.include_query_params(**{key: number}))


def next_query(
    params: dict[str, Any], *, page: int, page_size: int, total: int, key: str = "page"
) -> str | None:
    """Web: a relative ``?…`` link to the next page, keeping the non-empty filters."""
    number = next_page(page, page_size, total)
    return None if number is None else query_string({**params, key: number})


def previous_query(params: dict[str, Any], *, page: int, key: str = "page") -> str | None:
    """Web: a relative link to the page before, or None on the first page."""
    return query_string({**params, key: page - 1}) if page > 1 else None
