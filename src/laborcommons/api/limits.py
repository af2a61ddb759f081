"""Uploads: who is asking is settled before the body is read, and the body is counted.

A declared ``Content-Length`` over the limit is refused at once; a chunked body is counted
as it streams and cut off at the limit, so neither the multipart spool nor the node's tmp
directory ever holds more than the limit. Upload routes refuse an anonymous or badly
authenticated request (401) before reading a byte of its body.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from laborcommons.access import reader_for_token, reader_for_user_id
from laborcommons.access.deps import SESSION_GENERATION, SESSION_USER
from laborcommons.api.errors import envelope
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import NotAuthenticated
from laborcommons.core.node import Node
from laborcommons.web import render_error_page

SLACK = 1024 * 1024  # multipart boundaries and the small form fields beside the file
API_UPLOAD = re.compile(r"^/api/v1/(datasets/[^/]+/versions|answers/[0-9]+/attachments)/?$")
WEB_UPLOAD = re.compile(r"^/(datasets/[^/]+/upload|answers/[0-9]+/attachments)/?$")
SIGN_IN_TO_UPLOAD = "signing in is needed to upload"


class BodyTooLarge(Exception):
    """The streamed body passed the limit; the middleware answers 413 instead of the app."""


def _refusal(scope: Scope, status: int, code: str, message: str) -> Response:
    """The API's error envelope under /api/, the error page elsewhere."""
    if scope["path"].startswith("/api/"):
        return envelope(status, code, message)
    return render_error_page(Request(scope), status, code, message)


class UploadGate:
    """Authenticate uploads before their body; count every body and stop at the limit."""

    def __init__(self, app: ASGIApp, node: Node) -> None:
        self.app = app
        self.node = node

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.node.settings.max_upload_bytes + SLACK
        length = dict(scope["headers"]).get(b"content-length")
        if length and length.isdigit() and int(length) > limit:
            await self._too_large(scope)(scope, receive, send)
            return
        if _is_upload(scope) and not await run_in_threadpool(self._authenticated, scope):
            await _refusal(scope, 401, "not-authenticated", SIGN_IN_TO_UPLOAD)(scope, receive, send)
            return
        await self._counted(scope, receive, send, limit=limit)

    def _too_large(self, scope: Scope) -> Response:
        message = f"request body over the {self.node.settings.max_upload_bytes}-byte limit"
        return _refusal(scope, 413, "payload-too-large", message)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, *, limit: int) -> None:
        """Run the app on a counted body; past the limit, its answer is replaced by 413."""
        state = {"read": 0, "over": False, "started": False}

        async def counted_receive() -> Message:
            if state["over"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit:
                    state["over"] = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["over"]:
                return  # the app's answer to a cut-off body is never sent
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await self._too_large(scope)(scope, receive, send)

    def _authenticated(self, scope: Scope) -> bool:
        """Whether the request names a signed-in user (a valid token, or a live session)."""
        with unit_of_work(self.node.sessions) as session:
            if scope["path"].startswith("/api/"):
                try:
                    return not reader_for_token(_bearer(scope), session=session).is_anonymous
                except NotAuthenticated:
                    return False
            cookie: dict[str, Any] = scope.get("session") or {}
            user_id, generation = cookie.get(SESSION_USER), cookie.get(SESSION_GENERATION)
            if not isinstance(user_id, int) or not isinstance(generation, int):
                return False
            reader = reader_for_user_id(user_id, generation=generation, session=session)
            return not reader.is_anonymous


def _is_upload(scope: Scope) -> bool:
    path = scope["path"]
    return scope["method"] == "POST" and bool(API_UPLOAD.match(path) or WEB_UPLOAD.match(path))


def _bearer(scope: Scope) -> str | None:
    value = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
