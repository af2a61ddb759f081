"""Create a dataset from the web: the organization, a slug suggested from the title, and the
description; the rest is filled in on the edit form afterwards.

Mounted before the dataset pages, so ``/datasets/new`` is not read as a slug.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader, may_edit
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.catalog.models import Organization
from laborcommons.catalog.schemas import DatasetCreate
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from laborcommons.core.schemas import suggest_slug
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, validation_messages
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
FORM_ERRORS = (BadRequest, Conflict, Forbidden, InvalidInput, NotFound)
# Which field a refusal without a ``field`` detail is about.
FIELD_OF = {Conflict: "slug", Forbidden: "organization", NotFound: "organization"}


class NewDatasetForm(BaseModel):
    organization: str = ""
    title: str = ""
    slug: str = ""
    data_type: str = ""
    description: str = ""
    methodology: str = ""

    def to_create(self) -> DatasetCreate:
        """An empty slug is suggested from the title; the level starts `internal`."""
        values = {k: v.strip() for k, v in self.model_dump().items()}
        values["slug"] = values["slug"] or suggest_slug(values["title"])
        return DatasetCreate.model_validate(values)


def writable_organizations(reader: Reader, *, session: Session) -> list[Organization]:
    """Where this reader may create datasets: organizations they own or edit."""
    found = service.organizations_of(reader, session=session)
    return [org for org in found if may_edit(reader, owner_id=org.id)]


def _require_writer(reader: Reader, organizations: list[Organization]) -> None:
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to create a dataset")
    if not organizations:
        raise Forbidden(
            "you are not an owner or editor of any organization; "
            "register one at /organizations/new or ask to be invited"
        )


def _form_page(
    request: Request,
    reader: Reader,
    form: NewDatasetForm,
    organizations: list[Organization],
    errors: dict[str, str],
) -> Response:
    context = {"form": form, "organizations": organizations, "errors": errors}
    status = 422 if errors else 200
    return render(request, "dataset_new.html", context, reader=reader, status=status)


@router.get("/datasets/new")
def new_dataset_form(
    request: Request, reader: PageReaderDep, session: SessionDep, organization: str = ""
) -> Response:
    organizations = writable_organizations(reader, session=session)
    _require_writer(reader, organizations)
    chosen = organization or (organizations[0].slug if len(organizations) == 1 else "")
    form = NewDatasetForm(organization=chosen)
    return _form_page(request, reader, form, organizations, {})


@router.post("/datasets/new")
def new_dataset(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    form: Annotated[NewDatasetForm, Form()],
) -> Response:
    organizations = writable_organizations(reader, session=session)
    _require_writer(reader, organizations)
    try:
        created = service.create_dataset(form.to_create(), reader=reader, session=session)
    except ValidationError as error:
        errors = validation_messages(error)
    except FORM_ERRORS as error:
        discard_changes(session, error)
        details = error.details if isinstance(error.details, dict) else {}
        field = details.get("field", FIELD_OF.get(type(error), ""))
        errors = {str(field): error.message}
    else:
        add_flash(request, f"Dataset {created.title} created. Upload a first version next.")
        return RedirectResponse(f"/datasets/{created.slug}", status_code=303)
    return _form_page(request, reader, form, organizations, errors)
