"""App-wide contracts: the OpenAPI document, the error envelope, licenses, /me."""

from __future__ import annotations

from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import make_member


def test_openapi_documents_every_route(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/organizations",
        "/api/v1/datasets/{slug}/versions/{number}/download",
        "/api/v1/licenses/choose",
    ):
        assert path in spec["paths"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


def test_unknown_route_uses_the_envelope(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not-found"


def test_licenses_and_chooser(client: TestClient) -> None:
    licenses = {item["id"]: item for item in client.get("/api/v1/licenses").json()}
    assert len(licenses) == 10
    assert licenses["ODbL-1.0"]["share_alike"] and licenses["ODbL-1.0"]["open"]
    assert not licenses["CC-BY-ND-4.0"]["open"]
    answer = client.post(
        "/api/v1/licenses/choose",
        json={
            "waive_all_rights": False,
            "allow_commercial": False,
            "allow_modifications": True,
            "require_share_alike": True,
        },
    ).json()
    assert answer["license"]["id"] == "CC-BY-NC-SA-4.0" and answer["open"] is False
    assert "public" in answer["explanation"]
    waived = client.post("/api/v1/licenses/choose", json={"waive_all_rights": True}).json()
    assert waived["license"]["id"] == "CC0-1.0"


def test_me(client: TestClient, node: Node) -> None:
    assert client.get("/api/v1/me").json()["authenticated"] is False
    member = make_member(node, "a@b.example")
    assert client.get("/api/v1/me", headers=member.headers).json()["email"] == "a@b.example"


def test_oversized_bodies_are_refused_before_reading(client: TestClient, node: Node) -> None:
    node.settings.max_upload_bytes = 10
    body = b"x" * (2 * 1024 * 1024)
    api = client.post("/api/v1/datasets/any/versions", content=body)
    assert api.status_code == 413 and api.json()["error"]["code"] == "payload-too-large"
    page = client.post("/datasets/any/upload", content=body)
    assert page.status_code == 413 and "text/html" in page.headers["content-type"]
