"""Who is asking: a bearer token on the API, the signed session cookie on web pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from laborcommons.access.policy import Reader
from laborcommons.access.service import reader_for_token, reader_for_user_id
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import NotAuthenticated

SESSION_USER = "user_id"
SESSION_GENERATION = "generation"
bearer = HTTPBearer(auto_error=False, description="An API token from `laborcommons tokens`.")


def api_reader(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Reader:
    return reader_for_token(credentials.credentials if credentials else None, session=session)


def token_or_bearer_reader(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Reader:
    """Like ``api_reader``, and also a bare token in ``Authorization`` (CKAN's clients send
    their API token without the ``Bearer`` scheme)."""
    if credentials is None and authorization and authorization.strip():
        if " " in authorization.strip():  # another scheme: refused, never read as anonymous
            raise NotAuthenticated("send the API token as `Authorization: <token>` or `Bearer`")
        return reader_for_token(authorization.strip(), session=session)
    return api_reader(session, credentials)


def page_reader(request: Request, session: SessionDep) -> Reader:
    """The session cookie's user, while the session's generation is the user's current one;
    an ended session is cleared, so the browser gets an anonymous cookie back."""
    cookie = request.session if "session" in request.scope else {}
    user_id, generation = cookie.get(SESSION_USER), cookie.get(SESSION_GENERATION)
    if not isinstance(user_id, int):
        return reader_for_user_id(None, generation=None, session=session)
    reader = reader_for_user_id(
        user_id, generation=generation if isinstance(generation, int) else None, session=session
    )
    if reader.is_anonymous:
        cookie.clear()
    return reader


def token_or_session_reader(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Reader:
    """An API token when one is sent, else the browser's session cookie: for documents a
    program and a page both fetch (catalog exports, a page's map points). Only GETs use it;
    CORS never lets another origin read them with the cookie."""
    if credentials is not None:
        return api_reader(session, credentials)
    return page_reader(request, session)


ReaderDep = Annotated[Reader, Depends(api_reader)]
TokenOrSessionReaderDep = Annotated[Reader, Depends(token_or_session_reader)]
TokenOrBearerReaderDep = Annotated[Reader, Depends(token_or_bearer_reader)]
PageReaderDep = Annotated[Reader, Depends(page_reader)]
