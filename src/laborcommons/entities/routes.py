"""HTTP routes of entities: parse, call one service, return its schema.

Static paths (``/entities/changes``, ``/entities/export``, ...) are declared before
``/entities/{lcid}`` so they are never taken for an lcid.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from laborcommons.access import Reader
from laborcommons.access.deps import ReaderDep, TokenOrSessionReaderDep
from laborcommons.catalog.responses import keep_out_of_shared_caches
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import LaborCommonsError
from laborcommons.core.node import Node
from laborcommons.core.pagination import next_url, record_next
from laborcommons.entities import service
from laborcommons.entities.schemas import (
    MAX_WORKERS,
    BulkReview,
    BulkReviewResult,
    CandidatePage,
    CandidatePublic,
    ChangesPage,
    EntityCreate,
    EntityPage,
    EntityPublic,
    EntityUpdate,
    EventPublic,
    IdentifierIn,
    Kind,
    LinkJobCreate,
    LinkJobPublic,
    MappingSuggestion,
    MergeRequest,
    PlaceCollection,
    RelationCreate,
    RelationPage,
    RelationPublic,
    ReviewDecision,
    SplitRequest,
    SplitResult,
)
from laborcommons.entities.service.relations import relations_of

router = APIRouter(tags=["entities"])
log = logging.getLogger(__name__)
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=500)]


def search_filters(
    q: Annotated[str | None, Query(max_length=500)] = None,
    country: Annotated[
        list[str] | None, Query(max_length=50, description="repeat for several: any of them")
    ] = None,
    kind: Kind | None = None,
    sector: Annotated[list[str] | None, Query(max_length=50, description="repeatable")] = None,
    workers_min: Annotated[int | None, Query(ge=0, le=MAX_WORKERS)] = None,
    workers_max: Annotated[int | None, Query(ge=0, le=MAX_WORKERS)] = None,
    bbox: Annotated[
        str | None, Query(max_length=200, description="min_lon,min_lat,max_lon,max_lat")
    ] = None,
    os_id: Annotated[
        str | None, Query(max_length=60, description="Open Supply Hub ID; spaces, hyphens ok")
    ] = None,
    scheme: Annotated[str | None, Query(max_length=60)] = None,
    identifier: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """The search's filters, shared by the result list and its map."""
    return {
        "q": q,
        "country": country,
        "kind": kind,
        "sector": sector or (),
        "workers_min": workers_min,
        "workers_max": workers_max,
        "bbox": bbox,
        "os_id": os_id,
        "scheme": scheme,
        "identifier": identifier,
    }


SearchFilters = Annotated[dict[str, Any], Depends(search_filters)]
GEOJSON = "application/geo+json"


# A page's map fetches its points with the session cookie; programs send a token.
GEOJSON_ROUTE: dict[str, Any] = {
    "response_model": PlaceCollection,
    "response_class": Response,
    "responses": {200: {"content": {GEOJSON: {}}}},
}
"""A map's points: served as ``application/geo+json``, documented as a PlaceCollection."""


def geojson(places: PlaceCollection) -> Response:
    return Response(places.model_dump_json(), media_type=GEOJSON)


@router.get("/entities", summary="Search facilities, companies and brands")
def search_entities(
    request: Request,
    reader: ReaderDep,
    session: SessionDep,
    filters: SearchFilters,
    page: Page = 1,
    page_size: PageSize = 50,
) -> EntityPage:
    result = service.search_entities(
        **filters, page=page, page_size=page_size, reader=reader, session=session
    )
    result.next = next_url(request, page=page, page_size=page_size, total=result.total)
    return result


@router.get(
    "/entities.geojson",
    summary="Points of an entity search, as GeoJSON (at most 10,000)",
    **GEOJSON_ROUTE,
)
def search_places(
    reader: TokenOrSessionReaderDep, session: SessionDep, filters: SearchFilters
) -> Response:
    return geojson(service.search_places(**filters, reader=reader, session=session))


@router.post("/entities", status_code=201, summary="Create an entity")
def create_entity(data: EntityCreate, reader: ReaderDep, session: SessionDep) -> EntityPublic:
    entity = service.create_entity(data, actor=reader, session=session)
    return service.entity_public(entity, reader=reader, session=session)


@router.get("/entities/changes", summary="Change feed: entity events after an event id")
def changes(
    request: Request,
    reader: ReaderDep,
    session: SessionDep,
    since: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ChangesPage:
    result = service.changes_since(since, limit=limit, reader=reader, session=session)
    record_next(request, result.next)
    return result


@router.get(
    "/entities/export",
    summary="Export entities and relations as CSV, JSON or GeoJSON",
    response_class=Response,
)
def export(
    reader: ReaderDep,
    session: SessionDep,
    format: str = "json",
    kind: Kind | None = None,
    what: str = "entities",
) -> Response:
    media_type, body = service.export_entities(
        format, reader=reader, session=session, kind=kind, what=what
    )
    filename = f"entities.{format}" if what == "entities" else f"relations.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/entities/mapping-suggestions", summary="Suggest a column mapping for linking")
def mapping_suggestions(
    reader: ReaderDep,
    session: SessionDep,
    dataset: Annotated[str, Query(max_length=100)],
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> MappingSuggestion:
    return service.suggest_mapping(dataset, version, reader=reader, session=session)


@router.get(
    "/datasets/{slug}/versions/{number}/facilities.geojson",
    summary="Entities a version's rows are linked to, as GeoJSON (readers of the rows)",
    tags=["versions"],
    **GEOJSON_ROUTE,
)
def version_places(
    slug: str,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    reader: TokenOrSessionReaderDep,
    session: SessionDep,
) -> Response:
    response = geojson(service.version_places(slug, number, reader=reader, session=session))
    response.headers["Cache-Control"] = "private, no-store"  # links depend on the reader
    response.headers["Vary"] = "Authorization, Cookie"
    return response


def _run_job(job_id: int, reader: Reader, node: Node) -> None:
    """After the response: the job records its own failure, so nothing is raised here."""
    try:
        service.execute_link_job(job_id, reader=reader, node=node)
    except LaborCommonsError as error:
        log.info("link job %s failed: %s", job_id, error.message)
    except Exception:
        log.exception("link job %s failed", job_id)


@router.post(
    "/entities/link-jobs", status_code=202, summary="Link a dataset version's rows to entities"
)
def create_link_job(
    data: LinkJobCreate,
    reader: ReaderDep,
    node: NodeDep,
    session: SessionDep,
    background: BackgroundTasks,
) -> LinkJobPublic:
    job = service.create_link_job(data, reader=reader, session=session)
    background.add_task(_run_job, job.id, reader, node)
    return service.get_link_job(job.id, reader=reader, session=session)


@router.get("/entities/link-jobs/{job_id}", summary="Progress and result of a link job")
def get_link_job(
    job_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    reader: ReaderDep,
    session: SessionDep,
    response: Response,
) -> LinkJobPublic:
    job = service.get_link_job(job_id, reader=reader, session=session)
    keep_out_of_shared_caches(response, job.access)
    return job


@router.get("/entities/review", summary="Review queue: candidate pairs to decide")
def review_queue(
    request: Request,
    reader: ReaderDep,
    session: SessionDep,
    status: Annotated[str, Query(pattern="^(open|accepted|rejected|all)$")] = "open",
    dataset: Annotated[str | None, Query(max_length=100)] = None,
    job: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> CandidatePage:
    result = service.list_candidates(
        reader=reader,
        session=session,
        status=status,
        dataset=dataset,
        job_id=job,
        page=page,
        page_size=page_size,
    )
    result.next = next_url(request, page=page, page_size=page_size, total=result.total)
    return result


@router.post("/entities/review/bulk", summary="Accept or reject several candidates at once")
def review_bulk(data: BulkReview, reader: ReaderDep, session: SessionDep) -> BulkReviewResult:
    return service.bulk_review(data, reader=reader, session=session)


@router.post("/entities/review/{candidate_id}/accept", summary="Accept a review candidate")
def accept(
    candidate_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    reader: ReaderDep,
    session: SessionDep,
    data: ReviewDecision | None = None,
) -> CandidatePublic:
    reason = data.reason if data else ""
    return service.accept_candidate(candidate_id, reason=reason, reader=reader, session=session)


@router.post("/entities/review/{candidate_id}/reject", summary="Reject a review candidate")
def reject(
    candidate_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    reader: ReaderDep,
    session: SessionDep,
    data: ReviewDecision | None = None,
) -> CandidatePublic:
    reason = data.reason if data else ""
    return service.reject_candidate(candidate_id, reason=reason, reader=reader, session=session)


@router.post("/entities/relations", status_code=201, summary="Relate two entities")
def add_relation(
    data: RelationCreate, reader: ReaderDep, session: SessionDep
) -> list[RelationPublic]:
    relation = service.add_relation(data, actor=reader, session=session)
    return relations_of([relation.subject_id], reader=reader, session=session)


@router.get(
    "/entities/{lcid}",
    summary="One entity: aliases, identifiers, relations, datasets that mention it",
    responses={301: {"description": "the lcid is an alias: the canonical entity"}},
    response_model=EntityPublic,
)
def get_entity(
    request: Request,
    lcid: str,
    reader: ReaderDep,
    session: SessionDep,
    relations_page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    named, canonical = service.resolve_entity(lcid, session=session)
    service.require_visible(canonical, reader=reader, session=session)  # 404 before a 301
    if named.id != canonical.id or named.lcid != lcid:
        target = request.url.replace(path=request.url.path.rsplit("/", 1)[0] + "/" + canonical.lcid)
        return RedirectResponse(str(target), status_code=301)
    public = service.entity_public(
        canonical, reader=reader, session=session, relations_page=relations_page
    )
    public.relations_next = next_url(
        request,
        page=relations_page,
        page_size=service.RELATIONS_PAGE_SIZE,
        total=public.relations_total,
        key="relations_page",
    )
    return Response(public.model_dump_json(), media_type="application/json")


@router.get(
    "/entities/{lcid}/places.geojson",
    summary="An entity and the entities it is related to (a brand's suppliers), as GeoJSON",
    **GEOJSON_ROUTE,
)
def related_places(lcid: str, reader: TokenOrSessionReaderDep, session: SessionDep) -> Response:
    _, canonical = service.resolve_entity(lcid, session=session)
    return geojson(service.related_places(canonical, reader=reader, session=session))


@router.get("/entities/{lcid}/relations", summary="An entity's relations, a page at a time")
def relations(
    request: Request,
    lcid: str,
    reader: ReaderDep,
    session: SessionDep,
    page: Page = 1,
    page_size: PageSize = 50,
) -> RelationPage:
    _, canonical = service.resolve_entity(lcid, session=session)
    service.require_visible(canonical, reader=reader, session=session)
    ids = service.alias_ids(canonical, session=session)
    result = service.relations_page(
        ids, page=page, page_size=page_size, reader=reader, session=session
    )
    result.next = next_url(request, page=page, page_size=page_size, total=result.total)
    return result


@router.patch("/entities/{lcid}", summary="Change an entity's fields")
def update_entity(
    lcid: str, data: EntityUpdate, reader: ReaderDep, session: SessionDep
) -> EntityPublic:
    entity = service.update_entity(lcid, data, actor=reader, session=session)
    return service.entity_public(entity, reader=reader, session=session)


@router.get("/entities/{lcid}/history", summary="Every change to an entity")
def history(lcid: str, reader: ReaderDep, session: SessionDep) -> list[EventPublic]:
    named, _ = service.resolve_entity(lcid, session=session)
    return service.entity_history(named, reader=reader, session=session)


@router.post(
    "/entities/{lcid}/identifiers", status_code=201, summary="Add an identifier to an entity"
)
def add_identifier(
    lcid: str, data: IdentifierIn, reader: ReaderDep, session: SessionDep
) -> EntityPublic:
    entity = service.add_entity_identifier(lcid, data, actor=reader, session=session)
    return service.entity_public(entity, reader=reader, session=session)


@router.post("/entities/{lcid}/merge", summary="Merge an entity into another (lcid → alias)")
def merge(lcid: str, data: MergeRequest, reader: ReaderDep, session: SessionDep) -> EntityPublic:
    entity = service.merge_entities(lcid, data, actor=reader, session=session)
    return service.entity_public(entity, reader=reader, session=session)


@router.post("/entities/{lcid}/split", status_code=201, summary="Split an entity into new entities")
def split(lcid: str, data: SplitRequest, reader: ReaderDep, session: SessionDep) -> SplitResult:
    return service.split_entity(lcid, data, actor=reader, session=session)
