"""Password reset by a one-time link: sent by e-mail when the node has SMTP, else made
by the admin (``/admin/reset-links``, ``laborcommons users reset-link``).

A request answers the same whether or not the address has an account, and requests are
throttled per address typed, like sign-ins.
"""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from laborcommons.access import (
    open_link,
    record_failed_sign_in,
    request_password_reset,
    reset_password,
    send_mail,
    sign_in_blocked,
)
from laborcommons.access.deps import PageReaderDep
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import BadRequest
from laborcommons.web.auth import ClockDep
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes
from laborcommons.web.rendering import add_flash, public_url, render

router = APIRouter()


@router.get("/password-reset")
def reset_request_form(request: Request, reader: PageReaderDep, node: NodeDep) -> Response:
    context = {"sent": False, "email": "", "mail": bool(node.settings.smtp_host), "error": None}
    return render(request, "password_reset.html", context, reader=reader)


@router.post("/password-reset")
def reset_request(
    request: Request,
    reader: PageReaderDep,
    node: NodeDep,
    session: SessionDep,
    clock: ClockDep,
    _csrf: CsrfDep,
    email: Annotated[str, Form()] = "",
) -> Response:
    """Same answer for every address; the link goes by e-mail only, never to the page."""
    keys = [f"reset:{email.strip().lower()[:320]}"]
    context = {"sent": True, "email": email, "mail": bool(node.settings.smtp_host), "error": None}
    blocked = sign_in_blocked(keys, now=clock(), session=session)
    if blocked is not None:
        context.update(sent=False, error=blocked.message.replace("sign-ins", "reset requests"))
        response = render(request, "password_reset.html", context, reader=reader, status=429)
        response.headers["Retry-After"] = str(blocked.retry_after)
        return response
    record_failed_sign_in(keys, now=clock(), session=session)
    if not node.settings.smtp_host:  # no one would receive the link: the admin makes one
        return render(request, "password_reset.html", context, reader=reader)
    issued = request_password_reset(email, created_by="self", session=session)
    if issued is not None:
        url = public_url(request, node.settings.base_url, issued.path)
        body = f"To choose a new password, open this link within 24 hours:\n\n{url}\n"
        with contextlib.suppress(OSError):  # a mail failure must answer like any other request
            send_mail(node.settings, to=issued.link.email, subject="Password reset", body=body)
    return render(request, "password_reset.html", context, reader=reader)


@router.get("/password-reset/{token}")
def reset_form(
    token: str, request: Request, reader: PageReaderDep, session: SessionDep
) -> Response:
    link = open_link(token, "reset", session=session)
    context = {"token": token, "email": link.email, "error": None}
    return render(request, "password_new.html", context, reader=reader)


@router.post("/password-reset/{token}")
def reset(
    token: str,
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    password: Annotated[str, Form()] = "",
) -> Response:
    """A new password ends every session of the account; then sign in with it."""
    try:
        user = reset_password(token, password, session=session)
    except BadRequest as error:
        discard_changes(session, error)
        link = open_link(token, "reset", session=session)
        context = {"token": token, "email": link.email, "error": error.message}
        return render(request, "password_new.html", context, reader=reader, status=422)
    request.session.clear()
    add_flash(request, f"New password set for {user.email}: sign in with it.")
    return RedirectResponse("/login", status_code=303)
