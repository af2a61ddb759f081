"""Sign in and out with the session cookie (the API uses bearer tokens instead)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from laborcommons.access import authenticate_password
from laborcommons.access.deps import PageReaderDep
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import NotAuthenticated
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.rendering import add_flash, render

router = APIRouter()


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
    _csrf: CsrfDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        user = authenticate_password(email, password, session=session)
    except NotAuthenticated as error:
        context = {"next": local_path(next), "email": email, "error": error.message}
        return render(request, "login.html", context, reader=None, status=401)
    request.session.clear()  # a fresh session (and CSRF token) after signing in
    request.session["user_id"] = user.id
    add_flash(request, f"Signed in as {user.email}.")
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/logout")
def logout(request: Request, _csrf: CsrfDep) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)
