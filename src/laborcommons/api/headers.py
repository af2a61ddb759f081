"""Security headers on every response, API and web, errors included.

The pages use no inline script or style, so the policy allows only this origin; the API
docs page sets its own, wider policy (see ``api.docs``), which this middleware keeps.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class HeadersOnStart:
    """Middleware that adds headers to each HTTP response start (``add``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def add(self, scope: Scope, status: int, headers: MutableHeaders) -> None:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.add(scope, message["status"], MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SecurityHeaders(HeadersOnStart):
    """Add the headers to each response start, unless the route set its own."""

    def add(self, scope: Scope, status: int, headers: MutableHeaders) -> None:
        for name, value in SECURITY_HEADERS.items():
            headers.setdefault(name, value)
