"""Upload limits hold for chunked bodies too, and anonymous uploads are refused unread."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from laborcommons.api import create_app
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings
from tests.factories import Member, make_dataset, make_member, make_org
from tests.web.steps import csrf_from, sign_in

LIMIT = 64 * 1024
BOUNDARY = "lcboundary"
CHUNK = b"x" * (64 * 1024)


@pytest.fixture
def small(settings: Settings) -> Iterator[Node]:
    node = open_node(settings.model_copy(update={"max_upload_bytes": LIMIT}))
    yield node
    node.dispose()


@pytest.fixture
def small_client(small: Node) -> Iterator[TestClient]:
    with TestClient(create_app(node=small)) as client:
        yield client


@pytest.fixture
def owner(small: Node) -> Member:
    make_org(small, "garment-union")
    member = make_member(small, "owner@union.example", "garment-union", "owner")
    make_dataset(small, "wages", "garment-union")
    return member


class ChunkedBody:
    """A multipart body with no Content-Length, streamed chunk by chunk; counts what is read."""

    def __init__(self, chunks: int, fields: dict[str, str] | None = None) -> None:
        self.chunks, self.fields, self.sent = chunks, fields or {}, 0

    def __iter__(self) -> Iterator[bytes]:
        for name, value in self.fields.items():
            yield (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        yield (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            'filename="big.csv"\r\nContent-Type: text/csv\r\n\r\na,b\r\n'
        ).encode()
        for _ in range(self.chunks):
            self.sent += 1
            yield CHUNK
        yield f"\r\n--{BOUNDARY}--\r\n".encode()

    def post(self, client: TestClient, url: str, **headers: str) -> Answer:
        """POST straight to the ASGI app, one chunk per receive, as a server would; the
        test client would read the whole body first. The cookies are the client's."""
        headers["content-type"] = f"multipart/form-data; boundary={BOUNDARY}"
        if client.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        return anyio.run(self._post, client.app, url, headers)

    async def _post(self, app: Any, url: str, headers: dict[str, str]) -> Answer:
        chunks, answer = iter(self), Answer()

        async def receive() -> dict[str, Any]:
            chunk = next(chunks, None)
            return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer.status_code = message["status"]
                answer.headers = {k.decode(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                answer.body += message.get("body", b"")

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": url,
            "raw_path": url.encode(),
            "query_string": b"",
            "root_path": "",
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        }
        await app(scope, receive, send)
        return answer


@dataclass
class Answer:
    status_code: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.body)


def tmp_files(node: Node) -> list[str]:
    return sorted(str(p) for p in node.settings.tmp_dir.rglob("*") if p.is_file())


def test_a_chunked_api_upload_over_the_limit_is_cut_off(
    small_client: TestClient, small: Node, owner: Member
) -> None:
    body = ChunkedBody(chunks=100)  # 6.4 MiB against a 64 KiB limit, no Content-Length
    response = body.post(small_client, "/api/v1/datasets/wages/versions", **owner.headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload-too-large"
    assert body.sent < 100  # reading stopped at the limit
    assert tmp_files(small) == []


def test_an_anonymous_api_upload_is_refused_before_its_body_is_read(
    small_client: TestClient, small: Node, owner: Member
) -> None:
    for headers in ({}, {"Authorization": "Bearer lct_not-a-token"}):
        body = ChunkedBody(chunks=100)
        response = body.post(small_client, "/api/v1/datasets/wages/versions", **headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not-authenticated"
        assert body.sent == 0
    assert tmp_files(small) == []


def test_a_chunked_web_upload_over_the_limit_is_cut_off(
    small_client: TestClient, small: Node, owner: Member
) -> None:
    sign_in(small_client, owner)
    token = csrf_from(small_client, "/datasets/wages/upload")
    body = ChunkedBody(chunks=100, fields={"csrf_token": token})
    response = body.post(small_client, "/datasets/wages/upload")
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"] and "limit" in response.text
    assert body.sent < 100
    assert tmp_files(small) == []


def test_an_anonymous_web_upload_is_refused_before_its_body_is_read(
    small_client: TestClient, small: Node, owner: Member
) -> None:
    body = ChunkedBody(chunks=100)
    response = body.post(small_client, "/datasets/wages/upload")
    assert response.status_code == 401 and "text/html" in response.headers["content-type"]
    assert body.sent == 0


def test_uploads_within_the_limit_still_work(
    small_client: TestClient, small: Node, owner: Member
) -> None:
    response = small_client.post(
        "/api/v1/datasets/wages/versions",
        files={"file": ("w.csv", b"facility,workers\nDhaka Knit,1200\n")},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
