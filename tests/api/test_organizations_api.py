"""The organizations registry over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import make_member, make_org


def test_register_and_filter(client: TestClient, node: Node) -> None:
    user = make_member(node, "someone@ngo.example")
    body = {
        "slug": "fair-wear-watch",
        "name": "Fair Wear Watch",
        "archetype": "worker-voice",
        "countries": ["BD", "vn"],
        "has_api": True,
        "api_url": "https://api.fww.example",
        "formats": ["csv", "json"],
        "data_types": ["working-conditions", "violations"],
        "public_summary": "Aggregated grievance counts per factory.",
    }
    assert client.post("/api/v1/organizations", json=body).status_code == 401
    created = client.post("/api/v1/organizations", json=body, headers=user.headers)
    assert created.status_code == 201, created.text
    assert created.json()["countries"] == ["BD", "VN"]
    duplicate = client.post("/api/v1/organizations", json=body, headers=user.headers)
    assert duplicate.status_code == 409
    # the registering user became owner: they may create datasets for it
    dataset = {
        "slug": "grievances",
        "organization": "fair-wear-watch",
        "title": "G",
        "data_type": "violations",
    }
    assert client.post("/api/v1/datasets", json=dataset, headers=user.headers).status_code == 201
    make_org(
        node,
        "audit-hub",
        archetype="compliance-aggregator",
        countries=["KH"],
        data_types=["facility-compliance"],
    )

    def slugs(**params: str) -> list[str]:
        page = client.get("/api/v1/organizations", params=params).json()
        return [o["slug"] for o in page["items"]]

    assert slugs(archetype="worker-voice") == ["fair-wear-watch"]
    assert slugs(country="kh") == ["audit-hub"]
    assert slugs(data_type="violations") == ["fair-wear-watch"]
    assert sorted(slugs()) == ["audit-hub", "fair-wear-watch"]
    one = client.get("/api/v1/organizations/fair-wear-watch").json()
    assert one["has_api"] is True and one["api_url"] == "https://api.fww.example"
    assert client.get("/api/v1/organizations/nope").status_code == 404


def test_invalid_registration_is_422_with_envelope(client: TestClient, node: Node) -> None:
    user = make_member(node, "someone@ngo.example")
    response = client.post(
        "/api/v1/organizations",
        json={"slug": "Bad Slug", "name": "X", "archetype": "wizard"},
        headers=user.headers,
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid-input"
    locations = {tuple(d["location"]) for d in error["details"]}
    assert ("body", "slug") in locations and ("body", "archetype") in locations
