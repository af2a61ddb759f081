"""The harvested page: datasets listed by other catalogs, each marked and linked to its origin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from laborcommons.access.deps import PageReaderDep
from laborcommons.core.deps import SessionDep
from laborcommons.core.pagination import next_query, previous_query, query_string
from laborcommons.harvest import list_remote_datasets
from laborcommons.web.rendering import render

router = APIRouter()
PAGE_SIZE = 20


@router.get("/harvested")
def harvested(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    result = list_remote_datasets(session=session, q=q or None, page=page, page_size=PAGE_SIZE)
    filters = {"q": q}
    context = {
        "result": result,
        "filters": filters,
        "previous": previous_query(filters, page=page),
        "next": next_query(filters, page=page, page_size=PAGE_SIZE, total=result.total),
    }
    api = "/api/v1/harvest/remote-datasets" + query_string(
        {**filters, "page": page if page > 1 else ""}
    )
    return render(request, "harvested.html", context, reader=reader, alternate=api)
