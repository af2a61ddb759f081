"""NUL bytes in text: PostgreSQL refuses them, so they are refused as input everywhere."""

from __future__ import annotations

from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import make_member, make_org


def test_nul_bytes_are_invalid_input_not_a_crash(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    owner = make_member(node, "owner@union.example", "union", "owner")
    org = {"slug": "nul-org", "name": "Bad\x00Name", "archetype": "advocate"}
    response = client.post("/api/v1/organizations", json=org, headers=owner.headers)
    assert response.status_code == 422, response.text
    dataset = {"slug": "nul", "organization": "union", "title": "T\x00", "data_type": "other"}
    response = client.post("/api/v1/datasets", json=dataset, headers=owner.headers)
    assert response.status_code == 422, response.text
    listed = client.get("/api/v1/datasets", params={"q": "a\x00b"})
    assert listed.status_code in {200, 422}
    assert client.get("/api/v1/organizations", params={"q": "\x00"}).status_code in {200, 422}


def test_nul_bytes_in_forms_and_filters(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    owner = make_member(node, "owner@union.example", "union", "owner")
    dataset = {
        "slug": "d1",
        "organization": "union",
        "title": "T",
        "data_type": "other",
        "access": "open",
        "license": "CC0-1.0",
    }
    assert client.post("/api/v1/datasets", json=dataset, headers=owner.headers).status_code == 201
    upload = client.post(
        "/api/v1/datasets/d1/versions",
        files={"file": ("f.csv", b"a,b\n1,2\n")},
        data={"message": "first\x00"},
        headers=owner.headers,
    )
    assert upload.status_code == 422
    assert node.store.all_digests() == []
    ok = client.post(
        "/api/v1/datasets/d1/versions",
        files={"file": ("f.csv", b"a,b\n1,2\n")},
        headers=owner.headers,
    )
    assert ok.status_code == 201
    rows = client.get("/api/v1/datasets/d1/versions/1/rows", params={"a": "1\x00"})
    assert rows.status_code == 200 and rows.json()["total"] == 0
