"""An organization's members (owners only) and accepting an invitation.

An invitation is bound to the e-mail it was sent to: only an account with that address
may accept it, and a new person signs up through it even when sign-up is by invitation.
Without SMTP the link is shown once to the inviting owner, to pass on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from laborcommons.access import (
    ROLES,
    IssuedLink,
    Reader,
    accept_invitation,
    invite_member,
    list_members,
    open_link,
    pending_invitations,
    remove_member,
    send_mail,
    set_member_role,
    signed_in_user,
)
from laborcommons.access.deps import PageReaderDep
from laborcommons.access.members import require_owner
from laborcommons.catalog import service
from laborcommons.catalog.models import Organization
from laborcommons.core.deps import DbId, NodeDep, SessionDep
from laborcommons.core.errors import LaborCommonsError
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes
from laborcommons.web.rendering import add_flash, public_url, render

router = APIRouter()


def _managed(slug: str, reader: Reader, session: SessionDep) -> Any:
    organization = service.get_organization(slug, session=session)
    require_owner(reader, organization.id)
    return organization


def members_page(
    request: Request,
    slug: str,
    reader: Reader,
    session: SessionDep,
    *,
    invited: tuple[IssuedLink, str] | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    organization = _managed(slug, reader, session)
    context = {
        "organization": organization,
        "members": list_members(organization.id, session=session),
        "invitations": pending_invitations(organization.id, session=session),
        "roles": ROLES,
        "invited": invited,
        "errors": errors or {},
        "form": form or {"email": "", "role": "editor"},
    }
    response = render(request, "members.html", context, reader=reader, status=status)
    response.headers["Cache-Control"] = "private, no-store"  # may show a new invitation link
    return response


@router.get("/organizations/{slug}/members")
def members(slug: str, request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    return members_page(request, slug, reader, session)


@router.post("/organizations/{slug}/members")
def invite(
    slug: str,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    _csrf: CsrfDep,
    email: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "editor",
) -> Response:
    """Sent by e-mail when the node has SMTP; the link is shown here either way, once."""
    organization = _managed(slug, reader, session)
    try:
        issued = invite_member(organization.id, email, role, reader=reader, session=session)
    except LaborCommonsError as error:
        discard_changes(session, error)
        field = "role" if "role" in error.message else "email"
        form = {"email": email, "role": role}
        return members_page(
            request, slug, reader, session, errors={field: error.message}, form=form, status=422
        )
    url = public_url(request, node.settings.base_url, issued.path)
    sent = False
    with contextlib.suppress(OSError):
        body = (
            f"{reader.email} invites you to join {organization.name} as {role}.\n\n"
            f"Open this link within 7 days to accept:\n\n{url}\n"
        )
        subject = f"Join {organization.name}"
        sent = send_mail(node.settings, to=issued.link.email, subject=subject, body=body)
    return members_page(request, slug, reader, session, invited=(issued, url if not sent else ""))


@router.post("/organizations/{slug}/members/{user_id}/role")
def change_role(
    slug: str,
    user_id: DbId,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    role: Annotated[str, Form()] = "",
) -> Response:
    organization = _managed(slug, reader, session)
    change = partial(set_member_role, organization.id, user_id, role)
    return _apply(request, slug, user_id, reader, session, change, done="Role changed.")


@router.post("/organizations/{slug}/members/{user_id}/remove")
def remove(
    slug: str,
    user_id: DbId,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
) -> Response:
    organization = _managed(slug, reader, session)
    change = partial(remove_member, organization.id, user_id)
    return _apply(request, slug, user_id, reader, session, change, done="Member removed.")


def _apply(
    request: Request,
    slug: str,
    user_id: int,
    reader: Reader,
    session: SessionDep,
    change: Callable[..., None],
    *,
    done: str,
) -> Response:
    """Run one change to a member; a refusal (the last owner) shows next to that member."""
    try:
        change(reader=reader, session=session)
    except LaborCommonsError as error:
        discard_changes(session, error)
        errors = {f"member-{user_id}": error.message}
        return members_page(request, slug, reader, session, errors=errors, status=409)
    add_flash(request, done)
    return RedirectResponse(f"/organizations/{slug}/members", status_code=303)


@router.get("/invitations/{token}")
def invitation(
    token: str, request: Request, reader: PageReaderDep, session: SessionDep, node: NodeDep
) -> Response:
    """Accept (signed in), or sign in or sign up first; a used or expired link is a 404."""
    link = open_link(token, "invite", session=session)
    organization = session.get(Organization, link.organization_id)
    context = {
        "token": token,
        "link": link,
        "organization": organization,
        "mismatch": not reader.is_anonymous and (reader.email or "") != link.email,
        "may_sign_up": node.settings.signup != "closed",
    }
    return render(request, "invitation.html", context, reader=reader)


@router.post("/invitations/{token}")
def accept(
    token: str, request: Request, reader: PageReaderDep, session: SessionDep, _csrf: CsrfDep
) -> Response:
    organization_id = accept_invitation(
        token, signed_in_user(reader, session=session), session=session
    )
    organization = session.get(Organization, organization_id)
    assert organization is not None
    add_flash(request, f"You joined {organization.name}.")
    return RedirectResponse(f"/organizations/{organization.slug}", status_code=303)
