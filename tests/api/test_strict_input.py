"""Strict input: an unknown JSON field or query parameter is refused, never ignored.

A misspelt field (``expires`` for ``expires_at``) or filter (``country=`` on dataset search)
would otherwise be dropped and the request would "succeed" without doing what was asked.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.access.models import Grant
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import make_dataset, make_member, make_org

CSV = b"facility,country\nDhaka Knit,BD\nSaigon Sewing,VN\n"


def _json_body_operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    """Every API operation whose body is a JSON object, from the OpenAPI document."""
    document = client.get("/api/v1/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method, path, operation))
    return found


def _concrete(path: str, operation: dict[str, Any]) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            kind = parameter["schema"].get("type")
            value = "1" if kind == "integer" else "some-slug"
            path = path.replace("{" + parameter["name"] + "}", value)
    return path


def test_every_json_body_refuses_an_unknown_field(client: TestClient) -> None:
    operations = _json_body_operations(client)
    assert len(operations) >= 15, "the enumeration found the API's JSON bodies"
    for method, path, operation in operations:
        url = _concrete(path, operation)
        response = client.request(method, url, json={"no_such_field_xyz": 1})
        assert response.status_code == 422, (method, path, response.text)
        issues = response.json()["error"]["details"]
        named = [i for i in issues if i["type"] == "extra_forbidden"]
        assert named and named[0]["location"][-1] == "no_such_field_xyz", (method, path)
        assert "no_such_field_xyz" in response.json()["error"]["message"], (method, path)


def test_a_misspelt_grant_expiry_is_refused_and_no_grant_is_made(
    client: TestClient, node: Node
) -> None:
    make_org(node, "union")
    make_org(node, "legal-aid")
    owner = make_member(node, "w@union.example", "union", "owner")
    make_dataset(node, "wages", "union", access="named")
    response = client.post(
        "/api/v1/datasets/wages/grants",
        json={"organization": "legal-aid", "agreement": "DSA-1", "expires": "2026-01-01"},
        headers=owner.headers,
    )
    assert response.status_code == 422
    assert "expires" in response.json()["error"]["message"]
    with unit_of_work(node.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Grant)) == 0


def test_a_misspelt_patch_is_refused_and_changes_nothing(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    owner = make_member(node, "w@union.example", "union", "owner")
    make_dataset(node, "wages", "union", access="internal")
    response = client.patch(
        "/api/v1/datasets/wages",
        json={"licence": "CC-BY-4.0", "acces": "open", "title": "Renamed"},
        headers=owner.headers,
    )
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "licence" in message and "acces" in message
    after = client.get("/api/v1/datasets/wages", headers=owner.headers).json()
    assert (after["access"], after["license"], after["title"]) == ("internal", None, "Wages")


def test_a_nested_dictionary_entry_refuses_unknown_keys(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    owner = make_member(node, "w@union.example", "union", "owner")
    make_dataset(node, "wages", "union")
    response = client.patch(
        "/api/v1/datasets/wages",
        json={"data_dictionary": {"wage": {"description": "monthly", "units": "BDT"}}},
        headers=owner.headers,
    )
    assert response.status_code == 422
    assert "units" in response.json()["error"]["message"]


def test_an_unknown_query_parameter_is_named_with_the_allowed_ones(
    client: TestClient, node: Node
) -> None:
    make_org(node, "union")
    make_dataset(node, "wages", "union", access="open", license="CC-BY-4.0")
    response = client.get("/api/v1/datasets?countri=BD")
    assert response.status_code == 400
    error = response.json()["error"]
    assert "'countri'" in error["message"] and "data_type" in error["message"]
    assert error["details"]["unknown"] == ["countri"]
    assert "organization" in error["details"]["allowed"]
    assert client.get("/api/v1/datasets?page_sise=5").status_code == 400
    assert client.get("/api/v1/datasets?organization=union&page_size=5").status_code == 200
    assert client.get("/api/v1/entities?countri=BD").status_code == 400
    assert client.get("/api/v1/organizations?archetyp=advocate").status_code == 400


def test_row_filters_take_columns_and_refuse_unknown_ones(client: TestClient, node: Node) -> None:
    make_org(node, "union")
    owner = make_member(node, "w@union.example", "union", "owner")
    make_dataset(node, "sites", "union", access="open", license="CC-BY-4.0")
    upload = client.post(
        "/api/v1/datasets/sites/versions", files={"file": ("s.csv", CSV)}, headers=owner.headers
    )
    assert upload.status_code == 201
    rows = client.get("/api/v1/datasets/sites/versions/1/rows?country=BD&_size=10")
    assert rows.status_code == 200 and rows.json()["total"] == 1
    unknown = client.get("/api/v1/datasets/sites/versions/1/rows?countri=BD")
    assert unknown.status_code == 400 and "countri" in unknown.json()["error"]["message"]


def test_reconciliation_keeps_accepting_client_parameters(client: TestClient) -> None:
    """OpenRefine and JSONP clients add their own parameters (``_`` cache busters)."""
    response = client.get("/api/v1/reconcile?callback=cb&_=1700000000")
    assert response.status_code == 200 and "cb({" in response.text
