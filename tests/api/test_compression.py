"""gzip on the API's text answers: big JSON is compressed for clients that ask, small
answers, other clients and already-compressed downloads are not, and validators stay
right (a weak ETag on the compressed bytes, 304 to a client holding either tag)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.api.compression import accepts_gzip
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_org

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture
def wages(node: Node, tmp_path: Path) -> None:
    make_org(node, "union")
    make_dataset(node, "wages", "union", access="open", license="CC-BY-4.0")
    rows = tmp_path / "wages.csv"
    lines = [f"Facility number {i},BD,{100 + i}" for i in range(200)]
    rows.write_text("facility,country,wage\n" + "\n".join(lines) + "\n", encoding="utf-8")
    ingest(node, "wages", rows)


def raw(
    client: TestClient, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """The answer as sent, not decoded by the client."""
    with client.stream("GET", path, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


def test_a_large_json_answer_is_gzipped_for_a_client_that_accepts_it(
    client: TestClient, wages: None
) -> None:
    path = "/api/v1/datasets/wages/versions/1/rows?_size=200"
    status, headers, body = raw(client, path, GZIP)
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in headers["vary"]
    assert headers["content-length"] == str(len(body))
    assert json.loads(gzip.decompress(body))["total"] == 200
    _, plain, plain_body = raw(client, path, IDENTITY)
    assert "content-encoding" not in plain and "Accept-Encoding" in plain["vary"]
    assert json.loads(plain_body)["total"] == 200 and len(body) < len(plain_body) / 3


def test_small_answers_and_pages_are_not_gzipped(client: TestClient, wages: None) -> None:
    _, api, _ = raw(client, "/api/v1/licenses/CC0-1.0", GZIP)
    assert "content-encoding" not in api  # a small error envelope
    _, small, _ = raw(client, "/api/v1/datasets/wages/versions/1/rows?_size=1", GZIP)
    assert "content-encoding" not in small
    _, page, _ = raw(client, "/datasets/wages", GZIP)
    assert "content-encoding" not in page  # web pages carry the CSRF token: never compressed


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_compressed_downloads_are_sent_as_they_are(
    client: TestClient, wages: None, fmt: str
) -> None:
    status, headers, _ = raw(
        client, f"/api/v1/datasets/wages/versions/1/download?format={fmt}", GZIP
    )
    assert status == 200 and "content-encoding" not in headers
    assert "Accept-Encoding" not in headers.get("vary", "")


def test_a_gzipped_download_has_a_weak_etag_and_still_answers_304(
    client: TestClient, wages: None
) -> None:
    path = "/api/v1/datasets/wages/versions/1/download?format=json"
    _, identity, _ = raw(client, path, IDENTITY)
    _, zipped, body = raw(client, path, GZIP)
    assert zipped["content-encoding"] == "gzip" and gzip.decompress(body).startswith(b"[")
    assert not identity["etag"].startswith("W/")
    assert zipped["etag"] == "W/" + identity["etag"]
    for held in (identity["etag"], zipped["etag"]):
        again = client.get(path, headers={**GZIP, "If-None-Match": held})
        assert again.status_code == 304 and again.content == b""


def test_head_of_a_gzipped_answer_has_the_get_headers_and_no_body(
    client: TestClient, wages: None
) -> None:
    path = "/api/v1/datasets/wages/versions/1/rows?_size=200"
    _, got, body = raw(client, path, GZIP)
    head = client.head(path, headers=GZIP)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-encoding"] == "gzip"
    assert head.headers["content-length"] == got["content-length"] == str(len(body))


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("br, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
        ("deflate", False),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted
