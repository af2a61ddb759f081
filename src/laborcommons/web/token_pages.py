"""The reader's API tokens: create one (shown once), see name, expiry and last use, revoke."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from laborcommons.access import (
    Reader,
    TokenCreated,
    create_token,
    list_tokens,
    revoke_own_token,
    signed_in_user,
)
from laborcommons.access.deps import PageReaderDep
from laborcommons.core.db import utcnow
from laborcommons.core.deps import DbId, SessionDep
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
EXPIRIES = {"30": "30 days", "90": "90 days", "365": "a year", "never": "never (until revoked)"}


def tokens_page(
    request: Request,
    reader: Reader,
    session: SessionDep,
    *,
    created: TokenCreated | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    user = signed_in_user(reader, session=session)
    context = {
        "tokens": list_tokens(user, session=session),
        "created": created,
        "errors": errors or {},
        "expiries": EXPIRIES,
        "now": utcnow(),
    }
    response = render(request, "tokens.html", context, reader=reader, status=status)
    response.headers["Cache-Control"] = "private, no-store"  # a new token is on this page
    return response


@router.get("/account/tokens")
def tokens(request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    return tokens_page(request, reader, session)


@router.post("/account/tokens")
def new_token(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form()] = "",
    expires: Annotated[str, Form()] = "90",
) -> Response:
    """The token is on this answer only (201): it is never stored or shown again."""
    user = signed_in_user(reader, session=session)
    if expires not in EXPIRIES:
        errors = {"expires": f"choose one of: {', '.join(EXPIRIES.values())}"}
        return tokens_page(request, reader, session, errors=errors, status=422)
    if len(name) > 200:
        errors = {"name": "a name has at most 200 characters"}
        return tokens_page(request, reader, session, errors=errors, status=422)
    until = None if expires == "never" else utcnow() + timedelta(days=int(expires))
    created = create_token(user, name=name.strip(), expires_at=until, session=session)
    return tokens_page(request, reader, session, created=created, status=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(
    token_id: DbId, request: Request, reader: PageReaderDep, session: SessionDep, _csrf: CsrfDep
) -> Response:
    row = revoke_own_token(signed_in_user(reader, session=session).id, token_id, session=session)
    add_flash(request, f"Revoked token {row.prefix}…")
    return RedirectResponse("/account/tokens", status_code=303)
