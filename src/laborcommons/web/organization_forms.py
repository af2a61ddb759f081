"""Register an organization with its registry profile, and edit that profile later.

Mounted before the registry pages, so ``/organizations/new`` is not read as a slug.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from laborcommons.access import Reader, may_manage_organization
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.catalog.schemas import OrganizationCreate, OrganizationUpdate
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import Conflict, Forbidden, NotAuthenticated
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, split_list, validation_messages
from laborcommons.web.rendering import add_flash, render

router = APIRouter()


class OrganizationForm(BaseModel):
    """The form as typed: lists are comma-separated, data types are checkboxes."""

    slug: str = ""
    name: str = ""
    archetype: str = ""
    countries: str = ""
    website: str = ""
    contact: str = ""
    has_api: bool = False
    api_url: str = ""
    formats: str = ""
    tools: str = ""
    data_types: list[str] = []
    public_summary: str = ""

    @classmethod
    def of(cls, organization: Any) -> OrganizationForm:
        return cls(
            slug=organization.slug,
            name=organization.name,
            archetype=organization.archetype,
            countries=", ".join(organization.countries),
            website=organization.website or "",
            contact=organization.contact or "",
            has_api=organization.has_api,
            api_url=organization.api_url or "",
            formats=", ".join(organization.formats),
            tools=", ".join(organization.tools),
            data_types=list(organization.data_types),
            public_summary=organization.public_summary,
        )

    def profile(self) -> dict[str, Any]:
        return {
            "name": self.name.strip(),
            "archetype": self.archetype,
            "countries": [code.upper() for code in split_list(self.countries)],
            "website": self.website.strip() or None,
            "contact": self.contact.strip() or None,
            "has_api": self.has_api,
            "api_url": self.api_url.strip() or None,
            "formats": split_list(self.formats),
            "tools": split_list(self.tools),
            "data_types": self.data_types,
            "public_summary": self.public_summary.strip(),
        }


async def read_form(request: Request) -> OrganizationForm:
    sent = await request.form()
    fields = {k: str(v) for k, v in sent.items() if k in OrganizationForm.model_fields}
    fields.pop("data_types", None)
    return OrganizationForm(
        **{k: v for k, v in fields.items() if k != "has_api"},
        has_api="has_api" in sent,
        data_types=[str(v) for v in sent.getlist("data_types")],
    )


def _form_page(
    request: Request,
    reader: Reader,
    form: OrganizationForm,
    *,
    editing: bool,
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {"form": form, "editing": editing, "errors": errors}
    return render(request, "organization_form.html", context, reader=reader, status=status)


def _require_signed_in(reader: Reader) -> None:
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to register an organization")


@router.get("/organizations/new")
def new_organization_form(request: Request, reader: PageReaderDep) -> Response:
    _require_signed_in(reader)
    return _form_page(request, reader, OrganizationForm(), editing=False, errors={})


@router.post("/organizations/new")
async def new_organization(
    request: Request, reader: PageReaderDep, session: SessionDep, node: NodeDep, _csrf: CsrfDep
) -> Response:
    """The registering user becomes the owner; pending until approved if the node says so."""
    _require_signed_in(reader)
    form = await read_form(request)
    try:
        data = OrganizationCreate(slug=form.slug.strip(), **form.profile())
        created = service.create_organization(
            data,
            reader=reader,
            session=session,
            require_approval=node.settings.require_org_approval,
        )
    except ValidationError as error:
        errors = validation_messages(error)
    except Conflict as error:
        discard_changes(session, error)
        errors = {"slug": error.message}
    else:
        pending = " It is pending until the node's administrator approves it."
        add_flash(
            request,
            f"Registered {created.name}." + (pending if created.status == "pending" else ""),
        )
        return RedirectResponse(f"/organizations/{created.slug}", status_code=303)
    return _form_page(request, reader, form, editing=False, errors=errors, status=422)


def _editable(slug: str, reader: Reader, session: SessionDep) -> Any:
    organization = service.get_organization(slug, session=session)
    _require_signed_in(reader)
    if not may_manage_organization(reader, organization_id=organization.id):
        raise Forbidden("only the organization's owners edit its profile")
    return organization


@router.get("/organizations/{slug}/edit")
def edit_organization_form(
    slug: str, request: Request, reader: PageReaderDep, session: SessionDep
) -> Response:
    organization = _editable(slug, reader, session)
    form = OrganizationForm.of(organization)
    return _form_page(request, reader, form, editing=True, errors={})


@router.post("/organizations/{slug}/edit")
async def edit_organization(
    slug: str, request: Request, reader: PageReaderDep, session: SessionDep, _csrf: CsrfDep
) -> Response:
    organization = _editable(slug, reader, session)
    form = (await read_form(request)).model_copy(update={"slug": organization.slug})
    try:
        data = OrganizationUpdate(**form.profile())
        service.update_organization(slug, data, reader=reader, session=session)
    except ValidationError as error:
        errors = validation_messages(error)
        return _form_page(request, reader, form, editing=True, errors=errors, status=422)
    add_flash(request, f"Saved the profile of {organization.name}.")
    return RedirectResponse(f"/organizations/{slug}", status_code=303)
