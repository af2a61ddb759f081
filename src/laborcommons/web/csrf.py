"""CSRF protection for every state-changing form (synchronizer token in the session).

The session cookie is SameSite=Lax, which already stops most cross-site POSTs; the token
also covers older browsers and same-site attackers (another app on a sibling subdomain).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request

from laborcommons.core.errors import Forbidden

SESSION_KEY = "csrf"
FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The session's token, created on first need so anonymous readers get no cookie."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


async def require_csrf(request: Request) -> None:
    """Refuse (403) a POST whose form does not carry the session's token."""
    expected = request.session.get(SESSION_KEY)
    sent = (await request.form()).get(FIELD)
    if (
        not isinstance(expected, str)
        or not isinstance(sent, str)
        or not hmac.compare_digest(expected.encode(), sent.encode())
    ):
        raise Forbidden(
            "This form's security token is missing or out of date. "
            "Reload the page and submit it again."
        )


CsrfDep = Annotated[None, Depends(require_csrf)]
