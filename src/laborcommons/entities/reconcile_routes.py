"""The W3C Reconciliation Service API (v0.2) over entities, as OpenRefine calls it.

``GET /reconcile`` is the manifest, or a batch when ``queries`` is given; ``POST`` takes the
batch as the ``queries`` form field (what OpenRefine sends) or as a JSON body. A
``callback`` parameter wraps a GET answer as JSONP, which older OpenRefine versions use.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from laborcommons.access.deps import ReaderDep
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import BadRequest, InvalidInput, UnsupportedMediaType
from laborcommons.entities import reconcile

router = APIRouter(prefix="/reconcile", tags=["reconciliation"])
CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
Callback = Annotated[str | None, Query(description="JSONP: wrap the answer in this function")]
Queries = Annotated[str | None, Query(description="A JSON batch of reconciliation queries")]


def _answer(body: Any, callback: str | None) -> Response:
    if callback is None:
        return JSONResponse(body)
    if not CALLBACK.match(callback) or len(callback) > 100:
        raise BadRequest("callback: must be a JavaScript identifier such as jsonp123")
    text = json.dumps(body, ensure_ascii=False)
    return Response(f"/**/{callback}({text});", media_type="application/javascript")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("", summary="Reconciliation service manifest, or a batch of queries")
def manifest_or_batch(
    request: Request,
    reader: ReaderDep,
    session: SessionDep,
    queries: Queries = None,
    callback: Callback = None,
) -> Response:
    if queries is None:
        return _answer(reconcile.service_manifest(_base(request)), callback)
    batch = reconcile.parse_batch(queries)
    return _answer(
        _dump(reconcile.reconcile_batch(batch, reader=reader, session=session)), callback
    )


@router.post("", summary="Reconcile a batch of queries (form field `queries` or JSON)")
async def batch(request: Request, reader: ReaderDep, session: SessionDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw: str | bytes
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        field = (await request.form()).get("queries")
        if not isinstance(field, str):
            raise InvalidInput("queries: the form field is missing")
        raw = field
    elif content_type == "application/json":
        body = await request.body()
        raw = _unwrap(body) or body
    else:
        raise UnsupportedMediaType("send queries as a form field or as application/json")
    parsed = reconcile.parse_batch(raw)
    return JSONResponse(_dump(reconcile.reconcile_batch(parsed, reader=reader, session=session)))


def _unwrap(raw: bytes) -> str | None:
    """A JSON body ``{"queries": "<json>"}`` or ``{"queries": {...}}`` holds the batch."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and set(data) == {"queries"}:
        inner = data["queries"]
        return inner if isinstance(inner, str) else json.dumps(inner)
    return None


def _dump(results: dict[str, dict[str, list[reconcile.Candidate]]]) -> dict[str, Any]:
    return {
        key: {"result": [c.model_dump() for c in value["result"]]} for key, value in results.items()
    }


@router.get("/preview", summary="HTML preview of an entity", response_class=HTMLResponse)
def preview(request: Request, reader: ReaderDep, session: SessionDep, id: str) -> HTMLResponse:
    html = reconcile.preview_html(id, base_url=_base(request), reader=reader, session=session)
    return HTMLResponse(html)


@router.get("/suggest/entity", summary="Suggest entities by name prefix")
def suggest_entity(
    reader: ReaderDep,
    session: SessionDep,
    prefix: str = "",
    type: str | None = None,
    cursor: Annotated[int, Query(ge=0, le=10_000)] = 0,
    callback: Callback = None,
) -> Response:
    found = reconcile.suggest_entities(
        prefix, kind=type, cursor=cursor, reader=reader, session=session
    )
    return _answer(found, callback)


@router.get("/suggest/type", summary="Suggest entity types")
def suggest_type(prefix: str = "", callback: Callback = None) -> Response:
    return _answer(reconcile.suggest_types(prefix), callback)


@router.get("/suggest/property", summary="Suggest properties a query may use")
def suggest_property(prefix: str = "", callback: Callback = None) -> Response:
    return _answer(reconcile.suggest_properties(prefix), callback)
