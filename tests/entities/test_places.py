"""The facility map's GeoJSON: a search's points, an entity with its related entities (a
brand's suppliers), a dataset version's linked facilities; only coordinates whose source the
reader may see, capped, and a brand's relations a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.entities import service as entities
from laborcommons.entities.models import Entity
from laborcommons.entities.schemas import EntityCreate, RelationCreate
from laborcommons.entities.service import places
from tests.entities.conftest import StandIn, World, add_list, link, reader_of
from tests.web.steps import sign_in

OPEN = (
    "Facility Name,Country,Latitude,Longitude\n"
    "Alpha Knitwear,Bangladesh,23.8,90.4\n"
    "Beta Denim,Viet Nam,10.8,106.7\n"
    "No Coordinates Mill,Türkiye,,\n"
)
HIDDEN = "Facility Name,Country,Latitude,Longitude\nZeta Hidden Dyeworks,China,30.0,120.5\n"
MAPPING = {
    "name": "Facility Name",
    "country": "Country",
    "latitude": "Latitude",
    "longitude": "Longitude",
}


@dataclass
class Scene:
    world: World
    brand: str
    hidden: str


@pytest.fixture
def scene(world: World, stand_in_engine: StandIn) -> Scene:
    node = world.node
    with unit_of_work(node.sessions) as session:
        brand = entities.create_entity(
            EntityCreate(kind="brand", name="Gamma Brand"), actor=NODE_ADMIN, session=session
        ).lcid
    relation = {"predicate": "sources_from", "subject": brand}
    add_list(world, "open-list", OPEN)
    assert link(node, "open-list", mapping=MAPPING, relation=relation).status == "done"
    add_list(world, "hidden-list", HIDDEN, access="internal")
    owner = reader_of(node, world.owner)
    job = link(node, "hidden-list", reader=owner, mapping=MAPPING, relation=relation)
    assert job.status == "done", job.error
    with unit_of_work(node.sessions) as session:
        hidden = session.scalars(select(Entity.lcid).where(Entity.name.like("Zeta%"))).one()
    return Scene(world, brand, hidden)


def names(body: dict[str, object]) -> list[str]:
    features = body["features"]
    assert isinstance(features, list)
    return [f["properties"]["name"] for f in features]


def test_search_points_are_geojson_with_only_visible_coordinates(
    client: TestClient, scene: Scene
) -> None:
    response = client.get("/api/v1/entities.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert names(body) == ["Alpha Knitwear", "Beta Denim"]  # no point without coordinates
    first = body["features"][0]
    assert first["type"] == "Feature"
    assert first["geometry"] == {"type": "Point", "coordinates": [90.4, 23.8]}
    assert set(first["properties"]) == {"lcid", "name", "kind", "country"}
    assert first["properties"]["country"] == "BD"
    assert (body["total"], body["limit"], body["truncated"]) == (2, 10_000, False)
    outsider = client.get("/api/v1/entities.geojson", headers=scene.world.outsider.headers)
    assert "Zeta" not in outsider.text
    owner = client.get("/api/v1/entities.geojson", headers=scene.world.owner.headers).json()
    assert names(owner) == ["Alpha Knitwear", "Beta Denim", "Zeta Hidden Dyeworks"]


def test_search_points_take_the_search_filters(client: TestClient, scene: Scene) -> None:
    body = client.get("/api/v1/entities.geojson", params={"country": "VN"}).json()
    assert names(body) == ["Beta Denim"]
    box = client.get("/api/v1/entities.geojson", params={"bbox": "80,20,100,30"}).json()
    assert names(box) == ["Alpha Knitwear"]
    bad = client.get("/api/v1/entities.geojson", params={"bbox": "1,2"})
    assert bad.status_code == 400 and "bbox" in bad.json()["error"]["message"]
    unknown = client.get("/api/v1/entities.geojson", params={"page": "2"})
    assert unknown.status_code == 400  # the map has no pages: all points, up to the cap


def test_the_cap_is_said(client: TestClient, scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(places, "MAX_POINTS", 1)
    body = client.get("/api/v1/entities.geojson").json()
    assert len(body["features"]) == 1
    assert (body["total"], body["limit"], body["truncated"]) == (2, 1, True)


def test_a_brand_shows_its_suppliers_it_is_allowed_to(client: TestClient, scene: Scene) -> None:
    url = f"/api/v1/entities/{scene.brand}/places.geojson"
    assert names(client.get(url).json()) == ["Alpha Knitwear", "Beta Denim"]
    assert "Zeta" not in client.get(url, headers=scene.world.outsider.headers).text
    owner = client.get(url, headers=scene.world.owner.headers).json()
    assert names(owner) == ["Alpha Knitwear", "Beta Denim", "Zeta Hidden Dyeworks"]


def test_an_entity_known_only_from_a_hidden_list_has_no_point(
    client: TestClient, scene: Scene
) -> None:
    url = f"/api/v1/entities/{scene.hidden}/places.geojson"
    missing = client.get("/api/v1/entities/FBDSXQKDW9EDDD/places.geojson")
    for headers in ({}, scene.world.outsider.headers):
        hidden = client.get(url, headers=headers)
        assert hidden.status_code == 404 == missing.status_code
    owner = client.get(url, headers=scene.world.owner.headers).json()
    assert names(owner)[0] == "Zeta Hidden Dyeworks"
    assert owner["features"][0]["geometry"]["coordinates"] == [120.5, 30.0]


def test_a_versions_facilities_only_for_readers_of_its_rows(
    client: TestClient, scene: Scene
) -> None:
    open_url = "/api/v1/datasets/open-list/versions/1/facilities.geojson"
    response = client.get(open_url)
    assert response.status_code == 200
    assert names(response.json()) == ["Alpha Knitwear", "Beta Denim"]
    assert "no-store" in response.headers["cache-control"]
    hidden_url = "/api/v1/datasets/hidden-list/versions/1/facilities.geojson"
    missing = client.get("/api/v1/datasets/no-such-list/versions/1/facilities.geojson")
    for headers in ({}, scene.world.outsider.headers):
        hidden = client.get(hidden_url, headers=headers)
        assert (hidden.status_code, hidden.text.replace("hidden-list", "no-such-list")) == (
            missing.status_code,
            missing.text,
        )
    owner = client.get(hidden_url, headers=scene.world.owner.headers).json()
    assert names(owner) == ["Zeta Hidden Dyeworks"]


def add_suppliers(scene: Scene, count: int) -> None:
    with unit_of_work(scene.world.node.sessions) as session:
        for number in range(count):
            facility = entities.create_entity(
                EntityCreate(kind="facility", name=f"Supplier {number:03}"),
                actor=NODE_ADMIN,
                session=session,
            )
            session.flush()
            relation = RelationCreate(
                subject=scene.brand, predicate="sources_from", object=facility.lcid
            )
            entities.add_relation(relation, actor=NODE_ADMIN, session=session)


def test_relations_come_a_page_at_a_time(client: TestClient, scene: Scene) -> None:
    add_suppliers(scene, 120)  # with the open list's three: 123 the public sees
    brand = client.get(f"/api/v1/entities/{scene.brand}").json()
    assert (len(brand["relations"]), brand["relations_total"]) == (50, 123)
    assert brand["relations_next"].endswith(f"/api/v1/entities/{scene.brand}?relations_page=2")
    last = client.get(f"/api/v1/entities/{scene.brand}", params={"relations_page": 3}).json()
    assert (len(last["relations"]), last["relations_next"]) == (23, None)
    owner = client.get(f"/api/v1/entities/{scene.brand}", headers=scene.world.owner.headers)
    assert owner.json()["relations_total"] == 124  # and the hidden list's relation
    paged = client.get(f"/api/v1/entities/{scene.brand}/relations", params={"page_size": 100})
    body = paged.json()
    assert (len(body["items"]), body["total"]) == (100, 123)
    assert body["next"].endswith("page=2") and "relations" in paged.headers["link"]
    assert all("Zeta" not in r["object_name"] for r in body["items"])
    everything = [r["object_name"] for r in body["items"]]
    everything += [r["object_name"] for r in client.get(body["next"]).json()["items"]]
    assert len(set(everything)) == 123 and "Zeta Hidden Dyeworks" not in everything
    hidden = client.get(f"/api/v1/entities/{scene.hidden}/relations")
    assert hidden.status_code == 404


def test_the_brand_page_lists_its_relations_a_page_at_a_time(
    client: TestClient, scene: Scene
) -> None:
    add_suppliers(scene, 120)
    page = client.get(f"/entities/{scene.brand}")
    assert page.status_code == 200
    assert page.text.count("/entities/F") >= 50 and "Supplier 049" not in page.text
    assert "123 relations, 50 on this page" in page.text
    assert 'href="?relations=2" rel="next"' in page.text
    last = client.get(f"/entities/{scene.brand}", params={"relations": 3}).text
    assert "Supplier 119" in last and 'rel="next"' not in last and 'rel="prev"' in last


def test_pages_carry_the_map_and_keep_the_table(client: TestClient, scene: Scene) -> None:
    search = client.get("/entities", params={"country": "BD"}).text
    assert 'data-geojson="/api/v1/entities.geojson?country=BD"' in search
    assert "<table" in search and "Alpha Knitwear" in search  # the version without script
    brand = client.get(f"/entities/{scene.brand}").text
    assert f'data-geojson="/api/v1/entities/{scene.brand}/places.geojson"' in brand
    assert client.get("/static/map.js").status_code == 200


def test_a_page_map_reads_with_the_session_the_page_was_read_with(
    client: TestClient, scene: Scene
) -> None:
    # The map's script fetches with the browser's cookie, not a token: a signed-in owner's
    # map of a restricted list must show what the page shows them, an anonymous one nothing.
    hidden_url = "/api/v1/datasets/hidden-list/versions/1/facilities.geojson"
    assert client.get(hidden_url).status_code == 404
    sign_in(client, scene.world.owner)
    page = client.get("/datasets/hidden-list").text
    assert f'data-geojson="{hidden_url}"' in page
    assert names(client.get(hidden_url).json()) == ["Zeta Hidden Dyeworks"]
    searched = client.get("/api/v1/entities.geojson", params={"country": "CN"}).json()
    assert names(searched) == ["Zeta Hidden Dyeworks"]
    # A token still wins over the cookie, so a program's view is its token's.
    assert client.get(hidden_url, headers=scene.world.outsider.headers).status_code == 404
