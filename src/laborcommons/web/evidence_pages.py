"""Evidence on the web: an entity's evidence panel, the metrics, their answers, deviations,
and the verification buttons.

Every figure comes from ``evidence.service``, which has already dropped the answers the
reader may not see; the pages only arrange and draw them, so no hidden value can shape a
chart, a consensus or a sentence. Pages carrying answers are assembled per reader and
kept out of shared caches, like the API's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog.responses import keep_out_of_shared_caches
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import InvalidInput
from laborcommons.core.pagination import next_query, previous_query
from laborcommons.evidence import service
from laborcommons.evidence.exports import deviations_csv
from laborcommons.evidence.schemas import MetricPublic, Triangulation, VerificationIn
from laborcommons.web.auth import local_path
from laborcommons.web.charts import Chart, ChartBar
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.evidence_chart import Bar, TimeChart, histogram, time_chart
from laborcommons.web.forms import validation_message
from laborcommons.web.rendering import add_flash, query_string, render

router = APIRouter()
PAGE_SIZE = 50
CHART_LIMIT = 5_000  # answers the distribution is drawn from
PER_READER = "internal"  # evidence is assembled per reader: never in a shared cache
COUNTRY = re.compile(r"^[A-Z]{2}$")
PERIOD = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$")
VERIFY_LABELS = {
    "flagged": "Flag",
    "community-verified": "Community-verify",
    "steward-verified": "Steward-verify",
    "unverified": "Reset to unverified",
}


@dataclass
class MetricEvidence:
    """One metric (and qualifier) of one entity: its periods, side by side, and a chart."""

    metric: MetricPublic
    qualifier: str
    groups: list[Triangulation]
    chart: TimeChart


def _metrics(session: Session) -> dict[str, MetricPublic]:
    return {m.key: m for m in service.list_metrics(session=session)}


def evidence_panel(lcid: str, *, reader: Reader, session: Session) -> list[MetricEvidence]:
    """The entity's triangulations, one block (and chart) per metric and qualifier."""
    metrics = _metrics(session)
    blocks: dict[tuple[str, str], list[Triangulation]] = {}
    for group in service.entity_evidence(lcid, reader=reader, session=session):
        blocks.setdefault((group.metric, group.qualifier), []).append(group)
    return [
        MetricEvidence(metrics[key], qualifier, groups, time_chart(groups, metrics[key]))
        for (key, qualifier), groups in blocks.items()
    ]


def panel_context(lcid: str, *, reader: Reader, session: Session) -> dict[str, Any]:
    return {
        "evidence": evidence_panel(lcid, reader=reader, session=session),
        "VERIFY_LABELS": VERIFY_LABELS,
    }


def per_reader(response: Response) -> Response:
    keep_out_of_shared_caches(response, PER_READER)
    return response


@router.get("/metrics")
def metrics(request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    """The vocabulary: what each metric means, in which unit, compared how closely."""
    context = {"metrics": service.list_metrics(session=session)}
    return render(
        request, "evidence/metrics.html", context, reader=reader, alternate="/api/v1/metrics"
    )


def _answer_filters(country: str, period: str) -> tuple[dict[str, str], str | None]:
    filters = {"country": country.strip().upper(), "period": period.strip()}
    if filters["country"] and not COUNTRY.match(filters["country"]):
        return filters, "Country: give the two-letter code, for example BD."
    if filters["period"] and not PERIOD.match(filters["period"]):
        return filters, "Period: give a year (2024) or a month (2024-06)."
    return filters, None


def distribution_chart(
    bars: list[Bar], metric: MetricPublic, filters: dict[str, str], total: int
) -> Chart | None:
    """The answers' histogram as the shared chart component (the table is its data)."""
    if not bars:
        return None
    categorical = metric.value_type in ("boolean", "category")
    where = f" in {filters['country']}" if filters.get("country") else ""
    when = f", {filters['period']}" if filters.get("period") else ""
    drawn = sum(b.count for b in bars)
    unit = f" ({metric.unit})" if metric.unit and not categorical else ""
    return Chart(
        id="metric-distribution",
        caption=f"Distribution of {metric.title}{where}{when}",
        x_label=("Value" if categorical else "Range") + unit,
        y_label="Answers",
        bars=[ChartBar(b.label, b.count) for b in bars],
        kind="bars" if categorical else "histogram",
        notes=[f"The first {drawn} of {total} answers are drawn."] if drawn < total else [],
    )


@router.get("/metrics/{key}")
def metric(
    request: Request,
    key: str,
    reader: PageReaderDep,
    session: SessionDep,
    country: str = "",
    period: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """A metric's definition and every answer the reader may see, with their distribution."""
    found = service.get_metric(key, session=session)
    filters, error = _answer_filters(country, period)
    items, total = [], 0
    values: list[float | str | None] = []
    if error is None:
        asked: dict[str, Any] = {k: v or None for k, v in filters.items()}
        window = service.list_answers(
            key, reader=reader, session=session, page_size=CHART_LIMIT, **asked
        )
        total, values = window.total, [a.value for a in window.items]
        if page * PAGE_SIZE <= CHART_LIMIT:
            items = window.items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        else:
            items = service.list_answers(
                key, reader=reader, session=session, page=page, page_size=PAGE_SIZE, **asked
            ).items
    context = {
        "metric": found,
        "filters": filters,
        "error": error,
        "answers": items,
        "total": total,
        "chart": distribution_chart(histogram(values, found), found, filters, total),
        "previous": previous_query(filters, page=page),
        "next": next_query(filters, page=page, page_size=PAGE_SIZE, total=total),
    }
    api = f"/api/v1/metrics/{key}/answers" + query_string(
        {**filters, "page": page if page > 1 else ""}
    )
    status = 422 if error else 200
    response = render(
        request, "evidence/metric.html", context, reader=reader, status=status, alternate=api
    )
    return per_reader(response)


@router.get("/deviations")
def deviations(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    metric: Annotated[str, Query(max_length=80)] = "",
    dataset: Annotated[str, Query(max_length=200)] = "",
    format: Literal["html", "csv"] = "html",
) -> Response:
    """Where the sources a reader may see disagree, each group explained; ``format=csv``
    downloads the same groups, as this (signed-in) reader sees them."""
    filters = {"metric": metric.strip(), "dataset": dataset.strip()}
    found = service.deviations(
        reader=reader,
        session=session,
        metric=filters["metric"] or None,
        dataset=filters["dataset"] or None,
    )
    if format == "csv":
        download = Response(deviations_csv(found), media_type="text/csv; charset=utf-8")
        download.headers["Content-Disposition"] = 'attachment; filename="deviations.csv"'
        return per_reader(download)
    metrics = _metrics(session)
    context = {
        "groups": [(group, metrics[group.metric]) for group in found],
        "filters": filters,
        "metric_options": [(m.key, m.title) for m in metrics.values()],
        "csv_url": "/deviations" + query_string({**filters, "format": "csv"}),
    }
    api = "/api/v1/deviations" + query_string(filters)
    return per_reader(
        render(request, "evidence/deviations.html", context, reader=reader, alternate=api)
    )


class VerificationForm(BaseModel):
    status: str = ""
    comment: str = ""
    next: str = ""


@router.post("/answers/{answer_id}/verification")
def verify(
    request: Request,
    answer_id: int,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    form: Annotated[VerificationForm, Form()],
) -> Response:
    """Flag or verify an answer, then back to the page the button was on."""
    try:
        data = VerificationIn.model_validate(form.model_dump(exclude={"next"}))
    except ValidationError as problem:
        raise InvalidInput(validation_message(problem)) from None
    result = service.verify_answer(answer_id, data, reader=reader, session=session)
    add_flash(request, f"The {result.answer.dataset} answer is now {data.status}.")
    back = local_path(form.next)
    if back == "/":
        back = f"/entities/{result.answer.entity}#evidence-heading"
    return RedirectResponse(back, status_code=303)
