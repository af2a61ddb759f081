"""HTTP as clients expect it: CORS on the API, HEAD wherever GET answers, and ``Allow``
on a 405.

- **CORS** (the W3C Reconciliation spec's MUST; every browser app needs it): the API
  answers the configured origins (``Settings.cors_origins``, default any), never with
  credentials: no ``Access-Control-Allow-Credentials``, and ``Authorization`` is not an
  allowed request header, so a page elsewhere can read what an anonymous reader could and
  nothing more. The web pages send no CORS headers.
- **HEAD** runs the GET (the same access decision, the same headers and length) and sends
  no body. Starlette adds HEAD to its own routes, FastAPI does not: this is the one place.
- **Link**: a page whose body has a ``next`` also says ``Link: <…>; rel="next"``
  (``core.pagination`` records the link, ``NextLink`` writes it).
- **Allow** lists every method any route of the path answers (Starlette names only the
  first route it met, and a path such as ``/datasets/{slug}/questions`` has two).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.routing import iter_route_contexts
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from laborcommons.api.headers import HeadersOnStart
from laborcommons.catalog.responses import CELLS_ALTERED
from laborcommons.core.pagination import NEXT_LINK, link_header

API_PREFIX = "/api/"
CORS_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]
CORS_REQUEST_HEADERS = ["Accept", "Accept-Language", "Content-Type", "If-None-Match"]
CORS_EXPOSED_HEADERS = ["Content-Disposition", "ETag", "Link", "Retry-After", CELLS_ALTERED]


class ApiCors:
    """Starlette's CORS middleware, for API paths only."""

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=CORS_METHODS,
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_EXPOSED_HEADERS,
            allow_credentials=False,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIX):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class NextLink(HeadersOnStart):
    """Add the ``Link`` header for the next page ``core.pagination`` recorded."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})  # shared with the request, even through copies
        await super().__call__(scope, receive, send)

    def add(self, scope: Scope, status: int, headers: MutableHeaders) -> None:
        link = scope["state"].get(NEXT_LINK)
        if link and status < 300:
            headers.append("Link", link_header(link))


class HeadAsGet:
    """Answer HEAD with the GET's status and headers and an empty body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def without_body(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.body":
                if finished:
                    return
                finished = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def allowed_methods(routes: Sequence[BaseRoute], path: str) -> list[str]:
    """Every method the routes matching ``path`` answer, HEAD beside GET, OPTIONS on the
    API (its CORS preflight). Included routers keep their routes nested, so each route is
    read through FastAPI's route contexts (the full path with every prefix)."""
    methods: set[str] = set()
    for route in iter_route_contexts(routes):
        if route.path is None or route.methods is None:
            continue
        pattern, _, _ = compile_path(route.path)
        if pattern.match(path):
            methods |= set(route.methods)
    if "GET" in methods:
        methods.add("HEAD")
    if methods and path.startswith(API_PREFIX):
        methods.add("OPTIONS")
    return sorted(methods)
