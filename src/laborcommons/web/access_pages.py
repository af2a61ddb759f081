"""Web pages of access: a dataset's grants and requests, asking for access, groups, the trail.

Each page calls the same services as the API; a form that fails re-renders its page with
the error (status 422/404/409) after undoing the half-done transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import grants, groups, requests, trail
from laborcommons.access.deps import PageReaderDep
from laborcommons.access.policy import Reader, may_manage_organization
from laborcommons.access.refs import managed_dataset_ref, organization_slugs
from laborcommons.access.schemas import (
    AccessRequestApproval,
    AccessRequestCreate,
    AccessRequestDecline,
    GrantCreate,
    GroupCreate,
)
from laborcommons.catalog import service
from laborcommons.catalog.schemas import DatasetUpdate
from laborcommons.core.deps import DbId, SessionDep
from laborcommons.core.errors import Conflict, InvalidInput, LaborCommonsError, NotFound
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
FORM_ERRORS = (InvalidInput, Conflict, NotFound, ValidationError)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
    return error.message if isinstance(error, LaborCommonsError) else str(error)


def _version_numbers(text: str) -> list[str] | None:
    """``"2, 3"`` from the form as the grant's version list (validated by the schema);
    empty means every version."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    return parts or None


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _access_page(
    request: Request,
    slug: str,
    *,
    reader: Reader,
    session: Session,
    error: str | None = None,
    status: int = 200,
    form: dict[str, Any] | None = None,
) -> Response:
    managed_dataset_ref(slug, reader=reader, session=session)
    dataset = service.dataset_public(
        service.get_dataset(slug, reader=reader, session=session), reader=reader
    )
    context = {
        "dataset": dataset,
        "grants": grants.list_grants(slug, reader=reader, session=session),
        "requests": requests.dataset_requests(slug, reader=reader, session=session),
        "groups": groups.list_groups(reader=reader, session=session),
        "error": error,
        "form": form or {},
    }
    api = f"/api/v1/datasets/{slug}/grants"
    return render(request, "access.html", context, reader=reader, status=status, alternate=api)


@router.get("/datasets/{slug}/access")
def access_page(
    request: Request, slug: str, reader: PageReaderDep, session: SessionDep
) -> Response:
    """Owners and editors: level, discoverability, grants and requests of one dataset."""
    return _access_page(request, slug, reader=reader, session=session)


@router.post("/datasets/{slug}/access/discoverable")
def set_discoverable(
    slug: str,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    discoverable: Annotated[str, Form()] = "",
) -> Response:
    update = DatasetUpdate(discoverable=discoverable == "on")
    service.update_dataset(slug, update, reader=reader, session=session)
    add_flash(
        request,
        "Discoverable: anyone sees the metadata."
        if update.discoverable
        else "Hidden: only readers of the rows see this dataset.",
    )
    return _back(f"/datasets/{slug}/access")


@router.post("/datasets/{slug}/grants")
def create_grant(
    slug: str,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    grantee_kind: Annotated[str, Form()] = "organization",
    grantee: Annotated[str, Form()] = "",
    agreement: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
    expires_at: Annotated[str, Form()] = "",
    versions: Annotated[str, Form()] = "",
) -> Response:
    managed_dataset_ref(slug, reader=reader, session=session)
    form = {
        "grantee_kind": grantee_kind,
        "grantee": grantee,
        "agreement": agreement,
        "purpose": purpose,
        "expires_at": expires_at,
        "versions": versions,
    }
    try:
        kind = grantee_kind if grantee_kind in {"organization", "user", "group"} else "organization"
        data = GrantCreate.model_validate(
            {
                kind: grantee.strip() or None,
                "agreement": agreement,
                "purpose": purpose,
                "expires_at": expires_at or None,
                "versions": _version_numbers(versions),
            }
        )
        grant = grants.create_grant(slug, data, reader=reader, session=session)
    except FORM_ERRORS as error:
        discard_changes(session, error)
        return _access_page(
            request,
            slug,
            reader=reader,
            session=session,
            error=_message(error),
            status=404 if isinstance(error, NotFound) else 422,
            form=form,
        )
    covers = grants.grant_public(grant, session=session).covers
    add_flash(request, f"Granted {slug} to {grantee_kind} {grantee}: it opens {covers}.")
    return _back(f"/datasets/{slug}/access")


@router.post("/grants/{grant_id}/revoke")
def revoke_grant(
    grant_id: DbId, request: Request, reader: PageReaderDep, session: SessionDep, _csrf: CsrfDep
) -> Response:
    grant = grants.revoke_grant(grant_id, reader=reader, session=session)
    public = grants.grant_public(grant, session=session)
    add_flash(request, f"Revoked the grant to {public.grantee}; it stopped working at once.")
    return _back(f"/datasets/{public.dataset}/access")


@router.get("/datasets/{slug}/request-access")
def request_form(
    request: Request, slug: str, reader: PageReaderDep, session: SessionDep
) -> Response:
    dataset = service.dataset_public(
        service.get_dataset(slug, reader=reader, session=session), reader=reader
    )
    context = {"dataset": dataset, "error": None, "purpose": ""}
    return render(request, "request_access.html", context, reader=reader)


@router.post("/datasets/{slug}/request-access")
def request_access(
    slug: str,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    purpose: Annotated[str, Form()] = "",
    organization: Annotated[str, Form()] = "",
) -> Response:
    found = service.get_dataset(slug, reader=reader, session=session)
    try:
        data = AccessRequestCreate(purpose=purpose, organization=organization or None)
        requests.request_access(slug, data, reader=reader, session=session)
    except (InvalidInput, Conflict, ValidationError) as error:
        discard_changes(session, error)
        context = {
            "dataset": service.dataset_public(found, reader=reader),
            "error": _message(error),
            "purpose": purpose,
        }
        return render(request, "request_access.html", context, reader=reader, status=422)
    add_flash(request, f"Your request for {found.title} was sent to its owner.")
    return _back("/access-requests")


def _requests_page(
    request: Request,
    *,
    reader: Reader,
    session: Session,
    error: str | None = None,
    status: int = 200,
) -> Response:
    context = {
        "mine": requests.my_requests(reader=reader, session=session),
        "to_decide": requests.requests_to_decide(reader=reader, session=session),
        "error": error,
    }
    return render(
        request,
        "access_requests.html",
        context,
        reader=reader,
        status=status,
        alternate="/api/v1/access-requests",
    )


@router.get("/access-requests")
def requests_page(request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    """Both sides of access requests: the ones I made, and the ones I decide."""
    return _requests_page(request, reader=reader, session=session)


@router.post("/access-requests/{request_id}/approve")
def approve_request(
    request_id: DbId,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    agreement: Annotated[str, Form()] = "",
    expires_at: Annotated[str, Form()] = "",
    grantee: Annotated[str, Form()] = "user",
    note: Annotated[str, Form()] = "",
    versions: Annotated[str, Form()] = "",
) -> Response:
    try:
        data = AccessRequestApproval.model_validate(
            {
                "agreement": agreement,
                "expires_at": expires_at or None,
                "grantee": grantee,
                "note": note,
                "versions": _version_numbers(versions),
            }
        )
        approved = requests.approve_request(request_id, data, reader=reader, session=session)
    except (InvalidInput, Conflict, ValidationError) as error:
        discard_changes(session, error)
        message = f"Request {request_id} not approved: {_message(error)}"
        return _requests_page(request, reader=reader, session=session, error=message, status=422)
    covers = requests.request_publics([approved], session=session)[0].grant_covers
    add_flash(request, f"Approved request {request_id}: the grant opens {covers}.")
    return _back("/access-requests")


@router.post("/access-requests/{request_id}/decline")
def decline_request(
    request_id: DbId,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    note: Annotated[str, Form()] = "",
) -> Response:
    try:
        data = AccessRequestDecline(note=note)
        requests.decline_request(request_id, data, reader=reader, session=session)
    except (InvalidInput, Conflict, ValidationError) as error:
        discard_changes(session, error)
        message = f"Request {request_id} not declined: {_message(error)}"
        return _requests_page(request, reader=reader, session=session, error=message, status=422)
    add_flash(request, f"Declined request {request_id}.")
    return _back("/access-requests")


@router.get("/datasets/{slug}/audit")
def audit_page(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    page: int = 1,
    action: str = "",
) -> Response:
    """The owner's view of who did what with the dataset, newest first."""
    result = trail.dataset_trail(
        slug, reader=reader, session=session, action=action or None, page=page, page_size=100
    )
    dataset = service.get_dataset(slug, reader=reader, session=session)
    context = {"dataset": dataset, "trail": result, "action": action}
    api = f"/api/v1/datasets/{slug}/audit"
    return render(request, "audit.html", context, reader=reader, alternate=api)


def _groups_page(
    request: Request,
    *,
    reader: Reader,
    session: Session,
    error: str | None = None,
    status: int = 200,
) -> Response:
    items = groups.list_groups(reader=reader, session=session)
    managed = {
        g.slug
        for g in items
        if may_manage_organization(
            reader, organization_id=groups.get_group(g.slug, session=session).owner_organization_id
        )
    }
    owned = sorted(org for org, role in reader.roles.items() if role == "owner")
    context = {
        "groups": items,
        "managed": managed,
        "error": error,
        "may_create": bool(owned) or reader.is_admin,
        "owner_slugs": _slugs(owned, session),
    }
    return render(
        request, "groups.html", context, reader=reader, status=status, alternate="/api/v1/groups"
    )


def _slugs(ids: list[int], session: Session) -> list[str]:
    return sorted(organization_slugs(set(ids), session=session).values())


@router.get("/groups")
def groups_page(request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    """Coalitions: list them, create one, manage the members of the ones you own."""
    return _groups_page(request, reader=reader, session=session)


@router.post("/groups")
def create_group(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    slug: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    owner: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    try:
        data = GroupCreate(slug=slug, name=name, owner=owner, description=description)
        groups.create_group(data, reader=reader, session=session)
    except FORM_ERRORS as error:
        discard_changes(session, error)
        return _groups_page(
            request, reader=reader, session=session, error=_message(error), status=422
        )
    add_flash(request, f"Created group {slug}.")
    return _back("/groups")


@router.post("/groups/{slug}/members")
def add_group_member(
    slug: str,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    organization: Annotated[str, Form()] = "",
) -> Response:
    groups.get_group(slug, session=session)
    try:
        groups.set_group_member(
            slug, organization.strip(), member=True, reader=reader, session=session
        )
    except (NotFound, Conflict) as error:
        discard_changes(session, error)
        return _groups_page(
            request, reader=reader, session=session, error=error.message, status=error.status_code
        )
    add_flash(request, f"Added {organization} to {slug}.")
    return _back("/groups")


@router.post("/groups/{slug}/members/{organization}/remove")
def remove_group_member(
    slug: str,
    organization: str,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
) -> Response:
    groups.set_group_member(slug, organization, member=False, reader=reader, session=session)
    add_flash(request, f"Removed {organization} from {slug}; its members lost the group's grants.")
    return _back("/groups")
