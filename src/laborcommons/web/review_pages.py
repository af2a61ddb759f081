"""The review queue: candidate pairs side by side, accepted or rejected one by one or in bulk.

Only editors and owners of the dataset's organization (or the node admin) see and decide a
dataset's candidates; the entities service decides who that is and records every decision.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.core.deps import DbId, SessionDep
from laborcommons.core.errors import NotAuthenticated, NotFound
from laborcommons.core.pagination import next_query, previous_query
from laborcommons.entities import service as entities
from laborcommons.entities.schemas import BulkReview, CandidatePublic
from laborcommons.web.auth import local_path
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.rendering import add_flash, query_string, render

router = APIRouter()
PAGE_SIZE = 20
STATUSES = {"open": "Open", "accepted": "Accepted", "rejected": "Rejected"}
FIELD_LABELS = {"name": "Name", "address": "Address", "city": "City",
                "postal_code": "Postal code", "country": "Country"}  # fmt: skip


def _signed_in(reader: Reader) -> None:
    if reader.is_anonymous:
        raise NotAuthenticated("Sign in to review match candidates.")


def comparison_rows(item: CandidatePublic) -> list[dict[str, str]]:
    """Field by field: this row's value, the entity's, and how much the field weighed."""
    rows = []
    fields = [f for f in FIELD_LABELS if f in item.comparison or item.record.get(f)]
    fields += sorted(f for f in item.comparison if f not in FIELD_LABELS)
    entity = item.entity.model_dump()
    for field in fields:
        found: dict[str, Any] = item.comparison.get(field) or {}
        weight = found.get("weight")
        agreement = str(found.get("level", ""))
        if isinstance(weight, int | float):
            agreement = f"{agreement} (weight {weight:+.1f})".strip()
        rows.append(
            {
                "label": FIELD_LABELS.get(field, field.replace("_", " ").capitalize()),
                "row": str(found.get("new") or item.record.get(field) or ""),
                "entity": str(found.get("existing") or entity.get(field) or ""),
                "agreement": agreement,
            }
        )
    return rows


@router.get("/review")
def review_queue(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    status: str = "open",
    dataset: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    _signed_in(reader)
    status = status if status in STATUSES else ""
    filters = {"status": status, "dataset": dataset.strip()}
    result = entities.list_candidates(
        reader=reader,
        session=session,
        status=status or "all",
        dataset=filters["dataset"] or None,
        page=page,
        page_size=PAGE_SIZE,
    )
    context = {
        "result": result,
        "filters": filters,
        "STATUS_OPTIONS": list(STATUSES.items()),
        "comparison_rows": comparison_rows,
        "open_count": sum(1 for item in result.items if item.status == "open"),
        "here": str(request.url.path) + query_string({**filters, "page": page}),
        "previous": previous_query(filters, page=page),
        "next": next_query(filters, page=page, page_size=PAGE_SIZE, total=result.total),
    }
    api = "/api/v1/entities/review" + query_string(filters)
    return render(request, "review.html", context, reader=reader, alternate=api)


@router.post("/review/bulk")
def decide_many(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form()] = "/review",
) -> Response:
    _signed_in(reader)
    if not ids:
        add_flash(request, "Select at least one candidate first.")
        return RedirectResponse(local_path(next), status_code=303)
    if action not in {"accept", "reject"}:
        raise NotFound(f"no review action {action!r}")
    data = BulkReview.model_validate({"ids": ids, "action": action, "reason": reason})
    decided = entities.bulk_review(data, reader=reader, session=session)
    verb = "Accepted" if data.action == "accept" else "Rejected"
    add_flash(request, f"{verb} {len(decided.decided)} candidate(s).")
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/review/{candidate_id}/{action}")
def decide_one(
    request: Request,
    candidate_id: DbId,
    action: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    reason: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form()] = "/review",
) -> Response:
    _signed_in(reader)
    if action not in {"accept", "reject"}:
        raise NotFound(f"no review action {action!r}")
    decide = entities.accept_candidate if action == "accept" else entities.reject_candidate
    item = decide(candidate_id, reason=reason, reader=reader, session=session)
    verb = "Accepted" if action == "accept" else "Rejected"
    add_flash(request, f"{verb}: row {item.row} of {item.dataset} and {item.entity.name}.")
    return RedirectResponse(local_path(next), status_code=303)
