"""The reader's own account: sign-up, password change, sign-out everywhere, organizations.

Secrets shown once (a new API token, a link for the admin) are rendered on the answer to
the POST itself, never parked in the session cookie, which is signed but not encrypted.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from laborcommons.access import (
    Reader,
    UserCreate,
    change_password,
    end_sessions,
    open_link,
    remove_member,
    sign_up,
    signed_in_user,
)
from laborcommons.access.deps import SESSION_GENERATION, SESSION_USER, PageReaderDep
from laborcommons.catalog import service as catalog
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import LaborCommonsError
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, validation_messages
from laborcommons.web.rendering import add_flash, render

router = APIRouter()


def start_session(request: Request, user_id: int, generation: int) -> None:
    """A fresh session (and CSRF token) for ``user_id`` at its current generation."""
    request.session.clear()
    request.session[SESSION_USER] = user_id
    request.session[SESSION_GENERATION] = generation


def _signup_page(
    request: Request,
    *,
    policy: str,
    invitation: str,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {"policy": policy, "invitation": invitation, "form": form, "errors": errors}
    return render(request, "signup.html", context, reader=None, status=status)


@router.get("/signup")
def signup_form(
    request: Request, node: NodeDep, session: SessionDep, invitation: str = ""
) -> Response:
    """Open sign-up, or the sign-up of an invited person (the e-mail is the invitation's)."""
    email = open_link(invitation, "invite", session=session).email if invitation else ""
    form = {"email": email, "name": ""}
    policy = node.settings.signup
    return _signup_page(request, policy=policy, invitation=invitation, form=form, errors={})


@router.post("/signup")
def signup(
    request: Request,
    node: NodeDep,
    session: SessionDep,
    _csrf: CsrfDep,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    invitation: Annotated[str, Form()] = "",
) -> Response:
    policy = node.settings.signup
    form = {"email": email, "name": name}
    try:
        data = UserCreate(email=email, name=name, password=password)
        user = sign_up(data, policy=policy, invitation=invitation or None, session=session)
    except ValidationError as error:
        errors = validation_messages(error)
    except LaborCommonsError as error:
        discard_changes(session, error)
        field = "email" if "e-mail" in error.message else "form"
        errors = {"password" if "password" in error.message else field: error.message}
    else:
        start_session(request, user.id, user.session_generation)
        add_flash(request, f"Welcome, {user.email}: your account is ready.")
        return RedirectResponse("/account", status_code=303)
    return _signup_page(
        request, policy=policy, invitation=invitation, form=form, errors=errors, status=422
    )


def account_page(
    request: Request,
    reader: Reader,
    session: SessionDep,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    user = signed_in_user(reader, session=session)
    organizations = [
        (org, reader.roles.get(org.id, ""))
        for org in catalog.organizations_of(reader, session=session)
    ]
    context = {"user": user, "organizations": organizations, "errors": errors or {}}
    return render(request, "account.html", context, reader=reader, status=status)


@router.get("/account")
def account(request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    return account_page(request, reader, session)


@router.post("/account/password")
def new_password(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    current: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """Every other session ends with the old password; this browser stays signed in."""
    user = signed_in_user(reader, session=session)
    try:
        change_password(user, current, password, session=session)
    except LaborCommonsError as error:
        discard_changes(session, error)
        field = "password" if "characters" in error.message else "current"
        return account_page(request, reader, session, errors={field: error.message}, status=422)
    start_session(request, user.id, user.session_generation)
    add_flash(request, "Password changed; every other session has been signed out.")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/sign-out-everywhere")
def sign_out_everywhere(
    request: Request, reader: PageReaderDep, session: SessionDep, _csrf: CsrfDep
) -> Response:
    end_sessions(signed_in_user(reader, session=session))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/account/organizations/{slug}/leave")
def leave_organization(
    slug: str, request: Request, reader: PageReaderDep, session: SessionDep, _csrf: CsrfDep
) -> Response:
    user = signed_in_user(reader, session=session)
    organization = catalog.get_organization(slug, session=session)
    try:
        remove_member(organization.id, user.id, reader=reader, session=session)
    except LaborCommonsError as error:
        discard_changes(session, error)
        return account_page(
            request, reader, session, errors={f"leave-{slug}": error.message}, status=409
        )
    add_flash(request, f"You left {organization.name}.")
    return RedirectResponse("/account", status_code=303)
