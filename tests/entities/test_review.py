"""The review queue: who may decide, decisions stored and audited, never asked twice."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access.models import AuditRecord
from laborcommons.core.db import unit_of_work
from laborcommons.entities.models import MatchDecision, RowLink
from tests.entities.conftest import StandIn, World, add_list, link, new_version

BRAND_LIST = "supplier,country\nDhaka Garments Ltd,BD\nSaigon Garment Co.,VN\nAnkara Denim,TR\n"


@pytest.fixture
def queue(world: World, stand_in_engine: StandIn) -> World:
    link(world.node, "suppliers")
    add_list(world, "brand-list", BRAND_LIST)
    job = link(world.node, "brand-list")
    assert (job.counts["review"], job.counts["linked"]) == (2, 1)
    return world


def open_candidates(client: TestClient, world: World) -> list[dict[str, Any]]:
    response = client.get("/api/v1/entities/review", headers=world.owner.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_candidates_show_a_field_by_field_comparison(client: TestClient, queue: World) -> None:
    items = open_candidates(client, queue)
    assert [(c["row"], c["record"]["name"], c["entity"]["name"]) for c in items] == [
        (1, "Dhaka Garments Ltd", "Dhaka Knit Composite Ltd."),
        (3, "Ankara Denim", "Ankara Tekstil A.Ş."),
    ]
    first = items[0]
    assert first["comparison"]["name"]["existing"] == "Dhaka Knit Composite Ltd."
    assert first["match_weight"] == 3.0 and 0.5 <= first["probability"] < 0.95
    assert client.get("/api/v1/entities/review").status_code == 401
    outsider = client.get("/api/v1/entities/review", headers=queue.outsider.headers).json()
    assert outsider["total"] == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("viewer", 404), ("outsider", 404), ("editor", 200), ("admin", 200)],
)
def test_who_may_accept(client: TestClient, queue: World, who: str, status: int) -> None:
    candidate = open_candidates(client, queue)[0]
    headers = {} if who == "anonymous" else getattr(queue, who).headers
    url = f"/api/v1/entities/review/{candidate['id']}/accept"
    response = client.post(url, json={"reason": "same gate"}, headers=headers)
    assert response.status_code == status, response.text
    with unit_of_work(queue.node.sessions) as session:
        link_row = session.scalars(
            select(RowLink).where(RowLink.row_number == 1, RowLink.status != "new")
        ).one()
    assert link_row.status == ("linked" if status == 200 else "review")


def test_an_accepted_pair_is_stored_audited_and_never_asked_again(
    client: TestClient, queue: World, stand_in_engine: StandIn
) -> None:
    candidate = open_candidates(client, queue)[0]
    url = f"/api/v1/entities/review/{candidate['id']}/accept"
    accepted = client.post(url, json={"reason": "same gate"}, headers=queue.editor.headers)
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["decided_by"] == "editor@union.example"
    assert client.post(url, headers=queue.editor.headers).status_code == 409
    entity = client.get(f"/api/v1/entities/{candidate['entity']['lcid']}").json()
    assert "Dhaka Garments Ltd" in [n["name"] for n in entity["names"]]
    with unit_of_work(queue.node.sessions) as session:
        trail = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "entities.review.accept")
        ).all()
        assert [(t.actor, t.details["reason"]) for t in trail] == [
            ("editor@union.example", "same gate")
        ]
    # The same list uploaded again (a new version): the decided row is linked by the decision.
    new_version(queue, "brand-list", BRAND_LIST + "Hanoi Denim,VN\n")
    again = link(queue.node, "brand-list")
    assert again.counts["linked"] == 2 and again.counts["review"] == 1
    names = [c["record"]["name"] for c in open_candidates(client, queue)]
    assert names.count("Dhaka Garments Ltd") == 0


def test_a_rejected_pair_is_never_proposed_again(
    client: TestClient, queue: World, stand_in_engine: StandIn
) -> None:
    candidate = open_candidates(client, queue)[1]
    url = f"/api/v1/entities/review/{candidate['id']}/reject"
    rejected = client.post(
        url, json={"reason": "denim mill, not the same"}, headers=queue.owner.headers
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    with unit_of_work(queue.node.sessions) as session:
        decision = session.scalars(select(MatchDecision)).one()
        assert decision.decision == "cannot-link"
        row = session.scalars(
            select(RowLink).where(RowLink.row_number == 3, RowLink.method == "decision")
        ).one()
        assert row.status == "new" and row.entity_id is not None
    new_version(queue, "brand-list", BRAND_LIST + "Hanoi Denim,VN\n")
    link(queue.node, "brand-list")
    assert ("0000000003", candidate["entity"]["lcid"]) in stand_in_engine.calls[-1]["cannot_link"]
    pairs = [(c["record"]["name"], c["entity"]["lcid"]) for c in open_candidates(client, queue)]
    assert ("Ankara Denim", candidate["entity"]["lcid"]) not in pairs


def test_bulk_decisions_are_all_or_nothing(client: TestClient, queue: World) -> None:
    ids = [c["id"] for c in open_candidates(client, queue)]
    refused = client.post(
        "/api/v1/entities/review/bulk",
        headers=queue.owner.headers,
        json={"ids": [*ids, 999_999], "action": "accept"},
    )
    assert refused.status_code == 404
    assert len(open_candidates(client, queue)) == 2
    done = client.post(
        "/api/v1/entities/review/bulk",
        headers=queue.owner.headers,
        json={"ids": ids, "action": "accept", "reason": "checked on site"},
    )
    assert done.status_code == 200, done.text
    assert [d["status"] for d in done.json()["decided"]] == ["accepted", "accepted"]
    assert open_candidates(client, queue) == []
