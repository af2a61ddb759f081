"""Relations from a linked list, set on the link form: a brand's supplier list makes the
brand source from each row's facility, with the tier from a column, once per row."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.entities.models import EntityRelation
from laborcommons.entities.schemas import EntityCreate
from laborcommons.entities.service import create_entity
from tests.factories import Member, ingest, make_dataset
from tests.web.steps import form_fields, sign_in, table_rows

LIST = (
    "Factory Name,Country,Tier\n"
    "Dhaka Knit Composite Ltd,Bangladesh,1\n"
    "Chittagong Spinning Mills,Bangladesh,3\n"
)


@pytest.fixture
def brand(node: Node, owner: Member, tmp_path: Path) -> str:
    make_dataset(node, "harbor-list", "garment-union", access="open", license="CC-BY-4.0")
    path = tmp_path / "harbor.csv"
    path.write_text(LIST)
    ingest(node, "harbor-list", path)
    with unit_of_work(node.sessions) as session:
        data = EntityCreate(kind="brand", name="Harbor & Pine", country="BD")  # type: ignore[arg-type]
        return create_entity(data, actor=NODE_ADMIN, session=session).lcid


def send(client: TestClient, **extra: str):  # type: ignore[no-untyped-def]
    fields = form_fields(
        client.get("/datasets/harbor-list/link").text, "/datasets/harbor-list/link"
    )
    return client.post(
        "/datasets/harbor-list/link",
        data={**fields, "run": "link", **extra},
        follow_redirects=False,
    )


def relations(node: Node) -> int:
    with unit_of_work(node.sessions) as session:
        return session.scalar(select(func.count()).select_from(EntityRelation)) or 0


def test_suppliers_of_a_brand_with_tiers_from_a_column(client, node, owner, brand):
    sign_in(client, owner)
    page = client.get("/datasets/harbor-list/link").text
    assert "Suppliers of a brand" in page
    response = send(
        client, relation="sources_from:subject", relation_entity=brand.lower(), tier_column="Tier"
    )
    assert response.status_code == 303, response.text
    rows = table_rows(client.get(f"/entities/{brand}").text, "relations")
    assert sorted((r[1], r[2], r[3]) for r in rows) == [
        ("sources from", "Chittagong Spinning Mills", "3"),
        ("sources from", "Dhaka Knit Composite Ltd", "1"),
    ]
    history = table_rows(client.get(f"/entities/{brand}").text, "history")
    assert sum(r[1].startswith("relation_added") for r in history) == 2
    assert send(client, relation="sources_from:subject", relation_entity=brand).status_code == 303
    assert relations(node) == 2  # linking again adds nothing


def test_a_wrong_relation_is_explained_on_the_form(client, node, owner, brand):
    sign_in(client, owner)
    missing = send(client, relation="sources_from:subject", relation_entity="")
    assert missing.status_code == 422 and "stable ID" in missing.text
    wrong_kind = send(client, relation="operated_by:object", relation_entity=brand)
    assert wrong_kind.status_code == 422 and "operated_by relates a facility" in wrong_kind.text
    bad_column = send(
        client, relation="sources_from:subject", relation_entity=brand, tier_column="Nope"
    )
    assert bad_column.status_code == 422 and "Nope" in bad_column.text
    assert relations(node) == 0
