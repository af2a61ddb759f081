"""Relations: by hand and from a brand's supplier list, with their period and source,
hidden when their source dataset is hidden; exports; edits kept in the history."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

from tests.entities.conftest import StandIn, World, add_list, link


def create(client: TestClient, world: World, **fields: Any) -> str:
    response = client.post("/api/v1/entities", json=fields, headers=world.owner.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["lcid"])


def test_relations_by_hand_check_kinds_and_periods(client: TestClient, world: World) -> None:
    mill = create(
        client,
        world,
        kind="facility",
        name="Tirupur Spinning",
        country="IN",
        latitude=11.1,
        longitude=77.3,
    )
    owner = create(client, world, kind="company", name="KPR Mill Ltd", country="IN")
    brand = create(client, world, kind="brand", name="Denim Co", owner=owner)
    ok = client.post(
        "/api/v1/entities/relations",
        headers=world.owner.headers,
        json={
            "subject": mill,
            "predicate": "operated_by",
            "object": owner,
            "valid_from": "2019-01-01",
            "valid_to": "2024-12-31",
        },
    )
    assert ok.status_code == 201, ok.text
    wrong = client.post(
        "/api/v1/entities/relations",
        headers=world.owner.headers,
        json={"subject": mill, "predicate": "sources_from", "object": owner},
    )
    assert wrong.status_code == 422 and "brand" in wrong.json()["error"]["message"]
    backwards = client.post(
        "/api/v1/entities/relations",
        headers=world.owner.headers,
        json={
            "subject": mill,
            "predicate": "operated_by",
            "object": owner,
            "valid_from": "2024-01-01",
            "valid_to": "2019-01-01",
        },
    )
    assert backwards.status_code == 422
    shown = client.get(f"/api/v1/entities/{owner}").json()
    assert [(r["subject"], r["predicate"], r["valid_from"]) for r in shown["relations"]] == [
        (mill, "operated_by", "2019-01-01")
    ]
    assert client.get(f"/api/v1/entities/{brand}").json()["owner"] == owner
    relations = client.get(
        "/api/v1/entities/export", params={"format": "csv", "what": "relations"}
    ).text
    rows = list(csv.DictReader(io.StringIO(relations)))
    assert [(r["subject_name"], r["object_name"]) for r in rows] == [
        ("Tirupur Spinning", "KPR Mill Ltd")
    ]


def test_a_brand_supplier_list_links_with_a_relation_per_row(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    brand = create(client, world, kind="brand", name="Fair Threads")
    add_list(
        world,
        "fair-threads-suppliers",
        "Facility,Country,Tier\nDhaka Knit Composite Ltd.,BD,1\nTongi Dyeing,BD,2\n",
    )
    job = client.post(
        "/api/v1/entities/link-jobs",
        headers=world.owner.headers,
        json={
            "dataset": "fair-threads-suppliers",
            "relation": {
                "predicate": "sources_from",
                "subject": brand,
                "tier_column": "Tier",
                "valid_from": "2025-01-01",
            },
        },
    )
    assert job.status_code == 202, job.text
    assert client.get(f"/api/v1/entities/link-jobs/{job.json()['id']}").json()["status"] == "done"
    relations = client.get(f"/api/v1/entities/{brand}").json()["relations"]
    assert sorted((r["object_name"], r["tier"], r["source_dataset"]) for r in relations) == [
        ("Dhaka Knit Composite Ltd.", 1, "fair-threads-suppliers"),
        ("Tongi Dyeing", 2, "fair-threads-suppliers"),
    ]
    wrong = client.post(
        "/api/v1/entities/link-jobs",
        headers=world.owner.headers,
        json={
            "dataset": "fair-threads-suppliers",
            "relation": {"predicate": "operated_by", "subject": brand},
        },
    )
    assert wrong.status_code == 422


def test_relations_from_hidden_datasets_are_not_shown(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    brand = create(client, world, kind="brand", name="Quiet Brand")
    add_list(world, "quiet-suppliers", "Facility,Country\nSecret Mill,KH\n", access="internal")
    link(world.node, "quiet-suppliers", relation={"predicate": "sources_from", "subject": brand})
    assert client.get(f"/api/v1/entities/{brand}").json()["relations"] == []
    seen = client.get(f"/api/v1/entities/{brand}", headers=world.viewer.headers).json()
    assert [r["object_name"] for r in seen["relations"]] == ["Secret Mill"]
    export = client.get("/api/v1/entities/export", params={"format": "json"}).json()
    assert export["relations"] == []


def test_edits_keep_the_old_name_and_the_history(client: TestClient, world: World) -> None:
    lcid = create(client, world, kind="facility", name="Saigon Garmnet", country="VN")
    changed = client.patch(
        f"/api/v1/entities/{lcid}",
        headers=world.owner.headers,
        json={"name": "Saigon Garment", "workers_min": 200, "workers_max": 400, "reason": "typo"},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["name"] == "Saigon Garment" and body["names"][0]["name"] == "Saigon Garmnet"
    assert client.get("/api/v1/entities", params={"q": "garmnet"}).json()["total"] == 1
    history = client.get(f"/api/v1/entities/{lcid}/history").json()
    assert [e["event"] for e in history] == ["created", "updated"]
    assert history[1]["evidence"]["changed"]["name"] == "Saigon Garment"
    assert client.patch(f"/api/v1/entities/{lcid}", json={"name": "x"}).status_code == 401
    outsider = client.patch(
        f"/api/v1/entities/{lcid}", json={"name": "x"}, headers=world.outsider.headers
    )
    assert outsider.status_code == 200  # no dataset mentions it: any editor may curate it


def test_geojson_has_points_and_lines(client: TestClient, world: World) -> None:
    mill = create(
        client, world, kind="facility", name="Mill", country="BD", latitude=23.9, longitude=90.4
    )
    other = create(client, world, kind="facility", name="No Place", country="BD")
    geo = client.get("/api/v1/entities/export", params={"format": "geojson"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert [f["id"] for f in features] == [mill] and other not in geo.text
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [90.4, 23.9]}
