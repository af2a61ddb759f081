"""Evidence from a withheld version (personal data still in the rows of a now-public
dataset's older version) is unreadable through entities: search, pages, export, counts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.db import unit_of_work
from laborcommons.entities.models import Entity
from laborcommons.entities.service.visibility import entity_visible, visible_entities_clause
from tests.entities.conftest import StandIn, World, link, reader_of
from tests.factories import make_dataset

API = "/api/v1/datasets"
SITES = (
    "Facility Name,Country,Worker Name,Email\n"
    "Hidden Knit Works,Bangladesh,Rahima Begum,rahima.begum@gmail.com\n"
    "Hidden Knit Works,Bangladesh,Nasrin Akter,nasrin.akter@yahoo.com\n"
    "Hidden Knit Works,Bangladesh,Shirin Sultana,shirin_sultana@gmail.com\n"
)


def _drop_until_publishable(client: TestClient, world: World, slug: str) -> None:
    """Resolve every blocking finding of the latest version by "drop" (a derived version)."""
    headers = world.owner.headers
    for _ in range(6):
        versions = client.get(f"{API}/{slug}/versions", headers=headers).json()
        latest = max(v["version"] for v in versions)
        found = client.get(f"{API}/{slug}/versions/{latest}/findings", headers=headers).json()
        if not found["withheld_columns"]:
            return
        blocking = next(f for f in found["findings"] if f["column"] in found["withheld_columns"])
        url = f"{API}/{slug}/versions/{latest}/findings/{blocking['id']}/resolution"
        assert client.post(url, json={"action": "drop"}, headers=headers).status_code == 200
    raise AssertionError("findings never resolved")


def test_withheld_evidence_is_not_published_through_entities(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    make_dataset(
        world.node,
        "worker-sites",
        "garment-union",
        access="internal",
        license="CC-BY-4.0",
        coverage=["BD"],
    )
    uploaded = client.post(
        f"{API}/worker-sites/versions",
        files={"file": ("sites.csv", SITES.encode(), "text/csv")},
        headers=world.owner.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    owner = reader_of(world.node, world.owner)
    assert link(world.node, "worker-sites", reader=owner, version=1).status == "done"
    _drop_until_publishable(client, world, "worker-sites")
    public = client.patch(
        f"{API}/worker-sites", json={"access": "public"}, headers=world.owner.headers
    )
    assert public.status_code == 200, public.text
    assert client.get(f"{API}/worker-sites/versions/1/rows").status_code == 403  # withheld

    mine = client.get("/api/v1/entities", params={"q": "hidden knit"}, headers=world.owner.headers)
    assert mine.json()["total"] >= 1  # the owner still sees its own evidence
    lcid = mine.json()["items"][0]["lcid"]
    for headers in ({}, world.outsider.headers):
        found = client.get("/api/v1/entities", params={"q": "hidden knit"}, headers=headers)
        assert found.json()["total"] == 0
        assert client.get(f"/api/v1/entities/{lcid}", headers=headers).status_code == 404
        assert client.get(f"/entities/{lcid}", headers=headers).status_code == 404
        export = client.get("/api/v1/entities/export", params={"format": "csv"}, headers=headers)
        assert "Hidden Knit Works" not in export.text and lcid not in export.text
        page = client.get("/entities", params={"q": "hidden knit"}, headers=headers)
        assert "Hidden Knit Works" not in page.text

    # The Python form and the SQL form agree.
    outsider = reader_of(world.node, world.outsider)
    with unit_of_work(world.node.sessions) as session:
        entity = session.scalars(select(Entity).where(Entity.lcid == lcid)).one()
        assert session.scalar(select(DatasetVersion.id).where(DatasetVersion.number == 1))
        for reader, expected in ((owner, True), (outsider, False)):
            assert entity_visible(entity, reader=reader, session=session) is expected
            listed = session.scalars(
                select(Entity.id).where(Entity.id == entity.id, visible_entities_clause(reader))
            ).all()
            assert bool(listed) is expected
