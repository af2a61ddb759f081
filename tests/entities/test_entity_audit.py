"""Showing an entity's evidence from a non-open dataset is an audited read of its rows;
evidence from open datasets only writes no record."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access.models import AuditRecord
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.entities.conftest import StandIn, World, add_list, link, reader_of

NAMED = "Facility Name,Address,Country\nGranted Dye House,Plot 4,Bangladesh\n"


def _records(node: Node, action: str) -> list[AuditRecord]:
    with unit_of_work(node.sessions) as session:
        return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action)))


def test_entity_reads_of_restricted_evidence_are_audited(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    add_list(world, "named-list", NAMED, access="named")
    assert (
        link(world.node, "named-list", reader=reader_of(world.node, world.owner)).status == "done"
    )
    assert link(world.node, "suppliers").status == "done"  # an open list: no record
    headers = world.owner.headers
    found = client.get("/api/v1/entities", params={"q": "granted dye"}, headers=headers).json()
    lcid = found["items"][0]["lcid"]
    open_lcid = client.get("/api/v1/entities", params={"q": "saigon"}).json()["items"][0]["lcid"]

    searches = _records(world.node, "entities.search")
    assert [r.details["slug"] for r in searches] == ["named-list"]  # the owner's search above
    assert client.get(f"/api/v1/entities/{open_lcid}").status_code == 200
    assert client.get(f"/api/v1/entities/{lcid}", headers=headers).status_code == 200
    reads = _records(world.node, "entities.read")
    assert len(reads) == 1 and reads[0].details["entity"] == lcid
    assert reads[0].details["slug"] == "named-list" and reads[0].level == "named"

    assert client.get("/api/v1/entities/export", params={"format": "csv"}).status_code == 200
    assert _records(world.node, "entities.export") == []  # anonymous saw only open evidence
    export = client.get("/api/v1/entities/export", params={"format": "json"}, headers=headers)
    assert export.status_code == 200
    exports = _records(world.node, "entities.export")
    assert [r.details["slug"] for r in exports] == ["named-list"]


def test_reconciliation_of_restricted_evidence_is_audited(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    """OpenRefine's queries, suggestions and previews show names from rows: audited too."""
    add_list(world, "named-list", NAMED, access="named")
    owner = reader_of(world.node, world.owner)
    assert link(world.node, "named-list", reader=owner).status == "done"
    headers = world.owner.headers
    batch = '{"q0": {"query": "Granted Dye House"}, "q1": {"query": "nothing like it"}}'
    answer = client.post("/api/v1/reconcile", data={"queries": batch}, headers=headers)
    assert answer.status_code == 200, answer.text
    lcid = answer.json()["q0"]["result"][0]["id"]
    queries = _records(world.node, "reconcile.query")
    assert [(r.details["slug"], r.details["queries"]) for r in queries] == [("named-list", 2)]

    suggest = client.get(
        "/api/v1/reconcile/suggest/entity", params={"prefix": "Granted"}, headers=headers
    )
    assert suggest.json()["result"][0]["id"] == lcid
    assert [r.details["slug"] for r in _records(world.node, "reconcile.suggest")] == ["named-list"]
    preview = client.get("/api/v1/reconcile/preview", params={"id": lcid}, headers=headers)
    assert preview.status_code == 200 and "Granted Dye House" in preview.text
    assert len(_records(world.node, "reconcile.preview")) == 1

    anonymous = client.post("/api/v1/reconcile", data={"queries": batch})
    assert anonymous.json()["q0"]["result"] == []  # nothing shown, nothing recorded
    assert len(_records(world.node, "reconcile.query")) == 1


def test_a_page_of_relations_from_a_restricted_list_is_audited(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    brand = client.post(
        "/api/v1/entities",
        json={"kind": "brand", "name": "Audit Brand"},
        headers=world.admin.headers,
    ).json()["lcid"]
    add_list(world, "named-list", NAMED, access="named")
    mapping = {"name": "Facility Name", "address": "Address", "country": "Country"}
    relation = {"predicate": "sources_from", "subject": brand}
    owner = reader_of(world.node, world.owner)
    job = link(world.node, "named-list", reader=owner, mapping=mapping, relation=relation)
    assert job.status == "done", job.error
    before = len(_records(world.node, "entities.read"))
    anonymous = client.get(f"/api/v1/entities/{brand}/relations").json()
    assert anonymous["total"] == 0 and len(_records(world.node, "entities.read")) == before
    page = client.get(f"/api/v1/entities/{brand}/relations", headers=world.owner.headers).json()
    assert page["total"] == 1
    reads = _records(world.node, "entities.read")[before:]
    assert [r.details["slug"] for r in reads] == ["named-list"]
