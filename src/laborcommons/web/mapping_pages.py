"""Mapping a linked version's column to a metric, on the web: the version's mappings, the
suggestions for its other columns, and the form that adds answers.

The form calls ``evidence.service.map_column``, the API's use case: the same strict
checks, the same counts. A refused form is re-rendered with the message (422) and changes
nothing; a hidden dataset is a 404 like a missing one, before any form is shown.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import BadRequest, Conflict, InvalidInput, NotFound
from laborcommons.evidence import service
from laborcommons.evidence.models import METHODS
from laborcommons.evidence.schemas import MappingCreate, MappingResult, VersionMappings
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, editable_dataset, validation_message
from laborcommons.web.rendering import render

router = APIRouter()
MAPPINGS = "/datasets/{slug}/versions/{number}/metric-mappings"
FORM_ERRORS = (BadRequest, Conflict, InvalidInput, NotFound)
SKIPPED_SHOWN = 10


class MappingForm(BaseModel):
    """The form as sent: text until ``MappingCreate`` (the API's schema) checks it."""

    column: str = ""
    metric: str = ""
    unit: str = ""
    period: str = ""
    period_column: str = ""
    method: str = "other"
    qualifier: str = ""
    kind: str = ""
    rates: str = ""

    @classmethod
    def suggested(cls, mappings: VersionMappings) -> MappingForm:
        """Pre-filled with the best suggestion, when there is one."""
        if not mappings.suggestions:
            return cls()
        best = mappings.suggestions[0]
        return cls(column=best.column, metric=best.metric, unit=best.unit or "")

    def to_mapping(self) -> MappingCreate:
        fields = {name: value.strip() for name, value in self.model_dump().items()}
        kept = {k: v for k, v in fields.items() if v or k == "qualifier"}
        return MappingCreate.model_validate(kept)


def mappings_page(
    request: Request,
    slug: str,
    number: int,
    *,
    reader: Reader,
    session: Session,
    form: MappingForm | None = None,
    result: MappingResult | None = None,
    error: str | None = None,
) -> Response:
    dataset = editable_dataset(slug, reader=reader, session=session)
    mappings = service.list_mappings(slug, number, reader=reader, session=session)
    version = next(v for v in dataset.versions if v.number == mappings.version)
    context: dict[str, Any] = {
        "dataset": dataset,
        "mappings": mappings,
        "columns": [str(c["name"]) for c in version.columns],
        "metrics": service.list_metrics(session=session),
        "methods": METHODS,
        "form": form or MappingForm.suggested(mappings),
        "result": result,
        "skipped": result.skipped[:SKIPPED_SHOWN] if result else [],
        "error": error,
    }
    api = f"/api/v1{MAPPINGS.format(slug=slug, number=number)}"
    status = 422 if error else 200
    return render(
        request, "evidence/mappings.html", context, reader=reader, status=status, alternate=api
    )


@router.get(MAPPINGS)
def mappings(
    request: Request, slug: str, number: int, reader: PageReaderDep, session: SessionDep
) -> Response:
    """The version's mappings, suggestions for its columns, and the mapping form."""
    return mappings_page(request, slug, number, reader=reader, session=session)


@router.post(MAPPINGS)
def create_mapping(
    request: Request,
    slug: str,
    number: int,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    _csrf: CsrfDep,
    form: Annotated[MappingForm, Form()],
) -> Response:
    editable_dataset(slug, reader=reader, session=session)  # 404 hidden, 401, 403 first
    try:
        result = service.map_column(
            slug, number, form.to_mapping(), reader=reader, session=session, node=node
        )
    except ValidationError as problem:
        message = validation_message(problem)
    except FORM_ERRORS as problem:
        discard_changes(session, problem)
        message = problem.message
    else:
        return mappings_page(
            request, slug, number, reader=reader, session=session, form=form, result=result
        )
    return mappings_page(
        request, slug, number, reader=reader, session=session, form=form, error=message
    )
