"""A review decision belongs to the organization that made it: it closes that
organization's candidates only, applies to its later link jobs only, and is audited there."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access.models import AuditRecord
from laborcommons.catalog.models import Organization
from laborcommons.core.db import unit_of_work
from laborcommons.entities.models import MatchDecision
from tests.entities.conftest import StandIn, World, add_list, link, reader_of
from tests.factories import Member, ingest, make_dataset

ROW = "name,address,country\nDhaka Spinning Mills,Tongi,Bangladesh\n"


def _brand_watch_list(world: World, slug: str) -> None:
    make_dataset(world.node, slug, "brand-watch", access="open", license="CC-BY-4.0")
    path = world.files / f"{slug}.csv"
    path.write_text(ROW, encoding="utf-8")
    ingest(world.node, slug, path)


def _open_candidates(client: TestClient, member: Member, dataset: str) -> list[dict[str, object]]:
    answer = client.get(
        "/api/v1/entities/review", params={"dataset": dataset}, headers=member.headers
    )
    assert answer.status_code == 200, answer.text
    items: list[dict[str, object]] = answer.json()["items"]
    return items


def _org_id(world: World, slug: str) -> int:
    with unit_of_work(world.node.sessions) as session:
        return session.scalars(select(Organization.id).where(Organization.slug == slug)).one()


def test_a_decision_stays_in_the_organization_that_made_it(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    link(world.node, "suppliers")  # shared, open entities both organizations see
    add_list(world, "union-list", ROW)
    _brand_watch_list(world, "brand-list")
    link(world.node, "union-list", reader=reader_of(world.node, world.editor))
    link(world.node, "brand-list", reader=reader_of(world.node, world.outsider))
    (ours,) = _open_candidates(client, world.editor, "union-list")
    (theirs,) = _open_candidates(client, world.outsider, "brand-list")
    assert ours["entity"] == theirs["entity"]

    rejected = client.post(
        f"/api/v1/entities/review/{ours['id']}/reject",
        json={"reason": "another mill"},
        headers=world.editor.headers,
    )
    assert rejected.status_code == 200, rejected.text
    assert [c["id"] for c in _open_candidates(client, world.outsider, "brand-list")] == [
        theirs["id"]
    ]
    union = _org_id(world, "garment-union")
    with unit_of_work(world.node.sessions) as session:
        (decision,) = session.scalars(select(MatchDecision))
        assert (decision.organization_id, decision.decision) == (union, "cannot-link")
        (record,) = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "entities.review.reject")
        )
        assert record.organization_id == union

    # the same record later: brand-watch's job is not bound by garment-union's decision,
    # garment-union's job is
    entity = ours["entity"]["lcid"]  # type: ignore[index]
    _brand_watch_list(world, "brand-list-2")
    link(world.node, "brand-list-2", reader=reader_of(world.node, world.outsider))
    assert stand_in_engine.calls[-1]["cannot_link"] == set()
    add_list(world, "union-list-2", ROW)
    link(world.node, "union-list-2", reader=reader_of(world.node, world.editor))
    assert stand_in_engine.calls[-1]["cannot_link"] == {("0000000001", entity)}
