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
