"""Who is asking: a bearer token on the API, the signed session cookie on web pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from laborcommons.access.policy import Reader
from laborcommons.access.service import reader_for_token, reader_for_user_id
from laborcommons.core.deps import SessionDep

bearer = HTTPBearer(auto_error=False, description="An API token from `laborcommons tokens`.")


def api_reader(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Reader:
    return reader_for_token(credentials.credentials if credentials else None, session=session)


def page_reader(request: Request, session: SessionDep) -> Reader:
    user_id = request.session.get("user_id") if "session" in request.scope else None
    return reader_for_user_id(user_id if isinstance(user_id, int) else None, session=session)


ReaderDep = Annotated[Reader, Depends(api_reader)]
PageReaderDep = Annotated[Reader, Depends(page_reader)]
