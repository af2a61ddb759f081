"""HTTP routes of harvesting: node admins manage and run sources; anyone lists entries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from laborcommons.access.deps import ReaderDep
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.pagination import next_url
from laborcommons.harvest import service
from laborcommons.harvest.schemas import (
    RemoteDatasetPage,
    RunResult,
    SourceCreate,
    SourceList,
    SourcePublic,
)

router = APIRouter(prefix="/harvest", tags=["harvest"])
MAX_PAGE = 100_000


@router.get("/sources", summary="Harvest sources and their last run (node admins)")
def list_sources(reader: ReaderDep, session: SessionDep) -> SourceList:
    return service.list_sources(reader=reader, session=session)


@router.post("/sources", status_code=201, summary="Add a catalog to harvest (node admins)")
def add_source(data: SourceCreate, reader: ReaderDep, session: SessionDep) -> SourcePublic:
    return service.add_source(data, reader=reader, session=session)


@router.delete(
    "/sources/{slug}", status_code=204, summary="Remove a source and its entries (node admins)"
)
def remove_source(slug: str, reader: ReaderDep, session: SessionDep) -> Response:
    service.remove_source(slug, reader=reader, session=session)
    return Response(status_code=204)


@router.post("/sources/{slug}/run", summary="Harvest a source now (node admins)")
def run_source(slug: str, reader: ReaderDep, node: NodeDep) -> RunResult:
    return service.run_source(slug, reader=reader, sessions=node.sessions)


@router.get("/remote-datasets", summary="Datasets harvested from other catalogs")
def list_remote_datasets(
    request: Request,
    session: SessionDep,
    q: Annotated[
        str | None, Query(max_length=200, description="in title, description or organization")
    ] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> RemoteDatasetPage:
    result = service.list_remote_datasets(session=session, q=q, page=page, page_size=page_size)
    result.next = next_url(request, page=page, page_size=page_size, total=result.total)
    return result
