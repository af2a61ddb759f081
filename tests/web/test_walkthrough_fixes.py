"""Bugs the new-user walk-through found (issue 15), each pinned by the behaviour it broke."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset
from tests.web.steps import write_csv

API = "/api/v1/datasets"


def test_the_public_level_does_not_call_an_open_license_restrictive(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(node, "share-alike", "garment-union", access="public", license="CC-BY-SA-4.0")
    html = client.get("/datasets/share-alike").text
    assert "CC-BY-SA-4.0" in html
    assert "restrictive" not in html.lower()
    assert "Public: anyone, under the dataset" in html


def test_the_preview_says_no_rows_match_once(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
) -> None:
    make_dataset(node, "wages", "garment-union", access="open", license="CC-BY-4.0")
    ingest(node, "wages", write_csv(tmp_path))
    html = client.get("/datasets/wages", params={"country": "ZZ"}).text
    assert "No rows match the filters." in html
    assert "match matching" not in html
    assert "matching the filters." in client.get("/datasets/wages?country=BD").text


def test_a_period_may_not_end_before_it_starts(client: TestClient, owner: Member) -> None:
    body = {
        "slug": "backwards",
        "organization": "garment-union",
        "title": "Backwards",
        "data_type": "working-conditions",
        "period_start": "2025-06-01",
        "period_end": "2025-01-31",
    }
    refused = client.post(API, json=body, headers=owner.headers)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert "period_end 2025-01-31 is before period_start 2025-06-01" in error["message"]
    assert error["details"]["field"] == "period_end"
    assert client.get(f"{API}/backwards", headers=owner.headers).status_code == 404

    created = client.post(API, json={**body, "period_end": None}, headers=owner.headers)
    assert created.status_code == 201
    # One end sent alone is checked against the other end as stored; nothing changes.
    patch = client.patch(
        f"{API}/backwards", json={"period_end": "2025-05-31"}, headers=owner.headers
    )
    assert patch.status_code == 422
    assert client.get(f"{API}/backwards", headers=owner.headers).json()["period_end"] is None
    same_day = client.patch(
        f"{API}/backwards", json={"period_end": "2025-06-01"}, headers=owner.headers
    )
    assert same_day.status_code == 200


def _upload(client: TestClient, owner: Member, slug: str, text: str) -> object:
    return client.post(
        f"{API}/{slug}/versions", files={"file": ("v.csv", text.encode())}, headers=owner.headers
    )


def _dictionary(client: TestClient, owner: Member, slug: str) -> dict[str, object]:
    return dict(client.get(f"{API}/{slug}", headers=owner.headers).json()["data_dictionary"])


def test_inferred_allowed_values_follow_the_new_version(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(node, "audits", "garment-union", access="open", license="CC-BY-4.0")
    assert (
        _upload(client, owner, "audits", "facility,grade,old\nA,good,1\nB,poor,2\n").status_code
        == 201
    )
    assert _dictionary(client, owner, "audits")["grade"]["allowed_values"] == ["good", "poor"]
    # Version 2 changes the column's categories and drops a column.
    assert _upload(client, owner, "audits", "facility,grade\nA,A\nB,C\nC,B\n").status_code == 201
    dictionary = _dictionary(client, owner, "audits")
    assert dictionary["grade"]["allowed_values"] == ["A", "B", "C"]
    assert "old" not in dictionary  # a dropped column is not documented as current


def test_declared_allowed_values_are_enforced_on_upload(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(node, "audits", "garment-union", access="open", license="CC-BY-4.0")
    assert _upload(client, owner, "audits", "facility,grade\nA,good\nB,poor\n").status_code == 201
    declared = {"allowed_values": ["good", "fair", "poor"], "description": "Auditor's grade"}
    patch = client.patch(
        f"{API}/audits", json={"data_dictionary": {"grade": declared}}, headers=owner.headers
    )
    assert patch.status_code == 200, patch.text
    refused = _upload(client, owner, "audits", "facility,grade\nA,fair\nB,excellent\nC,\n")
    assert refused.status_code == 422
    [issue] = refused.json()["error"]["details"]["issues"]
    assert (issue["type"], issue["row"], issue["column"], issue["value"]) == (
        "constraint-error",
        3,
        "grade",
        "excellent",
    )
    assert "allowed values (good, fair, poor)" in issue["message"]
    versions = client.get(f"{API}/audits/versions", headers=owner.headers).json()
    assert len(versions["items"] if isinstance(versions, dict) else versions) == 1
    # Declared values stay declared through a new version; a file without the column passes.
    assert _upload(client, owner, "audits", "facility,grade\nA,fair\n").status_code == 201
    assert (
        _dictionary(client, owner, "audits")["grade"]["allowed_values"]
        == declared["allowed_values"]
    )
    assert _upload(client, owner, "audits", "facility\nA\n").status_code == 201


def test_saving_inferred_values_unchanged_does_not_make_them_a_rule(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(node, "audits", "garment-union", access="open", license="CC-BY-4.0")
    assert _upload(client, owner, "audits", "facility,grade\nA,good\nB,poor\n").status_code == 201
    same = {"allowed_values": ["good", "poor"], "description": "Grade"}
    client.patch(f"{API}/audits", json={"data_dictionary": {"grade": same}}, headers=owner.headers)
    assert _upload(client, owner, "audits", "facility,grade\nA,fair\n").status_code == 201
    assert _dictionary(client, owner, "audits")["grade"] == {
        "description": "Grade",
        "unit": "",
        "allowed_values": ["fair"],
    }
