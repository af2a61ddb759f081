"""What `make run` shows after `laborcommons demo`: linked facilities with several brands'
spellings, brand relations, a non-empty review queue; and a second run changes nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.demo.datasets import HARBOR, LUMEN, VELTA
from laborcommons.demo.organizations import CAMPAIGN, REGISTRY, TRACE
from laborcommons.demo.service import DEMO_PASSWORD, seed_demo
from laborcommons.entities.models import Entity, EntityRelation, LinkJob, ReviewCandidate, RowLink
from tests.factories import Member
from tests.web.steps import sign_in, table_rows

pytestmark = pytest.mark.slow
FACILITIES = 300
BRAND_LISTS = [HARBOR.slug, VELTA.slug, LUMEN.slug]


def _counts(node: Node) -> dict[str, int]:
    with unit_of_work(node.sessions) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Entity, EntityRelation, LinkJob, ReviewCandidate, RowLink)
        }


@pytest.fixture
def demo(node: Node) -> list[str]:
    with unit_of_work(node.sessions) as session:
        return seed_demo(node=node, session=session, facilities=FACILITIES)


def test_the_demo_links_the_brand_lists_and_fills_the_review_queue(
    client: TestClient, node: Node, demo
):
    counts = _counts(node)
    # three brand lists, the certifications register and the published wage indications
    assert counts["link_jobs"] == 6
    assert any(line.startswith("Linked velta-sport-suppliers-2025") for line in demo)
    with unit_of_work(node.sessions) as session:
        query = select(RowLink.status, func.count()).group_by(RowLink.status)
        by_status = {status: number for status, number in session.execute(query)}
        brands = session.scalar(select(func.count()).where(Entity.kind == "brand"))
    assert by_status["linked"] > 0 and by_status["new"] > 0
    assert brands == 3 and counts["entity_relations"] > 0
    assert counts["review_candidates"] > 0  # the queue is not empty

    # A facility both public lists name, as an anonymous visitor sees it.
    found = client.get("/entities", params={"kind": "facility"})
    assert found.status_code == 200 and table_rows(found.text, "entities")
    with unit_of_work(node.sessions) as session:
        brand_lists = select(DatasetVersion.id).join(Dataset).where(Dataset.slug.in_(BRAND_LISTS))
        shared = session.execute(
            select(RowLink.entity_id)
            .where(RowLink.entity_id.is_not(None), RowLink.version_id.in_(brand_lists))
            .group_by(RowLink.entity_id)
            .having(func.count(func.distinct(RowLink.version_id)) == 3)
            .order_by(RowLink.entity_id)
            .limit(1)
        ).scalar_one()  # all three brands list this facility
        lcid = session.get_one(Entity, shared).lcid
    page = client.get(f"/entities/{lcid}").text
    mentioned = {row[0] for row in table_rows(page, "mentions")}
    assert mentioned >= {
        "Harbor & Pine supplier list, March 2025",
        "Lumen Basics manufacturing sites, 2025",
    }
    # Velta's list is shared with named partners only: never named to the public
    assert "Velta" not in " ".join(mentioned)
    relations = table_rows(page, "relations")
    assert {row[0] for row in relations} >= {"Harbor & Pine", "Lumen Basics"}

    # The owners of the lists find work in the review queue.
    total = 0
    for org in (REGISTRY, TRACE, CAMPAIGN):
        client.cookies.clear()
        sign_in(client, Member(email=f"owner@{org}.example", token="", password=DEMO_PASSWORD))
        response = client.get("/review")
        assert response.status_code == 200
        total += len(table_rows(response.text, "comparison"))
    assert total > 0


def test_running_the_demo_again_changes_nothing(node: Node, demo):
    before = _counts(node)
    with unit_of_work(node.sessions) as session:
        again = seed_demo(node=node, session=session, facilities=FACILITIES)
    assert _counts(node) == before
    assert not any(line.startswith("Linked") for line in again)


def test_anonymous_visitors_see_no_names_from_the_named_list(client: TestClient, node: Node, demo):
    from laborcommons.entities.models import EntityName

    with unit_of_work(node.sessions) as session:
        velta = select(DatasetVersion.id).join(Dataset).where(Dataset.slug == VELTA.slug)
        others = select(DatasetVersion.id).join(Dataset).where(Dataset.slug != VELTA.slug)
        velta_only = set(
            session.scalars(select(EntityName.name).where(EntityName.source_version_id.in_(velta)))
        ) | set(session.scalars(select(Entity.name).where(Entity.source_version_id.in_(velta))))
        elsewhere = set(
            session.scalars(select(EntityName.name).where(EntityName.source_version_id.in_(others)))
        ) | set(session.scalars(select(Entity.name).where(Entity.source_version_id.in_(others))))
        elsewhere |= set(
            session.scalars(select(Entity.name).where(Entity.source_version_id.is_(None)))
        )
        secret_names = sorted(velta_only - elsewhere)
        linked = select(RowLink.entity_id).where(RowLink.version_id.in_(velta))
        velta_entities = list(
            session.scalars(select(Entity.lcid).where(Entity.id.in_(linked)).order_by(Entity.id))
        )
        only_velta = list(
            session.scalars(
                select(Entity.lcid).where(
                    Entity.source_version_id.in_(velta),
                    Entity.id.not_in(
                        select(RowLink.entity_id).where(
                            RowLink.version_id.in_(others), RowLink.entity_id.is_not(None)
                        )
                    ),
                )
            )
        )
    assert secret_names and velta_entities and only_velta
    client.cookies.clear()
    exported = client.get("/api/v1/entities/export", params={"format": "json"}).text
    changes = client.get("/api/v1/entities/changes", params={"limit": 1000}).text
    for lcid in velta_entities[:40]:
        response = client.get(f"/api/v1/entities/{lcid}")
        if lcid in only_velta:
            assert response.status_code == 404, lcid
            assert client.get(f"/entities/{lcid}").status_code == 404, lcid
            continue
        text = response.text
        page = client.get(f"/entities/{lcid}").text
        for name in secret_names:
            assert f'"{name}"' not in text, (lcid, name, text)
            assert f"<tr><td>{name}</td>" not in page, (lcid, name)
    for lcid in only_velta:
        assert lcid not in exported and lcid not in changes, lcid
    for name in secret_names[:10]:
        found = client.get("/api/v1/entities", params={"q": name}).json()
        assert name not in {item["name"] for item in found["items"]}, name
