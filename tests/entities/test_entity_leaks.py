"""An identifier clash names no entity; the entity CSV export escapes spreadsheet formulas."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.entities.conftest import StandIn, World, add_list, link, reader_of

HIDDEN = "Facility Name,Address,Country,OS ID\nSecret Works,Plot 9,Bangladesh,BD2019303BQ3FZB\n"
FORMULA = '=HYPERLINK("http://evil.example","x")'


def test_a_clash_with_a_hidden_holder_does_not_name_it(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    add_list(world, "hidden-list", HIDDEN, access="internal")
    assert (
        link(world.node, "hidden-list", reader=reader_of(world.node, world.owner)).status == "done"
    )
    made = client.post(
        "/api/v1/entities",
        json={"kind": "facility", "name": "Brand Watch Site", "country": "BD"},
        headers=world.outsider.headers,
    )
    assert made.status_code == 201, made.text
    found = client.get(
        "/api/v1/entities", params={"q": "secret works"}, headers=world.owner.headers
    )
    hidden = found.json()["items"][0]["lcid"]
    clash = client.post(
        f"/api/v1/entities/{made.json()['lcid']}/identifiers",
        json={"scheme": "os_id", "value": "BD2019303BQ3FZB"},
        headers=world.outsider.headers,
    )
    assert clash.status_code == 409
    assert hidden not in clash.text
    assert "already held by another entity" in clash.json()["error"]["message"]


def test_the_entity_csv_export_escapes_formulas(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    made = client.post(
        "/api/v1/entities",
        json={"kind": "facility", "name": FORMULA, "country": "BD", "address": "+1 Plot"},
        headers=world.owner.headers,
    )
    assert made.status_code == 201, made.text
    body = client.get("/api/v1/entities/export", params={"format": "csv"}).text
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["lcid"] == made.json()["lcid"]]
    assert rows[0]["name"] == "'" + FORMULA
    assert rows[0]["address"] == "'+1 Plot"
