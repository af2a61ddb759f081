"""Edit a dataset's metadata and data dictionary; publishing rules show up on the form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader, who_sees
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.catalog.models import Dataset
from laborcommons.catalog.schemas import (
    ColumnDescriptionEdit,
    DatasetPublic,
    DatasetUpdate,
)
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import BadRequest, InvalidInput
from laborcommons.ingest import ColumnProfile
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.dictionary_form import (
    FIELDS_PER_COLUMN,
    MAX_COLUMNS,
    ColumnFields,
    SentDictionaryDep,
    dictionary_fields,
    dictionary_update,
)
from laborcommons.web.forms import (
    discard_changes,
    editable_dataset,
    split_list,
    validation_messages,
)
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
    "discoverable": "Discoverable",
    "contact": "Contact",
    "source": "Source",
    "citation": "How to cite",
}
FORM_LABELS = {**LABELS, "data_dictionary": "Data dictionary"}
# Starlette's default of 1,000 form fields would refuse a dataset of some 250 columns.
MAX_FIELDS = len(LABELS) + 1 + FIELDS_PER_COLUMN * MAX_COLUMNS


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
    discoverable: str = ""  # "yes" or "no" (radio buttons); empty leaves it unchanged
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
            discoverable="yes" if dataset.discoverable else "no",
        )
        return cls.model_validate(values)

    def to_update(self, dictionary: dict[str, ColumnDescriptionEdit] | None) -> DatasetUpdate:
        """Raises ``ValidationError`` for values the schema refuses (bad country, date...).

        The dictionary rides in the same update, so metadata and dictionary are saved
        together or not at all.
        """
        values: dict[str, object] = {k: v.strip() for k, v in self.model_dump().items()}
        for optional in ("data_type", "access", "license", "period_start", "period_end"):
            values[optional] = values[optional] or None
        values.update(coverage=split_list(self.coverage), keywords=split_list(self.keywords))
        if values["discoverable"] in {"yes", "no"}:
            values["discoverable"] = values["discoverable"] == "yes"
        elif not values["discoverable"]:
            del values["discoverable"]
        if dictionary is not None:
            values["data_dictionary"] = dictionary
        return DatasetUpdate.model_validate(values)


def latest_columns(dataset: Dataset, *, reader: Reader) -> list[ColumnProfile]:
    """The columns the dictionary describes: those of the latest version, if there is one
    (names and types only: no statistics are computed for the form)."""
    if not dataset.versions:
        return []
    return service.version_public(dataset.versions[-1], reader=reader, node=None).columns


def edit_page(
    request: Request,
    dataset: DatasetPublic,
    form: DatasetForm,
    dictionary: list[ColumnFields],
    errors: dict[str, str],
    *,
    reader: Reader,
    session: Session,
) -> Response:
    context = {
        "dataset": dataset,
        "form": form,
        "dictionary": dictionary,
        "errors": errors,
        "labels": FORM_LABELS,
        "who_sees": who_sees(
            dataset.slug, dataset.organization_name, reader=reader, session=session
        ),
        "checklist": service.publishing_checklist(dataset.slug, reader=reader, session=session),
    }
    status = 422 if errors else 200
    return render(request, "edit.html", context, reader=reader, status=status)


@router.get("/datasets/{slug}/edit")
def edit_form(request: Request, slug: str, reader: PageReaderDep, session: SessionDep) -> Response:
    found = editable_dataset(slug, reader=reader, session=session)
    public = service.dataset_public(found, reader=reader)
    dictionary = dictionary_fields(latest_columns(found, reader=reader), public.data_dictionary)
    form = DatasetForm.from_public(public)
    return edit_page(request, public, form, dictionary, {}, reader=reader, session=session)


@router.post("/datasets/{slug}/edit", form_limits={"max_fields": MAX_FIELDS})
def edit(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    form: Annotated[DatasetForm, Form()],
    sent: SentDictionaryDep,
) -> Response:
    """Metadata and dictionary in one ``update_dataset`` call: one transaction for both."""
    found = editable_dataset(slug, reader=reader, session=session)
    public = service.dataset_public(found, reader=reader)  # a snapshot for re-rendering
    columns = latest_columns(found, reader=reader)
    try:
        update = form.to_update(dictionary_update(sent))
        service.update_dataset(slug, update, reader=reader, session=session)
    except ValidationError as error:
        errors = validation_messages(error)
    except (BadRequest, InvalidInput) as error:
        discard_changes(session, error)
        details = error.details if isinstance(error.details, dict) else {}
        errors = {str(details.get("field", "")): error.message}
    else:
        add_flash(request, "Metadata saved.")
        return RedirectResponse(f"/datasets/{slug}", status_code=303)
    dictionary = dictionary_fields(columns, public.data_dictionary, sent)
    return edit_page(request, public, form, dictionary, errors, reader=reader, session=session)
