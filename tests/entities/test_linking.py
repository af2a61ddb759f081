"""Linking dataset rows to entities: mapping, identifiers first, dry run, atomicity,
stable IDs across nodes, and datasets that mention an entity (visibility respected)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.access import NODE_ADMIN
from laborcommons.access.models import AuditRecord
from laborcommons.core import stable_id
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings
from laborcommons.entities.models import (
    Entity,
    EntityEvent,
    EntityName,
    LinkJob,
    ReviewCandidate,
    RowLink,
)
from laborcommons.entities.service import applying
from tests.entities.conftest import SUPPLIERS, ZARYA, StandIn, World, add_list, link, new_version
from tests.factories import ingest, make_dataset, make_org

TABLES = (Entity, EntityName, EntityEvent, RowLink, ReviewCandidate)


def counts(node: Node) -> dict[str, int]:
    with unit_of_work(node.sessions) as session:
        return {
            t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
            for t in TABLES
        }


def lcids_by_row(node: Node, slug: str = "suppliers") -> dict[int, str]:
    with unit_of_work(node.sessions) as session:
        query = select(RowLink.row_number, Entity.lcid).join(Entity, Entity.id == RowLink.entity_id)
        return {row: lcid for row, lcid in session.execute(query.order_by(RowLink.row_number))}


def test_mapping_suggestions_read_headers_in_many_languages(
    client: TestClient, world: World
) -> None:
    add_list(
        world,
        "lista",
        "Nombre de la fábrica,Dirección,País,Código postal,LEI\nTextil Sur,Av 5,PE,15001,\n",
    )
    add_list(world, "zh", "工厂名称,地址,国家\n永发,虎门镇,中国\n")
    spanish = client.get("/api/v1/entities/mapping-suggestions", params={"dataset": "lista"})
    assert spanish.status_code == 200, spanish.text
    mapping = spanish.json()["mapping"]
    assert (mapping["name"], mapping["address"], mapping["country"]) == (
        "Nombre de la fábrica",
        "Dirección",
        "País",
    )
    assert mapping["postal_code"] == "Código postal" and mapping["identifiers"] == {"lei": "LEI"}
    chinese = client.get("/api/v1/entities/mapping-suggestions", params={"dataset": "zh"}).json()
    assert chinese["mapping"]["name"] == "工厂名称" and chinese["mapping"]["country"] == "国家"
    add_list(world, "hidden", "name\nA\n", access="internal")
    assert (
        client.get("/api/v1/entities/mapping-suggestions", params={"dataset": "hidden"}).status_code
        == 404
    )


def test_a_dry_run_changes_nothing_and_predicts_the_real_run(
    world: World, stand_in_engine: StandIn
) -> None:
    before = counts(world.node)
    dry = link(world.node, "suppliers", dry_run=True)
    assert dry.status == "done" and dry.dry_run
    assert counts(world.node) == before
    assert [o.status for o in dry.outcomes] == ["new"] * 5
    assert dry.outcomes[2].name == "东莞永发制衣厂"  # stored as given
    real = link(world.node, "suppliers")
    assert real.counts["new"] == 5 and real.counts["entities_created"] == 5
    assert lcids_by_row(world.node) == {o.row: o.entity for o in dry.outcomes}
    countries = [stable_id.parse(lcid).country for lcid in lcids_by_row(world.node).values()]
    assert countries == ["BD", "VN", "CN", "TR", "RU"]


def test_a_failed_job_leaves_no_partial_links(
    world: World, stand_in_engine: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(world.node)
    calls: list[int] = []
    original = applying._attach_identifiers

    def fail_on_third(*args: Any, **kwargs: Any) -> list[dict[str, object]]:
        calls.append(1)
        if len(calls) == 3:  # after the new entities and two row links were written
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(applying, "_attach_identifiers", fail_on_third)
    with pytest.raises(RuntimeError, match="disk full"):
        link(world.node, "suppliers")
    assert counts(world.node) == before
    with unit_of_work(world.node.sessions) as session:
        job = session.scalars(select(LinkJob)).one()
        assert job.status == "failed" and job.error is not None and "disk full" in job.error
    monkeypatch.setattr(applying, "_attach_identifiers", original)
    assert link(world.node, "suppliers").counts["new"] == 5  # a retry works


def test_identifiers_link_first_and_rows_are_never_linked_twice(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    made = client.post(
        "/api/v1/entities",
        headers=world.owner.headers,
        json={
            "kind": "facility",
            "name": "Zarya Sewing Factory",
            "country": "RU",
            "identifiers": [{"scheme": "os_id", "value": "RU2021100ZARYAP"}],
        },
    ).json()
    text = SUPPLIERS.replace("Россия", "Russia").replace("Russia,\n", "Russia,RU2021100ZARYAP\n")
    add_list(world, "with-ids", text)
    job = link(world.node, "with-ids")
    assert job.counts["linked"] == 1 and job.counts["new"] == 4
    assert stand_in_engine.calls[-1]["new"] == 4  # the identifier row never reached the engine
    assert lcids_by_row(world.node)[5] == made["lcid"]
    shown = client.get(f"/api/v1/entities/{made['lcid']}").json()
    assert ZARYA in [n["name"] for n in shown["names"]]
    again = link(world.node, "with-ids")
    assert again.counts["unchanged"] == 5 and again.counts["new"] == 0


def test_an_identifier_cell_may_list_several_values(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    """WikiRate exports a company's ISINs in one cell, ';'-separated, the listed share's
    often not first: each value is checked and looked up on its own."""
    made = client.post(
        "/api/v1/entities",
        headers=world.owner.headers,
        json={
            "kind": "company",
            "name": "Puma SE",
            "identifiers": [{"scheme": "isin", "value": "DE0006969603"}],
        },
    ).json()
    add_list(
        world,
        "index",
        "company,isin\n"
        "Puma,US7458781082;DE0006969603;US7458782072\n"
        "Aldi Nord,DEXXXXXALDI0\n"
        "Gap inc.,US3647601083; DE000XXXXXX0\n",
    )
    job = link(
        world.node,
        "index",
        kind="company",
        mapping={"name": "company", "identifiers": {"isin": "isin"}},
    )
    assert job.counts["linked"] == 1 and job.counts["new"] == 2
    assert lcids_by_row(world.node, "index")[1] == made["lcid"]
    puma = client.get(f"/api/v1/entities/{made['lcid']}").json()
    assert sorted(i["value"] for i in puma["identifiers"]) == [
        "DE0006969603",
        "US7458781082",
        "US7458782072",
    ]
    gap = lcids_by_row(world.node, "index")[3]
    held = client.get(f"/api/v1/entities/{gap}").json()["identifiers"]
    assert [i["value"] for i in held] == ["US3647601083"]  # the bad second value is reported


def test_a_new_list_never_renumbers_existing_entities(
    world: World, stand_in_engine: StandIn
) -> None:
    link(world.node, "suppliers")
    first = lcids_by_row(world.node)
    add_list(world, "brand-list", "supplier,country\nSaigon Garment Co.,VN\nHanoi Denim,VN\n")
    job = link(world.node, "brand-list")
    assert job.counts == {
        "linked": 1,
        "review": 0,
        "new": 1,
        "entities_created": 1,
        "skipped": 0,
        "unchanged": 0,
    }
    with unit_of_work(world.node.sessions) as session:
        rows = session.execute(
            select(RowLink.version_id, RowLink.row_number, Entity.lcid).join(
                Entity, Entity.id == RowLink.entity_id
            )
        ).all()
        statuses = set(session.scalars(select(Entity.status)))
    assert statuses == {"active"}
    suppliers_version = min(v for v, _, _ in rows)
    assert {r: lcid for v, r, lcid in rows if v == suppliers_version} == first
    assert {r: lcid for v, r, lcid in rows if v != suppliers_version}[1] == first[2]


def _second_node(settings: Settings, sqlite_template: Path, tmp_path: Path) -> Node:
    home = tmp_path / "other-node"
    home.mkdir()
    shutil.copyfile(sqlite_template, home / "laborcommons.db")
    return open_node(Settings(home=home))


def test_stable_ids_are_the_same_on_two_fresh_nodes_fed_the_same_data(
    world: World,
    stand_in_engine: StandIn,
    settings: Settings,
    sqlite_template: Path,
    tmp_path: Path,
) -> None:
    other = _second_node(settings, sqlite_template, tmp_path)
    try:
        make_org(other, "garment-union")
        make_dataset(other, "suppliers", "garment-union", access="open", license="CC-BY-4.0")
        path = tmp_path / "same.csv"
        path.write_text(SUPPLIERS, encoding="utf-8")
        ingest(other, "suppliers", path)
        link(world.node, "suppliers")
        link(other, "suppliers")
        assert lcids_by_row(world.node) == lcids_by_row(other)
        assert len(set(lcids_by_row(other).values())) == 5
    finally:
        other.dispose()


def test_datasets_that_mention_an_entity_respect_visibility(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    link(world.node, "suppliers")
    add_list(
        world,
        "audits-internal",
        "factory,country\nDhaka Knit Composite Ltd.,BD\n",
        access="internal",
    )
    assert link(world.node, "audits-internal").counts["linked"] == 1
    with unit_of_work(world.node.sessions) as session:
        reads = session.scalars(select(AuditRecord).where(AuditRecord.action == "entities.link"))
        assert [r.details["slug"] for r in reads] == ["audits-internal"]  # open reads: no record
    lcid = lcids_by_row(world.node)[1]
    url = f"/api/v1/entities/{lcid}"
    seen_by = {
        "anonymous": client.get(url).json(),
        "outsider": client.get(url, headers=world.outsider.headers).json(),
        "viewer": client.get(url, headers=world.viewer.headers).json(),
    }
    assert [d["slug"] for d in seen_by["anonymous"]["datasets"]] == ["suppliers"]
    assert [d["slug"] for d in seen_by["outsider"]["datasets"]] == ["suppliers"]
    assert [d["slug"] for d in seen_by["viewer"]["datasets"]] == ["audits-internal", "suppliers"]
    assert "audits-internal" not in client.get(url).text


def test_link_jobs_over_http(client: TestClient, world: World, stand_in_engine: StandIn) -> None:
    body = {"dataset": "suppliers", "kind": "facility"}
    assert client.post("/api/v1/entities/link-jobs", json=body).status_code == 401
    refused = client.post("/api/v1/entities/link-jobs", json=body, headers=world.outsider.headers)
    assert refused.status_code == 403
    add_list(world, "private-list", "name\nA\n", access="internal")
    hidden = client.post(
        "/api/v1/entities/link-jobs",
        headers=world.outsider.headers,
        json={"dataset": "private-list"},
    )
    assert hidden.status_code == 404
    bad = client.post(
        "/api/v1/entities/link-jobs",
        headers=world.editor.headers,
        json={**body, "mapping": {"name": "Factory"}},
    )
    assert bad.status_code == 422 and "Factory" in bad.json()["error"]["message"]
    created = client.post("/api/v1/entities/link-jobs", json=body, headers=world.editor.headers)
    assert created.status_code == 202, created.text
    job = client.get(f"/api/v1/entities/link-jobs/{created.json()['id']}").json()
    assert job["status"] == "done" and job["processed"] == job["total"] == 5
    assert job["counts"]["new"] == 5 and job["mapping"]["name"] == "Facility Name"


def test_rows_with_bad_coordinates_or_countries_still_link(
    world: World, stand_in_engine: StandIn
) -> None:
    text = "name,lat,lon,country\nTirupur Knits,11.1,77.3,IN\nNo Coords Mill,north,,Narnia\n,,,\n"
    add_list(world, "coords", text)
    job = link(
        world.node,
        "coords",
        mapping={"name": "name", "latitude": "lat", "longitude": "lon", "country": "country"},
    )
    assert job.counts["new"] == 2 and job.counts["skipped"] == 1
    with unit_of_work(world.node.sessions) as session:
        tirupur = session.scalars(select(Entity).where(Entity.name == "Tirupur Knits")).one()
        mill = session.scalars(select(Entity).where(Entity.name == "No Coords Mill")).one()
    assert (tirupur.latitude, tirupur.longitude, tirupur.country) == (11.1, 77.3, "IN")
    assert (mill.latitude, mill.country) == (None, None)
    new_version(world, "coords", text + "Erode Spinning,11.3,77.7,India\n")
    again = link(world.node, "coords", mapping={"name": "name"}).counts
    assert (again["linked"], again["new"]) == (2, 1)  # the new version's known rows link


def test_the_engine_sees_every_known_name_under_the_canonical_id(
    client: TestClient, world: World
) -> None:
    from laborcommons.entities.service.planning import existing_frame

    def create(name: str, **fields: Any) -> str:
        body = {"kind": "facility", "name": name, "country": "BD", **fields}
        response = client.post("/api/v1/entities", json=body, headers=world.owner.headers)
        return str(response.json()["lcid"])

    keep = create("Tongi Knit", latitude=23.9, longitude=90.4)
    old = create("Tongee Knitting Mills")
    older = create("Tongi Knit Mill Ltd")
    client.patch(
        f"/api/v1/entities/{keep}",
        json={"name": "Tongi Knit Composite"},
        headers=world.owner.headers,
    )
    for alias, into in ((older, old), (old, keep)):
        merged = client.post(
            f"/api/v1/entities/{alias}/merge",
            headers=world.owner.headers,
            json={"into": into, "reason": "same"},
        )
        assert merged.status_code == 200
    with unit_of_work(world.node.sessions) as session:
        frame, ids = existing_frame("facility", reader=NODE_ADMIN, session=session)
    assert list(ids) == [keep]
    assert sorted(frame["name"]) == [
        "Tongee Knitting Mills",
        "Tongi Knit",
        "Tongi Knit Composite",
        "Tongi Knit Mill Ltd",
    ]
    assert set(frame["id"]) == {keep} and set(frame["country"]) == {"BD"}


def test_history_names_the_dataset_and_version_a_new_entity_came_from(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    # Walk-through bug: "new in dataset version 10, row 1", an internal id, not a number.
    link(world.node, "suppliers")
    lcid = lcids_by_row(world.node)[3]
    [created] = [e for e in client.get(f"/api/v1/entities/{lcid}/history").json()]
    assert created["event"] == "created"
    assert created["source"] == {
        "dataset": "suppliers",
        "title": "Suppliers",
        "version": 1,
        "row": 3,
    }
    assert "version_id" not in created["reason"] and "dataset version" not in created["reason"]
    page = client.get(f"/entities/{lcid}").text
    assert 'new in <a href="/datasets/suppliers?version=1">Suppliers</a> version 1, row 3' in page
