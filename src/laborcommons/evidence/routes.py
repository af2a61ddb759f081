"""HTTP routes of evidence: metrics, mappings, answers, an entity's evidence, deviations.

Answers are values from rows, assembled per reader from the sources they may see, so every
response that carries one is kept out of shared caches.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from laborcommons.access.deps import ReaderDep
from laborcommons.catalog.responses import keep_out_of_shared_caches
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.pagination import next_url
from laborcommons.evidence import service
from laborcommons.evidence.exports import deviations_csv
from laborcommons.evidence.schemas import (
    AnswerPage,
    AttachmentPublic,
    MappingCreate,
    MappingResult,
    Method,
    MetricCreate,
    MetricPublic,
    Status,
    Triangulation,
    VerificationIn,
    VerifiedAnswer,
    VersionMappings,
)
from laborcommons.evidence.vocabulary import serialize

router = APIRouter(tags=["evidence"])
VocabularyFormat = Literal["json", "ttl", "jsonld"]
Period = Annotated[str | None, Query(pattern=r"^[0-9]{4}(-[0-9]{2})?$")]
PER_READER = "internal"  # evidence is assembled per reader: never in a shared cache


def _per_reader(response: Response) -> None:
    keep_out_of_shared_caches(response, PER_READER)


@router.get("/metrics", summary="The metrics vocabulary (json, SKOS as ttl or jsonld)")
def list_metrics(
    request: Request, session: SessionDep, format: VocabularyFormat = "json"
) -> Response:
    metrics = service.list_metrics(session=session)
    if format == "json":
        body = "[" + ",".join(m.model_dump_json() for m in metrics) + "]"
        return Response(body, media_type="application/json")
    text, media_type = serialize(metrics, format, base_url=str(request.base_url))
    return Response(text, media_type=media_type)


@router.post("/metrics", status_code=201, summary="Add a metric to this node's vocabulary")
def create_metric(data: MetricCreate, reader: ReaderDep, session: SessionDep) -> MetricPublic:
    return service.create_metric(data, reader=reader, session=session)


@router.get("/metrics/{key}", summary="One metric (json, or SKOS as ttl or jsonld)")
def get_metric(
    request: Request, key: str, session: SessionDep, format: VocabularyFormat = "json"
) -> Response:
    metric = service.get_metric(key, session=session)
    if format == "json":
        return Response(metric.model_dump_json(), media_type="application/json")
    text, media_type = serialize([metric], format, base_url=str(request.base_url))
    return Response(text, media_type=media_type)


@router.get("/metrics/{key}/answers", summary="A metric's answers, filtered like WikiRate's")
def metric_answers(
    request: Request,
    response: Response,
    key: str,
    reader: ReaderDep,
    session: SessionDep,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    period: Period = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2, e.g. BD")
    ] = None,
    method: Method | None = None,
    verification: Status | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AnswerPage:
    result = service.list_answers(
        key,
        reader=reader,
        session=session,
        entity=entity,
        period=period,
        country=country.upper() if country else None,
        method=method,
        verification=verification,
        page=page,
        page_size=page_size,
    )
    result.next = next_url(request, page=page, page_size=page_size, total=result.total)
    _per_reader(response)
    return result


@router.get(
    "/entities/{lcid}/evidence",
    summary="Every visible source about an entity, per metric and period, triangulated",
)
def entity_evidence(
    lcid: str,
    response: Response,
    reader: ReaderDep,
    session: SessionDep,
    metric: Annotated[str | None, Query(max_length=80)] = None,
) -> list[Triangulation]:
    _per_reader(response)
    return service.entity_evidence(lcid, reader=reader, session=session, metric=metric)


@router.get("/deviations", summary="Where visible sources disagree (json or csv)")
def deviations(
    reader: ReaderDep,
    session: SessionDep,
    metric: Annotated[str | None, Query(max_length=80)] = None,
    dataset: Annotated[str | None, Query(max_length=200)] = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    found = service.deviations(reader=reader, session=session, metric=metric, dataset=dataset)
    if format == "csv":
        response = Response(deviations_csv(found), media_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="deviations.csv"'
    else:
        body = "[" + ",".join(t.model_dump_json() for t in found) + "]"
        response = Response(body, media_type="application/json")
    _per_reader(response)
    return response


@router.post(
    "/answers/{answer_id}/verification",
    summary="Flag or verify an answer (stewards: steward-verified, unverified)",
)
def verify(
    answer_id: int,
    data: VerificationIn,
    response: Response,
    reader: ReaderDep,
    session: SessionDep,
) -> VerifiedAnswer:
    _per_reader(response)
    return service.verify_answer(answer_id, data, reader=reader, session=session)


ATTACHMENTS = "/answers/{answer_id}/attachments"


@router.get(ATTACHMENTS, summary="Files attached to an answer as its evidence")
def list_attachments(
    answer_id: int, response: Response, reader: ReaderDep, session: SessionDep
) -> list[AttachmentPublic]:
    _per_reader(response)
    return service.list_attachments(answer_id, reader=reader, session=session)


@router.post(ATTACHMENTS, status_code=201, summary="Attach a file to an answer (sealed at rest)")
def attach(
    answer_id: int,
    file: Annotated[UploadFile, File(description="the evidence, at most 10 MiB")],
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> AttachmentPublic:
    content = file.file.read(service.MAX_ATTACHMENT_BYTES + 1)
    return service.attach_file(
        answer_id,
        content,
        filename=file.filename,
        comment=comment,
        reader=reader,
        session=session,
        node=node,
    )


@router.get(
    f"{ATTACHMENTS}/{{attachment_id}}",
    summary="Download an attachment (whoever may see the answer)",
    response_class=Response,
)
def download_attachment(
    answer_id: int, attachment_id: int, reader: ReaderDep, session: SessionDep, node: NodeDep
) -> Response:
    name, content, _level = service.attachment_file(
        answer_id, attachment_id, reader=reader, session=session, node=node
    )
    response = Response(content, media_type="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    _per_reader(response)
    return response


MAPPINGS = "/datasets/{slug}/versions/{number}/metric-mappings"


@router.get(MAPPINGS, summary="A version's metric mappings, and suggestions for its columns")
def list_mappings(
    slug: str, number: int, reader: ReaderDep, session: SessionDep
) -> VersionMappings:
    return service.list_mappings(slug, number, reader=reader, session=session)


@router.post(MAPPINGS, summary="Map a column of a linked version to a metric: adds answers")
def create_mapping(
    slug: str,
    number: int,
    data: MappingCreate,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
) -> MappingResult:
    return service.map_column(slug, number, data, reader=reader, session=session, node=node)
