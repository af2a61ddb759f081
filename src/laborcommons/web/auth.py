"""Sign in and out with the session cookie (the API uses bearer tokens instead)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from laborcommons.access import (
    authenticate_password,
    clear_sign_in_failures,
    end_sessions,
    get_user_by_email,
    record_failed_sign_in,
    sign_in_blocked,
    throttle_keys,
)
from laborcommons.access.deps import SESSION_GENERATION, SESSION_USER, PageReaderDep
from laborcommons.core.db import utcnow
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import NotAuthenticated
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
Clock = Callable[[], datetime]


def sign_in_clock() -> Clock:
    """The clock sign-in throttling reads; tests override this dependency to move time."""
    return utcnow


ClockDep = Annotated[Clock, Depends(sign_in_clock)]


def local_path(target: str | None) -> str:
    """``next`` may only point back into this site, never to another host (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


@router.get("/login")
def login_form(request: Request, reader: PageReaderDep, next: str = "/") -> Response:
    context = {"next": local_path(next), "email": "", "error": None}
    return render(request, "login.html", context, reader=reader)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    _csrf: CsrfDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Sign in, unless this account or address failed too often (429, before any check)."""
    now = clock()
    keys = throttle_keys(email, request.client.host if request.client else None)
    context = {"next": local_path(next), "email": email}
    blocked = sign_in_blocked(keys, now=now, session=session)
    if blocked is not None:
        response = render(
            request, "login.html", {**context, "error": blocked.message}, reader=None, status=429
        )
        response.headers["Retry-After"] = str(blocked.retry_after)
        return response
    try:
        user = authenticate_password(email, password, session=session)
    except NotAuthenticated as error:
        record_failed_sign_in(keys, now=now, session=session)
        return render(
            request, "login.html", {**context, "error": error.message}, reader=None, status=401
        )
    clear_sign_in_failures(keys[0], session=session)
    request.session.clear()  # a fresh session (and CSRF token) after signing in
    request.session[SESSION_USER] = user.id
    request.session[SESSION_GENERATION] = user.session_generation
    add_flash(request, f"Signed in as {user.email}.")
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/logout")
def logout(
    request: Request, reader: PageReaderDep, session: SessionDep, _csrf: CsrfDep
) -> Response:
    """Signing out ends every session of the account, so a copied cookie dies with it."""
    if reader.user_id is not None and reader.email is not None:
        end_sessions(get_user_by_email(reader.email, session=session))
    request.session.clear()
    return RedirectResponse("/", status_code=303)
