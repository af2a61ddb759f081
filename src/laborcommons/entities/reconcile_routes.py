"""The W3C Reconciliation Service API (v0.2) over entities, as OpenRefine calls it.

``GET /reconcile`` is the manifest, a batch when ``queries`` is given, or a data extension
when ``extend`` is; ``POST`` takes either as a form field (what OpenRefine sends) or as a
JSON body. A ``callback`` parameter wraps a GET answer as JSONP, which older OpenRefine
versions use.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.access.deps import ReaderDep
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import BadRequest, InvalidInput, UnsupportedMediaType
from laborcommons.entities import reconcile, reconcile_extend, reconcile_suggest

router = APIRouter(prefix="/reconcile", tags=["reconciliation"])
CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
Callback = Annotated[str | None, Query(description="JSONP: wrap the answer in this function")]
Queries = Annotated[str | None, Query(description="A JSON batch of reconciliation queries")]
Extend = Annotated[str | None, Query(description="A JSON data extension query (ids, properties)")]


def _answer(body: Any, callback: str | None) -> Response:
    if callback is None:
        return JSONResponse(body)
    if not CALLBACK.match(callback) or len(callback) > 100:
        raise BadRequest("callback: must be a JavaScript identifier such as jsonp123")
    text = json.dumps(body, ensure_ascii=False)
    return Response(f"/**/{callback}({text});", media_type="application/javascript")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("", summary="Reconciliation manifest, a batch of queries, or a data extension")
def manifest_or_batch(
    request: Request,
    reader: ReaderDep,
    session: SessionDep,
    queries: Queries = None,
    extend: Extend = None,
    callback: Callback = None,
) -> Response:
    if queries is not None and extend is not None:
        raise BadRequest("give either queries or extend, not both")
    if extend is not None:
        return _answer(_extend(extend, reader=reader, session=session), callback)
    if queries is None:
        return _answer(reconcile.service_manifest(_base(request)), callback)
    return _answer(_batch(queries, reader=reader, session=session), callback)


@router.post("", summary="Reconcile a batch (`queries`) or extend entities (`extend`)")
async def batch(request: Request, reader: ReaderDep, session: SessionDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields: dict[str, str | bytes]
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        form = await request.form()
        fields = {k: v for k in ("queries", "extend") if isinstance(v := form.get(k), str)}
        if not fields:
            raise InvalidInput("queries: the form field is missing (or send extend)")
    elif content_type == "application/json":
        body = await request.body()
        fields = _unwrap(body) or {"queries": body}
    else:
        raise UnsupportedMediaType("send queries as a form field or as application/json")
    if len(fields) > 1:
        raise BadRequest("give either queries or extend, not both")
    if "extend" in fields:
        return JSONResponse(_extend(fields["extend"], reader=reader, session=session))
    return JSONResponse(_batch(fields["queries"], reader=reader, session=session))


def _unwrap(raw: bytes) -> dict[str, str | bytes] | None:
    """A JSON body ``{"queries": "<json>"}`` or ``{"queries": {...}}`` (likewise
    ``extend``) holds the request; any other JSON body is the batch itself."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and data and set(data) <= {"queries", "extend"}:
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}
    return None


def _batch(raw: str | bytes, *, reader: Reader, session: Session) -> dict[str, Any]:
    results = reconcile.reconcile_batch(reconcile.parse_batch(raw), reader=reader, session=session)
    return {key: value.model_dump(exclude_none=True) for key, value in results.items()}


def _extend(raw: str | bytes, *, reader: Reader, session: Session) -> dict[str, Any]:
    query = reconcile_extend.parse_extend(raw)
    return reconcile_extend.extend(query, reader=reader, session=session)


@router.get("/propose_properties", summary="Properties data extension can add as columns")
def propose_properties(
    type: str,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
    callback: Callback = None,
) -> Response:
    return _answer(reconcile_extend.propose_properties(type, limit=limit), callback)


@router.get("/preview", summary="HTML preview of an entity", response_class=HTMLResponse)
def preview(request: Request, reader: ReaderDep, session: SessionDep, id: str) -> HTMLResponse:
    html = reconcile_suggest.preview_html(
        id, base_url=_base(request), reader=reader, session=session
    )
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
    found = reconcile_suggest.suggest_entities(
        prefix, kind=type, cursor=cursor, reader=reader, session=session
    )
    return _answer(found, callback)


@router.get("/suggest/type", summary="Suggest entity types")
def suggest_type(prefix: str = "", callback: Callback = None) -> Response:
    return _answer(reconcile_suggest.suggest_types(prefix), callback)


@router.get("/suggest/property", summary="Suggest properties a query may use")
def suggest_property(prefix: str = "", callback: Callback = None) -> Response:
    return _answer(reconcile_suggest.suggest_properties(prefix), callback)
