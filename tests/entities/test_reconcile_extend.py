"""OpenRefine's flows past matching: a query that is an lcid or an OS ID, reconciled
columns as property values, the manifest's authentication and extend, and data extension
(what the reader may see, a hidden entity answering like a missing one)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.entities.conftest import StandIn, World, add_list, link, reader_of
from tests.entities.test_reconcile import validate

OS_ID = "CN2019303BQ3FZP"
HIDDEN = "Facility Name,Address,Country\nZzyzx Hidden Mill,Plot 9 Tongi,India\n"


def _make(client: TestClient, world: World, **fields: Any) -> str:
    response = client.post("/api/v1/entities", json=fields, headers=world.admin.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["lcid"])


def _batch(client: TestClient, queries: dict[str, Any], headers: dict[str, str] | None = None):
    response = client.post(
        "/api/v1/reconcile", data={"queries": json.dumps(queries)}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    validate(response.json(), "reconciliation-result-batch.json")
    return response.json()


def _extend(client: TestClient, ids: list[str], props: list[str], headers=None) -> dict[str, Any]:
    extend = {"ids": ids, "properties": [{"id": p} for p in props]}
    validate(extend, "data-extension-query.json")  # what OpenRefine sends
    response = client.post(
        "/api/v1/reconcile", data={"extend": json.dumps(extend)}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    validate(body, "data-extension-response.json")
    assert set(body) == {"meta", "rows"} and set(body["rows"]) == set(ids)
    return body


def test_an_lcid_or_an_os_id_as_the_query_is_an_exact_match(client: TestClient, world: World):
    lcid = _make(
        client,
        world,
        kind="facility",
        name="Dhaka Knit",
        country="BD",
        identifiers=[{"scheme": "os_id", "value": OS_ID}],
    )
    other = _make(client, world, kind="facility", name="Tongi Knit", country="BD")
    merged = client.post(
        f"/api/v1/entities/{other}/merge",
        json={"into": lcid, "reason": "same site"},
        headers=world.admin.headers,
    )
    assert merged.status_code == 200, merged.text
    body = _batch(
        client,
        {
            "by_lcid": {"query": lcid.lower()},
            "by_alias": {"query": other},
            "by_os_id": {"query": "CN 2019303 BQ3FZ P"},
            "wrong_type": {"query": lcid, "type": "company"},
        },
    )
    for key in ("by_lcid", "by_alias", "by_os_id"):
        first = body[key]["result"][0]
        assert (first["id"], first["score"], first["match"]) == (lcid, 100.0, True), key
    assert all(c["id"] != lcid for c in body["wrong_type"]["result"])


def test_reconciled_columns_as_property_values_fall_back_to_the_name(
    client: TestClient, world: World
):
    lcid = _make(client, world, kind="facility", name="Dhaka Knit Composite", country="BD")
    _make(client, world, kind="facility", name="Dhaka Knit Composite", country="KH")
    body = _batch(
        client,
        {
            "q0": {
                "query": "Dhaka Knit Composite",
                "properties": [{"pid": "country", "v": {"id": "Q902", "name": "Bangladesh"}}],
            },
            "q1": {
                "query": "Dhaka Knit Composite",
                "properties": [{"pid": "country", "v": [{"id": "Q902", "name": "Bangladesh"}]}],
            },
            "q2": {
                "query": "anything",
                "properties": [{"pid": "identifier", "v": {"id": lcid, "name": "x"}}],
            },
        },
    )
    for key in ("q0", "q1"):
        assert body[key]["result"][0]["id"] == lcid and body[key]["result"][0]["match"], key
    assert body["q2"]["result"][0]["id"] == lcid and body["q2"]["result"][0]["match"]


def test_the_manifest_offers_authentication_and_extension(client: TestClient):
    manifest = client.get("/api/v1/reconcile").json()
    validate(manifest, "manifest.json")
    assert manifest["authentication"]["name"] == "Authorization"
    propose = manifest["extend"]["propose_properties"]
    response = client.get(
        propose["service_url"] + propose["service_path"], params={"type": "facility", "limit": 3}
    )
    assert response.status_code == 200
    proposed = response.json()
    validate(proposed, "data-extension-property-proposal.json")
    assert proposed["type"] == "facility" and len(proposed["properties"]) == 3
    full = client.get(propose["service_url"] + propose["service_path"], params={"type": "brand"})
    ids = {p["id"] for p in full.json()["properties"]}
    assert {"lcid", "os_id", "name", "address", "country", "coordinates", "relations"} <= ids
    assert (
        client.get("/api/v1/reconcile/propose_properties", params={"type": "x"}).status_code == 400
    )


def test_data_extension_adds_the_columns_openrefine_asks_for(client: TestClient, world: World):
    lcid = _make(
        client,
        world,
        kind="facility",
        name="Dhaka Knit",
        country="BD",
        address="Plot 12",
        latitude=23.87,
        longitude=90.4,
        identifiers=[{"scheme": "os_id", "value": OS_ID}],
    )
    brand = _make(client, world, kind="brand", name="Harbor Basics", country="GB")
    related = client.post(
        "/api/v1/entities/relations",
        json={"subject": brand, "predicate": "sources_from", "object": lcid},
        headers=world.admin.headers,
    )
    assert related.status_code == 201, related.text
    props = ["lcid", "os_id", "name", "address", "country", "coordinates", "latitude", "relations"]
    body = _extend(client, [lcid, brand, "FBD0000000000X", "nonsense"], props)
    assert [m["id"] for m in body["meta"]] == props and all(m["name"] for m in body["meta"])
    row = body["rows"][lcid]
    assert row["lcid"] == [{"str": lcid}] and row["os_id"] == [{"str": OS_ID}]
    assert row["address"] == [{"str": "Plot 12"}] and row["country"] == [{"str": "BD"}]
    assert row["coordinates"] == [{"str": "23.87,90.4"}] and row["latitude"] == [{"float": 23.87}]
    assert row["relations"][0]["id"] == brand and row["relations"][0]["name"] == "Harbor Basics"
    assert body["rows"][brand]["relations"][0]["id"] == lcid
    assert body["rows"]["nonsense"] == {key: [] for key in props}
    by_get = client.get(
        "/api/v1/reconcile",
        params={"extend": json.dumps({"ids": [lcid], "properties": [{"id": "name"}]})},
    )
    assert by_get.json()["rows"][lcid]["name"] == [{"str": "Dhaka Knit"}]


def test_a_bad_extension_request_is_a_400_saying_why(client: TestClient):
    for extend, expected in [
        ("{nope", "not valid JSON"),
        ('{"ids": ["x"], "properties": [{"id": "colour"}]}', "unknown property 'colour'"),
        ('{"ids": ["x"], "properties": []}', "extend.properties"),
    ]:
        response = client.post("/api/v1/reconcile", data={"extend": extend})
        assert response.status_code == 400, extend
        assert expected in response.json()["error"]["message"]


def test_a_hidden_entity_is_absent_from_reconciliation_and_extension(
    client: TestClient, world: World, stand_in_engine: StandIn
):
    add_list(world, "hidden-list", HIDDEN, access="internal")
    assert (
        link(world.node, "hidden-list", reader=reader_of(world.node, world.owner)).status == "done"
    )
    found = client.get(
        "/api/v1/entities", params={"q": "zzyzx"}, headers=world.owner.headers
    ).json()
    lcid = found["items"][0]["lcid"]
    queries = {"q0": {"query": "Zzyzx Hidden Mill"}, "q1": {"query": lcid}}
    for headers in ({}, world.outsider.headers):
        body = _batch(client, queries, headers)
        assert body["q0"]["result"] == [] and body["q1"]["result"] == []
        row = _extend(client, [lcid], ["name", "address", "lcid"], headers)["rows"][lcid]
        assert row == {"name": [], "address": [], "lcid": []}
    owner = _batch(client, queries, world.owner.headers)
    assert owner["q1"]["result"][0]["id"] == lcid and owner["q1"]["result"][0]["match"]
    row = _extend(client, [lcid], ["name", "address"], world.owner.headers)["rows"][lcid]
    assert row == {"name": [{"str": "Zzyzx Hidden Mill"}], "address": [{"str": "Plot 9 Tongi"}]}
