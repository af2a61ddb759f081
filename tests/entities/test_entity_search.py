"""Entity search like Open Supply Hub's: several countries, sector, workers, a bounding
box, OS IDs as people write them, facet counts; hidden evidence neither hits nor counts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from laborcommons.entities.service.identifiers import os_id_check
from tests.entities.conftest import StandIn, World, add_list, link, reader_of

OS_ID = "CN2019303BQ3FZP"  # Open Supply Hub's own example: a valid check character
HIDDEN = "Facility Name,Address,Country\nZzyzx Hidden Mill,Plot 9 Tongi,India\n"
MADE = [
    {
        "kind": "facility",
        "name": "Dhaka Knit",
        "country": "BD",
        "sector": "Apparel",
        "workers_min": 1000,
        "workers_max": 5000,
        "latitude": 23.87,
        "longitude": 90.40,
        "identifiers": [{"scheme": "os_id", "value": OS_ID}],
    },
    {
        "kind": "facility",
        "name": "Tiruppur Spinning",
        "country": "IN",
        "sector": "Textiles",
        "workers_min": 200,
        "workers_max": 400,
        "latitude": 11.1,
        "longitude": 77.34,
    },
    {
        "kind": "facility",
        "name": "Saigon Garment",
        "country": "VN",
        "sector": "Apparel",
        "workers_min": 6000,
    },
    {"kind": "company", "name": "Harbor Holdings", "country": "BD"},
]


@pytest.fixture
def made(client: TestClient, world: World) -> dict[str, str]:
    lcids = {}
    for fields in MADE:
        response = client.post("/api/v1/entities", json=fields, headers=world.admin.headers)
        assert response.status_code == 201, response.text
        lcids[str(fields["name"])] = response.json()["lcid"]
    return lcids


def names(client: TestClient, headers: dict[str, str] | None = None, **params: Any) -> set[str]:
    response = client.get("/api/v1/entities", params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return {item["name"] for item in response.json()["items"]}


def test_os_id_check_character_is_open_supply_hubs():
    assert os_id_check(OS_ID) == "P"
    assert os_id_check("BD2019303BQ3FZ") == "B"


def test_several_countries_and_sectors_are_any_of(client: TestClient, made):
    assert names(client, country=["BD", "IN"], kind="facility") == {
        "Dhaka Knit",
        "Tiruppur Spinning",
    }
    assert names(client, sector=["apparel"]) == {"Dhaka Knit", "Saigon Garment"}
    assert names(client, sector=["Apparel", "Textiles"], country="india") == {"Tiruppur Spinning"}


def test_workers_ranges_overlap(client: TestClient, made):
    assert names(client, workers_min=4000) == {"Dhaka Knit", "Saigon Garment"}
    assert names(client, workers_max=500) == {"Tiruppur Spinning"}
    assert names(client, workers_min=300, workers_max=1200) == {"Dhaka Knit", "Tiruppur Spinning"}
    bad = client.get("/api/v1/entities", params={"workers_min": 9, "workers_max": 1})
    assert bad.status_code == 400 and "workers_min" in bad.json()["error"]["message"]


def test_a_bounding_box_keeps_what_lies_inside(client: TestClient, made):
    assert names(client, bbox="88,20,93,27") == {"Dhaka Knit"}
    assert names(client, bbox="70,5,95,30") == {"Dhaka Knit", "Tiruppur Spinning"}


@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ("1,2,3", "four numbers"),
        ("a,b,c,d", "four numbers"),
        ("-190,0,10,10", "longitudes"),
        ("0,-95,10,10", "latitudes"),
        ("10,0,0,10", "must not exceed"),
    ],
)
def test_a_bad_bounding_box_is_a_400(client: TestClient, bbox: str, expected: str):
    response = client.get("/api/v1/entities", params={"bbox": bbox})
    assert response.status_code == 400
    assert expected in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "written", [OS_ID, "cn2019303bq3fzp", "CN 2019303 BQ3FZ P", "CN-2019303-BQ3FZP"]
)
def test_os_ids_are_found_as_people_write_them(client: TestClient, made, written: str):
    assert names(client, os_id=written) == {"Dhaka Knit"}
    assert names(client, scheme="os_id", identifier=written) == {"Dhaka Knit"}


def test_a_wrong_check_character_is_a_400_naming_it(client: TestClient, made):
    response = client.get("/api/v1/entities", params={"os_id": "CN2019303BQ3FZQ"})
    assert response.status_code == 400
    assert "wrong check character 'Q' (expected 'P')" in response.json()["error"]["message"]
    stored = client.post(
        f"/api/v1/entities/{made['Harbor Holdings']}/identifiers",
        json={"scheme": "os_id", "value": "BD2019303BQ3FZP"},
    )
    assert stored.status_code in {401, 403, 422}  # never stored with a wrong check character


def test_unknown_parameters_are_refused(client: TestClient, made):
    response = client.get("/api/v1/entities", params={"number_of_workers": "1-100"})
    assert response.status_code == 400
    assert "number_of_workers" in response.json()["error"]["message"]


def test_facets_count_the_whole_result(client: TestClient, made):
    body = client.get("/api/v1/entities", params={"page_size": 1}).json()
    assert len(body["items"]) == 1 and body["total"] == 4
    facets = body["facets"]
    assert facets["kind"] == [{"value": "facility", "count": 3}, {"value": "company", "count": 1}]
    assert facets["country"][0] == {"value": "BD", "count": 2}
    assert {"value": "Apparel", "count": 2} in facets["sector"]
    narrowed = client.get("/api/v1/entities", params={"country": "IN"}).json()["facets"]
    assert narrowed["sector"] == [{"value": "Textiles", "count": 1}]


def test_an_entity_of_a_hidden_dataset_neither_hits_nor_counts(
    client: TestClient, world: World, made, stand_in_engine: StandIn
):
    add_list(world, "hidden-list", HIDDEN, access="internal")
    assert (
        link(world.node, "hidden-list", reader=reader_of(world.node, world.owner)).status == "done"
    )
    for headers in ({}, world.outsider.headers):
        body = client.get("/api/v1/entities", params={"country": "IN"}, headers=headers).json()
        assert [i["name"] for i in body["items"]] == ["Tiruppur Spinning"]
        assert body["facets"]["country"] == [{"value": "IN", "count": 1}]
        assert "Zzyzx" not in str(body)
    owner = client.get(
        "/api/v1/entities", params={"country": "IN"}, headers=world.owner.headers
    ).json()
    assert "Zzyzx Hidden Mill" in {i["name"] for i in owner["items"]}
    assert owner["facets"]["country"] == [{"value": "IN", "count": 2}]


def test_name_search_ranks_the_closest_name_first(client: TestClient, world: World) -> None:
    # Alphabetical order put "Abbey Knit Dhaka" before the facility whose name *is* the query.
    for name in ("Abbey Knit Dhaka", "Knitwear Dhaka", "Dhaka Knit Composite", "Knit"):
        fields = {"kind": "facility", "name": name, "country": "BD"}
        assert client.post("/api/v1/entities", json=fields, headers=world.admin.headers).is_success
    items = client.get("/api/v1/entities", params={"q": "knit"}).json()["items"]
    assert [i["name"] for i in items] == [
        "Knit",  # the name itself
        "Knitwear Dhaka",  # starts with it
        "Abbey Knit Dhaka",  # holds it, then by name
        "Dhaka Knit Composite",
    ]
    unranked = client.get("/api/v1/entities", params={"country": "BD"}).json()["items"]
    assert [i["name"] for i in unranked] == sorted(i["name"] for i in unranked)
