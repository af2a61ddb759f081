"""gzip for the API's text answers (JSON, CSV and the RDF exports), never for the rest.

Only text types are compressed: Parquet and XLSX are compressed already, and an uploaded
original or an attachment is sent as it was stored. Web pages are not compressed either:
they carry the CSRF token beside text the reader typed, which is what a BREACH attack
needs. A body under ``MINIMUM_SIZE`` is sent as it is (gzip would barely shrink it).

Each compressible answer says ``Vary: Accept-Encoding``, compressed or not, so a shared
cache keeps the two representations apart. A compressed answer's ``ETag`` becomes weak
(``W/"…"``, as nginx does): the bytes differ from the identity answer's, so a strong
validator would be wrong (RFC 9110 8.8.3), while ``If-None-Match`` compares weakly and
still answers 304 to a client holding either tag.
"""

from __future__ import annotations

import zlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_PREFIX = "/api/"
MINIMUM_SIZE = 1024
COMPRESSIBLE = frozenset(
    {
        "application/json",
        "application/jsonl",
        "application/geo+json",
        "application/ld+json",
        "application/rdf+xml",
        "application/xml",
        "text/csv",
        "text/tab-separated-values",
        "text/turtle",
        "text/plain",
    }
)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` lists gzip (or ``*``) with a non-zero weight."""
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            weight = params.strip().removeprefix("q=")
            try:
                return not params or float(weight) > 0
            except ValueError:
                return False
    return False


def compressible(headers: Headers | MutableHeaders) -> bool:
    media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
    return media_type in COMPRESSIBLE and "content-encoding" not in headers


def weakened(etag: str) -> str:
    return etag if etag.startswith("W/") else f"W/{etag}"


class CompressApi:
    """gzip the API's compressible answers for clients that accept it."""

    def __init__(self, app: ASGIApp, *, minimum_size: int = MINIMUM_SIZE) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        accepted = accepts_gzip(Headers(scope=scope).get("accept-encoding", ""))
        await self.app(scope, receive, _Gzipping(send, accepted, self.minimum_size))


class _Gzipping:
    """The ``send`` of one answer: holds its start until the first body chunk shows
    whether it is worth compressing, then compresses every chunk as it streams."""

    def __init__(self, send: Send, accepted: bool, minimum_size: int) -> None:
        self.send = send
        self.accepted = accepted
        self.minimum_size = minimum_size
        self.start: Message | None = None  # held while undecided
        self.compressor: zlib._Compress | None = None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            if message["status"] in (204, 206, 304) or not compressible(headers):
                await self.send(message)
                return
            headers.add_vary_header("Accept-Encoding")
            if self.accepted:
                self.start = message
            else:
                await self.send(message)
        elif message["type"] == "http.response.body" and (self.start or self.compressor):
            await self._body(message)
        else:
            await self._release()
            await self.send(message)

    async def _body(self, message: Message) -> None:
        body, more = message.get("body", b""), message.get("more_body", False)
        if self.compressor is None:
            if not more and len(body) < self.minimum_size:
                await self._release()
                await self.send(message)
                return
            self.compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            compressed = self.compressor.compress(body)
            if not more:
                compressed += self.compressor.flush()
            await self._release(compressed=compressed if not more else None)
            await self.send({**message, "body": compressed})
            return
        compressed = self.compressor.compress(body)
        if not more:
            compressed += self.compressor.flush()
        await self.send({**message, "body": compressed})

    async def _release(self, *, compressed: bytes | None = None) -> None:
        """Send the held start, marked as gzip once compression has begun."""
        if self.start is None:
            return
        start, self.start = self.start, None
        if self.compressor is not None:
            headers = MutableHeaders(scope=start)
            headers["Content-Encoding"] = "gzip"
            del headers["Content-Length"]
            if compressed is not None:  # the whole body in one chunk: its length is known
                headers["Content-Length"] = str(len(compressed))
            if "etag" in headers:
                headers["ETag"] = weakened(headers["etag"])
        await self.send(start)
