"""HTTP as browsers, harvesters and generated clients expect it: CORS on the API without
credentials, HEAD wherever GET answers (and exactly as GET decides), ``Allow`` on a 405."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.api import create_app
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_member, make_org

ORIGIN = "https://tools.example.org"


@pytest.fixture
def datasets(node: Node, tmp_path: Path) -> None:
    make_org(node, "union")
    rows = tmp_path / "rows.csv"
    rows.write_text("facility,country\nDhaka Knit,BD\n", encoding="utf-8")
    make_dataset(node, "open-list", "union", access="open", license="CC-BY-4.0")
    ingest(node, "open-list", rows)
    make_dataset(node, "hidden-list", "union", access="internal")
    ingest(node, "hidden-list", rows)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/datasets/open-list",
        "/api/v1/datasets/open-list/versions/1/download?format=csv",
        "/datasets/open-list",
        "/api/v1/datasets/hidden-list/versions/1/rows",
        "/api/v1/datasets/no-such-list",
    ],
)
def test_head_answers_as_get_without_a_body(client: TestClient, datasets: None, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


def test_the_api_answers_any_origin_without_credentials(client: TestClient, datasets: None) -> None:
    read = client.get("/api/v1/datasets/open-list", headers={"Origin": ORIGIN})
    assert read.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in read.headers
    exposed = read.headers["access-control-expose-headers"]
    assert "Link" in exposed and "X-LaborCommons-Cells-Altered" in exposed
    preflight = client.options(
        "/api/v1/reconcile",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    with_token = client.options(
        "/api/v1/datasets/hidden-list/versions/1/rows",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert with_token.status_code == 400  # a page elsewhere may not send an API token
    assert (
        "access-control-allow-origin"
        not in client.get("/datasets/open-list", headers={"Origin": ORIGIN}).headers
    )  # pages are same-origin only


def test_the_origins_are_configurable(node: Node, datasets: None) -> None:
    node.settings.cors_origins = [ORIGIN]
    with TestClient(create_app(node=node)) as client:
        allowed = client.get("/api/v1/licenses", headers={"Origin": ORIGIN})
        other = client.get("/api/v1/licenses", headers={"Origin": "https://elsewhere.example"})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/licenses", "GET, HEAD, OPTIONS"),
        ("PUT", "/api/v1/datasets/open-list/questions", "GET, HEAD, OPTIONS, POST"),
        ("PATCH", "/datasets/open-list/questions", "GET, HEAD, POST"),
    ],
)
def test_a_405_names_every_method_of_the_path(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


DOWNLOAD = "/api/v1/datasets/{slug}/versions/1/download"


def test_open_downloads_carry_a_stable_etag_and_answer_304(
    client: TestClient, datasets: None
) -> None:
    url = DOWNLOAD.format(slug="open-list")
    first = client.get(url, params={"format": "csv"})
    etag = first.headers["etag"]
    assert (
        etag.startswith('"') and client.get(url, params={"format": "csv"}).headers["etag"] == etag
    )
    assert first.headers["cache-control"] == "public, max-age=86400, immutable"
    cached = client.get(url, params={"format": "csv"}, headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == etag
    weak = client.get(url, params={"format": "csv"}, headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304  # If-None-Match compares weakly
    as_stored = client.get(url, params={"format": "csv", "safe": "false"})
    assert as_stored.headers["etag"] != etag  # other bytes, another tag
    stale = client.get(url, params={"format": "csv"}, headers={"If-None-Match": '"old", "x"'})
    assert stale.status_code == 200 and stale.content == first.content
    assert client.get(url, params={"format": "xlsx"}).headers["etag"].startswith('W/"')
    original = client.get("/api/v1/datasets/open-list/versions/1/original")
    assert original.headers["etag"] != etag and original.headers["etag"].startswith('"')


def test_a_restricted_download_is_validated_only_after_the_access_decision(
    client: TestClient, datasets: None, node: Node
) -> None:
    owner = make_member(node, "owner@union.example", "union", "owner")
    url = DOWNLOAD.format(slug="hidden-list")
    read = client.get(url, headers=owner.headers)
    assert read.status_code == 200 and read.headers["cache-control"] == "private, no-store"
    etag = read.headers["etag"]
    again = client.get(url, headers={**owner.headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["cache-control"] == "private, no-store"
    outsider = client.get(url, headers={"If-None-Match": etag})
    missing = client.get(DOWNLOAD.format(slug="no-such-list"), headers={"If-None-Match": etag})
    assert outsider.status_code == missing.status_code == 404  # never a 304 for the hidden
