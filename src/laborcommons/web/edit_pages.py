"""Edit a dataset's metadata; publishing rules from the service show up on the form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.catalog.schemas import DatasetPublic, DatasetUpdate
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import BadRequest, InvalidInput
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, editable_dataset
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
LABELS = {
    "title": "Title",
    "description": "Description",
    "data_type": "Data type",
    "methodology": "Methodology",
    "sample_description": "Sample",
    "unit_of_observation": "Unit of observation",
    "period_start": "Period start",
    "period_end": "Period end",
    "coverage": "Coverage (country codes)",
    "keywords": "Keywords",
    "license": "License",
    "access": "Access level",
    "contact": "Contact",
    "source": "Source",
    "citation": "How to cite",
}


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class DatasetForm(BaseModel):
    """The form as sent: plain text fields, turned into a ``DatasetUpdate`` on submit."""

    title: str = ""
    description: str = ""
    data_type: str = ""
    methodology: str = ""
    sample_description: str = ""
    unit_of_observation: str = ""
    period_start: str = ""
    period_end: str = ""
    coverage: str = ""
    keywords: str = ""
    license: str = ""
    access: str = ""
    contact: str = ""
    source: str = ""
    citation: str = ""

    @classmethod
    def from_public(cls, dataset: DatasetPublic) -> DatasetForm:
        values = dataset.model_dump(include=set(LABELS) - {"license"})
        values.update(
            coverage=", ".join(dataset.coverage),
            keywords=", ".join(dataset.keywords),
            license=dataset.license.id if dataset.license else "",
            period_start=dataset.period_start.isoformat() if dataset.period_start else "",
            period_end=dataset.period_end.isoformat() if dataset.period_end else "",
        )
        return cls.model_validate(values)

    def to_update(self) -> DatasetUpdate:
        """Raises ``ValidationError`` for values the schema refuses (bad country, date...)."""
        values: dict[str, object] = {k: v.strip() for k, v in self.model_dump().items()}
        for optional in ("data_type", "access", "license", "period_start", "period_end"):
            values[optional] = values[optional] or None
        values.update(coverage=split_list(self.coverage), keywords=split_list(self.keywords))
        return DatasetUpdate.model_validate(values)


def validation_messages(error: ValidationError) -> dict[str, str]:
    messages: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        messages.setdefault(field, problem["msg"].removeprefix("Value error, "))
    return messages


def edit_page(
    request: Request, dataset: DatasetPublic, form: DatasetForm, errors: dict[str, str],
    *, reader: Reader,
) -> Response:  # fmt: skip
    context = {"dataset": dataset, "form": form, "errors": errors, "labels": LABELS}
    status = 422 if errors else 200
    return render(request, "edit.html", context, reader=reader, status=status)


@router.get("/datasets/{slug}/edit")
def edit_form(request: Request, slug: str, reader: PageReaderDep, session: SessionDep) -> Response:
    found = editable_dataset(slug, reader=reader, session=session)
    public = service.dataset_public(found, reader=reader)
    return edit_page(request, public, DatasetForm.from_public(public), {}, reader=reader)


@router.post("/datasets/{slug}/edit")
def edit(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    form: Annotated[DatasetForm, Form()],
) -> Response:
    found = editable_dataset(slug, reader=reader, session=session)
    public = service.dataset_public(found, reader=reader)  # a snapshot for re-rendering
    try:
        service.update_dataset(slug, form.to_update(), reader=reader, session=session)
    except ValidationError as error:
        return edit_page(request, public, form, validation_messages(error), reader=reader)
    except (BadRequest, InvalidInput) as error:
        discard_changes(session)
        details = error.details if isinstance(error.details, dict) else {}
        field = str(details.get("field", ""))
        return edit_page(request, public, form, {field: error.message}, reader=reader)
    add_flash(request, "Metadata saved.")
    return RedirectResponse(f"/datasets/{slug}", status_code=303)
